using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Vehicles;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Dedup.Merging;

public sealed partial class RecordMerger
{
    /// <summary>The merged customer's relationships move to the survivor, one triangle (dealer, vehicle) at a time.</summary>
    private static async Task MoveCustomerRelationshipsAsync(CrmDbContext db, Customer survivor, Customer merged, MergeSnapshot snapshot,
        CancellationToken cancellationToken)
    {
        var ids = new[] { survivor.Id, merged.Id };
        var all = await db.Relationships.IgnoreQueryFilters().Where(r => ids.Contains(r.CustomerId)).ToListAsync(cancellationToken);
        await MoveRelationshipsAsync(db, all.Where(r => r.CustomerId == survivor.Id).ToList(), all.Where(r => r.CustomerId == merged.Id).ToList(),
            r => (r.DealerId, r.VehicleId), r =>
            {
                r.Customer = survivor;
                r.CustomerId = survivor.Id;
            }, snapshot, cancellationToken);
    }

    /// <summary>The merged vehicle's relationships move to the survivor, one triangle (dealer, customer) at a time.</summary>
    private static async Task MoveVehicleRelationshipsAsync(CrmDbContext db, Vehicle survivor, Vehicle merged, MergeSnapshot snapshot,
        CancellationToken cancellationToken)
    {
        var ids = new[] { survivor.Id, merged.Id };
        var all = await db.Relationships.IgnoreQueryFilters().Where(r => ids.Contains(r.VehicleId)).ToListAsync(cancellationToken);
        await MoveRelationshipsAsync(db, all.Where(r => r.VehicleId == survivor.Id).ToList(), all.Where(r => r.VehicleId == merged.Id).ToList(),
            r => (r.DealerId, r.CustomerId), r =>
            {
                r.Vehicle = survivor;
                r.VehicleId = survivor.Id;
            }, snapshot, cancellationToken);
    }

    /// <summary>
    /// The non-overlap rule of a triangle survives the merge: a moved relationship whose period overlaps one the
    /// survivor already has in the same triangle is the same fact twice. The survivor's relationship absorbs it (its
    /// period widens to cover both, unless that would overlap a third period) and the duplicate is deleted, kept
    /// whole in the snapshot; a sale that named the duplicate names the absorbing relationship instead.
    /// </summary>
    private static async Task MoveRelationshipsAsync(CrmDbContext db, List<Relationship> own, List<Relationship> theirs,
        Func<Relationship, (long, long)> triangle, Action<Relationship> moveToSurvivor, MergeSnapshot snapshot, CancellationToken cancellationToken)
    {
        var byTriangle = own.GroupBy(triangle).ToDictionary(g => g.Key, g => g.ToList());
        var widened = new Dictionary<long, RelationshipWidening>();
        var absorbedInto = new Dictionary<long, Relationship>();
        var moved = new List<long>();
        foreach (var relationship in theirs.OrderBy(r => r.StartDate).ThenBy(r => r.Id))
        {
            var key = triangle(relationship);
            if (!byTriangle.TryGetValue(key, out var set))
            {
                byTriangle[key] = set = [];
            }

            var keeper = set.FirstOrDefault(k => RelationshipRules.Overlaps(k.StartDate, k.EndDate, relationship.StartDate, relationship.EndDate));
            if (keeper is null)
            {
                moveToSurvivor(relationship);
                set.Add(relationship);
                moved.Add(relationship.Id);
                continue;
            }

            var start = relationship.StartDate < keeper.StartDate ? relationship.StartDate : keeper.StartDate;
            var endFromTheirs = keeper.EndDate is not null && (relationship.EndDate is null || relationship.EndDate > keeper.EndDate);
            var end = endFromTheirs ? relationship.EndDate : keeper.EndDate;
            var reason = endFromTheirs ? relationship.EndReason : keeper.EndReason;
            var clash = set.Any(o => !ReferenceEquals(o, keeper) && RelationshipRules.Overlaps(o.StartDate, o.EndDate, start, end));
            if (!clash && (start != keeper.StartDate || end != keeper.EndDate))
            {
                var before = widened.TryGetValue(keeper.Id, out var earlier)
                    ? earlier
                    : new RelationshipWidening(keeper.Id, keeper.StartDate, keeper.EndDate, keeper.EndReason, start, end, reason);
                keeper.StartDate = start;
                keeper.EndDate = end;
                keeper.EndReason = reason;
                widened[keeper.Id] = before with { StartAfter = start, EndAfter = end, ReasonAfter = reason };
            }

            snapshot.Absorbed.Add(RelationshipRow.Of(relationship));
            absorbedInto[relationship.Id] = keeper;
            db.Relationships.Remove(relationship);
        }

        snapshot.Widened.AddRange(widened.Values);
        snapshot.AddMoved(MovedTables.Relationships, moved);
        if (absorbedInto.Count == 0)
        {
            return;
        }

        var absorbedIds = absorbedInto.Keys.ToList();
        var sales = await db.VehicleSales.IgnoreQueryFilters().Where(s => s.RelationshipId != null && absorbedIds.Contains(s.RelationshipId.Value))
            .ToListAsync(cancellationToken);
        foreach (var sale in sales)
        {
            snapshot.SaleRelationships.Add(new Repoint(sale.Id, sale.RelationshipId!.Value));
            var keeper = absorbedInto[sale.RelationshipId.Value];
            sale.Relationship = keeper;
            sale.RelationshipId = keeper.Id;
        }
    }

    /// <summary>Undo of the relationship part: moved ones go back, widened ones narrow (unless edited since), absorbed ones return.</summary>
    private static async Task RestoreRelationshipsAsync(CrmDbContext db, MergeSnapshot snapshot, Action<Relationship> moveBack,
        Func<Relationship, bool> stillMoved, CancellationToken cancellationToken)
    {
        var movedIds = snapshot.MovedIds(MovedTables.Relationships);
        var widenedIds = snapshot.Widened.Select(w => w.Id).ToList();
        var ids = movedIds.Concat(widenedIds).Distinct().ToList();
        var rows = ids.Count == 0
            ? []
            : await db.Relationships.IgnoreQueryFilters().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken);
        foreach (var id in movedIds)
        {
            if (rows.TryGetValue(id, out var relationship) && stillMoved(relationship))
            {
                moveBack(relationship);
            }
        }

        foreach (var widening in snapshot.Widened)
        {
            if (rows.TryGetValue(widening.Id, out var keeper) && keeper.StartDate == widening.StartAfter && keeper.EndDate == widening.EndAfter)
            {
                keeper.StartDate = widening.StartBefore;
                keeper.EndDate = widening.EndBefore;
                keeper.EndReason = widening.ReasonBefore;
            }
        }

        // The absorbed rows come back first, with their own ids (sales point at them again below).
        if (snapshot.Absorbed.Count > 0)
        {
            var absorbedIds = snapshot.Absorbed.Select(a => a.Id).ToList();
            var present = await db.Relationships.IgnoreQueryFilters().Where(r => absorbedIds.Contains(r.Id)).Select(r => r.Id).ToListAsync(cancellationToken);
            foreach (var row in snapshot.Absorbed.Where(a => !present.Contains(a.Id)))
            {
                db.Relationships.Add(row.ToEntity());
            }

            await SaveWithExplicitKeysAsync(db, "Relationships", cancellationToken);
        }

        if (snapshot.SaleRelationships.Count > 0)
        {
            var saleIds = snapshot.SaleRelationships.Select(s => s.Id).ToList();
            var sales = await db.VehicleSales.IgnoreQueryFilters().Where(s => saleIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
            foreach (var repoint in snapshot.SaleRelationships)
            {
                if (sales.TryGetValue(repoint.Id, out var sale))
                {
                    sale.RelationshipId = repoint.From;
                }
            }
        }
    }
}
