using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Tests.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AutomotiveCrm.Tests.Identity;

/// <summary>
/// The real web application (demo data and demo users seeded at start-up) with a clock the test moves, and mail
/// written to a pickup folder of its own.
/// </summary>
public sealed class AccountWebFactory : WebApplicationFactory<Program>
{
    private readonly TempFolder temp = new();

    /// <summary>Starts at the real time: TOTP codes are checked against the machine's clock.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public string MailFolder => temp.File("mail");

    public DatabaseSettings Database => new() { ConnectionString = temp.SqliteConnection() };

    /// <summary>A system context on the app's database; starts the app first, so the database is migrated and seeded.</summary>
    public CrmDbContext CreateSystemContext()
    {
        _ = Services;
        return CrmDatabase.CreateContext(Database);
    }

    public AccountClient CreateAccountClient() =>
        new(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(CrmWebFactory.RepositoryRoot());
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Crm", temp.SqliteConnection());
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:SeedDemoDataOnStartup", "true");
        builder.UseSetting("Database:DemoCustomers", "60");
        builder.UseSetting("Email:PickupDirectory", MailFolder);
        // Imports land in this test's own folders, never in the repository's data/imports.
        builder.UseSetting("Imports:InboxPath", temp.File("imports-inbox"));
        builder.UseSetting("Imports:StorePath", temp.File("imports-store"));
        builder.UseSetting("Database:DemoImportSamples", "false");
        // The incremental matcher would merge and link demo records behind the tests' backs: tests start runs themselves.
        builder.UseSetting("Dedup:RunWorker", "false");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
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
