using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Wholesale;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Dedup.Merging;

public sealed partial class RecordMerger
{
    /// <summary>
    /// Restores both customers and every moved link. Rows that arrived on the survivor after the merge stay with it;
    /// a survivor field edited since the merge keeps the edit (only fields still holding the merge's value go back).
    /// </summary>
    private static async Task<string?> UndoCustomerMergeAsync(MergeWork work, RecordMerge merge, MergeSnapshot snapshot,
        CancellationToken cancellationToken)
    {
        var db = work.Db;
        var ids = new[] { merge.SurvivorId, merge.MergedId };
        var customers = await db.Customers.IgnoreQueryFilters().Include(c => c.DealerGroup).Include(c => c.Emails).Include(c => c.Phones)
            .Include(c => c.Addresses).AsSplitQuery().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        if (!customers.TryGetValue(merge.SurvivorId, out var survivor) || !customers.TryGetValue(merge.MergedId, out var merged))
        {
            return "One of the merged records no longer exists.";
        }

        if (merged.MergedIntoId != survivor.Id || survivor.MergedIntoId is not null)
        {
            return $"Customer {merged.Id} is no longer merged into customer {survivor.Id}.";
        }

        var networkId = survivor.DealerGroup!.NetworkId;
        var groupId = survivor.DealerGroupId;
        await RestoreWholesaleRecordsAsync(db, snapshot, cancellationToken);

        // Contact points: back to the merged record, with the primary flags as they were.
        RestoreContacts(survivor.Emails, merged, MovedTables.Emails, snapshot, e => e.Id, (e, c) => e.Customer = c, (e, v) => e.IsPrimary = v);
        RestoreContacts(survivor.Phones, merged, MovedTables.Phones, snapshot, p => p.Id, (p, c) => p.Customer = c, (p, v) => p.IsPrimary = v);
        RestoreContacts(survivor.Addresses, merged, MovedTables.Addresses, snapshot, a => a.Id, (a, c) => a.Customer = c, (a, v) => a.IsPrimary = v);

        await RestoreRelationshipsAsync(db, snapshot, r =>
        {
            r.Customer = merged;
            r.CustomerId = merged.Id;
        }, r => r.CustomerId == survivor.Id, cancellationToken);

        await MoveBackAsync(db.ServiceVisits, snapshot.MovedIds(MovedTables.ServiceVisits), v => v.CustomerId == survivor.Id, v =>
        {
            v.Customer = merged;
            v.CustomerId = merged.Id;
        }, cancellationToken);
        await MoveBackAsync(db.WorkshopBookings, snapshot.MovedIds(MovedTables.WorkshopBookings), b => b.CustomerId == survivor.Id, b =>
        {
            b.Customer = merged;
            b.CustomerId = merged.Id;
        }, cancellationToken);
        await MoveBackAsync(db.WorkshopTransactions, snapshot.MovedIds(MovedTables.WorkshopTransactions), t => t.CustomerId == survivor.Id, t =>
        {
            t.Customer = merged;
            t.CustomerId = merged.Id;
        }, cancellationToken);
        await MoveBackAsync(db.VehicleSales, snapshot.MovedIds(MovedTables.Sales), s => s.CustomerId == survivor.Id, s =>
        {
            s.Customer = merged;
            s.CustomerId = merged.Id;
        }, cancellationToken);

        // Bulk-moved history goes back the same way it came.
        var consents = snapshot.MovedIds(MovedTables.Consents);
        if (consents.Count > 0)
        {
            await db.ConsentRecords.IgnoreQueryFilters().Where(c => consents.Contains(c.Id) && c.CustomerId == survivor.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.CustomerId, merged.Id), cancellationToken);
            AuditMoves(work, nameof(ConsentRecord), nameof(ConsentRecord.CustomerId), consents, survivor.Id, merged.Id, networkId, groupId,
                _ => (merged.Id, null));
        }

        if (snapshot.ConsentsAdded.Count > 0)
        {
            // The merge's own opt-outs stood for the other record's answer; with the records apart they are not a statement.
            var added = snapshot.ConsentsAdded;
            await db.ConsentRecords.IgnoreQueryFilters().Where(c => added.Contains(c.Id)).ExecuteDeleteAsync(cancellationToken);
            foreach (var id in added)
            {
                Audit(work, nameof(ConsentRecord), Key(id), AuditAction.Delete,
                    new Dictionary<string, string?[]> { [nameof(ConsentRecord.CustomerId)] = [Key(survivor.Id), null] }, networkId, groupId, survivor.Id);
            }
        }

        var dms = snapshot.MovedIds(MovedTables.DmsRecords);
        if (dms.Count > 0)
        {
            await db.DmsRecords.IgnoreQueryFilters().Where(r => dms.Contains(r.Id) && r.EntityId == survivor.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.EntityId, merged.Id), cancellationToken);
            AuditMoves(work, nameof(DmsRecord), nameof(DmsRecord.EntityId), dms, survivor.Id, merged.Id, networkId, groupId, _ => (merged.Id, null));
        }

        var audit = snapshot.MovedIds(MovedTables.AuditEntries);
        if (audit.Count > 0)
        {
            await db.AuditEntries.IgnoreQueryFilters().Where(a => audit.Contains(a.Id) && a.CustomerId == survivor.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.CustomerId, merged.Id), cancellationToken);
        }

        await RestoreWholesaleMovesAsync(work, snapshot, merged, networkId, cancellationToken);

        if (snapshot is { SurvivorBefore: { } before, SurvivorAfter: { } after })
        {
            RestoreCustomerValues(survivor, before, after);
        }

        merged.MergedIntoId = null;
        merged.MergedAt = null;
        Audit(work, nameof(Customer), Key(survivor.Id), AuditAction.Update, new Dictionary<string, string?[]>
        {
            ["MergedFrom"] = [Key(merged.Id), null],
            ["UndoneMergeId"] = [null, Key(merge.Id)],
        }, networkId, groupId, survivor.Id);
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    private static void RestoreContacts<T>(List<T> survivorRows, Customer merged, string table, MergeSnapshot snapshot, Func<T, long> id,
        Action<T, Customer> setOwner, Action<T, bool> setPrimary)
    {
        var moved = snapshot.MovedIds(table).ToHashSet();
        var flags = snapshot.Flags.Where(f => f.Table == table).ToDictionary(f => f.Id, f => f.Before);
        foreach (var row in survivorRows.ToList())
        {
            if (flags.TryGetValue(id(row), out var before))
            {
                setPrimary(row, before);
            }

            if (moved.Contains(id(row)))
            {
                setOwner(row, merged);
            }
        }
    }

    private static async Task MoveBackAsync<T>(DbSet<T> set, List<long> ids, Func<T, bool> stillMoved, Action<T> moveBack,
        CancellationToken cancellationToken)
        where T : Common.Entity
    {
        if (ids.Count == 0)
        {
            return;
        }

        foreach (var row in await set.IgnoreQueryFilters().Where(r => ids.Contains(r.Id)).ToListAsync(cancellationToken))
        {
            if (stillMoved(row))
            {
                moveBack(row);
            }
        }
    }

    /// <summary>Field by field: back to the value before the merge, unless someone changed it since.</summary>
    private static void RestoreCustomerValues(Customer c, CustomerValues before, CustomerValues after)
    {
        if (c.BuyerType == after.BuyerType)
        {
            c.BuyerType = before.BuyerType;
        }

        c.Title = Restore(c.Title, before.Title, after.Title);
        c.FirstName = Restore(c.FirstName, before.FirstName, after.FirstName);
        c.MiddleName = Restore(c.MiddleName, before.MiddleName, after.MiddleName);
        c.LastName = Restore(c.LastName, before.LastName, after.LastName);
        c.CompanyName = Restore(c.CompanyName, before.CompanyName, after.CompanyName);
        c.DateOfBirth = Restore(c.DateOfBirth, before.DateOfBirth, after.DateOfBirth);
        c.ResponsibleDealerId = Restore(c.ResponsibleDealerId, before.ResponsibleDealerId, after.ResponsibleDealerId);
        c.PaymentMethod = Restore(c.PaymentMethod, before.PaymentMethod, after.PaymentMethod);
        c.InsuredAccidents = Restore(c.InsuredAccidents, before.InsuredAccidents, after.InsuredAccidents);
        c.DedupPendingSince = Restore(c.DedupPendingSince, before.DedupPendingSince, after.DedupPendingSince);
    }

    private static T Restore<T>(T current, T before, T after) => EqualityComparer<T>.Default.Equals(current, after) ? before : current;

    /// <summary>Wholesale records the merge or link deleted come back (with their ids) before anything points at them again.</summary>
    private static async Task RestoreWholesaleRecordsAsync(CrmDbContext db, MergeSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (snapshot.WholesaleDeleted.Count == 0)
        {
            return;
        }

        var ids = snapshot.WholesaleDeleted.Select(w => w.Id).ToList();
        var present = await db.WholesaleCustomers.IgnoreQueryFilters().Where(w => ids.Contains(w.Id)).Select(w => w.Id).ToListAsync(cancellationToken);
        var missing = snapshot.WholesaleDeleted.Where(w => !present.Contains(w.Id)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        // Fields are recomputed from the retail records once they point here again (same rules, same inputs).
        foreach (var row in missing)
        {
            db.WholesaleCustomers.Add(new WholesaleCustomer { Id = row.Id, NetworkId = row.NetworkId, CreatedAt = row.CreatedAt });
        }

        await SaveWithExplicitKeysAsync(db, "WholesaleCustomers", cancellationToken);
    }

    /// <summary>
    /// Retail records go back to the wholesale record they had, if they are still where the merge put them. The
    /// tracked record (if given) through the context, so the save recomputes both wholesale records; the others in
    /// bulk, audited here; the caller's save recomputes.
    /// </summary>
    private static async Task<HashSet<long>> RestoreWholesaleMovesAsync(MergeWork work, MergeSnapshot snapshot, Customer? tracked, long networkId,
        CancellationToken cancellationToken)
    {
        var db = work.Db;
        var touched = new HashSet<long>();
        if (snapshot.WholesaleMoves.Count == 0)
        {
            return touched;
        }

        var ids = snapshot.WholesaleMoves.Select(m => m.Id).ToList();
        var current = await db.Customers.IgnoreQueryFilters().AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.WholesaleCustomerId, c.DealerGroupId }).ToDictionaryAsync(c => c.Id, cancellationToken);
        foreach (var move in snapshot.WholesaleMoves)
        {
            if (!current.TryGetValue(move.Id, out var now))
            {
                continue;
            }

            touched.Add(now.WholesaleCustomerId);
            touched.Add(move.From);
            if (tracked is not null && move.Id == tracked.Id)
            {
                tracked.WholesaleCustomerId = move.From;
                continue;
            }

            var id = move.Id;
            var from = move.From;
            var at = now.WholesaleCustomerId;
            await db.Customers.IgnoreQueryFilters().Where(c => c.Id == id && c.WholesaleCustomerId == at)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.WholesaleCustomerId, from), cancellationToken);
            Audit(work, nameof(Customer), Key(id), AuditAction.Update,
                new Dictionary<string, string?[]> { [nameof(Customer.WholesaleCustomerId)] = [Key(at), Key(from)] }, networkId, now.DealerGroupId, id);
        }

        return touched;
    }
}
