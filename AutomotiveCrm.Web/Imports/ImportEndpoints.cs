using System.Globalization;
using System.Text;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Monitoring;
using AutomotiveCrm.Domain.Imports.Pipeline;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Web.Identity;
using AutomotiveCrm.Web.Imports.Reports;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AutomotiveCrm.Web.Imports;

/// <summary>The answer of <c>POST /imports/upload</c>: the file audit row the upload created (or refused).</summary>
public sealed record ImportUploadResult(long Id, string Status, string? StatusReason, string Location);

/// <summary>
/// The import screens' HTTP endpoints: file downloads (original, reject and duplicate reports, the KPI PDF) and the
/// streamed upload. Every one requires <see cref="Permission.ManageImports"/> and reads through the request's
/// user-scoped context, so another group's file answers 404 exactly like a missing one.
/// </summary>
public static partial class ImportEndpoints
{
    /// <summary>The header the upload's antiforgery token travels in (the form body is never buffered to find it).</summary>
    public const string AntiforgeryHeader = "RequestVerificationToken";

    public static IEndpointRouteBuilder MapImportEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/imports").RequireAuthorization(ImportPolicies.ManageImports);
        group.MapGet("/{id:long}/original", OriginalAsync);
        group.MapGet("/{id:long}/rejects.csv", RejectsAsync);
        group.MapGet("/{id:long}/duplicates.csv", DuplicatesAsync);
        group.MapGet("/report.pdf", ReportAsync);
        group.MapPost("/upload", UploadAsync);
        return app;
    }

    private static async Task<IResult> OriginalAsync(long id, HttpContext http, IDbContextFactory<CrmDbContext> contexts, [FromServices] ImportIntake intake)
    {
        ImportFile? file;
        await using (var db = await contexts.CreateDbContextAsync(http.RequestAborted))
        {
            file = await ImportFileDetails.FindAsync(db, id, http.RequestAborted);
        }

        if (file is null)
        {
            return Results.NotFound();
        }

        var content = intake.OpenOriginal(file);
        return content is null
            ? Results.Text(string.Create(CultureInfo.InvariantCulture, $"The original of import {id} is no longer in the import store."),
                "text/plain; charset=utf-8", Encoding.UTF8, StatusCodes.Status410Gone)
            : Results.File(content, "application/octet-stream", file.OriginalName);
    }

    private static async Task<IResult> RejectsAsync(long id, HttpContext http, IDbContextFactory<CrmDbContext> contexts)
    {
        if (!await VisibleAsync(contexts, id, http.RequestAborted))
        {
            return Results.NotFound();
        }

        return Results.Stream(async body =>
        {
            await using var db = await contexts.CreateDbContextAsync(http.RequestAborted);
            await ImportCsv.WriteRejectsAsync(ImportFileDetails.StreamRejectsAsync(db, id, http.RequestAborted), body, http.RequestAborted);
        }, "text/csv; charset=utf-8", string.Create(CultureInfo.InvariantCulture, $"import-{id}-rejects.csv"));
    }

    private static async Task<IResult> DuplicatesAsync(long id, HttpContext http, IDbContextFactory<CrmDbContext> contexts)
    {
        if (!await VisibleAsync(contexts, id, http.RequestAborted))
        {
            return Results.NotFound();
        }

        return Results.Stream(async body =>
        {
            await using var db = await contexts.CreateDbContextAsync(http.RequestAborted);
            await ImportCsv.WriteDuplicatesAsync(ImportFileDetails.StreamDuplicatesAsync(db, id, http.RequestAborted), body, http.RequestAborted);
        }, "text/csv; charset=utf-8", string.Create(CultureInfo.InvariantCulture, $"import-{id}-duplicates.csv"));
    }

    private static async Task<IResult> ReportAsync(string? date, HttpContext http, IDbContextFactory<CrmDbContext> contexts,
        IOptions<ImportScreenSettings> options, TimeProvider clock)
    {
        var zone = options.Value.ReportZone();
        DateOnly day;
        if (string.IsNullOrWhiteSpace(date))
        {
            day = ImportReportJob.ReportDay(clock.GetUtcNow(), zone);
        }
        else if (!DateOnly.TryParseExact(date.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            return Results.BadRequest(new { error = "The date must be given as yyyy-MM-dd." });
        }

        ImportKpiReport report;
        await using (var db = await contexts.CreateDbContextAsync(http.RequestAborted))
        {
            report = await ImportKpiQuery.LoadAsync(db, day, zone, cancellationToken: http.RequestAborted);
        }

        using var buffer = new MemoryStream();
        ImportKpiPdf.Write(report, buffer, clock.GetUtcNow().UtcDateTime);
        return Results.File(buffer.ToArray(), "application/pdf", ImportKpiPdf.FileName(report));
    }

    /// <summary>
    /// A multipart upload streamed straight into the intake: the text fields (dealer, type, profile) come first, then
    /// the file, whose section body is handed to <see cref="ImportIntake.ReceiveAsync"/> as it arrives (hashed and
    /// written to the import store there); nothing buffers the whole file in memory or on a temporary form file.
    /// </summary>
    private static async Task<IResult> UploadAsync(HttpContext http, IAntiforgery antiforgery, IDbContextFactory<CrmDbContext> contexts,
        IOptions<ImportScreenSettings> options, [FromServices] ImportIntake intake, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(ImportEndpoints));
        // An API answer, not a page: no status-code page is re-executed for it (that would re-run the POST as a page request).
        if (http.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }

        var cancellationToken = http.RequestAborted;
        if (!http.Request.Headers.ContainsKey(AntiforgeryHeader))
        {
            return Problem("The upload carries no antiforgery token (header RequestVerificationToken).");
        }

        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return Problem("The upload's antiforgery token is not valid. Reload the page and try again.");
        }

        var limit = options.Value.MaxUploadBytes;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            // Room for the multipart framing and the small text fields on top of the file itself.
            size.MaxRequestBodySize = limit + (1024 * 1024);
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return Problem("Send the file as multipart/form-data.", StatusCodes.Status415UnsupportedMediaType);
        }

        var user = CrmClaims.Read(http.User);
        if (user is null)
        {
            return Results.Unauthorized();
        }

        var reader = new MultipartReader(boundary, http.Request.Body) { HeadersLengthLimit = 16 * 1024, HeadersCountLimit = 16 };
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
            {
                continue;
            }

            if (disposition.IsFormDisposition())
            {
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                fields[name] = await ReadFieldAsync(section.Body, cancellationToken);
                continue;
            }

            if (!disposition.IsFileDisposition())
            {
                continue;
            }

            var originalName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value is { Length: > 0 } star
                ? star
                : HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "";
            var request = await RequestAsync(contexts, user, fields, originalName, cancellationToken);
            if (request.Error is { } error)
            {
                return error;
            }

            try
            {
                var file = await intake.ReceiveAsync(request.Request!, new LimitedStream(section.Body, limit), cancellationToken);
                LogUploaded(logger, file.Id, request.Request!.DealerCode, user.UserName, file.SizeBytes);
                return Results.Json(new ImportUploadResult(file.Id, file.Status.ToString(), file.StatusReason,
                    string.Create(CultureInfo.InvariantCulture, $"/imports/{file.Id}")), statusCode: StatusCodes.Status201Created);
            }
            catch (Exception ex) when (ex is UploadTooLargeException or BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return Problem(string.Create(CultureInfo.InvariantCulture, $"The file is larger than the {limit:N0} bytes an upload may have."),
                    StatusCodes.Status413PayloadTooLarge);
            }
            catch (DomainException ex)
            {
                return Problem(ex.Message);
            }
        }

        return Problem("The upload holds no file.");
    }

    private static async Task<(ImportRequest? Request, IResult? Error)> RequestAsync(IDbContextFactory<CrmDbContext> contexts, CrmPrincipal user,
        Dictionary<string, string> fields, string originalName, CancellationToken cancellationToken)
    {
        var code = fields.GetValueOrDefault("dealer")?.Trim() ?? "";
        if (code.Length == 0)
        {
            return (null, Problem("Choose the dealer the file belongs to."));
        }

        // The dealer must be one the user sees (and a dealer-level user's own): anything else is "not found".
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var dealer = await db.Dealers.AsNoTracking().Where(d => d.Code == code).Select(d => new { d.Id }).FirstOrDefaultAsync(cancellationToken);
            if (dealer is null || (user.Level == ScopeLevel.Dealer && user.DealerId != dealer.Id))
            {
                return (null, Results.NotFound());
            }
        }

        ImportFileType? type = null;
        var typeText = fields.GetValueOrDefault("type")?.Trim() ?? "";
        if (typeText.Length > 0 && !typeText.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            if (!Enum.TryParse<ImportFileType>(typeText, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(typeText, out _))
            {
                return (null, Problem($"'{typeText}' is not a file type. Use one of: {string.Join(", ", Enum.GetNames<ImportFileType>())}, or auto."));
            }

            type = parsed;
        }

        var profile = fields.GetValueOrDefault("profile")?.Trim();
        if (string.IsNullOrWhiteSpace(originalName))
        {
            return (null, Problem("The file has no name."));
        }

        return (new ImportRequest(code, type, string.IsNullOrEmpty(profile) ? null : profile, originalName, ImportChannel.Upload, user.UserName), null);
    }

    private static async Task<string> ReadFieldAsync(Stream body, CancellationToken cancellationToken)
    {
        // Text fields are short (a dealer code, a type, a profile name): read at most 1,000 characters of each.
        using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1024, leaveOpen: true);
        var buffer = new char[1000];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
        return new string(buffer, 0, read);
    }

    private static async Task<bool> VisibleAsync(IDbContextFactory<CrmDbContext> contexts, long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ImportFiles.AnyAsync(f => f.Id == id, cancellationToken);
    }

    private static IResult Problem(string message, int status = StatusCodes.Status400BadRequest) =>
        Results.Json(new { error = message }, statusCode: status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {ImportFileId} uploaded for dealer {DealerCode} by {UserName} ({Bytes} bytes).")]
    private static partial void LogUploaded(ILogger logger, long importFileId, string dealerCode, string userName, long bytes);

    private sealed class UploadTooLargeException() : IOException("The upload is larger than allowed.");

    /// <summary>Passes a stream through, failing once more than <c>limit</c> bytes went by (the server's own limit may be absent, e.g. in tests).</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long total;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => total; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

        private int Count(int read)
        {
            total += read;
            return total > limit ? throw new UploadTooLargeException() : read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
