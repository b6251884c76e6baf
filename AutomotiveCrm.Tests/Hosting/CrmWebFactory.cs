using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AutomotiveCrm.Tests.Hosting;

/// <summary>
/// The real web application on a throwaway SQLite file, with the demo data seeded at start-up as configured for a
/// fresh install (a small customer count keeps it quick).
/// </summary>
public sealed class CrmWebFactory : WebApplicationFactory<Program>
{
    private readonly TempFolder temp = new();

    public int DemoCustomers { get; init; } = 200;

    /// <summary>Whether start-up drops the DMS sample files into demo dealers' inboxes, as a first run does.</summary>
    public bool DemoImportSamples { get; init; }

    /// <summary>Whether start-up runs the demo's first dedup pass after seeding (merges and links demo records).</summary>
    public bool DemoDedup { get; init; }

    public string ConnectionString => temp.SqliteConnection();

    /// <summary>More settings for this app (set before it starts), e.g. where its mail goes.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(RepositoryRoot());
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Crm", ConnectionString);
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:SeedDemoDataOnStartup", "true");
        builder.UseSetting("Database:DemoCustomers", DemoCustomers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Imports land in this test's own folders, never in the repository's data/imports.
        builder.UseSetting("Imports:InboxPath", temp.File("imports-inbox"));
        builder.UseSetting("Imports:StorePath", temp.File("imports-store"));
        builder.UseSetting("Database:DemoImportSamples", DemoImportSamples ? "true" : "false");
        // The incremental matcher would merge and link demo records behind the tests' backs: tests start runs themselves.
        builder.UseSetting("Dedup:RunWorker", "false");
        builder.UseSetting("Database:DemoDedup", DemoDedup ? "true" : "false");
        // Quartz keeps schedulers in a process-wide registry by name: each test app gets its own.
        builder.UseSetting("Scheduler:Name", "crm-test-" + Guid.NewGuid().ToString("N"));
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        if (DemoImportSamples)
        {
            // Take dropped files at once rather than after the production stability wait.
            builder.UseSetting("Imports:StableSeconds", "1");
            builder.UseSetting("Imports:ScanSeconds", "1");
        }
    }

    /// <summary>The folder holding AutomotiveCrm.sln: the web app's content root (root wwwroot/ and appsettings.json).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AutomotiveCrm.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AutomotiveCrm.sln not found above " + AppContext.BaseDirectory);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            temp.Dispose();
        }
    }
}
