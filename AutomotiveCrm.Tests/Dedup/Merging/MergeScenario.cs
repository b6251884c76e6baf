using System.Globalization;
using System.Text.Json;
using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Sales;
using AutomotiveCrm.Domain.Service;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Domain.Wholesale;
using AutomotiveCrm.Tests.Imports.Pipeline;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Dedup.Merging;

/// <summary>
/// Two imported retail records of one person in the Northgate group (DMS customers C001 and C002), with everything a
/// merge has to move: a shared phone and address, e-mails, consents (the survivor's newer opt-in against the other's
/// older opt-out), overlapping relationships with one vehicle (the survivor's must absorb the other's and widen),
/// another vehicle, a service visit, a sale on the absorbed relationship, and a record of the same person in another
/// group linked to the merged record's wholesale record. A review candidate names the pair.
/// </summary>
internal sealed class MergeScenario
{
    public required PipelineHarness Harness { get; init; }
    public TestOrganisation Org => Harness.Organisation;
    public required long SurvivorId { get; init; }
    public required long MergedId { get; init; }
    public required long OtherGroupCustomerId { get; init; }
    public required long SharedVehicleId { get; init; }
    public required long OwnVehicleId { get; init; }
    public required long AbsorbedRelationshipId { get; init; }
    public required long KeptRelationshipId { get; init; }
    public required long SaleId { get; init; }
    public required long VisitId { get; init; }
    public required long CandidateId { get; init; }
    public required long OtherCandidateId { get; init; }

    public CrmDbContext NewContext() => Harness.NewContext();

    public static async Task<MergeScenario> CreateAsync(TestDatabase database)
    {
        var harness = await PipelineHarness.CreateAsync(database);
        var file = await harness.ImportAsync(RoadstarCustomers.File(
            RoadstarCustomers.Row("C001", "Morgan", "Anna", "anna@example.com"),
            RoadstarCustomers.Row("C002", "Morgan", "Anne", "anna.morgan@example.com")));
        Assert.Equal(ImportStatus.Completed, file.Status);
        var org = harness.Organisation;
        await using var db = harness.NewContext();
        var keys = await db.DmsRecords.Where(r => r.RecordType == ImportFileType.Customers).ToDictionaryAsync(r => r.DmsRecordId, r => r.EntityId);
        var survivorId = keys["C001"];
        var mergedId = keys["C002"];
        var merged = await db.Customers.SingleAsync(c => c.Id == mergedId);
        var other = await new CustomerBuilder().InGroup(org.OtherGroup).Named("Anna", "Morgan").SamePersonAs(merged).SaveAsync(db);

        var shared = await new VehicleBuilder().OfBrand(org.Brand).WithPlate("AB12 CDE", new DateOnly(2023, 1, 1)).SaveAsync(db);
        var own = await new VehicleBuilder().OfBrand(org.Brand).SaveAsync(db);
        var kept = new Relationship
        {
            DealerId = org.Dealer.Id, CustomerId = survivorId, VehicleId = shared.Id, DealerGroupId = org.Group.Id, Type = RelationshipType.Selling,
            StartDate = new DateOnly(2023, 6, 1), EndDate = new DateOnly(2024, 1, 1), EndReason = RelationshipEndReason.SoldPrivately,
        };
        var absorbed = new Relationship
        {
            DealerId = org.Dealer.Id, CustomerId = mergedId, VehicleId = shared.Id, DealerGroupId = org.Group.Id, Type = RelationshipType.Servicing,
            StartDate = new DateOnly(2023, 1, 1),
        };
        var moved = new Relationship
        {
            DealerId = org.SecondDealer.Id, CustomerId = mergedId, VehicleId = own.Id, DealerGroupId = org.Group.Id, Type = RelationshipType.Selling,
            StartDate = new DateOnly(2021, 5, 1), PaymentMethod = PaymentMethod.Finance,
        };
        db.Relationships.AddRange(kept, absorbed, moved);
        await db.SaveChangesAsync();

        var sale = new VehicleSale
        {
            DealerId = org.Dealer.Id, DealerGroupId = org.Group.Id, CustomerId = mergedId, VehicleId = shared.Id, SaleDate = new DateOnly(2023, 1, 1),
            RelationshipId = absorbed.Id, Price = 12000m,
        };
        var visit = new ServiceVisit
        {
            DealerId = org.SecondDealer.Id, DealerGroupId = org.Group.Id, CustomerId = mergedId, VehicleId = own.Id, VisitDate = new DateOnly(2025, 2, 3),
            Mileage = 42000, WorkType = "Service",
        };
        db.AddRange(sale, visit);
        var now = harness.Database.Clock.GetUtcNow().UtcDateTime;
        db.ConsentRecords.AddRange(
            ConsentState.Create(mergedId, ConsentChannel.Email, ConsentPurpose.Marketing, org.Brand.Id, null, ConsentStatus.OptOut, now.AddDays(-60),
                ConsentSource.Form, "unsubscribed"),
            ConsentState.Create(survivorId, ConsentChannel.Email, ConsentPurpose.Marketing, org.Brand.Id, null, ConsentStatus.OptIn, now.AddDays(-10),
                ConsentSource.Desk, "asked at the desk"),
            ConsentState.Create(mergedId, ConsentChannel.Sms, ConsentPurpose.ServiceMessages, null, org.Dealer.Id, ConsentStatus.OptIn, now.AddDays(-30),
                ConsentSource.Form, "service reminders"));
        var candidate = Candidate(org, survivorId, mergedId, 14.5);
        var otherCandidate = Candidate(org, Math.Min(mergedId, other.Id), Math.Max(mergedId, other.Id), 9);
        otherCandidate.Level = DedupLevel.Wholesale;
        otherCandidate.DealerGroupId = null;
        db.MatchCandidates.AddRange(candidate, otherCandidate);
        await db.SaveChangesAsync();

        return new MergeScenario
        {
            Harness = harness,
            SurvivorId = survivorId,
            MergedId = mergedId,
            OtherGroupCustomerId = other.Id,
            SharedVehicleId = shared.Id,
            OwnVehicleId = own.Id,
            AbsorbedRelationshipId = absorbed.Id,
            KeptRelationshipId = kept.Id,
            SaleId = sale.Id,
            VisitId = visit.Id,
            CandidateId = candidate.Id,
            OtherCandidateId = otherCandidate.Id,
        };
    }

    public static MatchCandidate Candidate(TestOrganisation org, long left, long right, double score, DedupEntityKind kind = DedupEntityKind.Customer) => new()
    {
        NetworkId = org.Network.Id,
        DealerGroupId = org.Group.Id,
        Level = DedupLevel.Retail,
        EntityKind = kind,
        LeftId = Math.Min(left, right),
        RightId = Math.Max(left, right),
        Score = score,
        Band = MatchBand.Review,
        Status = CandidateStatus.Open,
        ExplanationJson = """[{"field":"last_name","level":"exact","weight":6.5,"left":"morgan","right":"morgan"},{"field":"phone","level":"exact","weight":8}]""",
        Reasons = "last_name: exact, phone: exact",
    };

    /// <summary>A context that sees what a user of the given scope sees, audited under that user's name.</summary>
    public CrmDbContext UserContext(AccessScope scope, string userName = "steward@example.com")
    {
        var db = Harness.NewContext();
        db.Scope = scope;
        db.Actor = new AuditActor("steward-1", userName, AuditSource.UI);
        return db;
    }
}

/// <summary>
/// Every row of the tables a merge touches, as text, for comparing two states of the database. Left out: update
/// stamps and versions (they move with every save), and the audit rows the merge and the undo themselves add (the
/// audit rows that existed before are compared by id and subject).
/// </summary>
internal static class TableDump
{
    private static readonly HashSet<string> Stamps = new(StringComparer.Ordinal) { "UpdatedAt", "Version" };

    public static async Task<Dictionary<string, List<string>>> TakeAsync(CrmDbContext db, long maxAuditId)
    {
        var dump = new Dictionary<string, List<string>>
        {
            ["Customers"] = await RowsAsync<Customer>(db),
            ["CustomerEmails"] = await RowsAsync<CustomerEmail>(db),
            ["CustomerPhones"] = await RowsAsync<CustomerPhone>(db),
            ["CustomerAddresses"] = await RowsAsync<CustomerAddress>(db),
            ["ConsentRecords"] = await RowsAsync<ConsentRecord>(db),
            ["Relationships"] = await RowsAsync<Relationship>(db),
            ["ServiceVisits"] = await RowsAsync<ServiceVisit>(db),
            ["VehicleSales"] = await RowsAsync<VehicleSale>(db),
            ["DmsRecords"] = await RowsAsync<DmsRecord>(db),
            ["WholesaleCustomers"] = await RowsAsync<WholesaleCustomer>(db),
            ["Vehicles"] = await RowsAsync<Vehicle>(db),
            ["PlateRegistrations"] = await RowsAsync<PlateRegistration>(db),
            ["MileageReadings"] = await RowsAsync<MileageReading>(db),
        };
        dump["AuditSubjects"] = (await db.AuditEntries.IgnoreQueryFilters().AsNoTracking().Where(a => a.Id <= maxAuditId)
            .Select(a => new { a.Id, a.CustomerId, a.VehicleId }).ToListAsync())
            .Select(a => $"{a.Id}:{a.CustomerId}:{a.VehicleId}").Order(StringComparer.Ordinal).ToList();
        return dump;
    }

    public static void Equal(Dictionary<string, List<string>> expected, Dictionary<string, List<string>> actual)
    {
        foreach (var (table, rows) in expected)
        {
            Assert.True(rows.SequenceEqual(actual[table]),
                $"{table} differs.{Environment.NewLine}Before:{Environment.NewLine}{string.Join(Environment.NewLine, rows)}{Environment.NewLine}" +
                $"After:{Environment.NewLine}{string.Join(Environment.NewLine, actual[table])}");
        }
    }

    private static async Task<List<string>> RowsAsync<T>(CrmDbContext db)
        where T : class
    {
        var type = db.Model.FindEntityType(typeof(T))!;
        var properties = type.GetProperties().Where(p => p.PropertyInfo is not null && !Stamps.Contains(p.Name)).ToList();
        var rows = await db.Set<T>().IgnoreQueryFilters().AsNoTracking().ToListAsync();
        return rows.Select(row => string.Join("|", properties.Select(p => $"{p.Name}={Format(p.PropertyInfo!.GetValue(row))}")))
            .Order(StringComparer.Ordinal).ToList();
    }

    private static string Format(object? value) => value switch
    {
        null => "∅",
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        Dictionary<string, long> map => JsonSerializer.Serialize(map.OrderBy(kv => kv.Key, StringComparer.Ordinal)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
