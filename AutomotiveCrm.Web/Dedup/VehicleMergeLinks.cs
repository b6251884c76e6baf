using System.Globalization;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Dedup;

/// <summary>
/// Old vehicle ids after a duplicate-vehicle merge: they lead to the surviving vehicle. As for customers, reads go
/// through the caller's user-scoped context with only the "Live" filter lifted, so another group's merged vehicle stays
/// as invisible as a missing one.
/// </summary>
public static class VehicleMergeLinks
{
    /// <summary>Merge chains are short; the bound only guards against a corrupt cycle.</summary>
    private const int MaxHops = 16;

    private static readonly string[] Live = [CrmDbContext.LiveFilter];

    /// <summary>The live vehicle a merged-away id leads to (following later merges); null when the id is live, missing or not visible.</summary>
    public static async Task<long?> SurvivorOfAsync(CrmDbContext db, long vehicleId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var id = vehicleId;
        for (var hop = 0; hop < MaxHops; hop++)
        {
            var row = await db.Vehicles.IgnoreQueryFilters(Live).AsNoTracking().Where(v => v.Id == id)
                .Select(v => new { v.MergedIntoId }).SingleOrDefaultAsync(cancellationToken);
            if (row is null)
            {
                return null;
            }

            if (row.MergedIntoId is not { } next)
            {
                return id == vehicleId ? null : id;
            }

            id = next;
        }

        return null;
    }

    /// <summary>The surviving vehicle's page, telling it which record the visitor asked for.</summary>
    public static string SurvivorHref(long survivorId, long requestedId) =>
        string.Create(CultureInfo.InvariantCulture, $"/vehicles/{survivorId}?mergedFrom={requestedId}");
}
