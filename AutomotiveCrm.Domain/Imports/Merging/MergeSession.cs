using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Vehicles;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Imports.Merging;

/// <summary>
/// What one attempt at merging a batch of rows knows: the records its rows refer to, loaded once for the whole batch
/// (tracked by EF Core, so that changes are saved and audited), and the records it creates, so that a later row of
/// the same batch finds a vehicle an earlier row created instead of creating it twice. Look-ups never go to the
/// database row by row: whatever the prefetch did not find does not exist.
/// </summary>
internal sealed class MergeSession(CrmDbContext db, MergeChunk chunk, bool[] carried, FieldLayout layout)
{
    private readonly Dictionary<string, Customer> _customersByDmsId = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Customer> _customersById = [];
    private readonly Dictionary<string, Vehicle> _vehiclesByDmsId = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Vehicle> _vehiclesById = [];
    private readonly Dictionary<string, Vehicle> _vehiclesByVin = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Vehicle>> _vehiclesByPlate = new(StringComparer.Ordinal);
    private readonly Dictionary<Vehicle, List<Relationship>> _relationships = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<long, long> _wholesaleOfCustomer = [];
    private readonly HashSet<(long VehicleId, DateOnly ReadOn, int Value, MileageUnit Unit)> _savedReadings = [];
    private readonly Dictionary<string, long> _brands = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<Vehicle> _relationshipsLoaded = new(ReferenceEqualityComparer.Instance);

    public CrmDbContext Db { get; } = db;
    public MergeChunk Chunk { get; } = chunk;
    public MergeTarget Target => Chunk.Target;
    public FieldLayout Layout { get; } = layout;
    public DateTime Now { get; } = DateTime.SpecifyKind(chunk.Now, DateTimeKind.Utc);
    public DateOnly Today { get; } = DateOnly.FromDateTime(chunk.Now);
    public long FileId => Chunk.ImportFileId;

    public bool Carried(int field) => carried[field];

    // ----- Customers (the dealer's, by DMS customer number) -----

    public async Task LoadCustomersAsync(IEnumerable<string?> dmsIds, CancellationToken cancellationToken)
    {
        var keys = dmsIds.OfType<string>().Where(k => !_customersByDmsId.ContainsKey(k)).ToHashSet(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return;
        }

        var entityIds = await DmsRecordStore.EntityIdsAsync(Db, Target.DealerId, ImportFileType.Customers, keys, cancellationToken);
        var ids = entityIds.Values.Distinct().ToList();
        var groupId = Target.DealerGroupId;
        // By id only, the group checked here: with both in the query SQLite's planner (no statistics) prefers the
        // group's index, an equality, and reads every customer of the group for each batch.
        var customers = new Dictionary<long, Customer>();
        foreach (var customer in await Db.Customers.IgnoreQueryFilters().Where(c => ids.Contains(c.Id)).ToListAsync(cancellationToken))
        {
            if (customer.DealerGroupId == groupId)
            {
                customers[customer.Id] = customer;
            }
            else
            {
                Db.Entry(customer).State = EntityState.Detached;
            }
        }
        foreach (var (key, id) in entityIds)
        {
            if (customers.TryGetValue(id, out var customer))
            {
                _customersByDmsId[key] = customer;
                _customersById[customer.Id] = customer;
                _wholesaleOfCustomer[customer.Id] = customer.WholesaleCustomerId;
            }
        }
    }

    /// <summary>The dealer's customer with this DMS number, or null when the dealer's files never delivered it.</summary>
    public Customer? Customer(string? dmsId) => dmsId is not null && _customersByDmsId.TryGetValue(dmsId, out var c) ? c : null;

    public RowRejectedException UnknownCustomer(int field, string dmsId) => new(Layout.Names[field],
        $"{Layout.Names[field]}: customer {dmsId} is not known for dealer {Target.DealerCode}: import the customers file first.");

    // ----- Vehicles (the network's, by the dealer's DMS vehicle number, VIN or current plate) -----

    public async Task LoadVehiclesAsync(IEnumerable<string?> dmsIds, IEnumerable<string?> vins, IEnumerable<string?> plates, CancellationToken cancellationToken)
    {
        var keys = dmsIds.OfType<string>().Where(k => !_vehiclesByDmsId.ContainsKey(k)).ToHashSet(StringComparer.Ordinal);
        var byKey = keys.Count == 0
            ? []
            : await DmsRecordStore.EntityIdsAsync(Db, Target.DealerId, ImportFileType.Vehicles, keys, cancellationToken);
        var ids = byKey.Values.Where(id => !_vehiclesById.ContainsKey(id)).Distinct().ToList();
        if (ids.Count > 0)
        {
            Remember(await NetworkVehiclesAsync(Db.Vehicles.IgnoreQueryFilters().Where(v => ids.Contains(v.Id)), cancellationToken));
        }

        foreach (var (key, id) in byKey)
        {
            if (_vehiclesById.TryGetValue(id, out var vehicle))
            {
                _vehiclesByDmsId[key] = vehicle;
            }
        }

        var vinList = vins.OfType<string>().Select(v => v.ToUpperInvariant()).Where(v => !_vehiclesByVin.ContainsKey(v)).Distinct().ToList();
        if (vinList.Count > 0)
        {
            Remember(await NetworkVehiclesAsync(Db.Vehicles.IgnoreQueryFilters().Where(v => vinList.Contains(v.Vin!)), cancellationToken));
        }

        var plateList = plates.Select(PlateRegistration.Normalise).OfType<string>().Where(p => !_vehiclesByPlate.ContainsKey(p)).Distinct().ToList();
        if (plateList.Count > 0)
        {
            Remember(await NetworkVehiclesAsync(Db.Vehicles.IgnoreQueryFilters().Where(v => plateList.Contains(v.CurrentPlate!)), cancellationToken));
            foreach (var plate in plateList)
            {
                _vehiclesByPlate.TryAdd(plate, []);
            }
        }
    }

    /// <summary>
    /// The network's vehicles among those the query selects (by id, VIN or plate), tracked with their plates. The
    /// network is checked here, not in SQL: with it in the query SQLite's planner (no statistics) prefers the network's
    /// index, an equality, and reads every vehicle of the network for each batch. Vehicles of other networks found
    /// by the same key are forgotten again.
    /// </summary>
    private async Task<List<Vehicle>> NetworkVehiclesAsync(IQueryable<Vehicle> query, CancellationToken cancellationToken)
    {
        var networkId = Target.NetworkId;
        var found = await query.Include(v => v.Plates).ToListAsync(cancellationToken);
        foreach (var other in found.Where(v => v.NetworkId != networkId))
        {
            foreach (var plate in other.Plates)
            {
                Db.Entry(plate).State = EntityState.Detached;
            }

            Db.Entry(other).State = EntityState.Detached;
        }

        return found.Where(v => v.NetworkId == networkId).ToList();
    }

    private void Remember(IEnumerable<Vehicle> vehicles)
    {
        foreach (var vehicle in vehicles)
        {
            if (_vehiclesById.TryGetValue(vehicle.Id, out var known) && !ReferenceEquals(known, vehicle))
            {
                continue;
            }

            _vehiclesById[vehicle.Id] = vehicle;
            Index(vehicle);
        }
    }

    private void Index(Vehicle vehicle)
    {
        // The oldest record of a VIN wins when the network holds it twice (dedup has yet to link them).
        if (vehicle.Vin is not null && (!_vehiclesByVin.TryGetValue(vehicle.Vin, out var other) || (other.Id != 0 && vehicle.Id != 0 && vehicle.Id < other.Id)))
        {
            _vehiclesByVin[vehicle.Vin] = vehicle;
        }

        if (vehicle.CurrentPlate is not null)
        {
            if (!_vehiclesByPlate.TryGetValue(vehicle.CurrentPlate, out var list))
            {
                _vehiclesByPlate[vehicle.CurrentPlate] = list = [];
            }

            if (!list.Contains(vehicle))
            {
                list.Add(vehicle);
            }
        }
    }

    public Vehicle? VehicleByDmsId(string? dmsId) => dmsId is not null && _vehiclesByDmsId.TryGetValue(dmsId, out var v) ? v : null;

    public Vehicle? VehicleById(long id) => _vehiclesById.GetValueOrDefault(id);

    public Vehicle? VehicleByVin(string? vin) => vin is not null && _vehiclesByVin.TryGetValue(vin.ToUpperInvariant(), out var v) ? v : null;

    /// <summary>The vehicle currently carrying the plate, when exactly one does (plates are reissued; a guess is worse than nothing).</summary>
    public Vehicle? VehicleByPlate(string? plate)
    {
        var normalised = PlateRegistration.Normalise(plate);
        return normalised is not null && _vehiclesByPlate.TryGetValue(normalised, out var list) && list.Count(v => v.CurrentPlate == normalised) == 1
            ? list.First(v => v.CurrentPlate == normalised)
            : null;
    }

    /// <summary>A new vehicle of the network, tracked for insert and findable by later rows of the batch.</summary>
    public Vehicle NewVehicle(string? vin)
    {
        var vehicle = new Vehicle { NetworkId = Target.NetworkId, SourceFileId = FileId, CreatedAt = Now, UpdatedAt = Now };
        SetVin(vehicle, vin, -1);
        Db.Vehicles.Add(vehicle);
        Index(vehicle);
        _relationships[vehicle] = [];
        _relationshipsLoaded.Add(vehicle);
        return vehicle;
    }

    /// <summary>Links a DMS vehicle number to a vehicle for the rest of the batch (a vehicles file row that created or matched it).</summary>
    public void RememberDmsId(string dmsId, Vehicle vehicle) => _vehiclesByDmsId[dmsId] = vehicle;

    public void SetVin(Vehicle vehicle, string? vin, int field)
    {
        if (vin is null || string.Equals(vehicle.Vin, vin, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        try
        {
            vehicle.SetVin(vin);
        }
        catch (DomainException e)
        {
            throw new RowRejectedException(field >= 0 ? Layout.Names[field] : "vin", $"{(field >= 0 ? Layout.Names[field] : "vin")}: {e.Message}");
        }

        Index(vehicle);
    }

    /// <summary>A plate reported on a date: a new current plate from then, unless history already has it or knows a later one.</summary>
    public void ReportPlate(Vehicle vehicle, string? plate, DateOnly from)
    {
        var normalised = PlateRegistration.Normalise(plate);
        if (normalised is null || normalised.Length > 16 || vehicle.Plates.Any(p => p.Plate == normalised))
        {
            return;
        }

        var current = vehicle.Plates.Where(p => p.ValidTo is null).OrderByDescending(p => p.ValidFrom).FirstOrDefault();
        if (current is not null && from < current.ValidFrom)
        {
            return; // Older news than the plate on record.
        }

        vehicle.ChangePlate(normalised, from);
        Index(vehicle);
    }

    public async Task LoadBrandsAsync(CancellationToken cancellationToken)
    {
        if (_brands.Count > 0)
        {
            return;
        }

        var networkId = Target.NetworkId;
        foreach (var brand in await Db.Brands.IgnoreQueryFilters().AsNoTracking().Where(b => b.NetworkId == networkId)
            .Select(b => new { b.Id, b.Name, b.Code }).ToListAsync(cancellationToken))
        {
            _brands.TryAdd(brand.Name, brand.Id);
            _brands.TryAdd(brand.Code, brand.Id);
        }
    }

    /// <summary>The make as the network's brand when it sells it, else as text.</summary>
    public void SetMake(Vehicle vehicle, string? make)
    {
        if (make is null)
        {
            return;
        }

        if (_brands.TryGetValue(make.Trim(), out var brandId))
        {
            vehicle.BrandId = brandId;
            vehicle.Make = null;
        }
        else
        {
            vehicle.BrandId = null;
            vehicle.Make = make.Length > 50 ? make[..50] : make;
        }
    }

    // ----- Mileage -----

    public async Task LoadMileageAsync(CancellationToken cancellationToken)
    {
        var ids = _vehiclesById.Keys.Where(id => id != 0).ToList();
        if (ids.Count == 0)
        {
            return;
        }

        foreach (var m in await Db.MileageReadings.AsNoTracking().Where(m => ids.Contains(m.VehicleId))
            .Select(m => new { m.VehicleId, m.ReadOn, m.Value, m.Unit }).ToListAsync(cancellationToken))
        {
            _savedReadings.Add((m.VehicleId, m.ReadOn, m.Value, m.Unit));
        }
    }

    /// <summary>Appends a reading unless the vehicle already has the same one (readings are history: never changed, never doubled).</summary>
    public void AddMileage(Vehicle vehicle, DateOnly readOn, int value, MileageUnit unit, MileageSource source)
    {
        if (vehicle.Id != 0 && _savedReadings.Contains((vehicle.Id, readOn, value, unit)))
        {
            return;
        }

        if (vehicle.MileageReadings.Any(m => m.ReadOn == readOn && m.Value == value && m.Unit == unit))
        {
            return;
        }

        var reading = vehicle.RecordMileage(readOn, value, unit, source, Target.DealerId);
        reading.SourceFileId = FileId;
    }

    public static int? Mileage(StagedRow row, int field)
    {
        var value = row.Int(field);
        return value is < 0 or > 9_999_999 ? throw row.Reject(field, $"{value} is not a plausible odometer reading.") : value;
    }

    // ----- Relationships -----

    /// <summary>Loads every relationship of the vehicles (tracked) and the wholesale record of each customer in them.</summary>
    public async Task LoadRelationshipsAsync(IEnumerable<Vehicle> vehicles, CancellationToken cancellationToken)
    {
        var wanted = vehicles.Where(v => v.Id != 0 && !_relationshipsLoaded.Contains(v)).Distinct().ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        var ids = wanted.Select(v => v.Id).ToList();
        var relationships = await Db.Relationships.IgnoreQueryFilters().Where(r => ids.Contains(r.VehicleId)).ToListAsync(cancellationToken);
        foreach (var vehicle in wanted)
        {
            _relationships[vehicle] = relationships.Where(r => r.VehicleId == vehicle.Id).ToList();
            _relationshipsLoaded.Add(vehicle);
        }

        var customerIds = relationships.Select(r => r.CustomerId).Where(id => !_wholesaleOfCustomer.ContainsKey(id)).Distinct().ToList();
        if (customerIds.Count > 0)
        {
            foreach (var c in await Db.Customers.IgnoreQueryFilters().AsNoTracking().Where(c => customerIds.Contains(c.Id))
                .Select(c => new { c.Id, c.WholesaleCustomerId }).ToListAsync(cancellationToken))
            {
                _wholesaleOfCustomer[c.Id] = c.WholesaleCustomerId;
            }
        }
    }

    public List<Relationship> RelationshipsOf(Vehicle vehicle) =>
        _relationships.TryGetValue(vehicle, out var list) ? list : throw new InvalidOperationException("The vehicle's relationships were not loaded.");

    /// <summary>Whether a relationship's customer is the same person as <paramref name="customer"/> (the record itself, or one linked to the same wholesale record).</summary>
    public bool SamePerson(Relationship relationship, Customer customer)
    {
        if (relationship.CustomerId == customer.Id || ReferenceEquals(relationship.Customer, customer))
        {
            return true;
        }

        return _wholesaleOfCustomer.TryGetValue(relationship.CustomerId, out var wholesale) && wholesale == customer.WholesaleCustomerId;
    }

    /// <summary>
    /// Opens a relationship of the dealer, the customer and the vehicle over [start, end) when it overlaps no other
    /// period of the same three (the model's rule); returns null when it would.
    /// </summary>
    public Relationship? TryOpen(Customer customer, Vehicle vehicle, RelationshipType type, DateOnly start, DateOnly? end, PaymentMethod? paymentMethod)
    {
        var triangle = Triangle(customer, vehicle);
        if (end is { } e && e < start)
        {
            return null;
        }

        if (triangle.Any(r => RelationshipRules.Overlaps(r.StartDate, r.EndDate, start, end)))
        {
            return null;
        }

        var relationship = new Relationship
        {
            VehicleId = vehicle.Id,
            DealerId = Target.DealerId,
            DealerGroupId = Target.DealerGroupId,
            CustomerId = customer.Id,
            Customer = customer,
            Vehicle = vehicle,
            Type = type,
            StartDate = start,
            EndDate = end,
            EndReason = end is null ? null : RelationshipEndReason.SoldPrivately,
            PaymentMethod = paymentMethod,
            SourceFileId = FileId,
            CreatedAt = Now,
            UpdatedAt = Now,
        };
        Db.Relationships.Add(relationship);
        RelationshipsOf(vehicle).Add(relationship);
        return relationship;
    }

    /// <summary>The dealer's relationships with this customer and vehicle (saved and new), ended or not.</summary>
    public List<Relationship> Triangle(Customer customer, Vehicle vehicle) =>
        RelationshipsOf(vehicle).Where(r => r.DealerId == Target.DealerId && (r.CustomerId == customer.Id || ReferenceEquals(r.Customer, customer))
            && Db.Entry(r).State != EntityState.Deleted).ToList();

    /// <summary>Ends a current relationship on a date (its start at the earliest), stamped with this file.</summary>
    public void End(Relationship relationship, DateOnly on, RelationshipEndReason reason)
    {
        relationship.End(on < relationship.StartDate ? relationship.StartDate : on, reason);
        relationship.SourceFileId = FileId;
    }

    /// <summary>Loads the relationships of every vehicle the batch has found so far.</summary>
    public Task LoadRelationshipsOfKnownVehiclesAsync(CancellationToken cancellationToken) =>
        LoadRelationshipsAsync(_vehiclesById.Values.ToList(), cancellationToken);

    /// <summary>Vehicles by id (those records of the batch point at), tracked.</summary>
    public async Task LoadVehiclesByIdAsync(IEnumerable<long> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Where(id => id != 0 && !_vehiclesById.ContainsKey(id)).Distinct().ToList();
        if (wanted.Count > 0)
        {
            Remember(await Db.Vehicles.IgnoreQueryFilters().Include(v => v.Plates).Where(v => wanted.Contains(v.Id)).ToListAsync(cancellationToken));
        }
    }

    /// <summary>
    /// Makes sure the dealer knows the customer through the vehicle as its workshop: a current Selling or
    /// Servicing relationship already says so (a Servicing one that started after the visit is moved back to it);
    /// a current Prospect, ContactOnly or Breakdown relationship is superseded from the visit on; otherwise a
    /// Servicing relationship opens on the visit date, ending where a later owner's begins.
    /// </summary>
    public void EnsureServicing(Customer customer, Vehicle vehicle, DateOnly visitDate)
    {
        var triangle = Triangle(customer, vehicle);
        var current = triangle.FirstOrDefault(r => r.EndDate is null);
        if (current is not null)
        {
            if (current.Type is RelationshipType.Selling or RelationshipType.Servicing)
            {
                if (current.Type == RelationshipType.Servicing && visitDate < current.StartDate
                    && !triangle.Any(r => !ReferenceEquals(r, current) && RelationshipRules.Overlaps(r.StartDate, r.EndDate, visitDate, current.StartDate)))
                {
                    current.StartDate = visitDate;
                    current.SourceFileId = FileId;
                }

                return;
            }

            if (current.StartDate > visitDate)
            {
                return;
            }

            End(current, visitDate, RelationshipEndReason.Superseded);
        }

        TryOpen(customer, vehicle, RelationshipType.Servicing, visitDate, LaterOwnerFrom(customer, vehicle, visitDate), null);
    }

    /// <summary>When someone else bought the vehicle after <paramref name="day"/>: the customer's period ends there.</summary>
    public DateOnly? LaterOwnerFrom(Customer customer, Vehicle vehicle, DateOnly day) =>
        RelationshipsOf(vehicle)
            .Where(r => r.Type == RelationshipType.Selling && r.StartDate > day && !SamePerson(r, customer) && Db.Entry(r).State != EntityState.Deleted)
            .Select(r => (DateOnly?)r.StartDate)
            .Min();

    // ----- Per-file look-ups -----

    /// <summary>The records the batch's changed keys stand for, tracked, by id (each merger loads its own kind).</summary>
    public Dictionary<long, Entity> Existing { get; } = [];

    /// <summary>Service visit ids of the dealer by DMS visit number (visits that still exist).</summary>
    public Dictionary<string, long> VisitIds { get; } = new(StringComparer.Ordinal);

    public async Task LoadVisitIdsAsync(IEnumerable<string?> dmsIds, CancellationToken cancellationToken)
    {
        var keys = dmsIds.OfType<string>().Where(k => !VisitIds.ContainsKey(k)).ToHashSet(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return;
        }

        var byKey = await DmsRecordStore.EntityIdsAsync(Db, Target.DealerId, ImportFileType.ServiceHistory, keys, cancellationToken);
        var ids = byKey.Values.Distinct().ToList();
        var dealerId = Target.DealerId;
        var present = await Db.ServiceVisits.IgnoreQueryFilters().Where(v => ids.Contains(v.Id) && v.DealerId == dealerId)
            .Select(v => v.Id).ToHashSetAsync(cancellationToken);
        foreach (var (key, id) in byKey)
        {
            if (present.Contains(id))
            {
                VisitIds[key] = id;
            }
        }
    }

    public long? VisitId(string? dmsId) => dmsId is not null && VisitIds.TryGetValue(dmsId, out var id) ? id : null;

    // ----- Shared row checks -----

    public static DateOnly RequiredDate(StagedRow row, int field) => row.Date(field) ?? throw row.Reject(field, "is required.");

    /// <summary>
    /// Points a record at a vehicle: the navigation always, the key only when the vehicle has one already (a vehicle
    /// new in this batch gets its key at the save, and EF Core copies it then; a zero key would contradict it).
    /// </summary>
    public static void Link(Vehicle vehicle, Action<Vehicle> navigation, Action<long> key)
    {
        navigation(vehicle);
        if (vehicle.Id != 0)
        {
            key(vehicle.Id);
        }
    }

    /// <summary>The network's IANA time zone (the market's local time, in which DMS files write times).</summary>
    public string? TimeZone { get; set; }

    /// <summary>A local time of the market as UTC; an unknown zone leaves it as it is.</summary>
    public DateTime ToUtc(DateTime local)
    {
        if (TimeZone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone))
        {
            var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
            // A time the clock change skipped is read as the hour after it.
            if (zone.IsInvalidTime(unspecified))
            {
                unspecified = unspecified.AddHours(1);
            }

            return TimeZoneInfo.ConvertTimeToUtc(unspecified, zone);
        }

        return DateTime.SpecifyKind(local, DateTimeKind.Utc);
    }

    /// <summary>The latest purchase date of each buyer the batch knows (saved sales and the batch's own).</summary>
    public Dictionary<long, DateOnly> LatestPurchase { get; } = [];

    public static void Set<T>(bool carried, T value, T current, Action<T> set)
    {
        if (carried && !EqualityComparer<T>.Default.Equals(value, current))
        {
            set(value);
        }
    }
}
