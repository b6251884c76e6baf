using System.Globalization;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Monitoring;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Imports.Screens;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Imports.Reports;
using UglyToad.PdfPig;

namespace AutomotiveCrm.Tests.Imports.Reports;

/// <summary>The daily KPI query (per dealer, scope, day bounds) and its PDF, read back with PdfPig.</summary>
public sealed class ImportKpiReportTests : IAsyncLifetime, IDisposable
{
    private static readonly DateOnly Day = new(2026, 11, 24);
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    private readonly SqliteTestDatabase database = new();
    private TestOrganisation org = null!;

    public async Task InitializeAsync()
    {
        await using var db = database.CreateContext();
        org = await new OrganisationBuilder().SaveAsync(db);
        var at = new DateTime(2026, 11, 24, 2, 0, 0, DateTimeKind.Utc);
        await new ImportFileSeed(org.Dealer, org.Network.Id)
        {
            ReceivedAt = at, RowsRead = 12_345, RowsRejected = 45, RowsDuplicate = 300, RowsInserted = 10_000, RowsUpdated = 1_500, RowsUnchanged = 500,
        }.SaveAsync(db);
        await new ImportFileSeed(org.Dealer, org.Network.Id)
        {
            ReceivedAt = at.AddHours(1), FileType = ImportFileType.ServiceHistory, OriginalName = "SERV_broken.csv", Status = ImportStatus.Failed,
            StatusReason = "Line 3 has 4 columns where the header has 11: the delimiter is probably not ';'.",
        }.SaveAsync(db);
        await new ImportFileSeed(org.SecondDealer, org.Network.Id)
        {
            ReceivedAt = at.AddHours(2), Status = ImportStatus.Refused, StatusReason = "The same content was already imported as file 1.",
        }.SaveAsync(db);
        await new ImportFileSeed(org.OtherGroupDealer, org.Network.Id) { ReceivedAt = at, RowsRead = 777, RowsInserted = 777 }.SaveAsync(db);
        // Outside the London day: 23:30 UTC on the 24th is 23:30 GMT, still the 24th; 00:30 UTC on the 25th is not.
        await new ImportFileSeed(org.Dealer, org.Network.Id) { ReceivedAt = new DateTime(2026, 11, 25, 0, 30, 0, DateTimeKind.Utc), RowsRead = 99_999 }.SaveAsync(db);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => database.Dispose();

    private static string PdfText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join("\n", document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
    }

    private static byte[] Pdf(ImportKpiReport report)
    {
        using var output = new MemoryStream();
        ImportKpiPdf.Write(report, output, new DateTime(2026, 11, 25, 6, 0, 0, DateTimeKind.Utc));
        return output.ToArray();
    }

    [Fact]
    public async Task Kpi_Network_PerDealerFiguresTotalsAndFailures()
    {
        await using var db = database.CreateContext();

        var report = await ImportKpiQuery.LoadAsync(db, Day, London, org.Network.Id);

        Assert.Equal([org.Dealer.Code, org.SecondDealer.Code, org.OtherGroupDealer.Code], report.Dealers.Select(d => d.DealerCode));
        var first = report.Dealers[0];
        Assert.Equal((2, 1, 1, 0, 12_345L, 45L, 300L, 10_000L, 1_500L, 500L),
            (first.FilesReceived, first.FilesCompleted, first.FilesFailed, first.FilesRefused, first.RowsRead, first.RowsRejected, first.RowsDuplicate,
                first.RowsInserted, first.RowsUpdated, first.RowsUnchanged));
        Assert.Equal((4, 2, 1, 1, 13_122L), (report.Totals.FilesReceived, report.Totals.FilesCompleted, report.Totals.FilesFailed,
            report.Totals.FilesRefused, report.Totals.RowsRead));
        Assert.Equal(["SERV_broken.csv", "CUST_20261124.csv"], report.Failures.Select(f => f.OriginalName));
        Assert.Contains("delimiter", report.Failures[0].Reason, StringComparison.Ordinal);
        Assert.Equal("Network", report.ScopeName);
    }

    [Fact]
    public async Task Kpi_GroupSubscriptionOrGroupUser_OnlyThatGroupsDealers()
    {
        await using var system = database.CreateContext();
        await using var user = database.CreateContext();
        user.Scope = AccessScope.ForUser(ScopeLevel.Group, org.Network.Id, org.OtherGroup.Id, [CrmRole.Manager]);

        var bySubscription = await ImportKpiQuery.LoadAsync(system, Day, London, org.Network.Id, org.Group.Id);
        var byUser = await ImportKpiQuery.LoadAsync(user, Day, London);

        Assert.Equal([org.Dealer.Code, org.SecondDealer.Code], bySubscription.Dealers.Select(d => d.DealerCode));
        Assert.Equal(org.Group.Name, bySubscription.ScopeName);
        Assert.Equal([org.OtherGroupDealer.Code], byUser.Dealers.Select(d => d.DealerCode));
        Assert.Equal(777, byUser.Totals.RowsRead);
        Assert.Empty(byUser.Failures);
    }

    [Fact]
    public void UtcBounds_SummerDayInLondon_StartsAt2300UtcTheDayBefore()
    {
        var (start, end) = ImportKpiQuery.UtcBounds(new DateOnly(2026, 7, 1), London);

        Assert.Equal((new DateTime(2026, 6, 30, 23, 0, 0, DateTimeKind.Utc), new DateTime(2026, 7, 1, 23, 0, 0, DateTimeKind.Utc)), (start, end));
        Assert.Equal(new DateOnly(2026, 11, 23), ImportReportJob.ReportDay(new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero), London));
    }

    [Fact]
    public async Task Pdf_Network_HoldsTitleDealerCodesFiguresAndFailureReasons()
    {
        await using var db = database.CreateContext();
        var report = await ImportKpiQuery.LoadAsync(db, Day, London, org.Network.Id);

        var bytes = Pdf(report);

        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        var text = PdfText(bytes);
        Assert.Contains("Daily import report", text, StringComparison.Ordinal);
        Assert.Contains("2026-11-24", text, StringComparison.Ordinal);
        foreach (var code in new[] { org.Dealer.Code, org.SecondDealer.Code, org.OtherGroupDealer.Code })
        {
            Assert.Contains(code, text, StringComparison.Ordinal);
        }

        foreach (var figure in new[] { "12,345", "10,000", "1,500", "13,122", "777" })
        {
            Assert.Contains(figure, text, StringComparison.Ordinal);
        }

        Assert.Contains("SERV_broken.csv", text, StringComparison.Ordinal);
        Assert.Contains("the delimiter is probably not", text, StringComparison.Ordinal);
        Assert.DoesNotContain("99,999", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pdf_ManyDealers_TablePaginatesAndListsEveryDealer()
    {
        var dealers = Enumerable.Range(1, 130)
            .Select(i => new ImportKpiRow(string.Create(CultureInfo.InvariantCulture, $"DLR{i:D3}"), $"Dealer {i}", "GRP", 1, 1, 0, 0, 0, i * 100, 0, 0, i * 100, 0, 0))
            .ToList();
        var totals = new ImportKpiRow(ImportKpiQuery.TotalCode, "All dealers", "", 130, 130, 0, 0, 0, dealers.Sum(d => d.RowsRead), 0, 0, dealers.Sum(d => d.RowsRead), 0, 0);
        var report = new ImportKpiReport(Day, "UTC", "Network", dealers, totals, []);

        var bytes = Pdf(report);

        using var document = PdfDocument.Open(bytes);
        Assert.True(document.NumberOfPages >= 3, $"{document.NumberOfPages} pages");
        var text = PdfText(bytes);
        foreach (var dealer in dealers)
        {
            Assert.Contains(dealer.DealerCode, text, StringComparison.Ordinal);
        }

        Assert.Contains("Dealers (continued)", text, StringComparison.Ordinal);
        Assert.Contains("No file failed", text, StringComparison.Ordinal);
        Assert.Contains("the 20 largest of 130", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pdf_EmptyDay_StillAValidReport()
    {
        var empty = new ImportKpiRow(ImportKpiQuery.TotalCode, "All dealers", "", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        var report = new ImportKpiReport(Day, "UTC", "Northgate Motor Group", [], empty, []);

        var text = PdfText(Pdf(report));

        Assert.Contains("No rows were read on this day.", text, StringComparison.Ordinal);
        Assert.Contains("Northgate Motor Group", text, StringComparison.Ordinal);
    }
}
