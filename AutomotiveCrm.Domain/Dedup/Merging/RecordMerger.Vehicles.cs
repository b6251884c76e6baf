using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Vehicles;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Dedup.Merging;

public sealed partial class RecordMerger
{
    /// <summary>
    /// Merges two records of one physical vehicle: plates (a plate both carry stays once), mileage readings,
    /// relationships (of every group: the vehicle is the network's), service visits, bookings, sales and trade-ins,
    /// the DMS key map and the history move to the survivor; the other record stays as a tombstone.
    /// </summary>
    public async Task<MergeOutcome> MergeVehiclesAsync(CrmDbContext db, MergeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(request);
        return await RunAsync(db, "merge-vehicle", work => MergeVehiclesCoreAsync(work, request, cancellationToken), cancellationToken);
    }

    private static async Task<MergeOutcome> MergeVehiclesCoreAsync(MergeWork work, MergeRequest request, CancellationToken cancellationToken)
    {
        var db = work.Db;
        if (request.SurvivorId == request.MergedId)
        {
            return MergeOutcome.Refused("A record cannot be merged with itself.");
        }

        var ids = new[] { request.SurvivorId, request.MergedId };
        var found = await db.Vehicles.IgnoreQueryFilters(LiveOff).Include(v => v.Plates).Include(v => v.Brand)
            .Where(v => ids.Contains(v.Id)).ToDictionaryAsync(v => v.Id, cancellationToken);
        foreach (var id in ids)
        {
            if (!found.TryGetValue(id, out var vehicle))
            {
                return MergeOutcome.Refused($"Vehicle {id} was not found.");
            }

            if (vehicle.MergedIntoId is { } into)
            {
                return MergeOutcome.Refused($"Vehicle {id} was already merged into vehicle {into}.");
            }
        }

        var survivor = found[request.SurvivorId];
        var merged = found[request.MergedId];
        if (survivor.NetworkId != merged.NetworkId)
        {
            return MergeOutcome.Refused("The two vehicles belong to different networks.");
        }

        var (candidate, claimError) = await ClaimCandidateAsync(db, request, DedupEntityKind.Vehicle, cancellationToken);
        if (claimError is not null)
        {
            return MergeOutcome.Refused(claimError);
        }

        var networkId = survivor.NetworkId;
        var snapshot = new MergeSnapshot { VehicleBefore = VehicleValues.Of(survivor) };
        ApplyVehicleFields(survivor, merged, request.FieldSources);
        MergePlates(survivor, merged, snapshot);

        await MoveVehicleRelationshipsAsync(db, survivor, merged, snapshot, cancellationToken);
        var visits = await db.ServiceVisits.IgnoreQueryFilters().Where(v => v.VehicleId == merged.Id).ToListAsync(cancellationToken);
        foreach (var visit in visits)
        {
            visit.Vehicle = survivor;
            visit.VehicleId = survivor.Id;
        }

        snapshot.AddMoved(MovedTables.ServiceVisits, visits.Select(v => v.Id));
        var bookings = await db.WorkshopBookings.IgnoreQueryFilters().Where(b => b.VehicleId == merged.Id).ToListAsync(cancellationToken);
        foreach (var booking in bookings)
        {
            booking.Vehicle = survivor;
            booking.VehicleId = survivor.Id;
        }

        snapshot.AddMoved(MovedTables.WorkshopBookings, bookings.Select(b => b.Id));
        var sales = await db.VehicleSales.IgnoreQueryFilters().Where(s => s.VehicleId == merged.Id || s.TradeInVehicleId == merged.Id)
            .ToListAsync(cancellationToken);
        var movedSales = sales.Where(s => s.VehicleId == merged.Id).ToList();
        var tradeIns = sales.Where(s => s.TradeInVehicleId == merged.Id).ToList();
        foreach (var sale in movedSales)
        {
            sale.Vehicle = survivor;
            sale.VehicleId = survivor.Id;
        }

        foreach (var sale in tradeIns)
        {
            sale.TradeInVehicle = survivor;
            sale.TradeInVehicleId = survivor.Id;
        }

        snapshot.AddMoved(MovedTables.Sales, movedSales.Select(s => s.Id));
        snapshot.AddMoved(MovedTables.TradeIns, tradeIns.Select(s => s.Id));

        var readings = await db.MileageReadings.IgnoreQueryFilters().Where(m => m.VehicleId == merged.Id).Select(m => m.Id).ToListAsync(cancellationToken);
        if (readings.Count > 0)
        {
            await db.MileageReadings.IgnoreQueryFilters().Where(m => readings.Contains(m.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.VehicleId, survivor.Id), cancellationToken);
            snapshot.AddMoved(MovedTables.MileageReadings, readings);
            AuditMoves(work, nameof(MileageReading), nameof(MileageReading.VehicleId), readings, merged.Id, survivor.Id, networkId, null,
                _ => (null, survivor.Id));
        }

        var dmsIds = await db.DmsRecords.IgnoreQueryFilters().Where(r => r.RecordType == ImportFileType.Vehicles && r.EntityId == merged.Id)
            .Select(r => r.Id).ToListAsync(cancellationToken);
        if (dmsIds.Count > 0)
        {
            await db.DmsRecords.IgnoreQueryFilters().Where(r => dmsIds.Contains(r.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.EntityId, survivor.Id), cancellationToken);
            snapshot.AddMoved(MovedTables.DmsRecords, dmsIds);
            AuditMoves(work, nameof(DmsRecord), nameof(DmsRecord.EntityId), dmsIds, merged.Id, survivor.Id, networkId, null, _ => (null, survivor.Id));
        }

        var auditIds = await db.AuditEntries.IgnoreQueryFilters().Where(a => a.VehicleId == merged.Id).Select(a => a.Id).ToListAsync(cancellationToken);
        if (auditIds.Count > 0)
        {
            await db.AuditEntries.IgnoreQueryFilters().Where(a => auditIds.Contains(a.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.VehicleId, survivor.Id), cancellationToken);
            snapshot.AddMoved(MovedTables.AuditEntries, auditIds);
        }

        merged.MergedIntoId = survivor.Id;
        merged.MergedAt = work.Now;
        snapshot.VehicleAfter = VehicleValues.Of(survivor);
        await db.SaveChangesAsync(cancellationToken);

        var superseded = await OpenCandidatesOfAsync(db, DedupEntityKind.Vehicle, merged.Id, candidate?.Id, cancellationToken);
        var merge = new RecordMerge
        {
            NetworkId = networkId,
            DealerGroupId = candidate?.DealerGroupId,
            Level = DedupLevel.Retail,
            EntityKind = DedupEntityKind.Vehicle,
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
        Audit(work, nameof(Vehicle), Key(survivor.Id), AuditAction.Update, new Dictionary<string, string?[]>
        {
            ["MergedFrom"] = [null, Key(merged.Id)],
            ["MergeId"] = [null, Key(merge.Id)],
            ["Score"] = [null, Text(merge.Score)],
            ["DecidedBy"] = [null, request.Automatic ? $"automatic ({work.Actor.UserName})" : work.Actor.UserName],
            ["Moved"] = [null, string.Join(", ", snapshot.Moved.Select(m => $"{m.Key}: {m.Value.Count}"))],
        }, networkId, merge.DealerGroupId, null, survivor.Id);
        await db.SaveChangesAsync(cancellationToken);
        return MergeOutcome.Done(merge.Id);
    }

    private static void ApplyVehicleFields(Vehicle survivor, Vehicle merged, IReadOnlyDictionary<string, long>? chosen)
    {
        var completeSurvivor = Survivorship.Completeness(survivor);
        var completeMerged = Survivorship.Completeness(merged);
        bool FromMerged(string field)
        {
            if (chosen is not null && chosen.TryGetValue(field, out var id) && (id == survivor.Id || id == merged.Id))
            {
                return id == merged.Id;
            }

            return field == VehicleMergeFields.Vin
                ? Survivorship.PrefersSecondVin(survivor, merged)
                : Survivorship.PrefersSecond(Survivorship.VehicleValue(survivor, field), Survivorship.VehicleValue(merged, field),
                    survivor.UpdatedAt, merged.UpdatedAt, completeSurvivor, completeMerged);
        }

        if (FromMerged(VehicleMergeFields.Vin))
        {
            survivor.Vin = merged.Vin;
            survivor.VinWarning = merged.VinWarning;
        }

        if (FromMerged(VehicleMergeFields.Make))
        {
            survivor.BrandId = merged.BrandId;
            survivor.Brand = merged.Brand;
            survivor.Make = merged.Make;
        }

        if (FromMerged(VehicleMergeFields.Model))
        {
            survivor.Model = merged.Model;
        }

        if (FromMerged(VehicleMergeFields.Derivative))
        {
            survivor.Derivative = merged.Derivative;
        }

        if (FromMerged(VehicleMergeFields.FuelType))
        {
            survivor.FuelType = merged.FuelType;
        }

        if (FromMerged(VehicleMergeFields.BodyType))
        {
            survivor.BodyType = merged.BodyType;
        }

        if (FromMerged(VehicleMergeFields.Colour))
        {
            survivor.Colour = merged.Colour;
        }

        if (FromMerged(VehicleMergeFields.ModelYear))
        {
            survivor.ModelYear = merged.ModelYear;
        }

        if (FromMerged(VehicleMergeFields.FirstRegistration))
        {
            survivor.FirstRegistrationDate = merged.FirstRegistrationDate;
        }

        survivor.Transmission ??= merged.Transmission;
        if (FromMerged(VehicleMergeFields.Plate) && merged.CurrentPlate is not null)
        {
            survivor.CurrentPlate = merged.CurrentPlate;
        }
    }

    /// <summary>
    /// Plate periods move (a plate the survivor already has stays on the tombstone). Two current plates cannot both
    /// be on the car: the older one ends the day the newer one begins, and the newer is the current plate.
    /// </summary>
    private static void MergePlates(Vehicle survivor, Vehicle merged, MergeSnapshot snapshot)
    {
        var known = survivor.Plates.Select(p => p.Plate).ToHashSet(StringComparer.Ordinal);
        var moved = new List<PlateRegistration>();
        foreach (var plate in merged.Plates.ToList())
        {
            if (known.Add(plate.Plate))
            {
                plate.Vehicle = survivor;
                plate.VehicleId = survivor.Id;
                moved.Add(plate);
            }
        }

        snapshot.AddMoved(MovedTables.Plates, moved.Select(p => p.Id));
        var all = survivor.Plates.Concat(moved).Distinct().ToList();
        var current = all.Where(p => p.ValidTo is null).OrderByDescending(p => p.ValidFrom).ThenByDescending(p => p.Id).ToList();
        if (current.Count > 1)
        {
            var newest = current[0];
            foreach (var older in current.Skip(1).Where(p => p.ValidFrom < newest.ValidFrom))
            {
                snapshot.PlateEnds.Add(new PlateEnd(older.Id, older.ValidTo, newest.ValidFrom));
                older.ValidTo = newest.ValidFrom;
            }

            survivor.CurrentPlate = newest.Plate;
        }
        else if (current.Count == 1 && moved.Contains(current[0]))
        {
            survivor.CurrentPlate = current[0].Plate;
        }
    }

    private static async Task<string?> UndoVehicleMergeAsync(MergeWork work, RecordMerge merge, MergeSnapshot snapshot, CancellationToken cancellationToken)
    {
        var db = work.Db;
        var ids = new[] { merge.SurvivorId, merge.MergedId };
        var vehicles = await db.Vehicles.IgnoreQueryFilters().Include(v => v.Plates).Where(v => ids.Contains(v.Id))
            .ToDictionaryAsync(v => v.Id, cancellationToken);
        if (!vehicles.TryGetValue(merge.SurvivorId, out var survivor) || !vehicles.TryGetValue(merge.MergedId, out var merged))
        {
            return "One of the merged records no longer exists.";
        }

        if (merged.MergedIntoId != survivor.Id || survivor.MergedIntoId is not null)
        {
            return $"Vehicle {merged.Id} is no longer merged into vehicle {survivor.Id}.";
        }

        var movedPlates = snapshot.MovedIds(MovedTables.Plates).ToHashSet();
        var ends = snapshot.PlateEnds.ToDictionary(p => p.Id);
        foreach (var plate in survivor.Plates.ToList())
        {
            if (ends.TryGetValue(plate.Id, out var end) && plate.ValidTo == end.After)
            {
                plate.ValidTo = end.Before;
            }

            if (movedPlates.Contains(plate.Id))
            {
                plate.Vehicle = merged;
                plate.VehicleId = merged.Id;
            }
        }

        await RestoreRelationshipsAsync(db, snapshot, r =>
        {
            r.Vehicle = merged;
            r.VehicleId = merged.Id;
        }, r => r.VehicleId == survivor.Id, cancellationToken);
        await MoveBackAsync(db.ServiceVisits, snapshot.MovedIds(MovedTables.ServiceVisits), v => v.VehicleId == survivor.Id, v =>
        {
            v.Vehicle = merged;
            v.VehicleId = merged.Id;
        }, cancellationToken);
        await MoveBackAsync(db.WorkshopBookings, snapshot.MovedIds(MovedTables.WorkshopBookings), b => b.VehicleId == survivor.Id, b =>
        {
            b.Vehicle = merged;
            b.VehicleId = merged.Id;
        }, cancellationToken);
        await MoveBackAsync(db.VehicleSales, snapshot.MovedIds(MovedTables.Sales), s => s.VehicleId == survivor.Id, s =>
        {
            s.Vehicle = merged;
            s.VehicleId = merged.Id;
        }, cancellationToken);
        await MoveBackAsync(db.VehicleSales, snapshot.MovedIds(MovedTables.TradeIns), s => s.TradeInVehicleId == survivor.Id, s =>
        {
            s.TradeInVehicle = merged;
            s.TradeInVehicleId = merged.Id;
        }, cancellationToken);

        var readings = snapshot.MovedIds(MovedTables.MileageReadings);
        if (readings.Count > 0)
        {
            await db.MileageReadings.IgnoreQueryFilters().Where(m => readings.Contains(m.Id) && m.VehicleId == survivor.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.VehicleId, merged.Id), cancellationToken);
            AuditMoves(work, nameof(MileageReading), nameof(MileageReading.VehicleId), readings, survivor.Id, merged.Id, survivor.NetworkId, null,
                _ => (null, merged.Id));
        }

        var dms = snapshot.MovedIds(MovedTables.DmsRecords);
        if (dms.Count > 0)
        {
            await db.DmsRecords.IgnoreQueryFilters().Where(r => dms.Contains(r.Id) && r.EntityId == survivor.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.EntityId, merged.Id), cancellationToken);
            AuditMoves(work, nameof(DmsRecord), nameof(DmsRecord.EntityId), dms, survivor.Id, merged.Id, survivor.NetworkId, null, _ => (null, merged.Id));
        }

        var audit = snapshot.MovedIds(MovedTables.AuditEntries);
        if (audit.Count > 0)
        {
            await db.AuditEntries.IgnoreQueryFilters().Where(a => audit.Contains(a.Id) && a.VehicleId == survivor.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.VehicleId, merged.Id), cancellationToken);
        }

        if (snapshot is { VehicleBefore: { } before, VehicleAfter: { } after })
        {
            survivor.Vin = Restore(survivor.Vin, before.Vin, after.Vin);
            survivor.VinWarning = Restore(survivor.VinWarning, before.VinWarning, after.VinWarning);
            survivor.CurrentPlate = Restore(survivor.CurrentPlate, before.CurrentPlate, after.CurrentPlate);
            survivor.BrandId = Restore(survivor.BrandId, before.BrandId, after.BrandId);
            survivor.Make = Restore(survivor.Make, before.Make, after.Make);
            survivor.Model = Restore(survivor.Model, before.Model, after.Model);
            survivor.Derivative = Restore(survivor.Derivative, before.Derivative, after.Derivative);
            survivor.BodyType = Restore(survivor.BodyType, before.BodyType, after.BodyType);
            survivor.FuelType = Restore(survivor.FuelType, before.FuelType, after.FuelType);
            survivor.Transmission = Restore(survivor.Transmission, before.Transmission, after.Transmission);
            survivor.Colour = Restore(survivor.Colour, before.Colour, after.Colour);
            survivor.ModelYear = Restore(survivor.ModelYear, before.ModelYear, after.ModelYear);
            survivor.FirstRegistrationDate = Restore(survivor.FirstRegistrationDate, before.FirstRegistrationDate, after.FirstRegistrationDate);
        }

        merged.MergedIntoId = null;
        merged.MergedAt = null;
        Audit(work, nameof(Vehicle), Key(survivor.Id), AuditAction.Update, new Dictionary<string, string?[]>
        {
            ["MergedFrom"] = [Key(merged.Id), null],
            ["UndoneMergeId"] = [null, Key(merge.Id)],
        }, survivor.NetworkId, merge.DealerGroupId, null, survivor.Id);
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }
}
