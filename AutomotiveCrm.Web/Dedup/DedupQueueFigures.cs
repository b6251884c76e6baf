using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Dedup.Review;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Dedup;

/// <summary>One bar of the score distribution: candidates with <see cref="From"/> &lt;= score &lt; <see cref="To"/>.</summary>
public sealed record ScoreBucket(double From, double To, int Count);

/// <summary>The queue's figures above the list: open candidates per band and the distribution of their scores.</summary>
public sealed record DedupQueueFigures(int Review, int Automatic, IReadOnlyList<ScoreBucket> Distribution)
{
    public int Open => Review + Automatic;

    /// <summary>At most this many bars: enough to see where the mass lies, few enough to read the labels.</summary>
    public const int MaxBuckets = 16;

    /// <summary>
    /// Open candidates matching the filter's kind, level, group and reason (the band and status filters are what the
    /// figures break down, so they are left out), read through the caller's user-scoped context: the tenant filter
    /// keeps another group's candidates, and wholesale ones for users without the wholesale picture, out.
    /// </summary>
    public static async Task<DedupQueueFigures> LoadAsync(CrmDbContext db, ReviewQueueFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        var open = db.MatchCandidates.AsNoTracking().Where(c => c.Status == CandidateStatus.Open && c.EntityKind == filter.Kind);
        if (filter.Level is { } level)
        {
            open = open.Where(c => c.Level == level);
        }

        if (filter.DealerGroupId is { } group)
        {
            open = open.Where(c => c.DealerGroupId == group);
        }

        if (!string.IsNullOrEmpty(filter.Reason))
        {
            var reason = filter.Reason;
            open = open.Where(c => c.Reasons.Contains(reason));
        }

        // Scores only (8 bytes a row): even a large queue is read in one go and bucketed here, portably across providers.
        var scores = await open.Select(c => new { c.Score, c.Band }).ToListAsync(cancellationToken);
        return new DedupQueueFigures(
            scores.Count(s => s.Band == MatchBand.Review),
            scores.Count(s => s.Band == MatchBand.Automatic),
            Buckets(scores.Select(s => s.Score).ToList()));
    }

    /// <summary>Equal-width buckets on whole or half numbers between the lowest and highest score.</summary>
    public static IReadOnlyList<ScoreBucket> Buckets(IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count == 0)
        {
            return [];
        }

        var low = Math.Floor(scores.Min());
        var high = Math.Floor(scores.Max()) + 1;
        var width = Math.Max(1, Math.Ceiling((high - low) / MaxBuckets));
        var count = (int)Math.Ceiling((high - low) / width);
        var counts = new int[count];
        foreach (var score in scores)
        {
            counts[Math.Min(count - 1, (int)((score - low) / width))]++;
        }

        return counts.Select((n, i) => new ScoreBucket(low + (i * width), low + ((i + 1) * width), n)).ToList();
    }
}
