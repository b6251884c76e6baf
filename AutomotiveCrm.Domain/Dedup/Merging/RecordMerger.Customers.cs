using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Dedup.Merging;

public sealed partial class RecordMerger
{
    public async Task<MergeOutcome> MergeCustomersAsync(CrmDbContext db, MergeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(request);
        return await RunAsync(db, "merge", work => MergeCustomersCoreAsync(work, request, cancellationToken), cancellationToken);
    }

    /// <summary>Both customers through the caller's scope, tombstones included (to say why they are refused).</summary>
    private static async Task<(Customer? Survivor, Customer? Merged, string? Error)> LoadPairAsync(CrmDbContext db, MergeRequest request,
        bool withContacts, CancellationToken cancellationToken)
    {
        if (request.SurvivorId == request.MergedId)
        {
            return (null, null, "A record cannot be merged with itself.");
        }

        var ids = new[] { request.SurvivorId, request.MergedId };
        var query = db.Customers.IgnoreQueryFilters(LiveOff).Include(c => c.DealerGroup).Where(c => ids.Contains(c.Id));
        if (withContacts)
        {
            query = query.Include(c => c.Emails).Include(c => c.Phones).Include(c => c.Addresses).AsSplitQuery();
        }

        var found = await query.ToDictionaryAsync(c => c.Id, cancellationToken);
        foreach (var id in ids)
        {
            if (!found.TryGetValue(id, out var customer))
            {
                return (null, null, $"Customer {id} was not found.");
            }

            if (customer.MergedIntoId is { } into)
            {
                return (null, null, $"Customer {id} was already merged into customer {into}.");
            }
        }

        return (found[request.SurvivorId], found[request.MergedId], null);
    }

    private static async Task<MergeOutcome> MergeCustomersCoreAsync(MergeWork work, MergeRequest request, CancellationToken cancellationToken)
    {
        var db = work.Db;
        var (survivor, merged, error) = await LoadPairAsync(db, request, withContacts: true, cancellationToken);
        if (error is not null)
        {
            return MergeOutcome.Refused(error);
        }

        if (survivor!.DealerGroupId != merged!.DealerGroupId)
        {
            return MergeOutcome.Refused("The two customers belong to different dealer groups: they are linked to one wholesale record, never merged.");
        }

        var (candidate, claimError) = await ClaimCandidateAsync(db, request, DedupEntityKind.Customer, cancellationToken);
        if (claimError is not null)
        {
            return MergeOutcome.Refused(claimError);
        }

        var networkId = survivor.DealerGroup!.NetworkId;
        var groupId = survivor.DealerGroupId;
        var snapshot = new MergeSnapshot { SurvivorBefore = CustomerValues.Of(survivor), MergedWholesaleBefore = merged.WholesaleCustomerId };

        var sources = ResolveSources(survivor, merged, request.FieldSources);
        ApplyCustomerFields(survivor, merged, sources);
        if (survivor.LastName is null && survivor.CompanyName is null)
        {
            return MergeOutcome.Refused("The chosen values leave the customer without a last name or company name.");
        }

        MergeContacts(survivor, merged, sources, snapshot);
        await MoveCustomerRelationshipsAsync(db, survivor, merged, snapshot, cancellationToken);
        await MoveCustomerRowsAsync(db, survivor, merged, snapshot, cancellationToken);
        await MergeConsentsAsync(work, survivor, merged, snapshot, networkId, cancellationToken);

        // The merged record's DMS ids now stand for the survivor: the next import of them updates the survivor.
        var dmsIds = await db.DmsRecords.IgnoreQueryFilters()
            .Where(r => r.RecordType == ImportFileType.Customers && r.EntityId == merged.Id).Select(r => r.Id).ToListAsync(cancellationToken);
        if (dmsIds.Count > 0)
        {
            await db.DmsRecords.IgnoreQueryFilters().Where(r => dmsIds.Contains(r.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.EntityId, survivor.Id), cancellationToken);
            snapshot.AddMoved(MovedTables.DmsRecords, dmsIds);
            AuditMoves(work, nameof(DmsRecord), nameof(DmsRecord.EntityId), dmsIds, merged.Id, survivor.Id, networkId, groupId, _ => (survivor.Id, null));
        }

        // The merged record's history becomes the survivor's (its rows keep their entity keys, so each still says
        // which record it was about); the rows this merge writes about the tombstone stay the tombstone's.
        var auditIds = await db.AuditEntries.IgnoreQueryFilters().Where(a => a.CustomerId == merged.Id).Select(a => a.Id).ToListAsync(cancellationToken);
        if (auditIds.Count > 0)
        {
            await db.AuditEntries.IgnoreQueryFilters().Where(a => auditIds.Contains(a.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.CustomerId, survivor.Id), cancellationToken);
            snapshot.AddMoved(MovedTables.AuditEntries, auditIds);
        }

        await MoveToWholesaleAsync(work, merged, survivor.WholesaleCustomerId, snapshot, networkId, cancellationToken);

        merged.MergedIntoId = survivor.Id;
        merged.MergedAt = work.Now;
        // The survivor now holds more (contacts, vehicles): the matcher looks at it again.
        survivor.DedupPendingSince ??= work.Now;
        snapshot.SurvivorAfter = CustomerValues.Of(survivor);
        await db.SaveChangesAsync(cancellationToken);
        snapshot.ConsentsAdded = work.AddedConsents.Select(c => c.Id).ToList();

        var superseded = await OpenCandidatesOfAsync(db, DedupEntityKind.Customer, merged.Id, candidate?.Id, cancellationToken);
        var merge = new RecordMerge
        {
            NetworkId = networkId,
            DealerGroupId = groupId,
            Level = DedupLevel.Retail,
            EntityKind = DedupEntityKind.Customer,
            SurvivorId = survivor.Id,
            MergedId = merged.Id,
            CandidateId = candidate?.Id,
            Score = request.Score ?? candidate?.Score,
            Automatic = request.Automatic,
            MergedAt = work.Now,
            MergedBy = work.Actor.UserName,
            SnapshotJson = "",
        };
        await RecordAsync(work, request, candidate, CandidateStatus.Merged, merge, snapshot, superseded, cancellationToken);
        Audit(work, nameof(Customer), Key(survivor.Id), AuditAction.Update, new Dictionary<string, string?[]>
        {
            ["MergedFrom"] = [null, Key(merged.Id)],
            ["MergeId"] = [null, Key(merge.Id)],
            ["Score"] = [null, Text(merge.Score)],
            ["DecidedBy"] = [null, request.Automatic ? $"automatic ({work.Actor.UserName})" : work.Actor.UserName],
            ["Moved"] = [null, string.Join(", ", snapshot.Moved.Select(m => $"{m.Key}: {m.Value.Count}"))],
        }, networkId, groupId, survivor.Id);
        await db.SaveChangesAsync(cancellationToken);
        return MergeOutcome.Done(merge.Id);
    }

    /// <summary>Per merge field, the id of the record whose value survives: the steward's choice, else the default rule.</summary>
    private static Dictionary<string, long> ResolveSources(Customer survivor, Customer merged, IReadOnlyDictionary<string, long>? chosen)
    {
        var completeSurvivor = Survivorship.Completeness(survivor);
        var completeMerged = Survivorship.Completeness(merged);
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var field in MergeFields.All)
        {
            if (chosen is not null && chosen.TryGetValue(field, out var id) && (id == survivor.Id || id == merged.Id))
            {
                result[field] = id;
                continue;
            }

            result[field] = Survivorship.PrefersSecond(Survivorship.CustomerValue(survivor, field), Survivorship.CustomerValue(merged, field),
                survivor.UpdatedAt, merged.UpdatedAt, completeSurvivor, completeMerged)
                ? merged.Id
                : survivor.Id;
        }

        return result;
    }

    private static void ApplyCustomerFields(Customer survivor, Customer merged, Dictionary<string, long> sources)
    {
        bool FromMerged(string field) => sources[field] == merged.Id;
        if (FromMerged(MergeFields.Title))
        {
            survivor.Title = merged.Title;
        }

        if (FromMerged(MergeFields.FirstName))
        {
            survivor.FirstName = merged.FirstName;
        }

        if (FromMerged(MergeFields.MiddleName))
        {
            survivor.MiddleName = merged.MiddleName;
        }

        if (FromMerged(MergeFields.LastName))
        {
            survivor.LastName = merged.LastName;
        }

        if (FromMerged(MergeFields.CompanyName))
        {
            // The buyer type goes with the company name: a company's name on a private person's record reads wrong.
            survivor.CompanyName = merged.CompanyName;
            survivor.BuyerType = merged.BuyerType;
        }

        if (FromMerged(MergeFields.DateOfBirth))
        {
            survivor.DateOfBirth = merged.DateOfBirth;
        }

        if (FromMerged(MergeFields.ResponsibleDealer))
        {
            survivor.ResponsibleDealerId = merged.ResponsibleDealerId;
        }

        if (FromMerged(MergeFields.PaymentMethod))
        {
            survivor.PaymentMethod = merged.PaymentMethod;
        }

        // A count of reported accidents: the larger report is the one that knows more.
        survivor.InsuredAccidents = Math.Max(survivor.InsuredAccidents, merged.InsuredAccidents);
    }

    /// <summary>
    /// The survivor gets the union of both records' contact points, de-duplicated by normalised value (a duplicate
    /// stays on the tombstone); the primary of each kind is the chosen record's primary.
    /// </summary>
    private static void MergeContacts(Customer survivor, Customer merged, Dictionary<string, long> sources, MergeSnapshot snapshot)
    {
        MergeKind(survivor, merged, survivor.Emails, merged.Emails, e => e.NormalisedAddress, MovedTables.Emails,
            sources[MergeFields.Email] == merged.Id, e => e.IsPrimary, (e, v) => e.IsPrimary = v, (e, c) => e.Customer = c, e => e.Id, snapshot);
        MergeKind(survivor, merged, survivor.Phones, merged.Phones, p => p.Number, MovedTables.Phones,
            sources[MergeFields.Phone] == merged.Id, p => p.IsPrimary, (p, v) => p.IsPrimary = v, (p, c) => p.Customer = c, p => p.Id, snapshot);
        MergeKind(survivor, merged, survivor.Addresses, merged.Addresses, Survivorship.AddressKey, MovedTables.Addresses,
            sources[MergeFields.Address] == merged.Id, a => a.IsPrimary, (a, v) => a.IsPrimary = v, (a, c) => a.Customer = c, a => a.Id, snapshot);
    }

    private static void MergeKind<T>(Customer survivor, Customer merged, List<T> own, List<T> theirs, Func<T, string> key, string table,
        bool theirPrimaryWins, Func<T, bool> isPrimary, Action<T, bool> setPrimary, Action<T, Customer> setOwner, Func<T, long> id,
        MergeSnapshot snapshot)
    {
        var byKey = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var row in own)
        {
            byKey.TryAdd(key(row), row);
        }

        var theirPrimary = theirs.FirstOrDefault(isPrimary) ?? theirs.FirstOrDefault();
        var primaryKey = theirPrimaryWins && theirPrimary is not null ? key(theirPrimary) : null;
        var moved = new List<T>();
        foreach (var row in theirs.ToList())
        {
            if (byKey.ContainsKey(key(row)))
            {
                continue;
            }

            byKey[key(row)] = row;
            moved.Add(row);
        }

        var flagsBefore = own.Concat(moved).ToDictionary(id, isPrimary);
        foreach (var row in moved)
        {
            setOwner(row, survivor);
            setPrimary(row, false);
        }

        if (primaryKey is not null)
        {
            var winner = byKey[primaryKey];
            foreach (var row in own.Concat(moved))
            {
                setPrimary(row, ReferenceEquals(row, winner));
            }
        }

        foreach (var row in own.Concat(moved))
        {
            if (flagsBefore[id(row)] != isPrimary(row))
            {
                snapshot.Flags.Add(new FlagChange(table, id(row), flagsBefore[id(row)]));
            }
        }

        snapshot.AddMoved(table, moved.Select(id));
        _ = merged;
    }

    /// <summary>Service visits, workshop bookings and transactions, sales: every row that names the customer.</summary>
    private static async Task MoveCustomerRowsAsync(CrmDbContext db, Customer survivor, Customer merged, MergeSnapshot snapshot,
        CancellationToken cancellationToken)
    {
        var visits = await db.ServiceVisits.IgnoreQueryFilters().Where(v => v.CustomerId == merged.Id).ToListAsync(cancellationToken);
        foreach (var visit in visits)
        {
            visit.Customer = survivor;
            visit.CustomerId = survivor.Id;
        }

        snapshot.AddMoved(MovedTables.ServiceVisits, visits.Select(v => v.Id));

        var bookings = await db.WorkshopBookings.IgnoreQueryFilters().Where(b => b.CustomerId == merged.Id).ToListAsync(cancellationToken);
        foreach (var booking in bookings)
        {
            booking.Customer = survivor;
            booking.CustomerId = survivor.Id;
        }

        snapshot.AddMoved(MovedTables.WorkshopBookings, bookings.Select(b => b.Id));

        var transactions = await db.WorkshopTransactions.IgnoreQueryFilters().Where(t => t.CustomerId == merged.Id).ToListAsync(cancellationToken);
        foreach (var transaction in transactions)
        {
            transaction.Customer = survivor;
            transaction.CustomerId = survivor.Id;
        }

        snapshot.AddMoved(MovedTables.WorkshopTransactions, transactions.Select(t => t.Id));

        var sales = await db.VehicleSales.IgnoreQueryFilters().Where(s => s.CustomerId == merged.Id).ToListAsync(cancellationToken);
        foreach (var sale in sales)
        {
            sale.Customer = survivor;
            sale.CustomerId = survivor.Id;
        }

        snapshot.AddMoved(MovedTables.Sales, sales.Select(s => s.Id));
    }

    /// <summary>
    /// Consent history moves whole (it is append-only: a bulk update, audited here). Where either record's current
    /// answer for a (channel, purpose, scope) is an opt-out but the combined history would end in an opt-in, the
    /// merge appends an opt-out to the survivor: an opt-out on either side survives, doubt never becomes permission.
    /// </summary>
    private static async Task MergeConsentsAsync(MergeWork work, Customer survivor, Customer merged, MergeSnapshot snapshot, long networkId,
        CancellationToken cancellationToken)
    {
        var db = work.Db;
        var ids = new[] { survivor.Id, merged.Id };
        var history = await db.ConsentRecords.IgnoreQueryFilters().AsNoTracking().Where(c => ids.Contains(c.CustomerId)).ToListAsync(cancellationToken);
        if (history.Count == 0)
        {
            return;
        }

        var own = ConsentState.Current(history.Where(c => c.CustomerId == survivor.Id))
            .ToDictionary(c => new ConsentKey(c.Channel, c.Purpose, c.BrandId, c.DealerId));
        var theirs = ConsentState.Current(history.Where(c => c.CustomerId == merged.Id))
            .ToDictionary(c => new ConsentKey(c.Channel, c.Purpose, c.BrandId, c.DealerId));
        foreach (var combined in ConsentState.Current(history))
        {
            var key = new ConsentKey(combined.Channel, combined.Purpose, combined.BrandId, combined.DealerId);
            if (combined.Status != ConsentStatus.OptIn)
            {
                continue;
            }

            var optOut = new[] { own.GetValueOrDefault(key), theirs.GetValueOrDefault(key) }
                .FirstOrDefault(c => c?.Status == ConsentStatus.OptOut);
            if (optOut is null)
            {
                continue;
            }

            // Later than everything recorded for the key, so it is the current answer whatever the clocks said.
            var at = combined.RecordedAt >= work.Now ? combined.RecordedAt.AddSeconds(1) : work.Now;
            var record = ConsentState.Create(survivor.Id, key.Channel, key.Purpose, key.BrandId, key.DealerId, ConsentStatus.OptOut, at,
                optOut.Source, $"Kept by the merge of customer {merged.Id} into {survivor.Id}: opt-out recorded {optOut.RecordedAt:yyyy-MM-dd} (consent record {optOut.RecordId}).");
            record.Customer = survivor;
            db.ConsentRecords.Add(record);
            work.AddedConsents.Add(record);
        }

        var moved = history.Where(c => c.CustomerId == merged.Id).Select(c => c.Id).ToList();
        if (moved.Count > 0)
        {
            await db.ConsentRecords.IgnoreQueryFilters().Where(c => moved.Contains(c.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.CustomerId, survivor.Id), cancellationToken);
            snapshot.AddMoved(MovedTables.Consents, moved);
            AuditMoves(work, nameof(ConsentRecord), nameof(ConsentRecord.CustomerId), moved, merged.Id, survivor.Id, networkId,
                survivor.DealerGroupId, _ => (survivor.Id, null));
        }
    }

    /// <summary>
    /// Moves the merged record (tracked) and every other record on its wholesale record (bulk: other groups'
    /// records, earlier tombstones) to the survivor's wholesale record; the old one is left without retail records
    /// and deleted by the recompute, so the snapshot keeps it for undo.
    /// </summary>
    private static async Task MoveToWholesaleAsync(MergeWork work, Customer merged, long targetWholesaleId, MergeSnapshot snapshot, long networkId,
        CancellationToken cancellationToken)
    {
        var db = work.Db;
        var oldWholesaleId = merged.WholesaleCustomerId;
        if (oldWholesaleId == targetWholesaleId)
        {
            return;
        }

        var old = await db.WholesaleCustomers.IgnoreQueryFilters().AsNoTracking().Where(w => w.Id == oldWholesaleId)
            .Select(w => new WholesaleRow(w.Id, w.NetworkId, w.CreatedAt)).FirstAsync(cancellationToken);
        var others = await db.Customers.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.WholesaleCustomerId == oldWholesaleId && c.Id != merged.Id)
            .Select(c => new { c.Id, c.DealerGroupId }).ToListAsync(cancellationToken);
        if (others.Count > 0)
        {
            var ids = others.Select(o => o.Id).ToList();
            await db.Customers.IgnoreQueryFilters().Where(c => ids.Contains(c.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.WholesaleCustomerId, targetWholesaleId), cancellationToken);
            foreach (var other in others)
            {
                Audit(work, nameof(Customer), Key(other.Id), AuditAction.Update,
                    new Dictionary<string, string?[]> { [nameof(Customer.WholesaleCustomerId)] = [Key(oldWholesaleId), Key(targetWholesaleId)] },
                    networkId, other.DealerGroupId, other.Id);
            }
        }

        snapshot.WholesaleMoves.Add(new Repoint(merged.Id, oldWholesaleId));
        snapshot.WholesaleMoves.AddRange(others.Select(o => new Repoint(o.Id, oldWholesaleId)));
        snapshot.WholesaleDeleted.Add(old);
        merged.WholesaleCustomerId = targetWholesaleId;
    }
}
