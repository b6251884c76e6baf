using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Tenancy;

public sealed class TenantFilterTests : IDisposable
{
    /// <summary>
    /// Entities deliberately without a tenant filter, each with the reason. Anything else in the model must carry
    /// the "Tenant" filter: a new entity added without one fails <see cref="Model_EveryEntity_HasTenantFilterOrIsListedAsUnscoped"/>.
    /// </summary>
    private static readonly Dictionary<Type, string> Unscoped = new()
    {
        [typeof(Network)] = "the network's name and settings; no personal data",
        [typeof(Brand)] = "the catalogue of makes, shown to everyone",
        [typeof(CrmUser)] = "read only by Identity (sign-in) and the user administration service, which applies the scope rules itself",
        [typeof(IdentityRole)] = "role names",
        [typeof(IdentityUserRole<string>)] = "Identity's join rows",
        [typeof(IdentityUserClaim<string>)] = "Identity's rows",
        [typeof(IdentityUserLogin<string>)] = "Identity's rows",
        [typeof(IdentityUserToken<string>)] = "Identity's rows (authenticator keys, recovery codes)",
        [typeof(IdentityRoleClaim<string>)] = "Identity's rows",
        [typeof(IdentityUserPasskey<string>)] = "Identity's rows",
    };

    private readonly SqliteTestDatabase database = new();

    public void Dispose() => database.Dispose();

    [Fact]
    public void Model_EveryEntity_HasTenantFilterOrIsListedAsUnscoped()
    {
        using var db = database.CreateContext();

        var missing = db.Model.GetEntityTypes()
            .Where(t => !t.IsOwned() && !Unscoped.ContainsKey(t.ClrType))
            .Where(t => t.FindDeclaredQueryFilter(CrmDbContext.TenantFilter) is null)
            .Select(t => t.ClrType.Name)
            .ToList();

        Assert.True(missing.Count == 0, "Tenant-owned entities without the tenant filter: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Customer_OtherGroupsIdAsGroupUser_BehavesAsMissing()
    {
        var (org, _, other) = await ArrangeTwoGroupsAsync();

        await using var db = database.CreateContext();
        db.Scope = AccessScope.ForUser(ScopeLevel.Group, org.Network.Id, org.Group.Id, [CrmRole.Sales]);

        Assert.Null(await db.Customers.FirstOrDefaultAsync(c => c.Id == other.Id));
        Assert.Null(await db.Customers.FindAsync(other.Id));
        Assert.Equal(0, await db.CustomerEmails.CountAsync(e => e.CustomerId == other.Id));
        Assert.Equal(0, await db.ConsentRecords.CountAsync(c => c.CustomerId == other.Id));
        Assert.Equal(0, await db.Relationships.CountAsync(r => r.CustomerId == other.Id));
        Assert.Equal(0, await db.AuditEntries.CountAsync(a => a.CustomerId == other.Id));
    }

    [Fact]
    public async Task Customers_GroupUser_SeesOwnGroupOnly()
    {
        var (org, own, _) = await ArrangeTwoGroupsAsync();

        await using var db = database.CreateContext();
        db.Scope = AccessScope.ForUser(ScopeLevel.Dealer, org.Network.Id, org.Group.Id, [CrmRole.Service]);

        var ids = await db.Customers.Select(c => c.Id).ToListAsync();
        Assert.Equal([own.Id], ids);
        Assert.Equal([org.Group.Id], await db.DealerGroups.Select(g => g.Id).ToListAsync());
        Assert.DoesNotContain(await db.Dealers.Select(d => d.Id).ToListAsync(), id => id == org.OtherGroupDealer.Id);
        Assert.Equal(0, await db.WholesaleCustomers.CountAsync());
    }

    [Fact]
    public async Task Vehicles_GroupUser_SeesVehiclesOfOwnRelationshipsOnly()
    {
        var (org, own, other) = await ArrangeTwoGroupsAsync();
        long ownCar, otherCar;
        await using (var setup = database.CreateContext())
        {
            ownCar = (await new VehicleBuilder().InNetwork(org.Network).SaveAsync(setup)).Id;
            otherCar = (await new VehicleBuilder().InNetwork(org.Network).SaveAsync(setup)).Id;
            await RelationshipService.StartAsync(setup, org.Dealer.Id, own.Id, ownCar, RelationshipType.Selling, new DateOnly(2024, 1, 1));
            await RelationshipService.StartAsync(setup, org.OtherGroupDealer.Id, other.Id, otherCar, RelationshipType.Selling, new DateOnly(2024, 1, 1));
        }

        await using var db = database.CreateContext();
        db.Scope = AccessScope.ForUser(ScopeLevel.Group, org.Network.Id, org.Group.Id, [CrmRole.Sales]);

        Assert.Equal([ownCar], await db.Vehicles.Select(v => v.Id).ToListAsync());
        Assert.Null(await db.Vehicles.FirstOrDefaultAsync(v => v.Id == otherCar));
    }

    [Fact]
    public async Task NetworkUser_AllGroupsOrPickedGroup_AndWholesale()
    {
        var (org, own, other) = await ArrangeTwoGroupsAsync();

        await using var all = database.CreateContext();
        all.Scope = AccessScope.ForUser(ScopeLevel.Network, org.Network.Id, null, [CrmRole.Manager]);
        await using var picked = database.CreateContext();
        picked.Scope = AccessScope.ForUser(ScopeLevel.Network, org.Network.Id, null, [CrmRole.Manager], pickedGroupId: org.OtherGroup.Id);

        Assert.Equal(2, await all.Customers.CountAsync());
        Assert.Equal(2, await all.WholesaleCustomers.CountAsync());
        Assert.Equal([other.Id], await picked.Customers.Select(c => c.Id).ToListAsync());
        Assert.NotEqual(own.Id, other.Id);
    }

    [Fact]
    public async Task AgencyUser_AnyScope_SeesNoPersonalData()
    {
        var (org, own, _) = await ArrangeTwoGroupsAsync();

        await using var network = database.CreateContext();
        network.Scope = AccessScope.ForUser(ScopeLevel.Network, org.Network.Id, null, [CrmRole.Agency]);
        await using var group = database.CreateContext();
        group.Scope = AccessScope.ForUser(ScopeLevel.Group, org.Network.Id, org.Group.Id, [CrmRole.Agency]);

        Assert.Equal(0, await network.Customers.CountAsync());
        Assert.Equal(0, await network.WholesaleCustomers.CountAsync());
        Assert.Null(await group.Customers.FindAsync(own.Id));
        Assert.Equal(0, await group.CustomerPhones.CountAsync());
    }

    [Fact]
    public async Task NewContext_WithoutScope_SeesNothing()
    {
        await ArrangeTwoGroupsAsync();

        await using var db = CrmDatabase.ContextFactory(database.Settings)();

        Assert.Equal(0, await db.Customers.CountAsync());
        Assert.Equal(0, await db.DealerGroups.CountAsync());
    }

    [Fact]
    public async Task Relationship_GroupUserLinksOtherGroupsCustomer_RefusedAsMissing()
    {
        var (org, _, other) = await ArrangeTwoGroupsAsync();
        long car;
        await using (var setup = database.CreateContext())
        {
            car = (await new VehicleBuilder().InNetwork(org.Network).SaveAsync(setup)).Id;
        }

        await using var db = database.CreateContext();
        db.Scope = AccessScope.ForUser(ScopeLevel.Group, org.Network.Id, org.Group.Id, [CrmRole.Sales]);

        await Assert.ThrowsAsync<RecordNotFoundException>(() =>
            RelationshipService.StartAsync(db, org.Dealer.Id, other.Id, car, RelationshipType.Prospect, new DateOnly(2025, 1, 1)));
    }

    private async Task<(TestOrganisation Org, Domain.Customers.Customer Own, Domain.Customers.Customer Other)> ArrangeTwoGroupsAsync()
    {
        await using var db = database.CreateContext();
        var org = await new OrganisationBuilder().SaveAsync(db);
        var own = await new CustomerBuilder().InGroup(org.Group).Named("Olive", "Own").WithEmail("olive@example.com").SaveAsync(db);
        var other = await new CustomerBuilder().InGroup(org.OtherGroup).Named("Otto", "Other").WithEmail("otto@example.com").WithPhone("07700 900456").SaveAsync(db);
        db.ConsentRecords.Add(ConsentState.Create(other.Id, ConsentChannel.Email, ConsentPurpose.Marketing, org.Brand.Id, null,
            ConsentStatus.OptIn, new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), ConsentSource.Desk, "desk"));
        await db.SaveChangesAsync();
        return (org, own, other);
    }
}
