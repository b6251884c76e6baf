using System.Data.Common;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Relationships;

/// <summary>
/// The period rule of the dealer-customer-vehicle triangle, enforced twice: by the domain on every save (any
/// overlap) and by the database's unique filtered index (a second current row, whoever writes it).
/// </summary>
public abstract class RelationshipRulesTests : DatabaseTest
{
    private static readonly DateOnly January = new(2024, 1, 1);
    private static readonly DateOnly March = new(2024, 3, 1);
    private static readonly DateOnly June = new(2024, 6, 1);
    private static readonly DateOnly August = new(2024, 8, 1);

    [Fact]
    public async Task StartAsync_WhileSameTriangleIsCurrent_ThrowsDomainException()
    {
        var (org, customer, vehicle) = await ArrangeAsync();
        await using (var db = NewContext())
        {
            await RelationshipService.StartAsync(db, org.Dealer.Id, customer.Id, vehicle.Id, RelationshipType.Selling, January);
        }

        await using var second = NewContext();
        var ex = await Assert.ThrowsAsync<DomainException>(() =>
            RelationshipService.StartAsync(second, org.Dealer.Id, customer.Id, vehicle.Id, RelationshipType.Servicing, March));

        Assert.Contains("overlap", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, await CountRelationshipsAsync());
    }

    [Fact]
    public async Task StartAsync_InsideEndedPeriod_ThrowsDomainException()
    {
        var (org, customer, vehicle) = await ArrangeAsync();
        await SaveEndedAsync(org.Dealer.Id, customer.Id, vehicle.Id, January, June);

        await using var db = NewContext();
        await Assert.ThrowsAsync<DomainException>(() =>
            RelationshipService.StartAsync(db, org.Dealer.Id, customer.Id, vehicle.Id, RelationshipType.Servicing, March));

        Assert.Equal(1, await CountRelationshipsAsync());
    }

    [Fact]
    public async Task StartAsync_OnDayPreviousPeriodEnded_IsAllowed()
    {
        var (org, customer, vehicle) = await ArrangeAsync();
        long firstId;
        await using (var db = NewContext())
        {
            firstId = (await RelationshipService.StartAsync(db, org.Dealer.Id, customer.Id, vehicle.Id, RelationshipType.Selling, January)).Id;
            await RelationshipService.EndAsync(db, firstId, June, RelationshipEndReason.Superseded);
        }

        await using (var db = NewContext())
        {
            await RelationshipService.StartAsync(db, org.Dealer.Id, customer.Id, vehicle.Id, RelationshipType.Servicing, June);
        }

        await using var fresh = NewContext();
        var periods = await fresh.Relationships.OrderBy(r => r.StartDate).Select(r => new { r.StartDate, r.EndDate }).ToListAsync();
        Assert.Equal([(January, (DateOnly?)June), (June, (DateOnly?)null)], periods.Select(p => (p.StartDate, p.EndDate)));
    }

    [Fact]
    public async Task StartAsync_SameCustomerAndVehicleAtAnotherDealer_IsAllowed()
    {
        var (org, customer, vehicle) = await ArrangeAsync();
        await using var db = NewContext();
        await RelationshipService.StartAsync(db, org.Dealer.Id, customer.Id, vehicle.Id, RelationshipType.Selling, January);

        await RelationshipService.StartAsync(db, org.SecondDealer.Id, customer.Id, vehicle.Id, RelationshipType.Servicing, January);

        Assert.Equal(2, await CountRelationshipsAsync());
    }

    [Fact]
    public async Task SaveChanges_AddedRelationshipOverlappingSavedPeriod_ThrowsDomainException()
    {
        var (org, customer, vehicle) = await ArrangeAsync();
        await SaveEndedAsync(org.Dealer.Id, customer.Id, vehicle.Id, January, June);
        await using var db = NewContext();
        db.Relationships.Add(NewRelationship(org.Dealer.Id, customer.Id, vehicle.Id, March, end: August));

        await Assert.ThrowsAsync<DomainException>(() => db.SaveChangesAsync());

        Assert.Equal(1, await CountRelationshipsAsync());
    }

    [Fact]
    public async Task SaveChanges_TwoOverlappingRelationshipsAddedTogether_ThrowsDomainException()
    {
        var (org, customer, vehicle) = await ArrangeAsync();
        await using var db = NewContext();
        db.Relationships.Add(NewRelationship(org.Dealer.Id, customer.Id, vehicle.Id, January, end: June));
        db.Relationships.Add(NewRelationship(org.Dealer.Id, customer.Id, vehicle.Id, March, end: August));

        await Assert.ThrowsAsync<DomainException>(() => db.SaveChangesAsync());

        Assert.Equal(0, await CountRelationshipsAsync());
    }

    [Fact]
    public async Task SaveChanges_SynchronousAddOverlappingSavedPeriod_ThrowsDomainException()
    {
        var (org, customer, vehicle) = await ArrangeAsync();
        await SaveEndedAsync(org.Dealer.Id, customer.Id, vehicle.Id, January, June);
        await using var db = NewContext();
        db.Relationships.Add(NewRelationship(org.Dealer.Id, customer.Id, vehicle.Id, March, end: null));

        Assert.Throws<DomainException>(() => db.SaveChanges());
    }

    [Fact]
    public async Task SaveChanges_AddedRelationshipStartingOnPreviousEnd_IsAllowed()
    {
        var (org, customer, vehicle) = await ArrangeAsync();
        await SaveEndedAsync(org.Dealer.Id, customer.Id, vehicle.Id, January, June);
        await using var db = NewContext();
        db.Relationships.Add(NewRelationship(org.Dealer.Id, customer.Id, vehicle.Id, June, end: null));

        await db.SaveChangesAsync();

        Assert.Equal(2, await CountRelationshipsAsync());
    }

    [Fact]
    public async Task SaveChanges_EndDateMovedIntoNextPeriod_ThrowsDomainException()
    {
        var (org, customer, vehicle) = await ArrangeAsync();
        var first = await SaveEndedAsync(org.Dealer.Id, customer.Id, vehicle.Id, January, June);
        await using (var db = NewContext())
        {
            db.Relationships.Add(NewRelationship(org.Dealer.Id, customer.Id, vehicle.Id, June, end: null));
            await db.SaveChangesAsync();
        }

        await using var edit = NewContext();
        var tracked = await edit.Relationships.SingleAsync(r => r.Id == first.Id);
        tracked.EndDate = August;

        await Assert.ThrowsAsync<DomainException>(() => edit.SaveChangesAsync());
    }

    [Fact]
    public async Task SaveChanges_RelationshipWithDealerOfAnotherGroup_ThrowsDomainException()
    {
        var (org, customer, vehicle) = await ArrangeAsync();
        await using var db = NewContext();
        db.Relationships.Add(NewRelationship(org.OtherGroupDealer.Id, customer.Id, vehicle.Id, January, end: null));

        var ex = await Assert.ThrowsAsync<DomainException>(() => db.SaveChangesAsync());

        Assert.Contains("same dealer group", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountRelationshipsAsync());
    }

    [Fact]
    public async Task SaveChanges_AddedRelationship_TakesGroupOfDealerAndCustomer()
    {
        var (org, customer, vehicle) = await ArrangeAsync();
        await using var db = NewContext();
        var relationship = NewRelationship(org.Dealer.Id, customer.Id, vehicle.Id, January, end: null);
        relationship.DealerGroupId = org.OtherGroup.Id;
        db.Relationships.Add(relationship);

        await db.SaveChangesAsync();

        await using var fresh = NewContext();
        Assert.Equal(org.Group.Id, (await fresh.Relationships.SingleAsync()).DealerGroupId);
    }

    [Fact]
    public async Task StartAsync_WithDealerOfAnotherGroup_ThrowsDomainException()
    {
        var (org, customer, vehicle) = await ArrangeAsync();
        await using var db = NewContext();

        var ex = await Assert.ThrowsAsync<DomainException>(() =>
            RelationshipService.StartAsync(db, org.OtherGroupDealer.Id, customer.Id, vehicle.Id, RelationshipType.Servicing, January));

        Assert.Contains("another dealer group", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UniqueIndex_SecondCurrentRowWrittenWithRawSql_IsRefusedByDatabase()
    {
        var (org, customer, vehicle) = await ArrangeAsync();
        long currentId;
        await using (var db = NewContext())
        {
            currentId = (await RelationshipService.StartAsync(db, org.Dealer.Id, customer.Id, vehicle.Id, RelationshipType.Selling, January)).Id;
        }

        await using var raw = NewContext();
        await Assert.ThrowsAnyAsync<DbException>(() => CopyRelationshipWithSqlAsync(raw, currentId, endDate: null));

        Assert.Equal(1, await CountRelationshipsAsync());
    }

    [Fact]
    public async Task UniqueIndex_EndedRowBesideCurrentWrittenWithRawSql_IsAccepted()
    {
        var (org, customer, vehicle) = await ArrangeAsync();
        long currentId;
        await using (var db = NewContext())
        {
            currentId = (await RelationshipService.StartAsync(db, org.Dealer.Id, customer.Id, vehicle.Id, RelationshipType.Selling, January)).Id;
        }

        await using var raw = NewContext();
        await CopyRelationshipWithSqlAsync(raw, currentId, endDate: June);

        Assert.Equal(2, await CountRelationshipsAsync());
    }

    [Fact]
    public async Task EndAsync_RelationshipAlreadyEnded_ThrowsDomainException()
    {
        var (org, customer, vehicle) = await ArrangeAsync();
        var ended = await SaveEndedAsync(org.Dealer.Id, customer.Id, vehicle.Id, January, June);
        await using var db = NewContext();

        await Assert.ThrowsAsync<DomainException>(() => RelationshipService.EndAsync(db, ended.Id, August, RelationshipEndReason.Scrapped));
    }

    [Fact]
    public async Task EndAsync_BeforeStart_ThrowsDomainException()
    {
        var (org, customer, vehicle) = await ArrangeAsync();
        await using var db = NewContext();
        var current = await RelationshipService.StartAsync(db, org.Dealer.Id, customer.Id, vehicle.Id, RelationshipType.Selling, March);

        await Assert.ThrowsAsync<DomainException>(() => RelationshipService.EndAsync(db, current.Id, January, RelationshipEndReason.Scrapped));
    }

    private async Task<(TestOrganisation Org, Customer Customer, Vehicle Vehicle)> ArrangeAsync()
    {
        var org = await SeedOrganisationAsync();
        await using var db = NewContext();
        var customer = await new CustomerBuilder().InGroup(org.Group).SaveAsync(db);
        var vehicle = await new VehicleBuilder().OfBrand(org.Brand).SaveAsync(db);
        return (org, customer, vehicle);
    }

    private async Task<Relationship> SaveEndedAsync(long dealerId, long customerId, long vehicleId, DateOnly start, DateOnly end)
    {
        await using var db = NewContext();
        var relationship = NewRelationship(dealerId, customerId, vehicleId, start, end);
        db.Relationships.Add(relationship);
        await db.SaveChangesAsync();
        return relationship;
    }

    private static Relationship NewRelationship(long dealerId, long customerId, long vehicleId, DateOnly start, DateOnly? end) => new()
    {
        DealerId = dealerId,
        CustomerId = customerId,
        VehicleId = vehicleId,
        Type = RelationshipType.Servicing,
        StartDate = start,
        EndDate = end,
        EndReason = end is null ? null : RelationshipEndReason.Other,
    };

    private async Task<int> CountRelationshipsAsync()
    {
        await using var db = NewContext();
        return await db.Relationships.CountAsync();
    }

    /// <summary>Writes past every domain rule: only the database's constraints stand in the way.</summary>
    private static Task<int> CopyRelationshipWithSqlAsync(DbContext db, long id, DateOnly? endDate)
    {
        // EF cannot give an untyped null parameter a store type (it throws before reaching the database): write NULL.
        var end = endDate is null ? "NULL" : "{1}";
        var sql = "INSERT INTO \"Relationships\" (\"DealerId\", \"CustomerId\", \"VehicleId\", \"DealerGroupId\", \"Type\", \"StartDate\", \"EndDate\", \"CreatedAt\", \"UpdatedAt\") " +
            "SELECT \"DealerId\", \"CustomerId\", \"VehicleId\", \"DealerGroupId\", \"Type\", \"StartDate\", " + end + ", \"CreatedAt\", \"UpdatedAt\" " +
            "FROM \"Relationships\" WHERE \"Id\" = {0}";
        object[] parameters = endDate is { } date ? [id, date] : [id];
        return db.Database.ExecuteSqlRawAsync(sql, parameters);
    }
}

public sealed class SqliteRelationshipRulesTests : RelationshipRulesTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

[Collection(PostgreSqlServer.CollectionName)]
public sealed class PostgreSqlRelationshipRulesTests(PostgreSqlServer server) : RelationshipRulesTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await server.CreateDatabaseAsync();
}
