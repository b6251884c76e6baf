using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Dedup;

/// <summary>One matching run as the runs screen shows it.</summary>
public sealed record DedupRunRow(
    long Id,
    DedupLevel Level,
    DedupRunKind Kind,
    DedupRunStatus Status,
    DateTime StartedAt,
    DateTime? FinishedAt,
    string StartedBy,
    int Records,
    long Pairs,
    int AutoMerged,
    int Queued,
    double Progress,
    string? Stage,
    string? StatusReason,
    double Seconds)
{
    public bool IsRunning => Status == DedupRunStatus.Running;
}

/// <summary>The runs of the user's network (the tenant filter scopes them), newest first.</summary>
public static class DedupRunsQuery
{
    public static async Task<IReadOnlyList<DedupRunRow>> RecentAsync(CrmDbContext db, DedupRunKind? kind, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var runs = db.DedupRuns.AsNoTracking();
        if (kind is { } k)
        {
            runs = runs.Where(r => r.Kind == k);
        }

        return await runs.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).Take(count)
            .Select(r => new DedupRunRow(r.Id, r.Level, r.Kind, r.Status, r.StartedAt, r.FinishedAt, r.StartedBy, r.RecordsCompared, r.CandidatePairs,
                r.AutoMerged, r.Queued, r.Progress, r.Stage, r.StatusReason, r.Seconds))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The runs still going (the progress the screen polls).</summary>
    public static async Task<IReadOnlyList<DedupRunRow>> RunningAsync(CrmDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.DedupRuns.AsNoTracking().Where(r => r.Status == DedupRunStatus.Running).OrderBy(r => r.StartedAt)
            .Select(r => new DedupRunRow(r.Id, r.Level, r.Kind, r.Status, r.StartedAt, r.FinishedAt, r.StartedBy, r.RecordsCompared, r.CandidatePairs,
                r.AutoMerged, r.Queued, r.Progress, r.Stage, r.StatusReason, r.Seconds))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Open candidates in the user's scope: the overview tile's figure.</summary>
    public static Task<int> OpenCandidatesAsync(CrmDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.MatchCandidates.AsNoTracking().CountAsync(c => c.Status == CandidateStatus.Open, cancellationToken);
    }
}
