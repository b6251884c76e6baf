using System.Globalization;
using System.Text;
using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Audience;
using AutomotiveCrm.Domain.Campaigns.Exports;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Web.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutomotiveCrm.Web.Campaigns.Exports;

/// <summary>Settings of the campaign exports (section <c>Campaigns:Exports</c>).</summary>
public sealed class CampaignExportSettings
{
    /// <summary>Call lists up to this many rows are styled by ClosedXML; longer ones are streamed (OpenXmlWriter).</summary>
    public int StyledRowLimit { get; set; } = 20_000;
}

/// <summary>
/// The campaign file downloads, as plain authorised GET endpoints (never through the Blazor circuit): labels (PDF, or
/// CSV for a print house) and the call list (XLSX, PDF), of a campaign's current audience (audience compiler, channel
/// consent and suppressions applied) or of a run's frozen members (hold-outs left out). They require
/// <see cref="Permission.ManageCampaigns"/> and <see cref="Permission.ExportCustomers"/>, and read through the request's
/// user-scoped context: another group's campaign or run answers 404 exactly like a missing one.
/// </summary>
public static partial class CampaignExportEndpoints
{
    /// <summary>How many labels were printed and how many customers were left out for want of a postal address.</summary>
    public const string LabelCountHeader = "X-Labels-Count";
    public const string SkippedHeader = "X-Labels-Skipped-Without-Address";
    public const string RowCountHeader = "X-Rows-Count";

    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static string LabelsPdfUrl(long campaignId) => string.Create(CultureInfo.InvariantCulture, $"/campaigns/{campaignId}/labels.pdf");
    public static string LabelsCsvUrl(long campaignId) => string.Create(CultureInfo.InvariantCulture, $"/campaigns/{campaignId}/labels.csv");
    public static string CallListXlsxUrl(long campaignId) => string.Create(CultureInfo.InvariantCulture, $"/campaigns/{campaignId}/calllist.xlsx");
    public static string CallListPdfUrl(long campaignId) => string.Create(CultureInfo.InvariantCulture, $"/campaigns/{campaignId}/calllist.pdf");
    public static string RunLabelsPdfUrl(long runId) => string.Create(CultureInfo.InvariantCulture, $"/campaigns/runs/{runId}/labels.pdf");
    public static string RunLabelsCsvUrl(long runId) => string.Create(CultureInfo.InvariantCulture, $"/campaigns/runs/{runId}/labels.csv");
    public static string RunCallListXlsxUrl(long runId) => string.Create(CultureInfo.InvariantCulture, $"/campaigns/runs/{runId}/calllist.xlsx");
    public static string RunCallListPdfUrl(long runId) => string.Create(CultureInfo.InvariantCulture, $"/campaigns/runs/{runId}/calllist.pdf");

    public static IEndpointRouteBuilder MapCampaignExportEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/campaigns")
            .RequireAuthorization(PermissionPolicies.For(Permission.ManageCampaigns), PermissionPolicies.ExportCustomers);
        group.MapGet("/{id:long}/labels.pdf", (long id, string? sheet, string? margins, string? outlines, HttpContext http, ExportContext context) =>
            LabelsPdfAsync(Source.Campaign(id), sheet, margins, outlines, http, context));
        group.MapGet("/{id:long}/labels.csv", (long id, HttpContext http, ExportContext context) => LabelsCsvAsync(Source.Campaign(id), http, context));
        group.MapGet("/{id:long}/calllist.xlsx", (long id, HttpContext http, ExportContext context) => CallListXlsxAsync(Source.Campaign(id), http, context));
        group.MapGet("/{id:long}/calllist.pdf", (long id, HttpContext http, ExportContext context) => CallListPdfAsync(Source.Campaign(id), http, context));
        group.MapGet("/runs/{runId:long}/labels.pdf", (long runId, string? sheet, string? margins, string? outlines, HttpContext http, ExportContext context) =>
            LabelsPdfAsync(Source.Run(runId), sheet, margins, outlines, http, context));
        group.MapGet("/runs/{runId:long}/labels.csv", (long runId, HttpContext http, ExportContext context) => LabelsCsvAsync(Source.Run(runId), http, context));
        group.MapGet("/runs/{runId:long}/calllist.xlsx", (long runId, HttpContext http, ExportContext context) => CallListXlsxAsync(Source.Run(runId), http, context));
        group.MapGet("/runs/{runId:long}/calllist.pdf", (long runId, HttpContext http, ExportContext context) => CallListPdfAsync(Source.Run(runId), http, context));
        return app;
    }

    /// <summary>The services every export needs, injected as one.</summary>
    public sealed class ExportContext(IDbContextFactory<CrmDbContext> contexts, TimeProvider clock, IOptions<CampaignExportSettings> settings,
        ILogger<ExportContext> logger)
    {
        public IDbContextFactory<CrmDbContext> Contexts { get; } = contexts;
        public TimeProvider Clock { get; } = clock;
        public CampaignExportSettings Settings { get; } = settings.Value;
        public ILogger Logger { get; } = logger;
    }

    /// <summary>What is exported: a campaign's current audience, or a run's frozen members.</summary>
    private sealed record Source(long Id, bool IsRun)
    {
        public static Source Campaign(long id) => new(id, false);
        public static Source Run(long id) => new(id, true);
    }

    /// <summary>The resolved export: the campaign (visible to the user), the customers, the sender country and a file name stem.</summary>
    private sealed record Resolved(Campaign Campaign, CampaignRun? Run, IQueryable<Customer> Customers, string SenderCountry, string FileStem, string Title);

    private static async Task<IResult> LabelsPdfAsync(Source source, string? sheet, string? margins, string? outlines, HttpContext http, ExportContext context)
    {
        var cancellationToken = http.RequestAborted;
        await using var db = await context.Contexts.CreateDbContextAsync(cancellationToken);
        var resolved = await ResolveAsync(db, source, CampaignChannelKind.Label, context, cancellationToken);
        if (resolved.Error is { } error)
        {
            return error;
        }

        var r = resolved.Value!;
        var content = r.Campaign.Contents.FirstOrDefault(c => c.Channel == CampaignChannelKind.Label);
        LabelSheet labelSheet;
        if (string.IsNullOrWhiteSpace(sheet))
        {
            labelSheet = content?.LabelSheet ?? LabelSheet.A4ThreeBySeven;
        }
        else if (ParseSheet(sheet) is { } parsed)
        {
            labelSheet = parsed;
        }
        else
        {
            return Problem($"'{sheet}' is not a label sheet. Use one of: {string.Join(", ", Enum.GetNames<LabelSheet>())}.");
        }

        var marginText = string.IsNullOrWhiteSpace(margins) ? content?.LabelMargins : margins;
        LabelMargins? chosen = null;
        if (!string.IsNullOrWhiteSpace(marginText))
        {
            if (!LabelMargins.TryParse(marginText, out var m))
            {
                return Problem("Margins are four numbers in millimetres, \"top,right,bottom,left\", each 0 to 100.");
            }

            chosen = m;
        }

        var spec = LabelSheetSpec.For(labelSheet);
        if (spec.Grid(chosen) is not { } grid)
        {
            return Problem($"The margins {chosen} leave no room for the {spec.Columns} x {spec.Rows} labels of {spec.Description}.");
        }

        var labels = await CampaignExportRows.LabelsAsync(db, r.Customers, r.SenderCountry, cancellationToken);
        var file = await WriteTempAsync(f =>
        {
            LabelPdfWriter.Write(labels.Labels, grid, f, r.Title + " - labels", context.Clock.GetUtcNow().UtcDateTime, outlines is "1" or "true" or "yes");
            return Task.CompletedTask;
        });
        LabelHeaders(http, labels);
        LogExport(context.Logger, "labels.pdf", r.Campaign.Id, r.Run?.Id, labels.Labels.Count, http.User.Identity?.Name);
        await RecordLedgerAsync(db, r, CampaignChannelKind.Label, labels.Labels.Select(l => l.CustomerId), http, context);
        return Send(file, "application/pdf", r.FileStem + "-labels.pdf");
    }

    private static async Task<IResult> LabelsCsvAsync(Source source, HttpContext http, ExportContext context)
    {
        var cancellationToken = http.RequestAborted;
        await using var db = await context.Contexts.CreateDbContextAsync(cancellationToken);
        var resolved = await ResolveAsync(db, source, CampaignChannelKind.Label, context, cancellationToken);
        if (resolved.Error is { } error)
        {
            return error;
        }

        var r = resolved.Value!;
        var labels = await CampaignExportRows.LabelsAsync(db, r.Customers, r.SenderCountry, cancellationToken);
        var file = await WriteTempAsync(f => PrintHouseCsv.WriteAsync(labels.Labels, f, cancellationToken));
        LabelHeaders(http, labels);
        LogExport(context.Logger, "labels.csv", r.Campaign.Id, r.Run?.Id, labels.Labels.Count, http.User.Identity?.Name);
        await RecordLedgerAsync(db, r, CampaignChannelKind.Label, labels.Labels.Select(l => l.CustomerId), http, context);
        return Send(file, "text/csv; charset=utf-8", r.FileStem + "-labels.csv");
    }

    private static async Task<IResult> CallListXlsxAsync(Source source, HttpContext http, ExportContext context)
    {
        var cancellationToken = http.RequestAborted;
        await using var db = await context.Contexts.CreateDbContextAsync(cancellationToken);
        var resolved = await ResolveAsync(db, source, CampaignChannelKind.CallList, context, cancellationToken);
        if (resolved.Error is { } error)
        {
            return error;
        }

        var r = resolved.Value!;
        var limit = Math.Max(0, context.Settings.StyledRowLimit);
        var rows = CampaignExportRows.CallListAsync(db, r.Customers, cancellationToken);
        await using var enumerator = rows.GetAsyncEnumerator(cancellationToken);
        var buffered = new List<CallListRow>();
        var more = await enumerator.MoveNextAsync();
        while (more && buffered.Count < limit)
        {
            buffered.Add(enumerator.Current);
            more = await enumerator.MoveNextAsync();
        }

        var count = buffered.Count;
        var file = await WriteTempAsync(async f =>
        {
            if (!more)
            {
                CallListWorkbook.Write(buffered, f, r.Title + " - call list");
            }
            else
            {
                // Longer than ClosedXML should hold: the rows read so far, the current one and the rest, streamed.
                count = await CallListStreamWriter.WriteAsync(Continue(buffered, enumerator), f, r.Title + " - call list", cancellationToken);
            }
        });

        http.Response.Headers[RowCountHeader] = count.ToString(CultureInfo.InvariantCulture);
        LogExport(context.Logger, "calllist.xlsx", r.Campaign.Id, r.Run?.Id, count, http.User.Identity?.Name);
        await RecordLedgerAsync(db, r, CampaignChannelKind.CallList, null, http, context);
        return Send(file, XlsxType, r.FileStem + "-call-list.xlsx");
    }

    private static async Task<IResult> CallListPdfAsync(Source source, HttpContext http, ExportContext context)
    {
        var cancellationToken = http.RequestAborted;
        await using var db = await context.Contexts.CreateDbContextAsync(cancellationToken);
        var resolved = await ResolveAsync(db, source, CampaignChannelKind.CallList, context, cancellationToken);
        if (resolved.Error is { } error)
        {
            return error;
        }

        var r = resolved.Value!;
        var rows = new List<CallListRow>();
        await foreach (var row in CampaignExportRows.CallListAsync(db, r.Customers, cancellationToken))
        {
            rows.Add(row);
        }

        var file = await WriteTempAsync(f =>
        {
            CallListPdfWriter.Write(rows, f, r.Title + " - call list", context.Clock.GetUtcNow().UtcDateTime);
            return Task.CompletedTask;
        });
        http.Response.Headers[RowCountHeader] = rows.Count.ToString(CultureInfo.InvariantCulture);
        LogExport(context.Logger, "calllist.pdf", r.Campaign.Id, r.Run?.Id, rows.Count, http.User.Identity?.Name);
        await RecordLedgerAsync(db, r, CampaignChannelKind.CallList, rows.Select(x => x.CustomerId), http, context);
        return Send(file, "application/pdf", r.FileStem + "-call-list.pdf");
    }

    /// <summary>
    /// Finds the campaign (or run and its campaign) through the user-scoped context: not visible is not found. The
    /// customers are the run's members, or the campaign's audience for the channel as of today in its time zone.
    /// </summary>
    private static async Task<(Resolved? Value, IResult? Error)> ResolveAsync(CrmDbContext db, Source source, CampaignChannelKind channel,
        ExportContext context, CancellationToken cancellationToken)
    {
        CampaignRun? run = null;
        long campaignId = source.Id;
        if (source.IsRun)
        {
            run = await db.CampaignRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == source.Id, cancellationToken);
            if (run is null)
            {
                return (null, Results.NotFound());
            }

            campaignId = run.CampaignId;
        }

        var campaign = await db.Campaigns.AsNoTracking().Include(c => c.Contents).FirstOrDefaultAsync(c => c.Id == campaignId, cancellationToken);
        if (campaign is null)
        {
            return (null, Results.NotFound());
        }

        var senderCountry = campaign.DealerId is { } dealerId
            ? await db.Dealers.Where(d => d.Id == dealerId).Select(d => d.CountryCode).FirstOrDefaultAsync(cancellationToken)
            : null;
        senderCountry ??= await db.Networks.Where(n => n.Id == campaign.NetworkId).Select(n => n.CountryCode).FirstOrDefaultAsync(cancellationToken) ?? "";

        IQueryable<Customer> customers;
        if (run is not null)
        {
            customers = CampaignExportRows.RunMembers(db, run.Id);
        }
        else
        {
            try
            {
                customers = await AudienceQuery.BuildAsync(db, campaign, channel, Today(campaign, context.Clock), cancellationToken);
            }
            catch (AudienceException ex)
            {
                return (null, Problem($"The campaign's audience cannot be compiled: {ex.Message}", StatusCodes.Status409Conflict));
            }
        }

        var stem = string.Create(CultureInfo.InvariantCulture, $"campaign-{campaign.Id}-{Slug(campaign.Name)}") +
            (run is null ? "" : string.Create(CultureInfo.InvariantCulture, $"-run-{run.Number}"));
        var title = run is null ? campaign.Name : string.Create(CultureInfo.InvariantCulture, $"{campaign.Name} (run {run.Number})");
        return (new Resolved(campaign, run, customers, senderCountry.ToUpperInvariant(), stem, title), null);
    }

    private static DateOnly Today(Campaign campaign, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        try
        {
            return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(campaign.TimeZone)).DateTime);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return DateOnly.FromDateTime(now.UtcDateTime);
        }
    }

    /// <summary>Sheet names as the enum has them (any case), or the common names: l7160, l7163, 5160, a4-3x7, a4-2x7, letter-3x10.</summary>
    public static LabelSheet? ParseSheet(string text)
    {
        var key = text.Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();
        return key switch
        {
            "A4THREEBYSEVEN" or "A43X7" or "L7160" => LabelSheet.A4ThreeBySeven,
            "A4TWOBYSEVEN" or "A42X7" or "L7163" => LabelSheet.A4TwoBySeven,
            "LETTERTHREEBYTEN" or "LETTER3X10" or "5160" => LabelSheet.LetterThreeByTen,
            _ => null,
        };
    }

    /// <summary>A file-name-safe ASCII form of a campaign name: letters and digits, dashes between words, at most 40 characters.</summary>
    public static string Slug(string name)
    {
        var builder = new StringBuilder();
        foreach (var ch in (name ?? "").Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(ch))
            {
                builder.Append(char.ToLowerInvariant(ch));
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark && builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }

            if (builder.Length >= 40)
            {
                break;
            }
        }

        var slug = builder.ToString().Trim('-');
        return slug.Length == 0 ? "export" : slug;
    }

    private static async IAsyncEnumerable<CallListRow> Continue(List<CallListRow> buffered, IAsyncEnumerator<CallListRow> rest)
    {
        foreach (var row in buffered)
        {
            yield return row;
        }

        // The enumerator stands on a row not yet taken.
        do
        {
            yield return rest.Current;
        }
        while (await rest.MoveNextAsync());
    }

    private static void LabelHeaders(HttpContext http, LabelSet labels)
    {
        http.Response.Headers[LabelCountHeader] = labels.Labels.Count.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers[SkippedHeader] = labels.SkippedWithoutAddress.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Writes the export into a temporary file that deletes itself once the response has been sent or the writer
    /// failed (long exports never sit in memory, and the writers that need a seekable stream get one).
    /// </summary>
    private static async Task<FileStream> WriteTempAsync(Func<FileStream, Task> write)
    {
        var file = new FileStream(Path.Combine(Path.GetTempPath(), "crm-export-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        try
        {
            await write(file);
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private static IResult Send(FileStream file, string contentType, string fileName)
    {
        file.Position = 0;
        return Results.File(file, contentType, fileName);
    }

    private static IResult Problem(string message, int status = StatusCodes.Status400BadRequest) =>
        Results.Json(new { error = message }, statusCode: status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign export {Kind} of campaign {CampaignId} (run {RunId}): {Rows} rows, by {UserName}.")]
    private static partial void LogExport(ILogger logger, string kind, long campaignId, long? runId, int rows, string? userName);
}
