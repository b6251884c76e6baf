using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Dedup.Merging;

/// <summary>
/// Old ids keep working after a merge: a tombstone points at its survivor, which may itself have been merged later.
/// Reads go through the caller's context with only the "Live" filter lifted, so a record outside the caller's scope
/// (tombstone or not) stays exactly as invisible as a missing one.
/// </summary>
public static class CustomerRedirects
{
    /// <summary>Chains are short (A into B, later B into C); the bound only guards against a corrupt cycle.</summary>
    private const int MaxHops = 32;

    private static readonly string[] LiveOff = [CrmDbContext.LiveFilter];

    /// <summary>The live customer an id stands for: itself when live, its survivor when merged; null when missing or out of scope.</summary>
    public static async Task<long?> ResolveSurvivorAsync(CrmDbContext db, long customerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var id = customerId;
        for (var hop = 0; hop < MaxHops; hop++)
        {
            var row = await db.Customers.IgnoreQueryFilters(LiveOff).AsNoTracking().Where(c => c.Id == id)
                .Select(c => new { c.MergedIntoId }).SingleOrDefaultAsync(cancellationToken);
            if (row is null)
            {
                return null;
            }

            if (row.MergedIntoId is not { } next)
            {
                return id;
            }

            id = next;
        }

        return null;
    }

    /// <summary>The live vehicle an id stands for, like <see cref="ResolveSurvivorAsync"/>.</summary>
    public static async Task<long?> ResolveVehicleAsync(CrmDbContext db, long vehicleId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var id = vehicleId;
        for (var hop = 0; hop < MaxHops; hop++)
        {
            var row = await db.Vehicles.IgnoreQueryFilters(LiveOff).AsNoTracking().Where(v => v.Id == id)
                .Select(v => new { v.MergedIntoId }).SingleOrDefaultAsync(cancellationToken);
            if (row is null)
            {
                return null;
            }

            if (row.MergedIntoId is not { } next)
            {
                return id;
            }

            id = next;
        }

        return null;
    }

    /// <summary>Every tombstone merged (directly or through later merges) into a live customer, within scope.</summary>
    public static async Task<IReadOnlyList<long>> MergedIntoAsync(CrmDbContext db, long survivorId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var result = new List<long>();
        var frontier = new List<long> { survivorId };
        for (var hop = 0; hop < MaxHops && frontier.Count > 0; hop++)
        {
            var current = frontier;
            frontier = await db.Customers.IgnoreQueryFilters(LiveOff).AsNoTracking()
                .Where(c => c.MergedIntoId != null && current.Contains(c.MergedIntoId.Value)).Select(c => c.Id).ToListAsync(cancellationToken);
            frontier.RemoveAll(result.Contains);
            result.AddRange(frontier);
        }

        return result;
    }
}
