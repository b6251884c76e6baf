using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Tests.Hosting;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Imports;
using Bunit;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Imports.Screens;

/// <summary>The file detail page (audit fields, stage counts, rejects, live progress) as a group manager.</summary>
public sealed class ImportFilePageTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly SqliteTestDatabase database = new();
    private readonly TempFolder folder = new();
    private BunitContext context = null!;
    private TestOrganisation org = null!;
    private ImportFile file = null!;
    private ImportFile otherGroups = null!;

    public async Task InitializeAsync()
    {
        await using (var db = database.CreateContext())
        {
            org = await new OrganisationBuilder().SaveAsync(db);
            file = await new ImportFileSeed(org.Dealer, org.Network.Id)
            {
                OriginalName = "CUST_hostile.csv", RowsRead = 10, RowsRejected = 3, RowsInserted = 7, StatusReason = "3 rows rejected.",
            }.SaveAsync(db,
                new ImportReject { LineNumber = 4, Column = "last_name", Reason = "Required field is empty.", RawText = "C4;<script>alert('x')</script>;;" },
                new ImportReject { LineNumber = 7, Column = "email", Reason = "Not an e-mail address: <b>bold</b>", RawText = "C7;Smith;<img src=x onerror=alert(1)>" },
                new ImportReject { LineNumber = 2, Column = null, Reason = "Expected 20 columns, found 3.", RawText = "=HYPERLINK(\"http://evil\")" });
            otherGroups = await new ImportFileSeed(org.OtherGroupDealer, org.Network.Id) { OriginalName = "SECRET_other.csv" }.SaveAsync(db,
                new ImportReject { LineNumber = 2, Reason = "x", RawText = "other group's raw row" });
        }

        context = ImportScreenContext.Create(database, ImportScreenContext.GroupManager(org), folder.Path);
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    public void Dispose()
    {
        database.Dispose();
        folder.Dispose();
    }

    private static string WithoutHandlerIds(string markup) =>
        System.Text.RegularExpressions.Regex.Replace(markup, "blazor:[a-zA-Z]+=\"[^\"]*\"|id=\"[^\"]*\"", "");

    [Fact]
    public void FilePage_ShowsAuditFieldsStageCountsAndDownloadLinks()
    {
        var page = context.Render<ImportFilePage>(p => p.Add(c => c.Id, file.Id));

        page.WaitForAssertion(() => Assert.Equal("CUST_hostile.csv", page.Find("[data-testid=file-name]").TextContent), Wait);
        Assert.Equal(file.Sha256, page.Find("[data-field='SHA-256']").TextContent);
        Assert.Equal(file.StoredName, page.Find("[data-field='Stored name']").TextContent);
        Assert.Contains(org.Dealer.Code, page.Find("[data-field='Dealer']").TextContent, StringComparison.Ordinal);
        Assert.Equal("DropFolder", page.Find("[data-field='Channel']").TextContent);
        Assert.Equal("60.0 s", page.Find("[data-field='Processing time']").TextContent);
        Assert.Equal("3", page.Find("[data-count='Rejected']").TextContent);
        Assert.Equal("7", page.Find("[data-count='Inserted']").TextContent);
        Assert.Equal($"/imports/{file.Id}/rejects.csv", page.Find("[data-testid=download-rejects]").GetAttribute("href"));
        Assert.Equal($"/imports/{file.Id}/original", page.Find("[data-testid=download-original]").GetAttribute("href"));
        Assert.Null(page.Find("[data-testid=reprocess]").GetAttribute("disabled"));
        Assert.Empty(page.FindAll("[data-testid=live-progress]"));
    }

    [Fact]
    public void FilePage_RejectsTab_RawRowsAndReasonsStayText()
    {
        var page = context.Render<ImportFilePage>(p => p.Add(c => c.Id, file.Id));
        page.WaitForAssertion(() => Assert.Contains(page.FindAll(".mud-tab"), t => t.TextContent.Contains("Rejected rows", StringComparison.Ordinal)), Wait);

        page.FindAll(".mud-tab").Single(t => t.TextContent.Contains("Rejected rows", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=raw-text]").Count), Wait);
        var raw = page.FindAll("[data-testid=raw-text]").Select(e => e.TextContent).ToList();
        Assert.Equal(["=HYPERLINK(\"http://evil\")", "C4;<script>alert('x')</script>;;", "C7;Smith;<img src=x onerror=alert(1)>"], raw);
        var table = page.Find("[data-testid=rejects]");
        Assert.Empty(table.QuerySelectorAll("script"));
        Assert.Empty(table.QuerySelectorAll("img"));
        Assert.Empty(table.QuerySelectorAll("b"));
        Assert.Contains("&lt;script&gt;alert('x')&lt;/script&gt;", table.InnerHtml, StringComparison.Ordinal);
        Assert.Contains("Not an e-mail address: <b>bold</b>", table.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void FilePage_OtherGroupsFile_RendersNotFoundLikeMissing()
    {
        var other = context.Render<ImportFilePage>(p => p.Add(c => c.Id, otherGroups.Id));
        var missing = context.Render<ImportFilePage>(p => p.Add(c => c.Id, 987_654));

        other.WaitForAssertion(() => Assert.Contains("Not found", other.Markup, StringComparison.Ordinal), Wait);
        missing.WaitForAssertion(() => Assert.Contains("Not found", missing.Markup, StringComparison.Ordinal), Wait);
        Assert.Equal(WithoutHandlerIds(missing.Markup), WithoutHandlerIds(other.Markup));
        Assert.DoesNotContain("SECRET_other", other.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FilePage_RunningFile_ShowsProgressDisablesReprocessThenShowsCompletedCounts()
    {
        ImportFile staging;
        await using (var db = database.CreateContext())
        {
            staging = await new ImportFileSeed(org.Dealer, org.Network.Id)
            {
                OriginalName = "CUST_big.csv", Status = ImportStatus.Staging, RowsRead = 4000, ProgressRows = 1000,
            }.SaveAsync(db);
        }

        var page = context.Render<ImportFilePage>(p => p.Add(c => c.Id, staging.Id));

        page.WaitForAssertion(() => Assert.Contains("25%", page.Find("[data-testid=live-progress]").TextContent, StringComparison.Ordinal), Wait);
        Assert.NotNull(page.Find("[data-testid=reprocess]").GetAttribute("disabled"));
        Assert.True(page.Instance.IsPolling);

        await using (var db = database.CreateContext())
        {
            var row = await db.ImportFiles.SingleAsync(f => f.Id == staging.Id);
            (row.Status, row.RowsInserted, row.RowsUpdated, row.RowsUnchanged, row.CompletedAt) =
                (ImportStatus.Completed, 3990, 5, 5, row.ReceivedAt.AddMinutes(2));
            await db.SaveChangesAsync();
        }

        page.WaitForAssertion(() => Assert.Equal("3,990", page.Find("[data-count='Inserted']").TextContent), Wait);
        Assert.Empty(page.FindAll("[data-testid=live-progress]"));
        Assert.Equal("Completed", page.Find("[data-testid=status-chip]").GetAttribute("data-status"));
        Assert.Null(page.Find("[data-testid=reprocess]").GetAttribute("disabled"));
        page.WaitForAssertion(() => Assert.False(page.Instance.IsPolling), Wait);
    }
}
