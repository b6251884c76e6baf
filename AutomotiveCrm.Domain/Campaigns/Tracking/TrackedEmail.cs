using System.Net;
using System.Text.RegularExpressions;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Campaigns.Tracking;

/// <summary>The message being composed: its row and run.</summary>
public sealed record CampaignEmailContext(long MessageId, long RunId);

/// <summary>
/// A step between rendering a campaign e-mail and submitting it (the dispatcher calls it once per submission).
/// Tracking uses it to rewrite links and add the open pixel.
/// </summary>
public interface ICampaignEmailDecorator
{
    Task<RenderedEmail> DecorateAsync(CampaignEmailContext context, RenderedEmail email, CancellationToken cancellationToken);
}

/// <summary>The HTML with tracked links and the pixel, and the original links in position order.</summary>
public sealed record TrackedHtml(string Html, IReadOnlyList<string> Links);

/// <summary>
/// Rewrites a rendered e-mail's HTML for tracking: every <c>http</c>/<c>https</c> link in an <c>href</c> becomes a
/// click-redirect URL, except the unsubscribe link (it must work without our redirect, and a click on it is not
/// interest); <c>mailto:</c>, <c>tel:</c> and anchors stay as they are. An invisible 1x1 pixel goes before
/// <c>&lt;/body&gt;</c> (or at the end).
/// </summary>
public static partial class TrackedEmailRewriter
{
    public static TrackedHtml Rewrite(string html, long messageId, TrackingTokens tokens, string? unsubscribeUrl)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(tokens);
        var links = new List<string>();
        var rewritten = Href().Replace(html, match =>
        {
            var raw = match.Groups["url"].Value;
            // The attribute is HTML-encoded (&amp; in query strings): the browser follows the decoded URL, so that is stored.
            var url = WebUtility.HtmlDecode(raw).Trim();
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || (unsubscribeUrl is not null && string.Equals(url, unsubscribeUrl, StringComparison.Ordinal)) || url.Length > 2000)
            {
                return match.Value;
            }

            var position = links.Count;
            links.Add(url);
            var quote = match.Groups["q"].Value;
            return $"{match.Groups["pre"].Value}{quote}{WebUtility.HtmlEncode(tokens.ClickUrl(messageId, position))}{quote}";
        });

        var pixel = $"<img src=\"{WebUtility.HtmlEncode(tokens.OpenUrl(messageId))}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;width:1px;height:1px;border:0\" />";
        var bodyEnd = rewritten.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        rewritten = bodyEnd >= 0 ? rewritten.Insert(bodyEnd, pixel) : rewritten + pixel;
        return new TrackedHtml(rewritten, links);
    }

    [GeneratedRegex("(?<pre><a\\b[^>]*?\\bhref\\s*=\\s*)(?<q>[\"'])(?<url>[^\"']*)\\k<q>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Href();
}

/// <summary>
/// The tracking decorator: when the message's campaign has tracking on, stores the message's links (replacing any
/// stored by an earlier attempt, in one transaction, before the submission) and rewrites the HTML. The campaign's
/// switch is read once per run and dispatcher.
/// </summary>
public sealed class EmailTracking(Func<CrmDbContext> contexts, TrackingTokens tokens, UnsubscribeLinks unsubscribe) : ICampaignEmailDecorator
{
    private readonly Dictionary<long, bool> trackingByRun = [];
    private readonly Lock gate = new();

    public async Task<RenderedEmail> DecorateAsync(CampaignEmailContext context, RenderedEmail email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(email);
        await using var db = contexts();
        bool enabled;
        bool known;
        lock (gate)
        {
            known = trackingByRun.TryGetValue(context.RunId, out enabled);
        }

        if (!known)
        {
            enabled = await db.CampaignRuns.Where(r => r.Id == context.RunId)
                .Join(db.Campaigns, r => r.CampaignId, c => c.Id, (r, c) => c.TrackingEnabled)
                .FirstOrDefaultAsync(cancellationToken);
            lock (gate)
            {
                trackingByRun[context.RunId] = enabled;
            }
        }

        if (!enabled)
        {
            return email;
        }

        var tracked = TrackedEmailRewriter.Rewrite(email.Html, context.MessageId, tokens, unsubscribe.UrlFor(context.MessageId));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.TrackedLinks.Where(l => l.MessageId == context.MessageId).ExecuteDeleteAsync(cancellationToken);
        db.TrackedLinks.AddRange(tracked.Links.Select((url, i) => new TrackedLink { MessageId = context.MessageId, Position = i, Url = url }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return email with { Html = tracked.Html };
    }

    /// <summary>For tests and previews: the links a rendered HTML would track, without storing anything.</summary>
    public static IReadOnlyList<string> LinksOf(string html, TrackingTokens tokens) => TrackedEmailRewriter.Rewrite(html, 0, tokens, null).Links;
}
