using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Dedup;

/// <summary>
/// Following a merged record's MergedIntoId to the live record it ended in, the same way for every kind of record
/// that merges (customers, vehicles). Reads go through the caller's user-scoped context with only the "Live" filter
/// lifted (tombstones become visible, the tenant filter stays), so another group's tombstone stays as invisible as a
/// missing record.
/// </summary>
internal static class MergeChains
{
    /// <summary>Merge chains are short (A into B, later B into C); the bound only guards against a corrupt cycle.</summary>
    private const int MaxHops = 16;

    private static readonly string[] Live = [CrmDbContext.LiveFilter];

    /// <summary>The live record <paramref name="requestedId"/> was merged into; null when it is live, missing or not visible.</summary>
    public static async Task<long?> SurvivorOfAsync<TEntity>(DbSet<TEntity> records, long requestedId, CancellationToken cancellationToken)
        where TEntity : Entity
    {
        ArgumentNullException.ThrowIfNull(records);
        var id = requestedId;
        for (var hop = 0; hop < MaxHops; hop++)
        {
            var row = await records.IgnoreQueryFilters(Live).AsNoTracking().Where(e => e.Id == id)
                .Select(e => new { MergedIntoId = EF.Property<long?>(e, "MergedIntoId") }).SingleOrDefaultAsync(cancellationToken);
            if (row is null)
            {
                return null;
            }

            if (row.MergedIntoId is not { } next)
            {
                return id == requestedId ? null : id;
            }

            id = next;
        }

        return null;
    }
}
