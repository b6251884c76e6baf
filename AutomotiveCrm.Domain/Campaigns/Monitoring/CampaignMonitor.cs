using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Campaigns.Monitoring;

/// <summary>Messages of a run (or of one channel of it) by state.</summary>
public sealed record StateCounts(int Queued, int Sending, int Sent, int Failed, int Skipped)
{
    public static readonly StateCounts Empty = new(0, 0, 0, 0, 0);

    public int Total => Queued + Sending + Sent + Failed + Skipped;
    /// <summary>Messages with a final state (sent, failed, skipped).</summary>
    public int Done => Sent + Failed + Skipped;
    public double Percent => Total == 0 ? 100 : Math.Round(100.0 * Done / Total, 1);

    public StateCounts Add(MessageState state, int count) => state switch
    {
        MessageState.Queued => this with { Queued = Queued + count },
        MessageState.Sending => this with { Sending = Sending + count },
        MessageState.Sent => this with { Sent = Sent + count },
        MessageState.Failed => this with { Failed = Failed + count },
        _ => this with { Skipped = Skipped + count },
    };
}

/// <summary>A line of the monitor: a run with its campaign and its message counts.</summary>
public sealed record RunLine(
    long RunId,
    long CampaignId,
    string CampaignName,
    int Number,
    CampaignRunStatus Status,
    CampaignRunTrigger Trigger,
    DateTime? DueAt,
    DateTime StartedAt,
    DateTime? FinishedAt,
    string StartedBy,
    int MemberCount,
    int HoldOutCount,
    string? StatusReason,
    StateCounts Counts);

/// <summary>One channel of a run.</summary>
public sealed record ChannelProgress(CampaignChannelKind Channel, StateCounts Counts);

/// <summary>Why messages were skipped or failed, and how many.</summary>
public sealed record ReasonCount(string Reason, int Count);

/// <summary>Messages finished by a moment: one point of the progress chart.</summary>
public sealed record ProgressPoint(DateTime At, int Sent, int Failed);

/// <summary>Everything the run monitor shows.</summary>
public sealed record RunProgress(RunLine Run, IReadOnlyList<ChannelProgress> Channels, IReadOnlyList<ReasonCount> Skipped, IReadOnlyList<ReasonCount> Failures,
    IReadOnlyList<ProgressPoint> Timeline, DateTime? FirstSentAt, DateTime? LastSentAt);

/// <summary>
/// The monitor's queries. The run is looked up through the user's context (another scope's run is not found); its
/// messages are then counted with the tenant filter off, because they all belong to that visible run and the
/// filter's per-row customer join would only make the counts slower. Counts are GROUP BY queries on the (run,
/// state) index, cheap enough to poll every few seconds while a run sends.
/// </summary>
public static class CampaignMonitor
{
    private const int TimelinePoints = 60;

    /// <summary>Runs, newest first; running ones first of all. Optional campaign and status filters.</summary>
    public static async Task<IReadOnlyList<RunLine>> RunsAsync(CrmDbContext db, long? campaignId = null, CampaignRunStatus? status = null, int take = 100,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var query = db.CampaignRuns.AsNoTracking();
        if (campaignId is { } id)
        {
            query = query.Where(r => r.CampaignId == id);
        }

        if (status is { } wanted)
        {
            query = query.Where(r => r.Status == wanted);
        }

        var runs = await query
            .OrderBy(r => r.Status == CampaignRunStatus.Running ? 0 : 1).ThenByDescending(r => r.StartedAt).ThenByDescending(r => r.Id)
            .Take(Math.Clamp(take, 1, 500))
            .Join(db.Campaigns, r => r.CampaignId, c => c.Id, (r, c) => new { Run = r, c.Name })
            .ToListAsync(cancellationToken);
        var ids = runs.Select(r => r.Run.Id).ToList();
        var counts = await CountsAsync(db, ids, cancellationToken);
        return runs.Select(r => Line(r.Run, r.Name, counts.GetValueOrDefault(r.Run.Id, StateCounts.Empty))).ToList();
    }

    /// <summary>The progress of one run; <see cref="RecordNotFoundException"/> when the user cannot see it.</summary>
    public static async Task<RunProgress> ProgressAsync(CrmDbContext db, long runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var found = await db.CampaignRuns.AsNoTracking().Where(r => r.Id == runId)
            .Join(db.Campaigns, r => r.CampaignId, c => c.Id, (r, c) => new { Run = r, c.Name })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw RecordNotFoundException.For<CampaignRun>(runId);
        var messages = Messages(db).Where(m => m.RunId == runId);
        var byChannel = await messages.GroupBy(m => new { m.Channel, m.State })
            .Select(g => new { g.Key.Channel, g.Key.State, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var channels = byChannel.GroupBy(c => c.Channel).OrderBy(g => g.Key)
            .Select(g => new ChannelProgress(g.Key, g.Aggregate(StateCounts.Empty, (sum, c) => sum.Add(c.State, c.Count))))
            .ToList();
        var total = channels.Aggregate(StateCounts.Empty, (sum, c) => new StateCounts(sum.Queued + c.Counts.Queued, sum.Sending + c.Counts.Sending,
            sum.Sent + c.Counts.Sent, sum.Failed + c.Counts.Failed, sum.Skipped + c.Counts.Skipped));
        var skipped = await messages.Where(m => m.State == MessageState.Skipped)
            .GroupBy(m => m.SkipReason).Select(g => new { Reason = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var failures = await messages.Where(m => m.State == MessageState.Failed)
            .GroupBy(m => m.LastError).Select(g => new { Reason = g.Key, Count = g.Count() })
            .OrderByDescending(g => g.Count).Take(10)
            .ToListAsync(cancellationToken);
        var (timeline, first, last) = await TimelineAsync(messages, cancellationToken);
        return new RunProgress(
            Line(found.Run, found.Name, total),
            channels,
            skipped.Select(s => new ReasonCount(s.Reason ?? "unknown", s.Count)).OrderByDescending(s => s.Count).ToList(),
            failures.Select(f => new ReasonCount(f.Reason ?? "unknown", f.Count)).ToList(),
            timeline,
            first,
            last);
    }

    private static IQueryable<CampaignMessage> Messages(CrmDbContext db) =>
        db.CampaignMessages.IgnoreQueryFilters([CrmDbContext.TenantFilter]).AsNoTracking();

    private static async Task<Dictionary<long, StateCounts>> CountsAsync(CrmDbContext db, List<long> runIds, CancellationToken cancellationToken)
    {
        if (runIds.Count == 0)
        {
            return [];
        }

        var rows = await Messages(db).Where(m => runIds.Contains(m.RunId))
            .GroupBy(m => new { m.RunId, m.State })
            .Select(g => new { g.Key.RunId, g.Key.State, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.RunId).ToDictionary(g => g.Key, g => g.Aggregate(StateCounts.Empty, (sum, r) => sum.Add(r.State, r.Count)));
    }

    /// <summary>
    /// Cumulative sent and failed messages over the run's sending time, at most <see cref="TimelinePoints"/> points.
    /// The database groups finished messages by second (or by minute for runs longer than an hour), so the answer is
    /// a few hundred rows whatever the run's size.
    /// </summary>
    private static async Task<(IReadOnlyList<ProgressPoint> Points, DateTime? First, DateTime? Last)> TimelineAsync(IQueryable<CampaignMessage> messages,
        CancellationToken cancellationToken)
    {
        var finished = messages.Where(m => m.SentAt != null && (m.State == MessageState.Sent || m.State == MessageState.Failed));
        var span = await finished.GroupBy(m => 1)
            .Select(g => new { First = g.Min(m => m.SentAt), Last = g.Max(m => m.SentAt) })
            .FirstOrDefaultAsync(cancellationToken);
        if (span?.First is not { } first || span.Last is not { } last)
        {
            return ([], null, null);
        }

        var bySecond = last - first <= TimeSpan.FromHours(1);
        var buckets = bySecond
            ? await finished.GroupBy(m => new { m.SentAt!.Value.Date, m.SentAt.Value.Hour, m.SentAt.Value.Minute, m.SentAt.Value.Second, m.State })
                .Select(g => new { g.Key.Date, g.Key.Hour, g.Key.Minute, g.Key.Second, g.Key.State, Count = g.Count() })
                .ToListAsync(cancellationToken)
            : await finished.GroupBy(m => new { m.SentAt!.Value.Date, m.SentAt.Value.Hour, m.SentAt.Value.Minute, Second = 0, m.State })
                .Select(g => new { g.Key.Date, g.Key.Hour, g.Key.Minute, g.Key.Second, g.Key.State, Count = g.Count() })
                .ToListAsync(cancellationToken);
        var ordered = buckets
            .Select(b => (At: DateTime.SpecifyKind(b.Date.Date.AddHours(b.Hour).AddMinutes(b.Minute).AddSeconds(b.Second), DateTimeKind.Utc), b.State, b.Count))
            .OrderBy(b => b.At).ToList();
        var points = new List<ProgressPoint>();
        int sent = 0, failed = 0;
        foreach (var moment in ordered.GroupBy(b => b.At))
        {
            sent += moment.Where(b => b.State == MessageState.Sent).Sum(b => b.Count);
            failed += moment.Where(b => b.State == MessageState.Failed).Sum(b => b.Count);
            points.Add(new ProgressPoint(moment.Key, sent, failed));
        }

        if (points.Count > TimelinePoints)
        {
            // Keep evenly spaced points and always the last (the totals).
            var step = (double)(points.Count - 1) / (TimelinePoints - 1);
            points = Enumerable.Range(0, TimelinePoints).Select(i => points[(int)Math.Round(i * step)]).ToList();
        }

        return (points, first, last);
    }

    private static RunLine Line(CampaignRun run, string campaignName, StateCounts counts) => new(
        run.Id, run.CampaignId, campaignName, run.Number, run.Status, run.Trigger, run.DueAt, run.StartedAt, run.FinishedAt, run.StartedBy,
        run.MemberCount, run.HoldOutCount, run.StatusReason, counts);
}
