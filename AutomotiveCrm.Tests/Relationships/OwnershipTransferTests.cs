using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Relationships;

/// <summary>"The customer sells his car": <see cref="RelationshipService.TransferOwnershipAsync"/>.</summary>
public abstract class OwnershipTransferTests : DatabaseTest
{
    private static readonly DateOnly Bought = new(2022, 3, 1);
    private static readonly DateOnly FirstService = new(2023, 3, 15);
    private static readonly DateOnly SaleDate = new(2025, 5, 20);

    [Fact]
    public async Task TransferOwnership_SellerKnownToTwoDealers_EndsBothRelationshipsAtSaleDate()
    {
        var sale = await ArrangeSaleAsync();

        await using (var db = NewContext())
        {
            await RelationshipService.TransferOwnershipAsync(db, sale.TransferToBuyer());
        }

        var seller = await RelationshipsOfAsync(sale.Seller.Id, sale.Car.Id);
        Assert.Equal(2, seller.Count);
        Assert.All(seller, r => Assert.Equal((SaleDate, RelationshipEndReason.SoldPrivately), (r.EndDate, r.EndReason)));
    }

    [Fact]
    public async Task TransferOwnership_WithBuyer_StartsBuyersRelationshipsAtSaleDate()
    {
        var sale = await ArrangeSaleAsync();

        OwnershipTransferResult result;
        await using (var db = NewContext())
        {
            result = await RelationshipService.TransferOwnershipAsync(db, sale.TransferToBuyer());
        }

        var buyer = Assert.Single(await RelationshipsOfAsync(sale.Buyer.Id, sale.Car.Id));
        Assert.Equal((sale.Org.OtherGroupDealer.Id, RelationshipType.Selling, SaleDate, (DateOnly?)null, sale.Org.OtherGroup.Id),
            (buyer.DealerId, buyer.Type, buyer.StartDate, buyer.EndDate, buyer.DealerGroupId));
        Assert.Equal(PaymentMethod.Finance, buyer.PaymentMethod);
        Assert.Equal((2, 1), (result.Ended.Count, result.Started.Count));
    }

    [Fact]
    public async Task TransferOwnership_WithSellingRelationshipAndPayment_RecordsBuyersPaymentMethod()
    {
        var sale = await ArrangeSaleAsync();

        await using (var db = NewContext())
        {
            await RelationshipService.TransferOwnershipAsync(db, sale.TransferToBuyer());
        }

        await using var fresh = NewContext();
        Assert.Equal(PaymentMethod.Finance, (await fresh.Customers.SingleAsync(c => c.Id == sale.Buyer.Id)).PaymentMethod);
    }

    [Fact]
    public async Task TransferOwnership_OfOneVehicle_LeavesSellersOtherVehicleCurrent()
    {
        var sale = await ArrangeSaleAsync();

        await using (var db = NewContext())
        {
            await RelationshipService.TransferOwnershipAsync(db, sale.TransferToBuyer());
        }

        var other = Assert.Single(await RelationshipsOfAsync(sale.Seller.Id, sale.OtherCar.Id));
        Assert.Equal(((DateOnly?)null, (RelationshipEndReason?)null), (other.EndDate, other.EndReason));
    }

    [Fact]
    public async Task TransferOwnership_WithoutBuyer_EndsSellersRelationshipsOnly()
    {
        var sale = await ArrangeSaleAsync();

        await using (var db = NewContext())
        {
            await RelationshipService.TransferOwnershipAsync(db,
                new OwnershipTransfer(sale.Car.Id, sale.Seller.Id, SaleDate, RelationshipEndReason.SoldAsTradeIn));
        }

        await using var fresh = NewContext();
        var onCar = await fresh.Relationships.Where(r => r.VehicleId == sale.Car.Id).ToListAsync();
        Assert.Equal(2, onCar.Count);
        Assert.All(onCar, r => Assert.Equal((SaleDate, RelationshipEndReason.SoldAsTradeIn), (r.EndDate, r.EndReason)));
    }

    [Fact]
    public async Task TransferOwnership_SellerRecordInAnotherGroupSamePerson_EndsThatGroupsRelationshipToo()
    {
        var sale = await ArrangeSaleAsync();
        Customer sameSellerElsewhere;
        await using (var db = NewContext())
        {
            sameSellerElsewhere = await new CustomerBuilder().InGroup(sale.Org.OtherGroup).SamePersonAs(sale.Seller).SaveAsync(db);
            await RelationshipService.StartAsync(db, sale.Org.OtherGroupDealer.Id, sameSellerElsewhere.Id, sale.Car.Id, RelationshipType.Servicing, FirstService);
        }

        await using (var db = NewContext())
        {
            await RelationshipService.TransferOwnershipAsync(db,
                new OwnershipTransfer(sale.Car.Id, sale.Seller.Id, SaleDate, RelationshipEndReason.SoldPrivately));
        }

        var elsewhere = Assert.Single(await RelationshipsOfAsync(sameSellerElsewhere.Id, sale.Car.Id));
        Assert.Equal(SaleDate, elsewhere.EndDate);
    }

    [Fact]
    public async Task TransferOwnership_SaleDateBeforeRelationshipStart_ThrowsAndChangesNothing()
    {
        var sale = await ArrangeSaleAsync();
        await using var db = NewContext();

        await Assert.ThrowsAsync<DomainException>(() => RelationshipService.TransferOwnershipAsync(db,
            sale.TransferToBuyer() with { SaleDate = FirstService.AddDays(-1) }));

        Assert.All(await RelationshipsOfAsync(sale.Seller.Id, sale.Car.Id), r => Assert.Null(r.EndDate));
        Assert.Empty(await RelationshipsOfAsync(sale.Buyer.Id, sale.Car.Id));
    }

    [Fact]
    public async Task TransferOwnership_SellerWithoutCurrentRelationship_ThrowsDomainException()
    {
        var sale = await ArrangeSaleAsync();
        Customer stranger;
        await using (var db = NewContext())
        {
            stranger = await new CustomerBuilder().InGroup(sale.Org.Group).Named("Sam", "Stranger").SaveAsync(db);
        }

        await using var transfer = NewContext();
        var ex = await Assert.ThrowsAsync<DomainException>(() => RelationshipService.TransferOwnershipAsync(transfer,
            new OwnershipTransfer(sale.Car.Id, stranger.Id, SaleDate, RelationshipEndReason.SoldPrivately)));

        Assert.Contains("no current relationship", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TransferOwnership_SellerAlreadySoldVehicle_ThrowsDomainException()
    {
        var sale = await ArrangeSaleAsync();
        await using (var db = NewContext())
        {
            await RelationshipService.TransferOwnershipAsync(db, sale.TransferToBuyer());
        }

        await using var again = NewContext();
        await Assert.ThrowsAsync<DomainException>(() => RelationshipService.TransferOwnershipAsync(again,
            new OwnershipTransfer(sale.Car.Id, sale.Seller.Id, SaleDate.AddDays(10), RelationshipEndReason.SoldPrivately)));
    }

    [Fact]
    public async Task TransferOwnership_BuyerRelationshipWithDealerOutsideBuyersGroup_ThrowsAndLeavesSellerCurrent()
    {
        var sale = await ArrangeSaleAsync();
        await using var db = NewContext();

        await Assert.ThrowsAsync<DomainException>(() => RelationshipService.TransferOwnershipAsync(db,
            sale.TransferToBuyer() with { BuyerRelationships = [new BuyerRelationship(sale.Org.Dealer.Id, RelationshipType.Selling)] }));

        Assert.All(await RelationshipsOfAsync(sale.Seller.Id, sale.Car.Id), r => Assert.Null(r.EndDate));
        Assert.Empty(await RelationshipsOfAsync(sale.Buyer.Id, sale.Car.Id));
    }

    [Fact]
    public async Task TransferOwnership_DatabaseFailsAfterInsertingBuyerRelationship_RollsBackSellersEnd()
    {
        var sale = await ArrangeSaleAsync();
        var failAfterInsert = FailAfterCommandInterceptor.WhenSqlContains("INSERT INTO \"Relationships\"");
        await using var db = Database.CreateContext(Clock, failAfterInsert);

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => RelationshipService.TransferOwnershipAsync(db, sale.TransferToBuyer()));

        Assert.True(Chain(ex).OfType<SimulatedFailureException>().Any(), $"Expected the simulated failure, got: {ex}");
        Assert.Equal(1, failAfterInsert.Failures);
        Assert.All(await RelationshipsOfAsync(sale.Seller.Id, sale.Car.Id), r => Assert.Null(r.EndDate));
        Assert.Empty(await RelationshipsOfAsync(sale.Buyer.Id, sale.Car.Id));
        await using var fresh = NewContext();
        Assert.Null((await fresh.Customers.SingleAsync(c => c.Id == sale.Buyer.Id)).PaymentMethod);
    }

    [Fact]
    public async Task TransferOwnership_BuyerIsSeller_ThrowsDomainException()
    {
        var sale = await ArrangeSaleAsync();
        await using var db = NewContext();

        await Assert.ThrowsAsync<DomainException>(() => RelationshipService.TransferOwnershipAsync(db,
            sale.TransferToBuyer() with
            {
                BuyerCustomerId = sale.Seller.Id,
                BuyerRelationships = [new BuyerRelationship(sale.Org.SecondDealer.Id, RelationshipType.Selling)],
            }));

        Assert.All(await RelationshipsOfAsync(sale.Seller.Id, sale.Car.Id), r => Assert.Null(r.EndDate));
    }

    private async Task<Sale> ArrangeSaleAsync()
    {
        var org = await SeedOrganisationAsync();
        await using var db = NewContext();
        var seller = await new CustomerBuilder().InGroup(org.Group).Named("Sally", "Seller").SaveAsync(db);
        var buyer = await new CustomerBuilder().InGroup(org.OtherGroup).Named("Bob", "Buyer").SaveAsync(db);
        var car = await new VehicleBuilder().OfBrand(org.Brand).WithPlate("SL22 ABC", Bought).SaveAsync(db);
        var otherCar = await new VehicleBuilder().OfBrand(org.OtherBrand).SaveAsync(db);
        await RelationshipService.StartAsync(db, org.Dealer.Id, seller.Id, car.Id, RelationshipType.Selling, Bought, PaymentMethod.Cash);
        await RelationshipService.StartAsync(db, org.SecondDealer.Id, seller.Id, car.Id, RelationshipType.Servicing, FirstService);
        await RelationshipService.StartAsync(db, org.Dealer.Id, seller.Id, otherCar.Id, RelationshipType.Servicing, FirstService);
        return new Sale(org, seller, buyer, car, otherCar);
    }

    private async Task<List<Relationship>> RelationshipsOfAsync(long customerId, long vehicleId)
    {
        await using var db = NewContext();
        return await db.Relationships.AsNoTracking().Where(r => r.CustomerId == customerId && r.VehicleId == vehicleId).ToListAsync();
    }

    private static IEnumerable<Exception> Chain(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            yield return ex;
        }
    }

    /// <summary>Sally (the customer's group) sells her car, known to two of its dealers, to Bob of another group.</summary>
    private sealed record Sale(TestOrganisation Org, Customer Seller, Customer Buyer, Vehicle Car, Vehicle OtherCar)
    {
        public OwnershipTransfer TransferToBuyer() => new(
            Car.Id,
            Seller.Id,
            SaleDate,
            RelationshipEndReason.SoldPrivately,
            Buyer.Id,
            [new BuyerRelationship(Org.OtherGroupDealer.Id, RelationshipType.Selling)],
            PaymentMethod.Finance);
    }
}

public sealed class SqliteOwnershipTransferTests : OwnershipTransferTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

[Collection(PostgreSqlServer.CollectionName)]
public sealed class PostgreSqlOwnershipTransferTests(PostgreSqlServer server) : OwnershipTransferTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await server.CreateDatabaseAsync();
}
