using System.Diagnostics;
using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Dedup.Merging;
using AutomotiveCrm.Domain.Dedup.Runs;
using AutomotiveCrm.Domain.Dedup.Vehicles;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>What the demo's first dedup pass did, per network summed.</summary>
public sealed record DemoDedupResult(int RetailMerged, int RetailQueued, int WholesaleLinked, int WholesaleQueued, int VehiclesMerged,
    int VehiclesQueued, double Seconds)
{
    public string Describe() => FormattableString.Invariant(
        $"Demo dedup: {RetailMerged} customers merged and {RetailQueued} pairs queued (retail), {WholesaleLinked} linked and {WholesaleQueued} queued (wholesale), {VehiclesMerged} vehicles merged and {VehiclesQueued} queued, in {Seconds:F1} s.");
}

/// <summary>
/// The first dedup pass over freshly seeded demo data, so that a steward trying the product finds what a live
/// installation would have: automatic merges in the history (undoable), a review queue across score bands, duplicate
/// vehicles, and people of two dealer groups linked to one wholesale record. It is the production pipeline
/// (<see cref="DedupRunner"/> full runs and <see cref="VehicleDuplicateFinder"/>), run the way the stewards' Run button
/// runs it, not a shortcut that writes suggestions directly.
/// </summary>
/// <remarks>
/// Kept apart from <see cref="DemoDataSeeder"/>: seeding stays deterministic row for row (tests compare databases),
/// while merges carry the time they were made.
/// </remarks>
public static class DemoDedup
{
    public const string Actor = "demo dedup";

    public static async Task<DemoDedupResult> RunAsync(DatabaseSettings settings, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var time = clock ?? TimeProvider.System;
        var stopwatch = Stopwatch.StartNew();
        var contexts = new SettingsContexts(settings, time);
        var merger = new RecordMerger(time);
        var runner = new DedupRunner(contexts, merger, new DedupIndexCache(), time);
        List<long> networks;
        await using (var db = contexts.CreateDbContext())
        {
            networks = await db.Networks.Select(n => n.Id).OrderBy(id => id).ToListAsync(cancellationToken);
        }

        int retailMerged = 0, retailQueued = 0, linked = 0, wholesaleQueued = 0, vehiclesMerged = 0, vehiclesQueued = 0;
        foreach (var network in networks)
        {
            // Retail first: the wholesale level then links the survivors, as after any steward's merge.
            // The retail run also finds duplicate vehicles per customer.
            var retail = await runner.RunFullAsync(network, DedupLevel.Retail, Actor, null, cancellationToken);
            var wholesale = await runner.RunFullAsync(network, DedupLevel.Wholesale, Actor, null, cancellationToken);
            retailMerged += retail.AutoMerged;
            retailQueued += retail.Queued;
            linked += wholesale.AutoMerged;
            wholesaleQueued += wholesale.Queued;
            vehiclesMerged += retail.VehiclesMerged;
            vehiclesQueued += retail.VehiclesQueued;
        }

        return new DemoDedupResult(retailMerged, retailQueued, linked, wholesaleQueued, vehiclesMerged, vehiclesQueued, stopwatch.Elapsed.TotalSeconds);
    }

    private sealed class SettingsContexts(DatabaseSettings settings, TimeProvider clock) : ISystemDbContextFactory
    {
        private readonly Func<CrmDbContext> _create = CrmDatabase.ContextFactory(settings, clock);

        public CrmDbContext CreateDbContext(AuditSource source = AuditSource.System, string? correlationId = null)
        {
            var context = _create();
            context.Scope = AccessScope.System;
            context.Actor = new AuditActor(null, Actor, source, correlationId);
            return context;
        }
    }
}
