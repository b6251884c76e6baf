using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Customers;

/// <summary>Creating customers at the desk with the duplicate warning of the same group.</summary>
public sealed class CustomerCreationTests : IAsyncLifetime, IDisposable
{
    private readonly SqliteTestDatabase _database = new();
    private TestOrganisation _org = null!;
    private Customer _existing = null!;

    public async Task InitializeAsync()
    {
        await using var db = _database.CreateContext();
        _org = await new OrganisationBuilder().SaveAsync(db);
        _existing = await new CustomerBuilder().InGroup(_org.Group).Named("Alex", "Morgan").WithEmail("alex@example.com").WithPhone("07700 900123").SaveAsync(db);
        // The same contacts in the other group: not a duplicate for this group (groups never see each other).
        await new CustomerBuilder().InGroup(_org.OtherGroup).Named("Alex", "Morgan").WithEmail("alex@example.com").WithPhone("07700 900123").SaveAsync(db);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _database.Dispose();

    private CrmDbContext Context(ScopeLevel level = ScopeLevel.Group)
    {
        var db = _database.CreateContext();
        db.Scope = AccessScope.ForUser(level, _org.Network.Id, level == ScopeLevel.Network ? null : _org.Group.Id, [CrmRole.Sales]);
        return db;
    }

    [Theory]
    [InlineData(" ALEX@example.com ", null, "e-mail")]
    [InlineData(null, "+44 7700 900123", "phone")]
    [InlineData(null, "07700900123", "phone")]
    public async Task FindDuplicates_SameEmailOrPhone_OnlySameGroup(string? email, string? phone, string matchedOn)
    {
        await using var db = Context();

        var matches = await CustomerCreation.FindDuplicatesAsync(db, _org.Group.Id, email, phone, null);

        var match = Assert.Single(matches);
        Assert.Equal((_existing.Id, "Alex Morgan", matchedOn), (match.CustomerId, match.DisplayName, match.MatchedOn));
    }

    [Fact]
    public async Task FindDuplicates_GroupUserAskingAboutOtherGroup_SeesNothing()
    {
        await using var db = Context();

        var matches = await CustomerCreation.FindDuplicatesAsync(db, _org.OtherGroup.Id, "alex@example.com", "07700 900123", null);

        Assert.Empty(matches);
    }

    [Fact]
    public async Task Create_DuplicateNotConfirmed_NothingSavedMatchesReturned()
    {
        await using var db = Context();

        var result = await CustomerCreation.CreateAsync(db, new NewCustomer { FirstName = "Alexander", LastName = "Morgan", Email = "Alex@Example.com" }, false, _database.Clock);

        Assert.False(result.Created);
        Assert.Equal([_existing.Id], result.Duplicates.Select(d => d.CustomerId));
        Assert.Equal(1, await db.Customers.CountAsync());
    }

    [Fact]
    public async Task Create_DuplicateConfirmed_SavedInOwnGroupWithNormalisedContacts()
    {
        long id;
        await using (var db = Context())
        {
            var result = await CustomerCreation.CreateAsync(db,
                new NewCustomer { FirstName = "Alexander", LastName = "Morgan", Email = "Alex@Example.com", Phone = "07700 900123", Postcode = "ls1 4ab", Line1 = "1 High St" },
                true, _database.Clock);
            id = result.CustomerId!.Value;
        }

        await using var read = _database.CreateContext();
        var saved = await read.Customers.Include(c => c.Emails).Include(c => c.Phones).Include(c => c.Addresses).SingleAsync(c => c.Id == id);
        Assert.Equal((_org.Group.Id, CustomerSource.Manual), (saved.DealerGroupId, saved.Source));
        Assert.Equal("alex@example.com", saved.Emails.Single().NormalisedAddress);
        Assert.Equal("+447700900123", saved.Phones.Single().Number);
        Assert.Equal(("LS1 4AB", "GB"), (saved.Addresses.Single().Postcode, saved.Addresses.Single().CountryCode));
        Assert.NotEqual(0, saved.WholesaleCustomerId);
    }

    [Fact]
    public async Task Create_Invalid_AllFieldErrorsTogether()
    {
        await using var db = Context();

        var ex = await Assert.ThrowsAsync<CustomerValidationException>(() =>
            CustomerCreation.CreateAsync(db, new NewCustomer { FirstName = "Alex", Email = "nope", Phone = "12" }, false, _database.Clock));

        Assert.Equal(["Email", "LastName", "Phone"], ex.Errors.Keys.Order());
    }

    [Fact]
    public async Task Create_GroupUserNamingAnotherGroup_Refused()
    {
        await using var db = Context();

        var ex = await Assert.ThrowsAsync<CustomerValidationException>(() =>
            CustomerCreation.CreateAsync(db, new NewCustomer { GroupId = _org.OtherGroup.Id, LastName = "Smith" }, false, _database.Clock));

        Assert.True(ex.Errors.ContainsKey(nameof(NewCustomer.GroupId)));
    }

    [Fact]
    public async Task Create_NetworkUserWithoutGroup_AskedToChoose()
    {
        await using var db = Context(ScopeLevel.Network);

        var ex = await Assert.ThrowsAsync<CustomerValidationException>(() =>
            CustomerCreation.CreateAsync(db, new NewCustomer { LastName = "Smith" }, false, _database.Clock));

        Assert.Equal("Choose the dealer group the customer belongs to.", ex.Errors[nameof(NewCustomer.GroupId)]);
    }
}
