using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Wholesale;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Dedup.Merging;

public sealed partial class RecordMerger
{
    /// <summary>
    /// Links two retail records of different groups (the same person) to one wholesale record, the survivor's. Every
    /// record on the other wholesale record moves with it (they are that person too); the other wholesale record is
    /// left empty and deleted, kept in the snapshot. The retail records themselves are not touched: their update
    /// times (and so the survivorship of the wholesale fields) stay what they were.
    /// </summary>
    public async Task<MergeOutcome> LinkWholesaleAsync(Persistence.CrmDbContext db, MergeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(request);
        return await RunAsync(db, "link", async work =>
        {
            var (survivor, linked, error) = await LoadPairAsync(db, request, withContacts: false, cancellationToken);
            if (error is not null)
            {
                return MergeOutcome.Refused(error);
            }

            if (survivor!.DealerGroupId == linked!.DealerGroupId)
            {
                return MergeOutcome.Refused("The two customers belong to the same dealer group: merge them instead of linking.");
            }

            if (survivor.DealerGroup!.NetworkId != linked.DealerGroup!.NetworkId)
            {
                return MergeOutcome.Refused("The two customers belong to different networks.");
            }

            if (survivor.WholesaleCustomerId == linked.WholesaleCustomerId)
            {
                return MergeOutcome.Refused("The two customers already share one wholesale record.");
            }

            var (candidate, claimError) = await ClaimCandidateAsync(db, request, DedupEntityKind.Customer, cancellationToken);
            if (claimError is not null)
            {
                return MergeOutcome.Refused(claimError);
            }

            var networkId = survivor.DealerGroup.NetworkId;
            var target = survivor.WholesaleCustomerId;
            var old = linked.WholesaleCustomerId;
            var snapshot = new MergeSnapshot { MergedWholesaleBefore = old };
            // Detached so the bulk move below is the only writer of the link (no stale tracked value to save over it).
            db.Entry(linked).State = EntityState.Detached;
            await MoveWholesaleInBulkAsync(work, old, target, snapshot, networkId, cancellationToken);
            await RecomputeWholesaleAsync(db, [target, old], cancellationToken);

            var merge = new RecordMerge
            {
                NetworkId = networkId,
                DealerGroupId = null,
                Level = DedupLevel.Wholesale,
                EntityKind = DedupEntityKind.Customer,
                SurvivorId = survivor.Id,
                MergedId = linked.Id,
                CandidateId = candidate?.Id,
                Score = request.Score ?? candidate?.Score,
                Automatic = request.Automatic,
                MergedAt = work.Now,
                MergedBy = work.Actor.UserName,
                SnapshotJson = "",
            };
            await RecordAsync(work, request, candidate, CandidateStatus.Linked, merge, snapshot, [], cancellationToken);
            foreach (var (customerId, groupId) in new[] { (survivor.Id, survivor.DealerGroupId), (linked.Id, linked.DealerGroupId) })
            {
                Audit(work, nameof(Customer), Key(customerId), AuditAction.Update, new Dictionary<string, string?[]>
                {
                    ["WholesaleLink"] = [null, $"{Key(survivor.Id)} + {Key(linked.Id)} → wholesale {Key(target)}"],
                    ["MergeId"] = [null, Key(merge.Id)],
                    ["Score"] = [null, Text(merge.Score)],
                    ["DecidedBy"] = [null, request.Automatic ? $"automatic ({work.Actor.UserName})" : work.Actor.UserName],
                }, networkId, groupId, customerId);
            }

            await db.SaveChangesAsync(cancellationToken);
            return MergeOutcome.Done(merge.Id);
        }, cancellationToken);
    }

    /// <summary>Moves every retail record (tombstones too: they must not keep the old record alive) from one wholesale record to another.</summary>
    private static async Task MoveWholesaleInBulkAsync(MergeWork work, long from, long to, MergeSnapshot snapshot, long networkId,
        CancellationToken cancellationToken)
    {
        var db = work.Db;
        var old = await db.WholesaleCustomers.IgnoreQueryFilters().Where(w => w.Id == from)
            .Select(w => new WholesaleRow(w.Id, w.NetworkId, w.CreatedAt)).FirstAsync(cancellationToken);
        var records = await db.Customers.IgnoreQueryFilters().Where(c => c.WholesaleCustomerId == from)
            .Select(c => new { c.Id, c.DealerGroupId }).ToListAsync(cancellationToken);
        var ids = records.Select(r => r.Id).ToList();
        await db.Customers.IgnoreQueryFilters().Where(c => ids.Contains(c.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.WholesaleCustomerId, to), cancellationToken);
        foreach (var record in records)
        {
            Audit(work, nameof(Customer), Key(record.Id), AuditAction.Update,
                new Dictionary<string, string?[]> { [nameof(Customer.WholesaleCustomerId)] = [Key(from), Key(to)] }, networkId, record.DealerGroupId, record.Id);
        }

        snapshot.WholesaleMoves.AddRange(records.Select(r => new Repoint(r.Id, from)));
        snapshot.WholesaleDeleted.Add(old);
    }

    /// <summary>
    /// Recomputes wholesale records from the database state (inside the transaction): the bulk moves change no
    /// tracked retail record, so the context's save would not know these records changed.
    /// </summary>
    private static async Task RecomputeWholesaleAsync(Persistence.CrmDbContext db, IEnumerable<long> wholesaleIds, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        await WholesaleSync.RecomputeAsync(db, wholesaleIds.ToHashSet(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task<string?> UndoLinkAsync(MergeWork work, RecordMerge merge, MergeSnapshot snapshot, CancellationToken cancellationToken)
    {
        var db = work.Db;
        await RestoreWholesaleRecordsAsync(db, snapshot, cancellationToken);
        var touched = await RestoreWholesaleMovesAsync(work, snapshot, null, merge.NetworkId, cancellationToken);
        var ids = new[] { merge.SurvivorId, merge.MergedId };
        foreach (var record in await db.Customers.IgnoreQueryFilters().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.DealerGroupId }).ToListAsync(cancellationToken))
        {
            Audit(work, nameof(Customer), Key(record.Id), AuditAction.Update, new Dictionary<string, string?[]>
            {
                ["WholesaleLink"] = [$"{Key(merge.SurvivorId)} + {Key(merge.MergedId)}", null],
                ["UndoneMergeId"] = [null, Key(merge.Id)],
            }, merge.NetworkId, record.DealerGroupId, record.Id);
        }

        await RecomputeWholesaleAsync(db, touched, cancellationToken);
        return null;
    }
}
