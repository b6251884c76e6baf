using System.Globalization;
using System.Text;
using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Exports;
using AutomotiveCrm.Domain.Campaigns.Tracking;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Web.Campaigns.Exports;
using AutomotiveCrm.Web.Identity;
using ClosedXML.Excel;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Campaigns.Tracking;

/// <summary>
/// Downloads of the people behind a result figure (<c>/campaigns/{id}/results/people.csv|xlsx?run=&amp;channel=&amp;metric=&amp;link=</c>),
/// the same query string as the results page's drill-down, through the user-scoped context: another group's
/// campaign answers 404. Customer text is neutralised against formulas (<see cref="ExportText"/>).
/// </summary>
public static class ResultExports
{
    private static readonly string[] Headers = ["Customer id", "Name", "Address", "Run", "Channel", "State", "First at (UTC)", "Events", "Detail"];

    public static string PeopleUrl(long campaignId, ResultsScope scope, ResultMetric metric, string? link, string extension)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var query = new List<string> { "metric=" + metric };
        if (scope.RunId is { } run)
        {
            query.Add(string.Create(CultureInfo.InvariantCulture, $"run={run}"));
        }

        if (scope.Channel is { } channel)
        {
            query.Add("channel=" + channel);
        }

        if (!string.IsNullOrEmpty(link))
        {
            query.Add("link=" + Uri.EscapeDataString(link));
        }

        return string.Create(CultureInfo.InvariantCulture, $"/campaigns/{campaignId}/results/people.{extension}?") + string.Join('&', query);
    }

    public static IEndpointRouteBuilder MapResultExports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/campaigns/{id:long}/results")
            .RequireAuthorization(PermissionPolicies.For(Permission.ManageCampaigns), PermissionPolicies.ExportCustomers);
        group.MapGet("/people.csv", (long id, long? run, string? channel, string? metric, string? link, HttpContext http, IDbContextFactory<CrmDbContext> contexts) =>
            PeopleAsync(id, run, channel, metric, link, http, contexts, csv: true));
        group.MapGet("/people.xlsx", (long id, long? run, string? channel, string? metric, string? link, HttpContext http, IDbContextFactory<CrmDbContext> contexts) =>
            PeopleAsync(id, run, channel, metric, link, http, contexts, csv: false));
        return app;
    }

    private static async Task<IResult> PeopleAsync(long id, long? run, string? channelText, string? metricText, string? link, HttpContext http,
        IDbContextFactory<CrmDbContext> contexts, bool csv)
    {
        var cancellationToken = http.RequestAborted;
        if (!Enum.TryParse<ResultMetric>(metricText ?? nameof(ResultMetric.Sent), true, out var metric) || !Enum.IsDefined(metric))
        {
            return Results.Json(new { error = $"metric: '{metricText}' is not one of {string.Join(", ", Enum.GetNames<ResultMetric>())}." }, statusCode: 400);
        }

        CampaignChannelKind? channel = null;
        if (!string.IsNullOrEmpty(channelText))
        {
            if (!Enum.TryParse<CampaignChannelKind>(channelText, true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return Results.Json(new { error = $"channel: '{channelText}' is not one of {string.Join(", ", Enum.GetNames<CampaignChannelKind>())}." }, statusCode: 400);
            }

            channel = parsed;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var campaign = await db.Campaigns.Where(c => c.Id == id).Select(c => new { c.Id, c.Name }).FirstOrDefaultAsync(cancellationToken);
        if (campaign is null || (run is { } r && !await db.CampaignRuns.AnyAsync(x => x.Id == r && x.CampaignId == id, cancellationToken)))
        {
            return Results.NotFound();
        }

        var scope = new ResultsScope(id, run, channel);
        var rows = CampaignResults.AllRecipientsAsync(db, scope, metric, link);
        var stem = string.Create(CultureInfo.InvariantCulture, $"campaign-{id}-{CampaignExportEndpoints.Slug(campaign.Name)}-{metric.ToString().ToLowerInvariant()}");
        var file = new FileStream(Path.Combine(Path.GetTempPath(), "crm-results-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        try
        {
            if (csv)
            {
                await WriteCsvAsync(rows, file, cancellationToken);
            }
            else
            {
                await WriteXlsxAsync(rows, file, campaign.Name, metric, cancellationToken);
            }
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }

        file.Position = 0;
        return csv
            ? Results.File(file, "text/csv; charset=utf-8", stem + ".csv")
            : Results.File(file, CampaignExportEndpoints.XlsxType, stem + ".xlsx");
    }

    private static string?[] Cells(ResultRecipient r) =>
    [
        r.CustomerId.ToString(CultureInfo.InvariantCulture), r.Name, r.Address, r.RunNumber.ToString(CultureInfo.InvariantCulture), r.Channel.ToString(),
        r.State.ToString(), r.FirstAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), r.Events.ToString(CultureInfo.InvariantCulture), r.Detail,
    ];

    public static async Task WriteCsvAsync(IAsyncEnumerable<ResultRecipient> rows, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var writer = new StreamWriter(output, new UTF8Encoding(true), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync(string.Join(',', Headers.Select(ExportText.CsvField)));
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await writer.WriteLineAsync(string.Join(',', Cells(row).Select(ExportText.CsvField)));
        }
    }

    public static async Task WriteXlsxAsync(IAsyncEnumerable<ResultRecipient> rows, Stream output, string campaignName, ResultMetric metric,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add("People");
        for (var c = 0; c < Headers.Length; c++)
        {
            sheet.Cell(1, c + 1).SetValue(Headers[c]);
        }

        var header = sheet.Range(1, 1, 1, Headers.Length);
        header.Style.Font.Bold = true;
        header.Style.Fill.BackgroundColor = XLColor.FromHtml("#E3F2FD");
        var line = 1;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            line++;
            var cells = Cells(row);
            for (var c = 0; c < cells.Length; c++)
            {
                var text = ExportText.ForSpreadsheet(cells[c]);
                var cell = sheet.Cell(line, c + 1);
                if (c is 0 or 3 or 7 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    cell.SetValue(number);
                }
                else
                {
                    cell.SetValue(text);
                    if (ExportText.IsDangerous(text))
                    {
                        cell.Style.IncludeQuotePrefix = true;
                    }
                }
            }
        }

        double[] widths = [12, 30, 32, 6, 10, 10, 20, 8, 48];
        for (var c = 0; c < widths.Length; c++)
        {
            sheet.Column(c + 1).Width = widths[c];
        }

        sheet.SheetView.FreezeRows(1);
        sheet.Range(1, 1, Math.Max(1, line), Headers.Length).SetAutoFilter();
        workbook.Properties.Title = ExportText.ForSpreadsheet($"{campaignName}: {metric}");
        workbook.SaveAs(output);
    }
}
