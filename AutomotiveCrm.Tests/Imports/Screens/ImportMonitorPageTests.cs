using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Tests.Hosting;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Imports;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutomotiveCrm.Tests.Imports.Screens;

/// <summary>The import monitor rendered by bUnit over a real SQLite database, as a group manager.</summary>
public sealed class ImportMonitorPageTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly SqliteTestDatabase database = new();
    private readonly TempFolder folder = new();
    private BunitContext context = null!;
    private TestOrganisation org = null!;
    private ImportFile completed = null!;
    private ImportFile failed = null!;
    private ImportFile running = null!;

    public async Task InitializeAsync()
    {
        await using (var db = database.CreateContext())
        {
            org = await new OrganisationBuilder().SaveAsync(db);
            completed = await new ImportFileSeed(org.Dealer, org.Network.Id)
            {
                OriginalName = "CUST_done.csv", RowsRead = 1200, RowsRejected = 3, RowsDuplicate = 2, RowsInserted = 1000, RowsUpdated = 150, RowsUnchanged = 45,
            }.SaveAsync(db);
            failed = await new ImportFileSeed(org.SecondDealer, org.Network.Id)
            {
                OriginalName = "VEH_bad.csv", FileType = ImportFileType.Vehicles, Status = ImportStatus.Failed,
                StatusReason = "Line 1: expected 12 columns, found 1: the delimiter is wrong.", ReceivedAt = new DateTime(2026, 11, 23, 3, 0, 0, DateTimeKind.Utc),
            }.SaveAsync(db);
            running = await new ImportFileSeed(org.Dealer, org.Network.Id)
            {
                OriginalName = "SERV_running.csv", FileType = ImportFileType.ServiceHistory, Status = ImportStatus.Merging,
                RowsRead = 1000, ProgressRows = 500, ReceivedAt = new DateTime(2026, 11, 24, 4, 0, 0, DateTimeKind.Utc),
            }.SaveAsync(db);
            await new ImportFileSeed(org.OtherGroupDealer, org.Network.Id) { OriginalName = "OTHER_GROUP_secret.csv" }.SaveAsync(db);
        }

        context = ImportScreenContext.Create(database, ImportScreenContext.GroupManager(org), folder.Path);
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    public void Dispose()
    {
        database.Dispose();
        folder.Dispose();
    }

    private void NavigateTo(string uri) => context.Services.GetRequiredService<NavigationManager>().NavigateTo(uri);

    private static string Row(IRenderedComponent<ImportMonitor> page, long id) =>
        page.FindAll("tr").Single(r => r.QuerySelector($"[data-file='{id}']") is not null).TextContent;

    [Fact]
    public void Monitor_GroupManager_ShowsOwnGroupsFilesNewestFirstWithCountsAndChips()
    {
        NavigateTo("/imports");

        var page = context.Render<ImportMonitor>();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=file-link]").Count), Wait);
        Assert.Equal(["SERV_running.csv", "CUST_done.csv", "VEH_bad.csv"], page.FindAll("[data-testid=file-link]").Select(a => a.TextContent));
        Assert.DoesNotContain("OTHER_GROUP_secret", page.Markup, StringComparison.Ordinal);
        Assert.Equal($"/imports/{completed.Id}", page.FindAll("[data-testid=file-link]")[1].GetAttribute("href"));
        var chips = page.FindAll("[data-testid=status-chip]").Select(c => c.GetAttribute("data-status")).ToList();
        Assert.Equal(["Merging", "Completed", "Failed"], chips);
        Assert.Contains("mud-chip-color-error", page.Find($"[data-file='{failed.Id}'] [data-testid=status-chip]").ClassName, StringComparison.Ordinal);
        var done = Row(page, completed.Id);
        foreach (var figure in new[] { "1,200", "1,000", "150", "45" })
        {
            Assert.Contains(figure, done, StringComparison.Ordinal);
        }

        Assert.NotEmpty(page.FindAll("[data-testid=chart-files] svg, [data-testid=chart-files] .mud-chart"));
    }

    [Fact]
    public void Monitor_StatusFilterInQueryString_ShowsOnlyThoseFiles()
    {
        NavigateTo("/imports?status=Failed");

        var page = context.Render<ImportMonitor>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=file-link]")), Wait);
        Assert.Equal("VEH_bad.csv", page.Find("[data-testid=file-link]").TextContent);
        Assert.Contains("status=Failed", context.Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Monitor_DealerAndDateFilters_Combine()
    {
        NavigateTo($"/imports?dealer={org.Dealer.Id}&from=2026-11-24&to=2026-11-24&type=Customers");

        var page = context.Render<ImportMonitor>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=file-link]")), Wait);
        Assert.Equal("CUST_done.csv", page.Find("[data-testid=file-link]").TextContent);
    }

    [Fact]
    public async Task Monitor_RunningFile_ShowsLiveProgressAndStopsPollingOnceFinal()
    {
        NavigateTo("/imports");
        var page = context.Render<ImportMonitor>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=progress]")), Wait);
        Assert.Contains("Merging", page.Find("[data-testid=progress]").TextContent, StringComparison.Ordinal);
        Assert.Contains("50%", page.Find("[data-testid=progress]").TextContent, StringComparison.Ordinal);
        Assert.True(page.Instance.IsPolling);

        await using (var db = database.CreateContext())
        {
            var file = await db.ImportFiles.SingleAsync(f => f.Id == running.Id);
            file.ProgressRows = 900;
            await db.SaveChangesAsync();
        }

        page.WaitForAssertion(() => Assert.Contains("90%", page.Find("[data-testid=progress]").TextContent, StringComparison.Ordinal), Wait);

        await using (var db = database.CreateContext())
        {
            var file = await db.ImportFiles.SingleAsync(f => f.Id == running.Id);
            (file.Status, file.RowsInserted, file.RowsUpdated, file.RowsUnchanged) = (ImportStatus.Completed, 700, 250, 50);
            await db.SaveChangesAsync();
        }

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=progress]")), Wait);
        Assert.Equal("Completed", page.Find($"[data-file='{running.Id}'] [data-testid=status-chip]").GetAttribute("data-status"));
        Assert.Contains("700", Row(page, running.Id), StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.False(page.Instance.IsPolling), Wait);
    }

    [Fact]
    public void Monitor_OnlyFinalFilesVisible_DoesNotPoll()
    {
        NavigateTo("/imports?status=Completed");

        var page = context.Render<ImportMonitor>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=file-link]")), Wait);
        Assert.Empty(page.FindAll("[data-testid=progress]"));
        Assert.False(page.Instance.IsPolling);
    }
}
