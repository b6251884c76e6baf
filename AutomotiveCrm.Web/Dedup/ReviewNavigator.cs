using AutomotiveCrm.Domain.Dedup.Review;

namespace AutomotiveCrm.Web.Dedup;

/// <summary>
/// Where the comparison page goes next: the candidate after (J) or before (K) the current one in the queue's order,
/// and after a decision the one that took the decided candidate's place. The order is the service's own (it sorts by
/// score), read page by page up to <see cref="MaxRows"/> rows, so the page never re-implements the sort.
/// </summary>
public sealed class ReviewNavigator(IDedupReviewService reviews, ReviewQueueFilter filter)
{
    /// <summary>How far into the queue the walk reads; a steward works from the top, and this bounds the cost of a key press.</summary>
    public const int MaxRows = 2000;

    private const int PageSize = 100;

    private List<long>? order;

    /// <summary>The queue as the service orders it (open candidates matching the filter), read once and kept until <see cref="Forget"/>.</summary>
    public async Task<IReadOnlyList<long>> OrderAsync(CancellationToken cancellationToken)
    {
        if (order is not null)
        {
            return order;
        }

        var ids = new List<long>();
        for (var page = 0; ids.Count < MaxRows; page++)
        {
            var rows = await reviews.QueueAsync(filter with { Page = page, PageSize = PageSize }, cancellationToken);
            ids.AddRange(rows.Rows.Select(r => r.CandidateId));
            if (rows.Rows.Count < PageSize || ids.Count >= rows.Total)
            {
                break;
            }
        }

        order = ids;
        return order;
    }

    /// <summary>The queue changed (a decision): the next read asks the service again.</summary>
    public void Forget() => order = null;

    /// <summary>The candidate after <paramref name="currentId"/>; the first one when the current is not in the queue (null: none).</summary>
    public async Task<long?> NextAsync(long currentId, CancellationToken cancellationToken)
    {
        var ids = await OrderAsync(cancellationToken);
        var at = IndexOf(ids, currentId);
        var next = at < 0 ? 0 : at + 1;
        return next < ids.Count ? ids[next] : null;
    }

    /// <summary>The candidate before <paramref name="currentId"/> (null at the top, or when the current is not in the queue).</summary>
    public async Task<long?> PreviousAsync(long currentId, CancellationToken cancellationToken)
    {
        var ids = await OrderAsync(cancellationToken);
        var at = IndexOf(ids, currentId);
        return at > 0 ? ids[at - 1] : null;
    }

    /// <summary>
    /// After <paramref name="decidedId"/> left the queue: the candidate now at its old place (the old next one), else the
    /// last one above it, else null (the queue is done).
    /// </summary>
    public async Task<long?> AfterDecisionAsync(long decidedId, CancellationToken cancellationToken)
    {
        var before = order ?? await OrderAsync(cancellationToken);
        var oldIndex = IndexOf(before, decidedId);
        Forget();
        var now = (await OrderAsync(cancellationToken)).Where(id => id != decidedId).ToList();
        if (now.Count == 0)
        {
            return null;
        }

        var index = oldIndex < 0 ? 0 : Math.Min(oldIndex, now.Count - 1);
        return now[index];
    }

    private static int IndexOf(IReadOnlyList<long> ids, long id)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] == id)
            {
                return i;
            }
        }

        return -1;
    }
}
