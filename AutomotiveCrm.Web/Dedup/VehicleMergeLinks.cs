using System.Globalization;
using AutomotiveCrm.Domain.Persistence;

namespace AutomotiveCrm.Web.Dedup;

/// <summary>
/// Old vehicle ids after a duplicate-vehicle merge: they lead to the surviving vehicle. As for customers, reads go
/// through the caller's user-scoped context with only the "Live" filter lifted, so another group's merged vehicle stays
/// as invisible as a missing one.
/// </summary>
public static class VehicleMergeLinks
{
    /// <summary>The live vehicle a merged-away id leads to (following later merges); null when the id is live, missing or not visible.</summary>
    public static Task<long?> SurvivorOfAsync(CrmDbContext db, long vehicleId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return MergeChains.SurvivorOfAsync(db.Vehicles, vehicleId, cancellationToken);
    }

    /// <summary>The surviving vehicle's page, telling it which record the visitor asked for.</summary>
    public static string SurvivorHref(long survivorId, long requestedId) =>
        string.Create(CultureInfo.InvariantCulture, $"/vehicles/{survivorId}?mergedFrom={requestedId}");
}
