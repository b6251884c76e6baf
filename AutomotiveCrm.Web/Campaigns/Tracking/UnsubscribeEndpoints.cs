using System.Net;
using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Campaigns.Tracking;
using AutomotiveCrm.Domain.Tenancy;

namespace AutomotiveCrm.Web.Campaigns.Tracking;

/// <summary>
/// <c>/u/{token}</c>, the unsubscribe link of every campaign e-mail. GET shows a confirmation page and changes
/// nothing (link scanners and prefetchers open links: a GET that unsubscribed would unsubscribe people who never
/// asked). POST unsubscribes: the page's button, or the RFC 8058 one-click POST that mail clients send with the body
/// <c>List-Unsubscribe=One-Click</c>. Neither needs a sign-in or an antiforgery token: the signed token is the
/// authority, and it only ever names one message. The opt-out is written before the response, so it holds at once.
/// </summary>
public static partial class UnsubscribeEndpoints
{
    public const string ConfirmField = "confirm";

    public static IEndpointRouteBuilder MapUnsubscribeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/u/{token}", ShowAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/u/{token}", UnsubscribeAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ShowAsync(string token, HttpContext http, UnsubscribeLinks links, ISystemDbContextFactory contexts)
    {
        await using var db = contexts.CreateDbContext(AuditSource.Api);
        var view = await Unsubscribes.ViewAsync(db, links, token, http.RequestAborted);
        if (view is null)
        {
            return TrackingEndpoints.NotFoundPage();
        }

        http.Response.Headers.CacheControl = "no-store";
        var who = WebUtility.HtmlEncode(view.SenderName);
        var address = view.MaskedAddress is null ? "" : $" sent to <strong>{WebUtility.HtmlEncode(view.MaskedAddress)}</strong>";
        var body = view.AlreadyUnsubscribed
            ? $"<h1 data-testid=\"unsubscribed\">You are unsubscribed</h1><p>You no longer receive marketing e-mail from {who}{address}.</p>"
            : $"""
               <h1>Unsubscribe from marketing e-mail</h1>
               <p>Stop marketing e-mail from {who}{address}?</p>
               <form method="post" action="/u/{WebUtility.HtmlEncode(token)}">
               <input type="hidden" name="{ConfirmField}" value="yes">
               <button type="submit" data-testid="confirm-unsubscribe">Unsubscribe</button>
               </form>
               <p class="muted">Service messages about your vehicle (recalls, bookings you made) are not affected.</p>
               """;
        return Html(body, StatusCodes.Status200OK);
    }

    private static async Task<IResult> UnsubscribeAsync(string token, HttpContext http, UnsubscribeLinks links, MessageLedger ledger,
        ISystemDbContextFactory contexts, TimeProvider clock, ILogger<MessageLedger> logger)
    {
        var oneClick = false;
        var confirmed = false;
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            oneClick = string.Equals(form["List-Unsubscribe"].ToString(), "One-Click", StringComparison.OrdinalIgnoreCase);
            confirmed = form.ContainsKey(ConfirmField);
        }

        if (!oneClick && !confirmed)
        {
            return Results.Content("Send List-Unsubscribe=One-Click (RFC 8058) or confirm on the page.", "text/plain", statusCode: StatusCodes.Status400BadRequest);
        }

        await using var db = contexts.CreateDbContext(AuditSource.Api);
        var how = oneClick ? "RFC 8058 one-click unsubscribe" : "unsubscribe page";
        if (!await Unsubscribes.UnsubscribeAsync(db, ledger, links, token, clock.GetUtcNow().UtcDateTime, how, http.RequestAborted))
        {
            return TrackingEndpoints.NotFoundPage();
        }

        LogUnsubscribed(logger, token, how);
        return oneClick
            ? Results.Content("Unsubscribed.", "text/plain")
            : Html("<h1 data-testid=\"unsubscribed\">You are unsubscribed</h1><p>You will not receive further marketing e-mail from us. It can take a moment for e-mail already on its way to stop.</p>",
                StatusCodes.Status200OK);
    }

    private static IResult Html(string body, int status) =>
        Results.Content(PublicPage.Render("Unsubscribe", body), "text/html; charset=utf-8", statusCode: status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unsubscribe recorded for token {Token} ({How}).")]
    private static partial void LogUnsubscribed(ILogger logger, string token, string how);
}
