using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Monitoring;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Hosting;
using AutomotiveCrm.Tests.Layout;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Components.Layout;
using AutomotiveCrm.Web.Identity;
using AutomotiveCrm.Web.Imports;
using Bunit;

namespace AutomotiveCrm.Tests.Imports.Screens;

/// <summary>The dashboard tile, the navigation entry, the subscriptions and the upload answer.</summary>
public sealed class ImportSmallScreensTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly SqliteTestDatabase database = new();
    private readonly TempFolder folder = new();
    private BunitContext context = null!;
    private TestOrganisation org = null!;

    public async Task InitializeAsync()
    {
        await using (var db = database.CreateContext())
        {
            org = await new OrganisationBuilder().SaveAsync(db);
            var today = DateTime.UtcNow.Date.AddMinutes(1);
            await new ImportFileSeed(org.Dealer, org.Network.Id) { ReceivedAt = today, RowsRead = 2000, RowsInserted = 1500, RowsUpdated = 400, RowsUnchanged = 100 }.SaveAsync(db);
            await new ImportFileSeed(org.Dealer, org.Network.Id) { ReceivedAt = today, Status = ImportStatus.Failed, StatusReason = "Wrong delimiter." }.SaveAsync(db);
            await new ImportFileSeed(org.SecondDealer, org.Network.Id) { ReceivedAt = today, Status = ImportStatus.Merging, RowsRead = 10 }.SaveAsync(db);
            await new ImportFileSeed(org.OtherGroupDealer, org.Network.Id) { ReceivedAt = today, RowsRead = 999, RowsInserted = 999 }.SaveAsync(db);
            await new ImportFileSeed(org.Dealer, org.Network.Id) { ReceivedAt = today.AddDays(-2), RowsRead = 5, RowsInserted = 5 }.SaveAsync(db);
        }

        context = ImportScreenContext.Create(database, ImportScreenContext.GroupManager(org), folder.Path);
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    public void Dispose()
    {
        database.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void Tile_GroupManager_TodaysFilesAndRowsWithFailuresHighlighted()
    {
        var tile = context.Render<ImportsTile>();

        tile.WaitForAssertion(() => Assert.Equal("1,900", tile.Find("[data-import-figure='Rows imported']").TextContent), Wait);
        Assert.Equal("1", tile.Find("[data-import-figure='Completed']").TextContent);
        Assert.Equal("1", tile.Find("[data-import-figure='Failed']").TextContent);
        Assert.Equal("1", tile.Find("[data-import-figure='Running']").TextContent);
        Assert.Contains("mud-error-text", tile.Find("[data-import-figure='Failed']").ClassName, StringComparison.Ordinal);
        Assert.Contains("1 file failed today", tile.Find("[data-testid=imports-tile-failures]").TextContent, StringComparison.Ordinal);
        Assert.Equal("/imports", tile.Find("[data-testid=imports-tile-link]").GetAttribute("href"));
    }

    [Theory]
    [InlineData(CrmRole.DataSteward, true)]
    [InlineData(CrmRole.Manager, true)]
    [InlineData(CrmRole.Sales, false)]
    [InlineData(CrmRole.Marketer, false)]
    public void NavMenu_ImportsEntry_OnlyForManageImports(CrmRole role, bool shown)
    {
        var user = CrmClaims.Read(TestPrincipals.Create(ScopeLevel.Group, org.Network.Id, org.Group.Id, null, role));

        var menu = context.Render<NavMenu>(p => p.Add(m => m.User, user));

        Assert.Equal(shown, menu.FindAll("[data-nav=imports]").Count == 1);
    }

    [Fact]
    public async Task Subscriptions_GroupUser_OwnGroupOnlyValidatedAndUnique()
    {
        await using var db = database.CreateContext();
        db.Scope = AccessScope.ForUser(ScopeLevel.Group, org.Network.Id, org.Group.Id, [CrmRole.Administrator]);
        var now = DateTime.UtcNow;

        var id = await ImportReportSubscriptions.AddAsync(db, org.Network.Id, org.Group.Id, " north@example.com ", now);
        var networkWide = await Assert.ThrowsAsync<DomainException>(() => ImportReportSubscriptions.AddAsync(db, org.Network.Id, null, "x@example.com", now));
        var twice = await Assert.ThrowsAsync<DomainException>(() => ImportReportSubscriptions.AddAsync(db, org.Network.Id, org.Group.Id, "NORTH@example.com", now));
        var invalid = await Assert.ThrowsAsync<DomainException>(() => ImportReportSubscriptions.AddAsync(db, org.Network.Id, org.Group.Id, "not an address", now));

        Assert.Contains("your dealer group's report only", networkWide.Message, StringComparison.Ordinal);
        Assert.Contains("already receives", twice.Message, StringComparison.Ordinal);
        Assert.Contains("not a valid e-mail address", invalid.Message, StringComparison.Ordinal);
        var list = await ImportReportSubscriptions.ListAsync(db);
        Assert.Equal([("north@example.com", "Northgate Motor Group")], list.Select(s => (s.Email, s.ScopeName)));
        Assert.True(await ImportReportSubscriptions.RemoveAsync(db, id));
        Assert.Empty(await ImportReportSubscriptions.ListAsync(db));
    }

    [Theory]
    [InlineData(201, "{\"id\":7,\"status\":\"Received\",\"statusReason\":null,\"location\":\"/imports/7\"}", "/imports/7", null)]
    [InlineData(400, "{\"error\":\"No dealer has the code 'X'.\"}", null, "No dealer has the code 'X'.")]
    [InlineData(404, "<html>Not found</html>", null, "That dealer is not one you can import for.")]
    [InlineData(201, "{\"location\":\"https://evil.example/\"}", null, "The upload failed (HTTP 201).")]
    [InlineData(0, "", null, "The upload failed: the connection to the server was lost.")]
    public void UploadAnswer_Read_LocationOrMessage(int status, string body, string? location, string? error)
    {
        var (readLocation, readError) = ImportUploadPanel.Read(new ImportUploadPanel.UploadResponse(status, body));

        Assert.Equal((location, error), (readLocation, readError));
    }

    [Fact]
    public async Task ReportPage_GroupManager_PdfLinkForYesterdayAndAddsASubscriberForTheGroup()
    {
        var page = context.Render<ImportReportPage>();
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        page.WaitForAssertion(() => Assert.Equal($"/imports/report.pdf?date={yesterday}", page.Find("[data-testid=report-pdf]").GetAttribute("href")), Wait);
        Assert.Empty(page.FindAll("[data-testid=subscription-scope]"));

        page.Find("[data-testid=subscription-email] input, input[data-testid=subscription-email]").Change("north@example.com");
        page.Find("[data-testid=subscription-add]").Click();

        page.WaitForAssertion(() => Assert.Contains("north@example.com", page.Find("[data-testid=subscription-list]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("Northgate Motor Group", page.Find("[data-testid=subscription-list]").TextContent, StringComparison.Ordinal);
        await using var db = database.CreateContext();
        var stored = Assert.Single(db.ImportReportSubscriptions);
        Assert.Equal((org.Group.Id, "north@example.com"), (stored.DealerGroupId!.Value, stored.Email));
    }
}
