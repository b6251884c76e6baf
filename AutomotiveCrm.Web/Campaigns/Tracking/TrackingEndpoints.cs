using System.Globalization;
using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Campaigns.Tracking;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Campaigns.Tracking;

/// <summary>
/// The open pixel (<c>GET /t/o/{token}</c>) and the click redirect (<c>GET /t/c/{token}</c>), anonymous as mail
/// clients call them. A click only ever redirects to the link stored for that message and position when it was sent:
/// a token that does not verify, or names no stored link, gets a 404 page and no redirect, so the endpoint cannot be
/// used to send people elsewhere. The pixel answers with the image whatever the token (a broken image helps nobody)
/// and records only verified ones.
/// </summary>
public static partial class TrackingEndpoints
{
    // The smallest transparent GIF: 1x1, one colour.
    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static IEndpointRouteBuilder MapTrackingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/t/o/{token}", OpenAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/t/c/{token}", ClickAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> OpenAsync(string token, HttpContext http, TrackingTokens tokens, MessageLedger ledger, ISystemDbContextFactory contexts,
        TimeProvider clock, ILogger<MessageLedger> logger)
    {
        http.Response.Headers.CacheControl = "no-store, no-cache, must-revalidate, max-age=0";
        http.Response.Headers.Pragma = "no-cache";
        if (tokens.Verify(token, click: false) is { } target)
        {
            await using var db = contexts.CreateDbContext(AuditSource.Api);
            var outcome = await ledger.RecordAsync(db, new DeliveryEventInput("pixel", null, MessageEventType.Open, clock.GetUtcNow().UtcDateTime,
                MessageRowId: target.MessageId, UserAgent: UserAgent(http), IpAddress: http.Connection.RemoteIpAddress?.ToString()), http.RequestAborted);
            if (outcome == RecordOutcome.UnknownMessage)
            {
                LogUnknown(logger, "open", target.MessageId);
            }
        }

        return Results.File(Pixel, "image/gif");
    }

    private static async Task<IResult> ClickAsync(string token, HttpContext http, TrackingTokens tokens, MessageLedger ledger, ISystemDbContextFactory contexts,
        TimeProvider clock, ILogger<MessageLedger> logger)
    {
        if (tokens.Verify(token, click: true) is not { } target)
        {
            LogRefused(logger, http.Connection.RemoteIpAddress?.ToString());
            return NotFoundPage();
        }

        await using var db = contexts.CreateDbContext(AuditSource.Api);
        var link = await db.TrackedLinks.Where(l => l.MessageId == target.MessageId && l.Position == target.Position)
            .Select(l => new { l.Id, l.Url }).FirstOrDefaultAsync(http.RequestAborted);
        if (link is null || !Uri.TryCreate(link.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return NotFoundPage();
        }

        await ledger.RecordAsync(db, new DeliveryEventInput("redirect", null, MessageEventType.Click, clock.GetUtcNow().UtcDateTime,
            MessageRowId: target.MessageId, Url: link.Url, UserAgent: UserAgent(http), IpAddress: http.Connection.RemoteIpAddress?.ToString(), LinkId: link.Id),
            http.RequestAborted);
        http.Response.Headers.CacheControl = "no-store";
        return Results.Redirect(uri.AbsoluteUri, permanent: false);
    }

    private static string? UserAgent(HttpContext http)
    {
        var agent = http.Request.Headers.UserAgent.ToString();
        return agent.Length == 0 ? null : agent.Length > 400 ? agent[..400] : agent;
    }

    internal static IResult NotFoundPage() => Results.Content(PublicPage.Render("Link not found",
        "<h1>This link is not valid</h1><p>The link may be incomplete or out of date. Please use the links in the e-mail you received.</p>"),
        "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tracking: {Kind} for unknown message {MessageId}.")]
    private static partial void LogUnknown(ILogger logger, string kind, long messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tracking: click token refused (from {Address}).")]
    private static partial void LogRefused(ILogger logger, string? address);
}

/// <summary>The plain, self-contained pages the public sees (unsubscribe, invalid link): no app shell, no scripts.</summary>
internal static class PublicPage
{
    public static string Render(string title, string bodyHtml) => string.Create(CultureInfo.InvariantCulture, $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex"><title>{{System.Net.WebUtility.HtmlEncode(title)}}</title>
        <style>
        body{font-family:Roboto,Helvetica,Arial,sans-serif;background:#f5f5f5;color:#212121;margin:0;padding:48px 16px}
        main{max-width:520px;margin:0 auto;background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15);padding:32px}
        h1{font-size:1.5rem;font-weight:500;margin:0 0 16px}p{line-height:1.5}
        button{background:#1565c0;color:#fff;border:0;border-radius:4px;padding:10px 20px;font-size:1rem;cursor:pointer}
        button:hover{background:#0d47a1}.muted{color:#616161;font-size:.875rem}
        </style></head><body><main>{{bodyHtml}}</main></body></html>
        """);
}
