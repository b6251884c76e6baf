using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Imports.Merging;

/// <summary>Service history, labour and part lines, workshop transactions, bookings and stock files.</summary>
public abstract class WorkshopMergeTests : MergeTestBase
{
    private const string Vin = "WVWZZZ1JZXW000001";

    private static Dictionary<string, string?> Visit(string id, string? customer, string date, string? mileage, string vin = Vin, string? plate = "AB12 CDE") =>
        Row(("visit_id", id), ("customer_id", customer), ("vin", vin), ("registration", plate), ("make", "Alder"), ("model", "Aster"),
            ("visit_date", date), ("mileage", mileage), ("work_type", "Service"), ("description", "Annual service"), ("total_amount", "249.90"));

    private async Task ArrangeCustomerAsync() =>
        await ImportAsync(Org.Dealer, ImportFileType.Customers, Row(("customer_id", "C1"), ("first_name", "Alex"), ("last_name", "Morgan")));

    [Fact]
    public async Task ServiceHistory_Visits_AddServicingRelationshipOnceAndAMileageReadingEach()
    {
        await ArrangeAsync();
        await ArrangeCustomerAsync();
        var file = await NewFileAsync(Org.Dealer, ImportFileType.ServiceHistory);

        var result = await MergeAsync(file, Visit("J1", "C1", "2024-03-01", "20500"), Visit("J2", "C1", "2025-03-03", "31000"));

        Assert.Equal(2, result.Inserted);
        await using var db = NewContext();
        var vehicle = await db.Vehicles.Include(v => v.MileageReadings).SingleAsync();
        Assert.Equal((Vin, "AB12CDE", Org.Brand.Id, (long?)file.Id), (vehicle.Vin, vehicle.CurrentPlate, vehicle.BrandId, vehicle.SourceFileId));
        Assert.Equal([(20500, MileageSource.ServiceVisit), (31000, MileageSource.ServiceVisit)],
            vehicle.MileageReadings.OrderBy(m => m.ReadOn).Select(m => (m.Value, m.Source)));
        Assert.All(vehicle.MileageReadings, m => Assert.Equal(((long?)Org.Dealer.Id, (long?)file.Id), (m.DealerId, m.SourceFileId)));
        var relationship = await db.Relationships.SingleAsync();
        Assert.Equal((RelationshipType.Servicing, new DateOnly(2024, 3, 1), (DateOnly?)null, Org.Dealer.Id, vehicle.Id),
            (relationship.Type, relationship.StartDate, relationship.EndDate, relationship.DealerId, relationship.VehicleId));
        var visits = await db.ServiceVisits.OrderBy(v => v.VisitDate).ToListAsync();
        Assert.Equal(2, visits.Count);
        Assert.All(visits, v => Assert.Equal((vehicle.Id, relationship.CustomerId, (long?)file.Id, Org.Group.Id), (v.VehicleId, v.CustomerId!.Value, v.SourceFileId, v.DealerGroupId)));
        Assert.Equal((20500, "Service", 249.90m, "J1"), (visits[0].Mileage!.Value, visits[0].WorkType, visits[0].TotalAmount!.Value, visits[0].DmsRecordId));
    }

    [Fact]
    public async Task ServiceHistory_OlderVisitLater_MovesTheServicingStartBackAndKeepsOneRelationship()
    {
        await ArrangeAsync();
        await ArrangeCustomerAsync();
        await ImportAsync(Org.Dealer, ImportFileType.ServiceHistory, Visit("J2", "C1", "2025-03-03", "31000"));

        await ImportAsync(Org.Dealer, ImportFileType.ServiceHistory, Visit("J1", "C1", "2024-03-01", "20500"));

        await using var db = NewContext();
        var relationship = await db.Relationships.SingleAsync();
        Assert.Equal(new DateOnly(2024, 3, 1), relationship.StartDate);
        Assert.Equal(2, await db.MileageReadings.CountAsync());
    }

    [Fact]
    public async Task ServiceHistory_CustomerNotKnown_StillRecordsTheVisitWithoutRelationship()
    {
        await ArrangeAsync();

        var result = await ImportAsync(Org.Dealer, ImportFileType.ServiceHistory, Visit("J1", "C404", "2025-03-03", "31000"));

        Assert.Equal(1, result.Inserted);
        await using var db = NewContext();
        Assert.Null((await db.ServiceVisits.SingleAsync()).CustomerId);
        Assert.Equal(0, await db.Relationships.CountAsync());
        Assert.Equal(1, await db.MileageReadings.CountAsync());
    }

    [Fact]
    public async Task ServiceHistory_VehicleMissingOrUnknown_IsRejected()
    {
        await ArrangeAsync();
        var noVehicle = Visit("J1", null, "2025-03-03", null);
        noVehicle["vin"] = null;
        noVehicle["registration"] = null;
        var unknown = Row(("visit_id", "J2"), ("vehicle_id", "V404"), ("visit_date", "2025-03-03"));
        var future = Visit("J3", null, "2031-01-01", null);

        var result = await ImportAsync(Org.Dealer, ImportFileType.ServiceHistory, noVehicle, unknown, future);

        Assert.Equal(["vin", "vehicle_id", "visit_date"], result.Rejects.Select(r => r.Column));
        Assert.Equal(0, (await CountRowsAsync())["ServiceVisits"]);
    }

    [Fact]
    public async Task Lines_AttachToTheirVisits_AndUnknownVisitsAreRejected()
    {
        await ArrangeAsync();
        await ImportAsync(Org.Dealer, ImportFileType.ServiceHistory, Visit("J1", null, "2025-03-03", "31000"));
        var labourFile = await NewFileAsync(Org.Dealer, ImportFileType.LabourLines);
        var partFile = await NewFileAsync(Org.Dealer, ImportFileType.PartLines);

        var labour = await MergeAsync(labourFile,
            Row(("line_id", "L1"), ("visit_id", "J1"), ("operation_code", "SRV01"), ("description", "Service"), ("hours", "1.5"), ("amount", "135.00")),
            Row(("line_id", "L2"), ("visit_id", "J404"), ("amount", "10")));
        var parts = await MergeAsync(partFile,
            Row(("line_id", "P1"), ("visit_id", "J1"), ("part_number", "OF-123"), ("quantity", "1"), ("unit_price", "14.95"), ("amount", "14.95")));

        Assert.Equal((1, 1), (labour.Inserted, labour.Rejects.Count));
        var reject = Assert.Single(labour.Rejects);
        Assert.Equal(("visit_id", 3L), (reject.Column, reject.LineNumber));
        Assert.Equal($"visit_id: visit J404 is not known for dealer {Org.Dealer.Code}: import the service history file first.", reject.Reason);
        Assert.Equal(1, parts.Inserted);
        await using var db = NewContext();
        var visit = await db.ServiceVisits.Include(v => v.LabourLines).Include(v => v.PartLines).SingleAsync();
        var line = Assert.Single(visit.LabourLines);
        Assert.Equal(("SRV01", 1.5m, 135.00m, "L1", (long?)labourFile.Id), (line.OperationCode, line.Hours!.Value, line.Amount!.Value, line.DmsRecordId, line.SourceFileId));
        var part = Assert.Single(visit.PartLines);
        Assert.Equal(("OF-123", 14.95m, (long?)partFile.Id), (part.PartNumber, part.UnitPrice!.Value, part.SourceFileId));
    }

    [Fact]
    public async Task Lines_ChangedRow_UpdatesTheLineInPlace()
    {
        await ArrangeAsync();
        await ImportAsync(Org.Dealer, ImportFileType.ServiceHistory, Visit("J1", null, "2025-03-03", "31000"));
        await ImportAsync(Org.Dealer, ImportFileType.LabourLines, Row(("line_id", "L1"), ("visit_id", "J1"), ("hours", "1.5")));

        var result = await ImportAsync(Org.Dealer, ImportFileType.LabourLines, Row(("line_id", "L1"), ("visit_id", "J1"), ("hours", "2.0")));

        Assert.Equal(1, result.Updated);
        await using var db = NewContext();
        Assert.Equal(2.0m, (await db.ServiceLabourLines.SingleAsync()).Hours);
    }

    [Fact]
    public async Task Transactions_AndBookings_KeepOptionalReferencesWhenKnown()
    {
        await ArrangeAsync();
        await ArrangeCustomerAsync();
        await ImportAsync(Org.Dealer, ImportFileType.ServiceHistory, Visit("J1", "C1", "2025-03-03", "31000"));
        var transactions = await ImportAsync(Org.Dealer, ImportFileType.WorkshopTransactions,
            Row(("transaction_id", "T1"), ("visit_id", "J1"), ("customer_id", "C1"), ("transaction_date", "2025-03-03"), ("transaction_type", "Invoice"), ("amount", "249.90")),
            Row(("transaction_id", "T2"), ("visit_id", "J404"), ("transaction_date", "2025-03-04"), ("amount", "-20")),
            Row(("transaction_id", "T3"), ("transaction_date", "2025-03-04")));
        var bookings = await ImportAsync(Org.Dealer, ImportFileType.FutureBookings,
            Row(("booking_id", "B1"), ("customer_id", "C1"), ("registration", "ab12cde"), ("booked_for", "2026-07-01T09:30:00"), ("work_type", "MOT")),
            Row(("booking_id", "B2"), ("vin", "WVWZZZ1JZXW999999"), ("booked_for", "2026-07-02T14:00:00")));

        Assert.Equal((2, 1), (transactions.Inserted, transactions.Rejects.Count));
        Assert.Equal("amount", transactions.Rejects[0].Column);
        Assert.Equal(2, bookings.Inserted);
        await using var db = NewContext();
        var visit = await db.ServiceVisits.SingleAsync();
        var invoice = await db.WorkshopTransactions.SingleAsync(t => t.DmsRecordId == "T1");
        Assert.Equal(((long?)visit.Id, visit.CustomerId, 249.90m), (invoice.ServiceVisitId, invoice.CustomerId, invoice.Amount));
        var credit = await db.WorkshopTransactions.SingleAsync(t => t.DmsRecordId == "T2");
        Assert.Equal(((long?)null, -20m), (credit.ServiceVisitId, credit.Amount));
        var mot = await db.WorkshopBookings.SingleAsync(b => b.DmsRecordId == "B1");
        Assert.Equal((visit.CustomerId, (long?)visit.VehicleId, "MOT"), (mot.CustomerId, mot.VehicleId, mot.WorkType));
        Assert.Equal(new DateTime(2026, 7, 1, 8, 30, 0, DateTimeKind.Utc), mot.BookedFor); // 09:30 in London is 08:30 UTC in July.
        var unknownCar = await db.WorkshopBookings.SingleAsync(b => b.DmsRecordId == "B2");
        Assert.Equal(((long?)null, (long?)null), (unknownCar.CustomerId, unknownCar.VehicleId));
    }

    [Fact]
    public async Task ServiceHistory_RowTheDatabaseRefuses_IsRejectedAloneAndTheOthersMerge()
    {
        await ArrangeAsync();
        await ArrangeCustomerAsync();
        await RefuseVisitsDescribedAsync();
        var refused = Visit("J2", "C1", "2024-09-01", "25000");
        refused["description"] = "Refused by the database";

        var result = await ImportAsync(Org.Dealer, ImportFileType.ServiceHistory,
            Visit("J1", "C1", "2024-03-01", "20500"), refused, Visit("J3", "C1", "2025-03-03", "31000"));

        Assert.Equal(2, result.Inserted);
        var reject = Assert.Single(result.Rejects);
        Assert.Equal(3L, reject.LineNumber);
        Assert.Contains("refused the row", reject.Reason, StringComparison.Ordinal);
        await using var db = NewContext();
        Assert.Equal(["J1", "J3"], await db.ServiceVisits.OrderBy(v => v.DmsRecordId).Select(v => v.DmsRecordId!).ToListAsync());
        Assert.Equal([20500, 31000], await db.MileageReadings.OrderBy(m => m.Value).Select(m => m.Value).ToListAsync());
        Assert.Equal(["J1", "J3"], await db.DmsRecords.Where(r => r.RecordType == ImportFileType.ServiceHistory).OrderBy(r => r.DmsRecordId).Select(r => r.DmsRecordId).ToListAsync());
        Assert.Equal(new DateOnly(2024, 3, 1), (await db.Relationships.SingleAsync()).StartDate);
    }

    /// <summary>A trigger refuses visits described "Refused by the database", as a constraint would: whatever writes them.</summary>
    private async Task RefuseVisitsDescribedAsync()
    {
        await using var db = NewContext();
        if (Provider == DatabaseProvider.Sqlite)
        {
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TRIGGER refuse_visit BEFORE INSERT ON \"ServiceVisits\" WHEN NEW.\"Description\" = 'Refused by the database' " +
                "BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END;");
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync(
                "CREATE FUNCTION refuse_visit() RETURNS trigger AS $$ BEGIN IF NEW.\"Description\" = 'Refused by the database' " +
                "THEN RAISE EXCEPTION 'refused by a test trigger'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql; " +
                "CREATE TRIGGER refuse_visit BEFORE INSERT OR UPDATE ON \"ServiceVisits\" FOR EACH ROW EXECUTE FUNCTION refuse_visit();");
        }
    }

    [Fact]
    public async Task Stock_NewAndUsedFiles_KeepSeparateStockAndUpdateByStockNumber()
    {
        await ArrangeAsync();
        static Dictionary<string, string?> Stock(string number, string price, string? status = "In stock") =>
            Row(("stock_number", number), ("vin", Vin), ("make", "Alder"), ("model", "Aster"), ("body_type", "Hatchback"),
                ("model_year", "2025"), ("mileage", "12"), ("price", price), ("arrived_on", "2026-02-01"), ("status", status));
        await ImportAsync(Org.Dealer, ImportFileType.NewStock, Stock("S100", "24995"));
        await ImportAsync(Org.Dealer, ImportFileType.UsedStock, Stock("S100", "14995"));

        var changed = await ImportAsync(Org.Dealer, ImportFileType.NewStock, Stock("S100", "23995", status: "Reserved"));

        Assert.Equal(1, changed.Updated);
        await using var db = NewContext();
        var stock = await db.StockVehicles.OrderBy(s => s.IsNew).ToListAsync();
        Assert.Equal([(false, 14995m, "In stock"), (true, 23995m, "Reserved")], stock.Select(s => (s.IsNew, s.Price!.Value, s.Status!)));
        Assert.All(stock, s => Assert.Equal((Org.Dealer.Id, Org.Group.Id, Vin, 2025), (s.DealerId, s.DealerGroupId, s.Vin!, s.ModelYear!.Value)));
    }
}

public sealed class SqliteWorkshopMergeTests : WorkshopMergeTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

[Collection(PostgreSqlServer.CollectionName)]
public sealed class PostgreSqlWorkshopMergeTests(PostgreSqlServer server) : WorkshopMergeTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await server.CreateDatabaseAsync();
}
