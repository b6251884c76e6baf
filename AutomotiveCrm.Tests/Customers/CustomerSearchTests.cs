using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Customers;

/// <summary>The customer list's query on a real SQLite database, as a group user sees it.</summary>
public sealed class CustomerSearchTests : IAsyncLifetime, IDisposable
{
    private readonly SqliteTestDatabase _database = new();
    private TestOrganisation _org = null!;
    private Customer _alex = null!;
    private Customer _beth = null!;
    private Customer _company = null!;
    private Customer _otherGroups = null!;
    private Vehicle _vehicle = null!;

    public async Task InitializeAsync()
    {
        await using var db = _database.CreateContext();
        _org = await new OrganisationBuilder().SaveAsync(db);
        _alex = await new CustomerBuilder().InGroup(_org.Group).Named("Alex", "Morgan").WithEmail("Alex.Morgan@Example.com")
            .WithPhone("07700 900123").WithAddress("1 High Street", "Leeds", "LS1 4AB").WithResponsibleDealer(_org.Dealer).SaveAsync(db);
        _beth = await new CustomerBuilder().InGroup(_org.Group).Named("Beth", "Zimmer").WithEmail("beth@example.org")
            .WithAddress("2 Low Road", "York", "YO1 7HH").SaveAsync(db);
        _company = await new CustomerBuilder().InGroup(_org.Group).AsCompany("Acme Fleet Ltd").Named("Carl", "Jones").SaveAsync(db);
        // The same e-mail, phone and name in another group: never visible to this group's users.
        _otherGroups = await new CustomerBuilder().InGroup(_org.OtherGroup).Named("Alex", "Morgan").WithEmail("alex.morgan@example.com")
            .WithPhone("07700 900123").WithAddress("9 Sea Front", "Brighton", "LS1 4AB").SaveAsync(db);
        _vehicle = await new VehicleBuilder().OfBrand(_org.Brand).WithVin("VF1AB000123456789").WithPlate("AB12 CDE", new DateOnly(2022, 3, 1))
            .WithPlate("XY70 ZZZ", new DateOnly(2024, 1, 1)).SaveAsync(db);
        db.Relationships.Add(new Relationship
        {
            DealerId = _org.Dealer.Id,
            CustomerId = _alex.Id,
            VehicleId = _vehicle.Id,
            Type = RelationshipType.Selling,
            StartDate = new DateOnly(2022, 3, 1),
        });
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _database.Dispose();

    private CrmDbContext GroupContext()
    {
        var db = _database.CreateContext();
        db.Scope = AccessScope.ForUser(ScopeLevel.Group, _org.Network.Id, _org.Group.Id, [CrmRole.Sales]);
        return db;
    }

    private async Task<List<long>> SearchIdsAsync(string text)
    {
        await using var db = GroupContext();
        var page = await CustomerSearch.SearchAsync(db, new CustomerFilter { Text = text }, 0, 50);
        return page.Rows.Select(r => r.Id).ToList();
    }

    [Theory]
    [InlineData("morg")]
    [InlineData("MORGAN")]
    [InlineData("alex")]
    [InlineData("alex morgan")]
    [InlineData("Morgan Alex")]
    public async Task Search_NamePrefix_FindsOwnGroupCustomerOnly(string text)
    {
        var ids = await SearchIdsAsync(text);

        Assert.Equal([_alex.Id], ids);
    }

    [Fact]
    public async Task Search_CompanyNamePrefix_FindsCompany()
    {
        var ids = await SearchIdsAsync("acme");

        Assert.Equal([_company.Id], ids);
    }

    [Theory]
    [InlineData("alex.morgan@example.com")]
    [InlineData("ALEX.MORGAN@")]
    public async Task Search_Email_MatchesNormalisedAddress(string text)
    {
        var ids = await SearchIdsAsync(text);

        Assert.Equal([_alex.Id], ids);
    }

    [Theory]
    [InlineData("07700 900123")]
    [InlineData("+44 7700 900123")]
    [InlineData("0044-7700-900-123")]
    public async Task Search_Phone_NormalisedToE164(string text)
    {
        var ids = await SearchIdsAsync(text);

        Assert.Equal([_alex.Id], ids);
    }

    [Theory]
    [InlineData("LS1 4AB")]
    [InlineData("ls14ab")]
    [InlineData("ls1")]
    public async Task Search_Postcode_MatchesPrefixWithOrWithoutSpace(string text)
    {
        var ids = await SearchIdsAsync(text);

        Assert.Equal([_alex.Id], ids);
    }

    [Theory]
    [InlineData("VF1AB000123456789")]
    [InlineData("vf1ab 0001234")]
    public async Task Search_Vin_FindsCustomerThroughRelationship(string text)
    {
        var ids = await SearchIdsAsync(text);

        Assert.Equal([_alex.Id], ids);
    }

    [Theory]
    [InlineData("xy70zzz")]
    [InlineData("AB12 CDE")]
    public async Task Search_CurrentOrEarlierPlate_FindsCustomerThroughRelationship(string text)
    {
        var ids = await SearchIdsAsync(text);

        Assert.Equal([_alex.Id], ids);
    }

    [Fact]
    public async Task Search_NoText_ListsOwnGroupSortedByNameWithTotals()
    {
        await using var db = GroupContext();

        var page = await CustomerSearch.SearchAsync(db, new CustomerFilter(), 0, 2);

        Assert.Equal(3, page.Total);
        Assert.Equal(["Acme Fleet Ltd", "Alex Morgan"], page.Rows.Select(r => r.DisplayName));
        var second = await CustomerSearch.SearchAsync(db, new CustomerFilter(), 2, 2);
        Assert.Equal(["Beth Zimmer"], second.Rows.Select(r => r.DisplayName));
        Assert.Equal(3, second.Total);
    }

    [Fact]
    public async Task Search_SortPostcodeDescending_OrdersByPrimaryPostcode()
    {
        await using var db = GroupContext();

        var page = await CustomerSearch.SearchAsync(db, new CustomerFilter { Sort = CustomerSort.Postcode, Descending = true }, 0, 10);

        Assert.Equal([_beth.Id, _alex.Id, _company.Id], page.Rows.Select(r => r.Id));
    }

    [Fact]
    public async Task Search_Row_CarriesPrimaryContactsDealerAndVehicleCount()
    {
        await using var db = GroupContext();

        var row = (await CustomerSearch.SearchAsync(db, new CustomerFilter { Text = "alex" }, 0, 10)).Rows.Single();

        Assert.Equal(("Alex Morgan", "Alex.Morgan@Example.com", "+447700900123", "LS1 4AB", _org.Dealer.Name, 1, _org.Group.Name),
            (row.DisplayName, row.Email, row.Phone, row.Postcode, row.ResponsibleDealer, row.Vehicles, row.GroupName));
    }

    [Fact]
    public async Task Search_Filters_CombineInDatabase()
    {
        await using var db = GroupContext();

        var withEmail = await CustomerSearch.SearchAsync(db, new CustomerFilter { HasEmail = true }, 0, 10);
        var withoutPhone = await CustomerSearch.SearchAsync(db, new CustomerFilter { HasPhone = false }, 0, 10);
        var companies = await CustomerSearch.SearchAsync(db, new CustomerFilter { BuyerType = BuyerType.Company }, 0, 10);
        var byDealer = await CustomerSearch.SearchAsync(db, new CustomerFilter { ResponsibleDealerId = _org.Dealer.Id }, 0, 10);

        Assert.Equal(2, withEmail.Total);
        Assert.Equal([_company.Id, _beth.Id], withoutPhone.Rows.Select(r => r.Id));
        Assert.Equal([_company.Id], companies.Rows.Select(r => r.Id));
        Assert.Equal([_alex.Id], byDealer.Rows.Select(r => r.Id));
    }

    [Fact]
    public async Task Search_NetworkUser_SeesBothGroupsAndCanFilterByGroup()
    {
        await using var db = _database.CreateContext();
        db.Scope = AccessScope.ForUser(ScopeLevel.Network, _org.Network.Id, null, [CrmRole.Manager]);

        var all = await CustomerSearch.SearchAsync(db, new CustomerFilter { Text = "07700900123" }, 0, 10);
        var other = await CustomerSearch.SearchAsync(db, new CustomerFilter { GroupId = _org.OtherGroup.Id }, 0, 10);

        Assert.Equal([_alex.Id, _otherGroups.Id], all.Rows.Select(r => r.Id).Order());
        Assert.Equal([_otherGroups.Id], other.Rows.Select(r => r.Id));
    }

    [Fact]
    public async Task Search_GroupUserFilteringOtherGroup_FindsNothing()
    {
        await using var db = GroupContext();

        var page = await CustomerSearch.SearchAsync(db, new CustomerFilter { GroupId = _org.OtherGroup.Id }, 0, 10);

        Assert.Equal(0, page.Total);
        Assert.Empty(page.Rows);
    }

    [Fact]
    public async Task Search_QuickSearch_IsOneSqlStatementWithoutClientEvaluation()
    {
        await using var db = GroupContext();

        var query = await CustomerSearch.FilterAsync(db, new CustomerFilter { Text = "ab12cde", HasEmail = true, Sort = CustomerSort.Postcode });
        var sql = query.ToQueryString();

        // Every kind is a condition of the one statement: plates through relationships, names with LIKE.
        Assert.Contains("\"PlateRegistrations\"", sql, StringComparison.Ordinal);
        Assert.Contains("\"Relationships\"", sql, StringComparison.Ordinal);
        Assert.Contains("LIKE", sql, StringComparison.Ordinal);
        Assert.Contains("\"CustomerEmails\"", sql, StringComparison.Ordinal);
    }
}
