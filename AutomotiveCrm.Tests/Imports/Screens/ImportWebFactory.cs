using System.Net;
using System.Text.RegularExpressions;
using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Tests.Hosting;
using AutomotiveCrm.Tests.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AutomotiveCrm.Tests.Imports.Screens;

/// <summary>
/// The real web application over HTTP (demo organisation and users seeded at start-up) with its database, import
/// store, drop folder and mail pickup in a temporary folder of its own.
/// </summary>
public sealed partial class ImportWebFactory : WebApplicationFactory<Program>
{
    private readonly TempFolder temp = new();

    public string ImportFolder => temp.File("imports");

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

    /// <summary>A client signed in as a demo user (not an administrator: those need TOTP).</summary>
    public async Task<AccountClient> SignInAsync(string email)
    {
        var client = CreateAccountClient();
        var (response, _) = await client.SignInAsync(email, DemoUsers.DefaultPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>The antiforgery request token of a page the client loads (the sign-out form of the app shell carries one).</summary>
    public static async Task<string> AntiforgeryTokenAsync(AccountClient client, string page = "/imports")
    {
        var (response, html) = await client.GetAsync(page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, "No antiforgery token on " + page);
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(CrmWebFactory.RepositoryRoot());
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Crm", temp.SqliteConnection());
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:SeedDemoDataOnStartup", "true");
        builder.UseSetting("Database:DemoCustomers", "60");
        builder.UseSetting("Email:PickupDirectory", MailFolder);
        builder.UseSetting("Imports:InboxPath", Path.Combine(ImportFolder, "inbox"));
        builder.UseSetting("Imports:StorePath", Path.Combine(ImportFolder, "store"));
        builder.UseSetting("Database:DemoImportSamples", "false");
        // The incremental matcher would merge and link demo records behind the tests' backs: tests start runs themselves.
        builder.UseSetting("Dedup:RunWorker", "false");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            temp.Dispose();
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
