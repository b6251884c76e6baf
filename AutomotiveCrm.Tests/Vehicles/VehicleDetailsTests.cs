using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Tests.Support;

namespace AutomotiveCrm.Tests.Vehicles;

/// <summary>
/// <see cref="VehicleDetailsQuery"/> reads through the caller's scope: a vehicle none of the group's customers ever had
/// is as missing as an id that does not exist, and relationships of other groups are left out.
/// </summary>
public sealed class VehicleDetailsTests : IDisposable
{
    private static readonly DateOnly Bought = new(2022, 3, 1);
    private static readonly DateOnly Sold = new(2024, 6, 1);

    private readonly SqliteTestDatabase database = new();

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task Load_OwnGroupsVehicle_ReturnsSpecificationPlatesAndMileage()
    {
        var (org, vehicle, _, _) = await ArrangeAsync();

        var details = await LoadAsUserOfAsync(org.Group.Id, org.Network.Id, vehicle.Id);

        Assert.NotNull(details);
        Assert.Equal((vehicle.Vin, "Alder", "Aster", (FuelType?)FuelType.Petrol, (DateOnly?)new DateOnly(2022, 3, 1)),
            (details.Vin, details.Make, details.Model, details.FuelType, details.FirstRegistrationDate));
        Assert.Equal(["NEW1", "OLD1"], details.Plates.Select(p => p.Plate));
        Assert.Equal([12_000, 30_500], details.Mileage.Select(m => m.Value));
        Assert.Equal("Northgate Alder Leeds", details.Mileage[1].DealerName);
    }

    [Fact]
    public async Task Load_GroupUser_SeesOnlyOwnGroupsRelationships()
    {
        var (org, vehicle, ownCustomer, _) = await ArrangeAsync();

        var details = await LoadAsUserOfAsync(org.Group.Id, org.Network.Id, vehicle.Id);

        var relationship = Assert.Single(details!.Relationships);
        Assert.Equal((ownCustomer.Id, org.Dealer.Id, org.Group.Name), (relationship.CustomerId, relationship.DealerId, relationship.GroupName));
        Assert.Equal(ownCustomer.Id, Assert.Single(details.CurrentCustomers).Id);
    }

    [Fact]
    public async Task Load_NetworkUser_SeesOwnershipAcrossGroups()
    {
        var (org, vehicle, ownCustomer, otherCustomer) = await ArrangeAsync();
        await using var db = database.CreateContext();
        db.Scope = AccessScope.ForUser(ScopeLevel.Network, org.Network.Id, null, [CrmRole.Manager]);

        var details = await VehicleDetailsQuery.LoadAsync(db, vehicle.Id);

        Assert.Equal(2, details!.Relationships.Count);
        Assert.Equal([ownCustomer.Id, otherCustomer.Id], details.Ownership.Select(o => o.CustomerId));
        Assert.Equal((Bought, (DateOnly?)Sold), (details.Ownership[1].From, details.Ownership[1].Until));
        Assert.Null(details.Ownership[0].Until);
    }

    [Fact]
    public async Task Load_AnotherGroupsVehicle_ReturnsNullLikeMissing()
    {
        var org = await SeedAsync();
        Vehicle onlyTheirs;
        await using (var db = database.CreateContext())
        {
            var theirs = await new CustomerBuilder().InGroup(org.OtherGroup).SaveAsync(db);
            onlyTheirs = await new VehicleBuilder().OfBrand(org.Brand).SaveAsync(db);
            await RelationshipService.StartAsync(db, org.OtherGroupDealer.Id, theirs.Id, onlyTheirs.Id, RelationshipType.Selling, Bought);
        }

        var invisible = await LoadAsUserOfAsync(org.Group.Id, org.Network.Id, onlyTheirs.Id);
        var missing = await LoadAsUserOfAsync(org.Group.Id, org.Network.Id, 987_654);
        var theirsSee = await LoadAsUserOfAsync(org.OtherGroup.Id, org.Network.Id, onlyTheirs.Id);

        Assert.Null(invisible);
        Assert.Null(missing);
        Assert.NotNull(theirsSee);
    }

    [Fact]
    public async Task Load_AgencyUser_ReturnsNull()
    {
        var (org, vehicle, _, _) = await ArrangeAsync();
        await using var db = database.CreateContext();
        db.Scope = AccessScope.ForUser(ScopeLevel.Network, org.Network.Id, null, [CrmRole.Agency]);

        Assert.Null(await VehicleDetailsQuery.LoadAsync(db, vehicle.Id));
    }

    [Fact]
    public async Task Load_VinWithWrongCheckDigit_CarriesTheWarning()
    {
        var org = await SeedAsync();
        Vehicle vehicle;
        await using (var db = database.CreateContext())
        {
            var customer = await new CustomerBuilder().InGroup(org.Group).SaveAsync(db);
            // 1M8GDM9AXKP042788 is valid; a 1 in the check-digit position is not.
            vehicle = await new VehicleBuilder().OfBrand(org.Brand).WithVin("1M8GDM9A1KP042788").SaveAsync(db);
            await RelationshipService.StartAsync(db, org.Dealer.Id, customer.Id, vehicle.Id, RelationshipType.Selling, Bought);
        }

        var details = await LoadAsUserOfAsync(org.Group.Id, org.Network.Id, vehicle.Id);

        Assert.Contains("check digit", details!.VinWarning, StringComparison.Ordinal);
    }

    private async Task<TestOrganisation> SeedAsync()
    {
        await using var db = database.CreateContext();
        return await new OrganisationBuilder().SaveAsync(db);
    }

    /// <summary>
    /// A vehicle bought new by a customer of the other group and sold on to a customer of the group: plates changed
    /// once, two mileage readings (the later one by the group's dealer).
    /// </summary>
    private async Task<(TestOrganisation Org, Vehicle Vehicle, Domain.Customers.Customer Own, Domain.Customers.Customer Other)> ArrangeAsync()
    {
        var org = await SeedAsync();
        await using var db = database.CreateContext();
        var own = await new CustomerBuilder().InGroup(org.Group).Named("Alex", "Morgan").SaveAsync(db);
        var other = await new CustomerBuilder().InGroup(org.OtherGroup).Named("Sam", "Fisher").SaveAsync(db);
        var vehicle = new VehicleBuilder().OfBrand(org.Brand).WithPlate("OLD1", Bought).WithPlate("NEW1", Sold).Build();
        vehicle.RecordMileage(new DateOnly(2023, 3, 1), 12_000, MileageUnit.Miles, MileageSource.ServiceVisit);
        vehicle.RecordMileage(Sold, 30_500, MileageUnit.Miles, MileageSource.Sale, org.Dealer.Id);
        db.Vehicles.Add(vehicle);
        await db.SaveChangesAsync();
        var first = await RelationshipService.StartAsync(db, org.OtherGroupDealer.Id, other.Id, vehicle.Id, RelationshipType.Selling, Bought);
        await RelationshipService.EndAsync(db, first.Id, Sold, RelationshipEndReason.SoldPrivately);
        await RelationshipService.StartAsync(db, org.Dealer.Id, own.Id, vehicle.Id, RelationshipType.Selling, Sold);
        return (org, vehicle, own, other);
    }

    private async Task<VehicleDetails?> LoadAsUserOfAsync(long groupId, long networkId, long vehicleId)
    {
        await using var db = database.CreateContext();
        db.Scope = AccessScope.ForUser(ScopeLevel.Group, networkId, groupId, [CrmRole.Sales]);
        return await VehicleDetailsQuery.LoadAsync(db, vehicleId);
    }
}
