using AutomotiveCrm.Domain.Dashboard;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Dashboard;

public sealed class NetworkOverviewTests : IDisposable
{
    private readonly SqliteTestDatabase database = new();

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task Load_EmptyDatabase_AllZeroWithEveryTypeListed()
    {
        await using var db = database.CreateContext();

        var overview = await NetworkOverviewQuery.LoadAsync(db);

        Assert.Equal(0, overview.Customers);
        Assert.Empty(overview.Groups);
        Assert.Equal(Enum.GetValues<RelationshipType>().Length, overview.CurrentRelationshipsByType.Count);
    }

    [Fact]
    public async Task Load_TwoGroups_CountsCustomersAndOnlyCurrentRelationshipsPerGroup()
    {
        TestOrganisation org;
        await using (var db = database.CreateContext())
        {
            org = await new OrganisationBuilder().SaveAsync(db);
        }

        await using (var db = database.CreateContext())
        {
            var a1 = await new CustomerBuilder().InGroup(org.Group).Named("Ann", "Able").SaveAsync(db);
            await new CustomerBuilder().InGroup(org.Group).Named("Bob", "Baker").SaveAsync(db);
            var b1 = await new CustomerBuilder().InGroup(org.OtherGroup).Named("Cat", "Cole").SaveAsync(db);
            var car = await new VehicleBuilder().InNetwork(org.Network).SaveAsync(db);
            var van = await new VehicleBuilder().InNetwork(org.Network).SaveAsync(db);
            await RelationshipService.StartAsync(db, org.Dealer.Id, a1.Id, car.Id, RelationshipType.Selling, new DateOnly(2024, 1, 1));
            var ended = await RelationshipService.StartAsync(db, org.Dealer.Id, a1.Id, van.Id, RelationshipType.Servicing, new DateOnly(2023, 1, 1));
            await RelationshipService.EndAsync(db, ended.Id, new DateOnly(2024, 6, 1), RelationshipEndReason.Scrapped);
            await RelationshipService.StartAsync(db, org.OtherGroupDealer.Id, b1.Id, van.Id, RelationshipType.Servicing, new DateOnly(2024, 7, 1));
        }

        await using var read = database.CreateContext();
        var overview = await NetworkOverviewQuery.LoadAsync(read);

        Assert.Equal(3, overview.Customers);
        Assert.Equal(3, overview.WholesaleCustomers);
        Assert.Equal(2, overview.Vehicles);
        Assert.Equal(2, overview.CurrentRelationships);
        Assert.Equal(1, overview.CurrentRelationshipsByType[RelationshipType.Selling]);
        Assert.Equal(1, overview.CurrentRelationshipsByType[RelationshipType.Servicing]);
        var groupA = overview.Groups.Single(g => g.GroupId == org.Group.Id);
        Assert.Equal((2, 1), (groupA.Customers, groupA.CurrentRelationships));
        var groupB = overview.Groups.Single(g => g.GroupId == org.OtherGroup.Id);
        Assert.Equal((1, 1), (groupB.Customers, groupB.CurrentRelationships));
        Assert.Equal(await read.Dealers.CountAsync(), overview.Dealers);
    }
}
