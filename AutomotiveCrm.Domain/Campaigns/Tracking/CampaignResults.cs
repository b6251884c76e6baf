using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Campaigns.Tracking;

/// <summary>Which messages a figure counts: a campaign, optionally one run and one channel.</summary>
public sealed record ResultsScope(long CampaignId, long? RunId = null, CampaignChannelKind? Channel = null);

/// <summary>A figure of the results: every one of them drills down to the people behind it.</summary>
public enum ResultMetric
{
    Messages,
    Sent,
    Failed,
    Skipped,
    Delivered,
    Deferred,
    HardBounced,
    SoftBounced,
    Complained,
    Opened,
    MachineOpened,
    Clicked,
    Unsubscribed,
}

/// <summary>Counts of one scope. Unique = messages with at least one such event; total = events. Machine opens are not opens.</summary>
public sealed record ResultFigures(
    int Messages, int Sent, int Failed, int Skipped, int Delivered, int Deferred, int HardBounced, int SoftBounced, int Complained,
    int UniqueOpens, int TotalOpens, int MachineOpens, int UniqueClicks, int TotalClicks, int Unsubscribed)
{
    public static ResultFigures Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>The base of the rates: delivered when the provider reports deliveries, otherwise sent.</summary>
    public int RateBase => Delivered > 0 ? Delivered : Sent;

    public double Rate(int count) => RateBase == 0 ? 0 : (double)count / RateBase;

    public double ComplaintRate => Sent == 0 ? 0 : (double)Complained / Sent;

    public int Count(ResultMetric metric) => metric switch
    {
        ResultMetric.Messages => Messages,
        ResultMetric.Sent => Sent,
        ResultMetric.Failed => Failed,
        ResultMetric.Skipped => Skipped,
        ResultMetric.Delivered => Delivered,
        ResultMetric.Deferred => Deferred,
        ResultMetric.HardBounced => HardBounced,
        ResultMetric.SoftBounced => SoftBounced,
        ResultMetric.Complained => Complained,
        ResultMetric.Opened => UniqueOpens,
        ResultMetric.MachineOpened => MachineOpens,
        ResultMetric.Clicked => UniqueClicks,
        ResultMetric.Unsubscribed => Unsubscribed,
        _ => 0,
    };
}

public sealed record ChannelResult(CampaignChannelKind Channel, ResultFigures Figures);

public sealed record LinkResult(string Url, int UniqueClicks, int TotalClicks);

public sealed record TimelinePoint(DateOnly Day, int Delivered, int Opens, int Clicks, int Bounces, int Complaints, int Unsubscribes);

public sealed record RunChoice(long Id, int Number, DateTime StartedAt, CampaignRunStatus Status, int Members, int HoldOut);

/// <summary>One person behind a figure: the message, its latest matching event and how many there were.</summary>
public sealed record ResultRecipient(long MessageId, long CustomerId, string Name, string? Address, int RunNumber, CampaignChannelKind Channel,
    MessageState State, DateTime? FirstAt, int Events, string? Detail);

public sealed record RecipientPage(IReadOnlyList<ResultRecipient> Rows, int Total);

/// <summary>
/// The results of a campaign from the message ledger: figures per channel, per link, over time, and the people behind
/// each figure. Everything is counted in SQL over the context it is given: pass a user-scoped context and only the
/// user's groups' messages count (a network campaign seen by a group user shows that group's part of it).
/// </summary>
public static class CampaignResults
{
    public static Task<List<RunChoice>> RunsAsync(CrmDbContext db, long campaignId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.CampaignRuns.Where(r => r.CampaignId == campaignId).OrderByDescending(r => r.Number)
            .Select(r => new RunChoice(r.Id, r.Number, r.StartedAt, r.Status, r.MemberCount, r.HoldOutCount))
            .ToListAsync(cancellationToken);
    }

    public static IQueryable<CampaignMessage> Messages(CrmDbContext db, ResultsScope scope)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scope);
        var runs = db.CampaignRuns.Where(r => r.CampaignId == scope.CampaignId && (scope.RunId == null || r.Id == scope.RunId)).Select(r => r.Id);
        var messages = db.CampaignMessages.Where(m => runs.Contains(m.RunId));
        return scope.Channel is { } channel ? messages.Where(m => m.Channel == channel) : messages;
    }

    public static IQueryable<MessageEvent> Events(CrmDbContext db, ResultsScope scope)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scope);
        var events = db.MessageEvents.Where(e => e.CampaignId == scope.CampaignId);
        if (scope.RunId is { } run)
        {
            events = events.Where(e => e.RunId == run);
        }

        return scope.Channel is { } channel ? events.Where(e => e.Channel == channel) : events;
    }

    /// <summary>The figures of the scope, and of each channel in it.</summary>
    public static async Task<(ResultFigures Total, IReadOnlyList<ChannelResult> Channels)> FiguresAsync(CrmDbContext db, ResultsScope scope,
        CancellationToken cancellationToken = default)
    {
        var states = await Messages(db, scope).GroupBy(m => new { m.Channel, m.State })
            .Select(g => new { g.Key.Channel, g.Key.State, Count = g.Count() }).ToListAsync(cancellationToken);
        var events = await Events(db, scope).GroupBy(e => new { e.Channel, e.Type, e.Machine })
            .Select(g => new EventCount(g.Key.Channel, g.Key.Type, g.Key.Machine, g.Count(), g.Select(e => e.MessageId).Distinct().Count()))
            .ToListAsync(cancellationToken);
        // A message opened by a person and by a prefetcher is a person's open; the machine figure counts messages only machines opened.
        var machineOnly = await Events(db, scope)
            .Where(e => e.Type == MessageEventType.Open && e.Machine
                && !db.MessageEvents.Any(h => h.MessageId == e.MessageId && h.Type == MessageEventType.Open && !h.Machine))
            .GroupBy(e => e.Channel).Select(g => new { Channel = g.Key, Count = g.Select(e => e.MessageId).Distinct().Count() })
            .ToListAsync(cancellationToken);

        ResultFigures Build(Func<CampaignChannelKind, bool> take)
        {
            int State(MessageState s) => states.Where(x => take(x.Channel) && x.State == s).Sum(x => x.Count);
            int Unique(MessageEventType t, bool machine = false) => events.Where(x => take(x.Channel) && x.Type == t && x.Machine == machine).Sum(x => x.Unique);
            int Total(MessageEventType t, bool machine = false) => events.Where(x => take(x.Channel) && x.Type == t && x.Machine == machine).Sum(x => x.Total);
            return new ResultFigures(
                states.Where(x => take(x.Channel)).Sum(x => x.Count),
                State(MessageState.Sent),
                State(MessageState.Failed),
                State(MessageState.Skipped),
                Unique(MessageEventType.Delivered),
                Unique(MessageEventType.Deferred),
                Unique(MessageEventType.HardBounce),
                Unique(MessageEventType.SoftBounce),
                Unique(MessageEventType.Complaint),
                Unique(MessageEventType.Open),
                Total(MessageEventType.Open),
                machineOnly.Where(x => take(x.Channel)).Sum(x => x.Count),
                Unique(MessageEventType.Click),
                Total(MessageEventType.Click),
                Unique(MessageEventType.Unsubscribe));
        }

        var channels = states.Select(s => s.Channel).Concat(events.Select(e => e.Channel)).Distinct().Order()
            .Select(c => new ChannelResult(c, Build(x => x == c))).ToList();
        return (Build(_ => true), channels);
    }

    private sealed record EventCount(CampaignChannelKind Channel, MessageEventType Type, bool Machine, int Total, int Unique);

    /// <summary>Clicks per link URL (the same URL in many messages is one link), most clicked first.</summary>
    public static async Task<List<LinkResult>> LinksAsync(CrmDbContext db, ResultsScope scope, CancellationToken cancellationToken = default)
    {
        // Per (URL, message) in SQL, per URL here: one row per clicked link of a message, far fewer than the clicks.
        var perMessage = await Events(db, scope).Where(e => e.Type == MessageEventType.Click && e.LinkId != null)
            .Join(db.TrackedLinks, e => e.LinkId, l => l.Id, (e, l) => new { l.Url, e.MessageId })
            .GroupBy(x => new { x.Url, x.MessageId })
            .Select(g => new { g.Key.Url, Clicks = g.Count() })
            .ToListAsync(cancellationToken);
        return perMessage.GroupBy(x => x.Url)
            .Select(g => new LinkResult(g.Key, g.Count(), g.Sum(x => x.Clicks)))
            .OrderByDescending(l => l.TotalClicks).ThenBy(l => l.Url, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Events per day (UTC) from the first to the last, days without events included, machine opens left out.</summary>
    public static async Task<List<TimelinePoint>> TimelineAsync(CrmDbContext db, ResultsScope scope, CancellationToken cancellationToken = default)
    {
        var rows = await Events(db, scope).Where(e => !e.Machine)
            .GroupBy(e => new { e.OccurredAt.Year, e.OccurredAt.Month, e.OccurredAt.Day, e.Type })
            .Select(g => new { g.Key.Year, g.Key.Month, g.Key.Day, g.Key.Type, Count = g.Count() })
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return [];
        }

        var byDay = rows.GroupBy(r => new DateOnly(r.Year, r.Month, r.Day)).ToDictionary(g => g.Key, g => g.ToList());
        var first = byDay.Keys.Min();
        var last = byDay.Keys.Max();
        var points = new List<TimelinePoint>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var list = byDay.GetValueOrDefault(day) ?? [];
            int Of(params MessageEventType[] types) => list.Where(r => types.Contains(r.Type)).Sum(r => r.Count);
            points.Add(new TimelinePoint(day, Of(MessageEventType.Delivered), Of(MessageEventType.Open), Of(MessageEventType.Click),
                Of(MessageEventType.HardBounce, MessageEventType.SoftBounce), Of(MessageEventType.Complaint), Of(MessageEventType.Unsubscribe)));
        }

        return points;
    }

    /// <summary>The messages behind a figure (a click figure narrowed to one link URL when given).</summary>
    public static IQueryable<CampaignMessage> Behind(CrmDbContext db, ResultsScope scope, ResultMetric metric, string? linkUrl = null)
    {
        var messages = Messages(db, scope);
        return metric switch
        {
            ResultMetric.Messages => messages,
            ResultMetric.Sent => messages.Where(m => m.State == MessageState.Sent),
            ResultMetric.Failed => messages.Where(m => m.State == MessageState.Failed),
            ResultMetric.Skipped => messages.Where(m => m.State == MessageState.Skipped),
            ResultMetric.MachineOpened => messages.Where(m =>
                db.MessageEvents.Any(e => e.MessageId == m.Id && e.Type == MessageEventType.Open && e.Machine)
                && !db.MessageEvents.Any(e => e.MessageId == m.Id && e.Type == MessageEventType.Open && !e.Machine)),
            ResultMetric.Clicked when !string.IsNullOrEmpty(linkUrl) => messages.Where(m =>
                db.MessageEvents.Any(e => e.MessageId == m.Id && e.Type == MessageEventType.Click && e.Link!.Url == linkUrl)),
            _ => WithEvent(db, messages, EventTypeOf(metric)),
        };
    }

    private static IQueryable<CampaignMessage> WithEvent(CrmDbContext db, IQueryable<CampaignMessage> messages, MessageEventType type) =>
        messages.Where(m => db.MessageEvents.Any(e => e.MessageId == m.Id && e.Type == type && !e.Machine));

    public static MessageEventType EventTypeOf(ResultMetric metric) => metric switch
    {
        ResultMetric.Delivered => MessageEventType.Delivered,
        ResultMetric.Deferred => MessageEventType.Deferred,
        ResultMetric.HardBounced => MessageEventType.HardBounce,
        ResultMetric.SoftBounced => MessageEventType.SoftBounce,
        ResultMetric.Complained => MessageEventType.Complaint,
        ResultMetric.Opened => MessageEventType.Open,
        ResultMetric.Clicked => MessageEventType.Click,
        ResultMetric.Unsubscribed => MessageEventType.Unsubscribe,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not an event figure."),
    };

    /// <summary>A page of the people behind a figure, ordered by name; <paramref name="search"/> narrows by name or address.</summary>
    public static async Task<RecipientPage> RecipientsAsync(CrmDbContext db, ResultsScope scope, ResultMetric metric, string? linkUrl, string? search,
        int skip, int take, CancellationToken cancellationToken = default)
    {
        var query = Rows(db, scope, metric, linkUrl, search);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken);
        return new RecipientPage(rows, total);
    }

    /// <summary>Every person behind a figure, for the export (streamed).</summary>
    public static IAsyncEnumerable<ResultRecipient> AllRecipientsAsync(CrmDbContext db, ResultsScope scope, ResultMetric metric, string? linkUrl) =>
        Rows(db, scope, metric, linkUrl, null).AsAsyncEnumerable();

    private static IQueryable<ResultRecipient> Rows(CrmDbContext db, ResultsScope scope, ResultMetric metric, string? linkUrl, string? search)
    {
        var messages = Behind(db, scope, metric, linkUrl);
        var eventType = metric switch
        {
            ResultMetric.Messages or ResultMetric.Sent or ResultMetric.Failed or ResultMetric.Skipped => (MessageEventType?)null,
            ResultMetric.MachineOpened => MessageEventType.Open,
            _ => EventTypeOf(metric),
        };
        var machine = metric == ResultMetric.MachineOpened;
        var joined = messages.Join(db.Customers, m => m.CustomerId, c => c.Id, (m, c) => new { m, c });
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            joined = joined.Where(x => (x.c.LastName != null && x.c.LastName.Contains(term)) || (x.c.FirstName != null && x.c.FirstName.Contains(term))
                || (x.c.CompanyName != null && x.c.CompanyName.Contains(term)) || (x.m.Address != null && x.m.Address.Contains(term)));
        }

        return joined
            .OrderBy(x => x.c.LastName).ThenBy(x => x.c.FirstName).ThenBy(x => x.m.Id)
            .Select(x => new ResultRecipient(
                x.m.Id,
                x.c.Id,
                ((x.c.FirstName ?? "") + " " + (x.c.LastName ?? "")).Trim() != "" ? ((x.c.FirstName ?? "") + " " + (x.c.LastName ?? "")).Trim() : (x.c.CompanyName ?? ""),
                x.m.Address,
                db.CampaignRuns.Where(r => r.Id == x.m.RunId).Select(r => r.Number).FirstOrDefault(),
                x.m.Channel,
                x.m.State,
                eventType == null ? x.m.SentAt ?? x.m.QueuedAt
                    : db.MessageEvents.Where(e => e.MessageId == x.m.Id && e.Type == eventType && e.Machine == machine).Min(e => (DateTime?)e.OccurredAt),
                eventType == null ? 0 : db.MessageEvents.Count(e => e.MessageId == x.m.Id && e.Type == eventType && e.Machine == machine),
                eventType == null ? x.m.SkipReason ?? x.m.LastError
                    : db.MessageEvents.Where(e => e.MessageId == x.m.Id && e.Type == eventType).OrderByDescending(e => e.OccurredAt).Select(e => e.Link != null ? e.Link.Url : e.Detail).FirstOrDefault()));
    }
}
