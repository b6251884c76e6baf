using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Sales;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Imports.Merging;

/// <summary>Vehicles and sales files: vehicles matched across dealers, plates, mileage, Selling relationships, trade-ins.</summary>
public abstract class VehicleAndSalesMergeTests : MergeTestBase
{
    private const string Vin = "WVWZZZ1JZXW000001";
    private const string TradeInVin = "WVWZZZ1JZXW000002";
    private static readonly DateOnly SaleDate = new(2025, 6, 14);

    private static Dictionary<string, string?> VehicleRow(string id, string vin = Vin, string? plate = "AB12 CDE", string? mileage = "42000") =>
        Row(("vehicle_id", id), ("vin", vin), ("registration", plate), ("make", "Alder"), ("model", "Aster"), ("fuel_type", "Diesel"),
            ("first_registration_date", "2021-04-01"), ("mileage", mileage), ("mileage_date", "2025-01-10"));

    private static Dictionary<string, string?> CustomerRow(string id, string lastName) =>
        Row(("customer_id", id), ("first_name", "Alex"), ("last_name", lastName));

    private static Dictionary<string, string?> SaleRow(string id, string customer, string? vehicleId = null, string? vin = null,
        string? tradeInVehicleId = null, string? tradeInVin = null, DateOnly? date = null) =>
        Row(("sale_id", id), ("customer_id", customer), ("vehicle_id", vehicleId), ("vin", vin), ("sale_date", Date(date ?? SaleDate)),
            ("new_or_used", "Used"), ("price", "18995.50"), ("payment_method", "Lease"), ("mileage", "43100"),
            ("tradein_vehicle_id", tradeInVehicleId), ("tradein_vin", tradeInVin));

    [Fact]
    public async Task Vehicles_SameVinFromAnotherDealersFile_LinksToTheKnownVehicle()
    {
        await ArrangeAsync();
        var first = await ImportAsync(Org.Dealer, ImportFileType.Vehicles, VehicleRow("V1"));

        var second = await ImportAsync(Org.OtherGroupDealer, ImportFileType.Vehicles, VehicleRow("X-77", plate: "AB12CDE", mileage: "42000"));

        Assert.Equal((1, 0), (first.Inserted, first.Updated));
        Assert.Equal((0, 1), (second.Inserted, second.Updated));
        await using var db = NewContext();
        var vehicle = await db.Vehicles.Include(v => v.Plates).Include(v => v.MileageReadings).SingleAsync();
        Assert.Equal((Vin, "AB12CDE", Org.Brand.Id, (string?)null, "Aster", FuelType.Diesel),
            (vehicle.Vin, vehicle.CurrentPlate, vehicle.BrandId, vehicle.Make, vehicle.Model, vehicle.FuelType));
        Assert.Equal(new DateOnly(2021, 4, 1), Assert.Single(vehicle.Plates).ValidFrom);
        var reading = Assert.Single(vehicle.MileageReadings);
        Assert.Equal((42000, MileageSource.Import, new DateOnly(2025, 1, 10), (long?)Org.Dealer.Id),
            (reading.Value, reading.Source, reading.ReadOn, reading.DealerId));
        var keys = await db.DmsRecords.OrderBy(r => r.DealerId).Select(r => new { r.DealerId, r.EntityId }).ToListAsync();
        Assert.All(keys, k => Assert.Equal(vehicle.Id, k.EntityId));
        Assert.Equal(2, keys.Count);
    }

    [Fact]
    public async Task Vehicles_NewPlateAndReading_ClosesTheOldPlateAndAppendsTheReading()
    {
        await ArrangeAsync();
        await ImportAsync(Org.Dealer, ImportFileType.Vehicles, VehicleRow("V1"));
        Clock.Advance(TimeSpan.FromDays(30));
        var file = await NewFileAsync(Org.Dealer, ImportFileType.Vehicles);
        var changed = VehicleRow("V1", plate: "XY25 ZZZ", mileage: "51000");
        changed["mileage_date"] = "2025-06-01";
        changed["make"] = "Rover";

        var result = await MergeAsync(file, changed);

        Assert.Equal(1, result.Updated);
        await using var db = NewContext();
        var vehicle = await db.Vehicles.Include(v => v.Plates).Include(v => v.MileageReadings).SingleAsync();
        var today = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
        Assert.Equal([("AB12CDE", new DateOnly(2021, 4, 1), (DateOnly?)today), ("XY25ZZZ", today, null)],
            vehicle.Plates.OrderBy(p => p.ValidFrom).Select(p => (p.Plate, p.ValidFrom, p.ValidTo)));
        Assert.Equal(("XY25ZZZ", (long?)null, "Rover", (long?)file.Id), (vehicle.CurrentPlate, vehicle.BrandId, vehicle.Make, vehicle.SourceFileId));
        Assert.Equal([42000, 51000], vehicle.MileageReadings.Select(m => m.Value).Order());
    }

    [Fact]
    public async Task Sales_NewSale_OpensSellingRelationshipEndsPreviousOwnersAndRecordsPayment()
    {
        await ArrangeAsync();
        Customer previousOwner;
        Vehicle car;
        await using (var db = NewContext())
        {
            previousOwner = await new CustomerBuilder().InGroup(Org.OtherGroup).Named("Pat", "Previous").SaveAsync(db);
            car = await new VehicleBuilder().OfBrand(Org.Brand).WithVin(Vin).SaveAsync(db);
            await RelationshipService.StartAsync(db, Org.OtherGroupDealer.Id, previousOwner.Id, car.Id, RelationshipType.Selling, new DateOnly(2021, 4, 1));
        }

        await ImportAsync(Org.Dealer, ImportFileType.Customers, CustomerRow("C1", "Buyer"));
        var file = await NewFileAsync(Org.Dealer, ImportFileType.Sales);

        var result = await MergeAsync(file, SaleRow("S1", "C1", vin: Vin));

        Assert.Equal(1, result.Inserted);
        await using var check = NewContext();
        var buyer = await check.Customers.SingleAsync(c => c.LastName == "Buyer");
        Assert.Equal(PaymentMethod.Lease, buyer.PaymentMethod);
        var relationships = await check.Relationships.Where(r => r.VehicleId == car.Id).ToListAsync();
        var previous = relationships.Single(r => r.CustomerId == previousOwner.Id);
        Assert.Equal((SaleDate, RelationshipEndReason.SoldPrivately, (long?)file.Id), (previous.EndDate, previous.EndReason, previous.SourceFileId));
        var selling = relationships.Single(r => r.CustomerId == buyer.Id);
        Assert.Equal((Org.Dealer.Id, Org.Group.Id, RelationshipType.Selling, SaleDate, (DateOnly?)null, PaymentMethod.Lease, (long?)file.Id),
            (selling.DealerId, selling.DealerGroupId, selling.Type, selling.StartDate, selling.EndDate, selling.PaymentMethod, selling.SourceFileId));
        var sale = await check.VehicleSales.SingleAsync();
        Assert.Equal((buyer.Id, car.Id, SaleDate, false, 18995.50m, (long?)selling.Id, "S1", (long?)file.Id),
            (sale.CustomerId, sale.VehicleId, sale.SaleDate, sale.IsNew, sale.Price, sale.RelationshipId, sale.DmsRecordId, sale.SourceFileId));
        var reading = await check.MileageReadings.SingleAsync(m => m.VehicleId == car.Id);
        Assert.Equal((43100, MileageSource.Sale, SaleDate, (long?)file.Id), (reading.Value, reading.Source, reading.ReadOn, reading.SourceFileId));
    }

    [Fact]
    public async Task Sales_WithTradeIn_EndsTheBuyersRelationshipsWithTheTradeInAsSoldAsTradeIn()
    {
        await ArrangeAsync();
        await ImportAsync(Org.Dealer, ImportFileType.Customers, CustomerRow("C1", "Buyer"));
        await ImportAsync(Org.Dealer, ImportFileType.Vehicles, VehicleRow("V-OLD", vin: TradeInVin, plate: "OLD 1"), VehicleRow("V-NEW"));
        await ImportAsync(Org.Dealer, ImportFileType.Sales, SaleRow("S0", "C1", vehicleId: "V-OLD", date: new DateOnly(2019, 2, 1)));

        var result = await ImportAsync(Org.Dealer, ImportFileType.Sales, SaleRow("S1", "C1", vehicleId: "V-NEW", tradeInVehicleId: "V-OLD"));

        Assert.Equal(1, result.Inserted);
        await using var db = NewContext();
        var old = await db.Vehicles.SingleAsync(v => v.Vin == TradeInVin);
        var ended = await db.Relationships.SingleAsync(r => r.VehicleId == old.Id);
        Assert.Equal((RelationshipType.Selling, new DateOnly(2019, 2, 1), (DateOnly?)SaleDate, (RelationshipEndReason?)RelationshipEndReason.SoldAsTradeIn),
            (ended.Type, ended.StartDate, ended.EndDate, ended.EndReason));
        var sale = await db.VehicleSales.SingleAsync(s => s.DmsRecordId == "S1");
        Assert.Equal(old.Id, sale.TradeInVehicleId);
        var current = await db.Relationships.SingleAsync(r => r.Vehicle!.Vin == Vin);
        Assert.Equal((RelationshipType.Selling, SaleDate, (DateOnly?)null), (current.Type, current.StartDate, current.EndDate));
    }

    [Fact]
    public async Task Sales_UnknownBuyerOrVehicle_AreRejectedWithColumnAndReason()
    {
        await ArrangeAsync();
        await ImportAsync(Org.Dealer, ImportFileType.Customers, CustomerRow("C1", "Buyer"));
        await ImportAsync(Org.OtherGroupDealer, ImportFileType.Customers, CustomerRow("C9", "Elsewhere"));

        var result = await ImportAsync(Org.Dealer, ImportFileType.Sales,
            SaleRow("S1", "C123", vin: Vin), SaleRow("S2", "C9", vin: Vin), SaleRow("S3", "C1", vehicleId: "V404"), SaleRow("S4", "C1"));

        Assert.Equal(0, result.Inserted);
        Assert.Equal(["customer_id", "customer_id", "vehicle_id", "vin"], result.Rejects.Select(r => r.Column));
        Assert.Equal($"customer_id: customer C123 is not known for dealer {Org.Dealer.Code}: import the customers file first.", result.Rejects[0].Reason);
        Assert.Contains("V404", result.Rejects[2].Reason, StringComparison.Ordinal);
        var counts = await CountRowsAsync();
        Assert.Equal((0, 0, 0), (counts["VehicleSales"], counts["Vehicles"], counts["Relationships"]));
    }

    [Fact]
    public async Task Sales_SameFileTwice_SecondRunChangesNothing()
    {
        await ArrangeAsync();
        await ImportAsync(Org.Dealer, ImportFileType.Customers, CustomerRow("C1", "Buyer"), CustomerRow("C2", "Other"));
        var rows = new[] { SaleRow("S1", "C1", vin: Vin), SaleRow("S2", "C2", vin: TradeInVin, tradeInVin: Vin, date: SaleDate.AddDays(10)) };
        var first = await ImportAsync(Org.Dealer, ImportFileType.Sales, rows);
        var again = await NewFileAsync(Org.Dealer, ImportFileType.Sales);
        var before = await CountRowsAsync();

        var second = await MergeAsync(again, rows);

        Assert.Equal((2, 0), (first.Inserted, first.Rejects.Count));
        Assert.Equal((0, 0, 2), (second.Inserted, second.Updated, second.Unchanged));
        Assert.Equal(before, await CountRowsAsync());
    }

    [Fact]
    public async Task Sales_CorrectedBuyer_WithdrawsTheWrongRelationshipAndOpensTheRightOne()
    {
        await ArrangeAsync();
        await ImportAsync(Org.Dealer, ImportFileType.Customers, CustomerRow("C1", "Wrong"), CustomerRow("C2", "Right"));
        await ImportAsync(Org.Dealer, ImportFileType.Sales, SaleRow("S1", "C1", vin: Vin));

        var result = await ImportAsync(Org.Dealer, ImportFileType.Sales, SaleRow("S1", "C2", vin: Vin));

        Assert.Equal(1, result.Updated);
        await using var db = NewContext();
        var relationship = await db.Relationships.Include(r => r.Customer).SingleAsync();
        Assert.Equal(("Right", (DateOnly?)null), (relationship.Customer!.LastName, relationship.EndDate));
        Assert.Equal(relationship.Id, (await db.VehicleSales.SingleAsync()).RelationshipId);
    }

    [Fact]
    public async Task Sales_OlderSaleArrivingAfterANewerOne_EndsWhereTheNextOwnerBegins()
    {
        await ArrangeAsync();
        await ImportAsync(Org.Dealer, ImportFileType.Customers, CustomerRow("C1", "First"), CustomerRow("C2", "Second"));
        await ImportAsync(Org.Dealer, ImportFileType.Sales, SaleRow("S2", "C2", vin: Vin, date: SaleDate));

        await ImportAsync(Org.Dealer, ImportFileType.Sales, SaleRow("S1", "C1", vin: Vin, date: new DateOnly(2020, 1, 5)));

        await using var db = NewContext();
        var periods = await db.Relationships.Include(r => r.Customer).OrderBy(r => r.StartDate)
            .Select(r => new { r.Customer!.LastName, r.StartDate, r.EndDate }).ToListAsync();
        Assert.Equal([("First", new DateOnly(2020, 1, 5), (DateOnly?)SaleDate), ("Second", SaleDate, null)],
            periods.Select(p => (p.LastName!, p.StartDate, p.EndDate)));
    }
}

public sealed class SqliteVehicleAndSalesMergeTests : VehicleAndSalesMergeTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

[Collection(PostgreSqlServer.CollectionName)]
public sealed class PostgreSqlVehicleAndSalesMergeTests(PostgreSqlServer server) : VehicleAndSalesMergeTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await server.CreateDatabaseAsync();
}
