using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Domain.Wholesale;
using AutomotiveCrm.Tests.Support;

namespace AutomotiveCrm.Tests.Wholesale;

/// <summary>The wholesale list and page: each computed field names the retail record (and its group) it came from.</summary>
public sealed class WholesaleQueriesTests : IDisposable
{
    private readonly SqliteTestDatabase database = new();

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task Load_TwoRetailRecords_EachFieldPointsAtTheRecordItCameFrom()
    {
        var (org, north, south) = await ArrangeSamePersonInTwoGroupsAsync();

        var details = await LoadAsync(NetworkScope(org), north.WholesaleCustomerId);

        Assert.NotNull(details);
        var email = details.Fields.Single(f => f.Field == WholesaleFields.Email);
        Assert.Equal(("alex.new@example.com", (long?)south.Id, org.OtherGroup.Name), (email.Value, email.SourceCustomerId, email.Source?.GroupName));
        var dateOfBirth = details.Fields.Single(f => f.Field == WholesaleFields.DateOfBirth);
        Assert.Equal(("1990-04-12", (long?)north.Id, org.Group.Name), (dateOfBirth.Value, dateOfBirth.SourceCustomerId, dateOfBirth.Source?.GroupName));
        Assert.Equal([south.Id, north.Id], details.RetailRecords.Select(r => r.Id));
        Assert.Equal([org.OtherGroup.Code, org.Group.Code], details.RetailRecords.Select(r => r.GroupCode));
    }

    [Fact]
    public async Task Load_GroupUser_ReturnsNull()
    {
        var (org, north, _) = await ArrangeSamePersonInTwoGroupsAsync();

        var details = await LoadAsync(AccessScope.ForUser(ScopeLevel.Group, org.Network.Id, org.Group.Id, [CrmRole.Administrator]), north.WholesaleCustomerId);

        Assert.Null(details);
    }

    [Fact]
    public async Task Load_NetworkUserWithPickedGroup_KeepsSourceIdButHidesOtherGroupsRecord()
    {
        var (org, north, south) = await ArrangeSamePersonInTwoGroupsAsync();

        var details = await LoadAsync(AccessScope.ForUser(ScopeLevel.Network, org.Network.Id, null, [CrmRole.Manager], pickedGroupId: org.Group.Id),
            north.WholesaleCustomerId);

        var email = details!.Fields.Single(f => f.Field == WholesaleFields.Email);
        Assert.Equal(((long?)south.Id, (WholesaleRetailRecord?)null), (email.SourceCustomerId, email.Source));
        Assert.Equal(north.Id, Assert.Single(details.RetailRecords).Id);
    }

    [Fact]
    public async Task Search_ByEmailPrefixOrName_FindsRecordAndPages()
    {
        var org = await SeedAsync();
        await using (var db = database.CreateContext())
        {
            for (var i = 0; i < 5; i++)
            {
                await new CustomerBuilder().InGroup(org.Group).Named("Jo", $"Taylor{i}").WithEmail($"jo{i}@example.com").SaveAsync(db);
            }

            await new CustomerBuilder().InGroup(org.Group).Named("Kim", "Lee").WithEmail("kim@example.com").SaveAsync(db);
        }

        await using var read = database.CreateContext();
        read.Scope = NetworkScope(org);
        var byEmail = await WholesaleQueries.SearchAsync(read, "KIM@", 0, 10);
        var byName = await WholesaleQueries.SearchAsync(read, "taylor", 2, 2);

        Assert.Equal("Kim Lee", Assert.Single(byEmail.Rows).Name);
        Assert.Equal(5, byName.Total);
        Assert.Equal(["Jo Taylor2", "Jo Taylor3"], byName.Rows.Select(r => r.Name));
    }

    private static AccessScope NetworkScope(TestOrganisation org) =>
        AccessScope.ForUser(ScopeLevel.Network, org.Network.Id, null, [CrmRole.Manager]);

    private async Task<TestOrganisation> SeedAsync()
    {
        await using var db = database.CreateContext();
        return await new OrganisationBuilder().SaveAsync(db);
    }

    /// <summary>Alex is known to both groups; the other group's record is the newer one and has a new e-mail, but no birth date.</summary>
    private async Task<(TestOrganisation Org, Customer North, Customer South)> ArrangeSamePersonInTwoGroupsAsync()
    {
        var org = await SeedAsync();
        await using var db = database.CreateContext();
        var north = await new CustomerBuilder().InGroup(org.Group).Named("Alex", "Morgan").BornOn(new DateOnly(1990, 4, 12))
            .WithEmail("alex@example.com").SaveAsync(db);
        database.Clock.Advance(TimeSpan.FromMinutes(10));
        var south = await new CustomerBuilder().InGroup(org.OtherGroup).Named("Alex", "Morgan").SamePersonAs(north)
            .WithEmail("alex.new@example.com").SaveAsync(db);
        return (org, north, south);
    }

    private async Task<WholesaleDetails?> LoadAsync(AccessScope scope, long id)
    {
        await using var db = database.CreateContext();
        db.Scope = scope;
        return await WholesaleQueries.LoadAsync(db, id);
    }
}
