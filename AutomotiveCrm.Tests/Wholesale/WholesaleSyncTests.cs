using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Wholesale;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Wholesale;

/// <summary>
/// The wholesale record is computed, never edited: every save that touches a linked retail record recomputes it
/// in the same transaction (most recently updated non-empty value wins, per field, with its source recorded).
/// Each assertion reads through a fresh context, so it sees what was committed rather than what a context holds.
/// </summary>
public abstract class WholesaleSyncTests : DatabaseTest
{
    private static readonly TimeSpan Later = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task NewCustomer_Saved_GetsOwnWholesaleRecordWithItsFields()
    {
        var org = await SeedOrganisationAsync();

        var customer = await SaveAsync(new CustomerBuilder().InGroup(org.Group)
            .WithTitle("Ms").Named("Alex", "Morgan").BornOn(new DateOnly(1990, 4, 12))
            .WithEmail("alex.morgan@example.com").WithPhone("07700 900123")
            .WithAddress("1 Station Road", "Leeds", "LS1 1AA"));

        var wholesale = await WholesaleOfAsync(customer);
        Assert.NotEqual(0, customer.WholesaleCustomerId);
        Assert.Equal(org.Network.Id, wholesale.NetworkId);
        Assert.Equal(("Ms", "Alex", "Morgan", (DateOnly?)new DateOnly(1990, 4, 12)),
            (wholesale.Title, wholesale.FirstName, wholesale.LastName, wholesale.DateOfBirth));
        Assert.Equal(("alex.morgan@example.com", "+447700900123"), (wholesale.Email, wholesale.Phone));
        Assert.Equal(("1 Station Road", "Leeds", "LS1 1AA", "GB"), (wholesale.AddressLine1, wholesale.City, wholesale.Postcode, wholesale.CountryCode));
        Assert.Equal(1, wholesale.RetailRecordCount);
    }

    [Fact]
    public async Task NewCustomer_Saved_FieldSourcesPointAtItForEveryFilledField()
    {
        var org = await SeedOrganisationAsync();

        var customer = await SaveAsync(new CustomerBuilder().InGroup(org.Group).Named("Alex", "Morgan")
            .WithEmail("alex.morgan@example.com").WithAddress("1 Station Road", "Leeds", "LS1 1AA"));

        var sources = (await WholesaleOfAsync(customer)).FieldSources;
        string[] filled = [WholesaleFields.BuyerType, WholesaleFields.FirstName, WholesaleFields.LastName, WholesaleFields.Email, WholesaleFields.Address];
        Assert.Equal(filled.Order(StringComparer.Ordinal), sources.Keys.Order(StringComparer.Ordinal));
        Assert.All(sources.Values, id => Assert.Equal(customer.Id, id));
    }

    [Fact]
    public async Task RetailFieldChanged_Saved_WholesaleRecomputedInSameSave()
    {
        var org = await SeedOrganisationAsync();
        var customer = await SaveAsync(new CustomerBuilder().InGroup(org.Group).Named("Alex", "Morgan"));
        Clock.Advance(Later);

        await using (var db = NewContext())
        {
            var tracked = await db.Customers.SingleAsync(c => c.Id == customer.Id);
            tracked.LastName = "Morgan-Smith";
            await db.SaveChangesAsync();
        }

        Assert.Equal("Morgan-Smith", (await WholesaleOfAsync(customer)).LastName);
    }

    [Fact]
    public async Task ChildEmailChanged_Saved_WholesaleEmailRecomputed()
    {
        var org = await SeedOrganisationAsync();
        var customer = await SaveAsync(new CustomerBuilder().InGroup(org.Group).WithEmail("old@example.com"));
        Clock.Advance(Later);

        await using (var db = NewContext())
        {
            var tracked = await db.Customers.Include(c => c.Emails).SingleAsync(c => c.Id == customer.Id);
            var email = Assert.Single(tracked.Emails);
            email.Address = "new@example.com";
            email.NormalisedAddress = "new@example.com";
            await db.SaveChangesAsync();
        }

        Assert.Equal("new@example.com", (await WholesaleOfAsync(customer)).Email);
    }

    [Fact]
    public async Task ChildEmailChangedWithoutItsCustomerLoaded_Saved_WholesaleAndVersionFollow()
    {
        var org = await SeedOrganisationAsync();
        var customer = await SaveAsync(new CustomerBuilder().InGroup(org.Group).WithEmail("old@example.com"));
        Clock.Advance(Later);

        await using (var db = NewContext())
        {
            var email = await db.CustomerEmails.SingleAsync(e => e.CustomerId == customer.Id);
            email.Address = "new@example.com";
            email.NormalisedAddress = "new@example.com";
            await db.SaveChangesAsync();
        }

        Assert.Equal("new@example.com", (await WholesaleOfAsync(customer)).Email);
        await using var read = NewContext();
        var saved = await read.Customers.SingleAsync(c => c.Id == customer.Id);
        Assert.Equal(customer.Version + 1, saved.Version);
        Assert.Equal(Clock.GetUtcNow().UtcDateTime, saved.UpdatedAt);
    }

    [Fact]
    public async Task NewCustomer_SavedWithoutAcceptingChanges_WrittenOnce()
    {
        var org = await SeedOrganisationAsync();

        await using (var db = NewContext())
        {
            db.Customers.Add(new CustomerBuilder().InGroup(org.Group).Named("Sam", "Once").Build());
            await db.SaveChangesAsync(acceptAllChangesOnSuccess: false);
        }

        await using var read = NewContext();
        Assert.Equal(1, await read.Customers.CountAsync(c => c.LastName == "Once"));
        Assert.Equal(1, await read.WholesaleCustomers.CountAsync(w => w.LastName == "Once"));
    }

    [Fact]
    public async Task ChildPhoneAdded_Saved_WholesalePhoneRecomputed()
    {
        var org = await SeedOrganisationAsync();
        var customer = await SaveAsync(new CustomerBuilder().InGroup(org.Group));
        Clock.Advance(Later);

        await using (var db = NewContext())
        {
            var tracked = await db.Customers.Include(c => c.Phones).SingleAsync(c => c.Id == customer.Id);
            tracked.Phones.Add(new CustomerPhone { Number = "+447700900456", Kind = PhoneKind.Mobile, IsPrimary = true });
            await db.SaveChangesAsync();
        }

        var wholesale = await WholesaleOfAsync(customer);
        Assert.Equal("+447700900456", wholesale.Phone);
        Assert.Equal(customer.Id, wholesale.FieldSources[WholesaleFields.Phone]);
    }

    [Fact]
    public async Task ChildAddressChanged_Saved_WholesaleAddressRecomputedAsOneField()
    {
        var org = await SeedOrganisationAsync();
        var customer = await SaveAsync(new CustomerBuilder().InGroup(org.Group).WithAddress("1 Station Road", "Leeds", "LS1 1AA"));
        Clock.Advance(Later);

        await using (var db = NewContext())
        {
            var tracked = await db.Customers.Include(c => c.Addresses).SingleAsync(c => c.Id == customer.Id);
            var address = Assert.Single(tracked.Addresses);
            (address.Line1, address.City, address.Postcode) = ("9 Minster Yard", "York", "YO1 7HH");
            await db.SaveChangesAsync();
        }

        var wholesale = await WholesaleOfAsync(customer);
        Assert.Equal(("9 Minster Yard", "York", "YO1 7HH"), (wholesale.AddressLine1, wholesale.City, wholesale.Postcode));
    }

    [Fact]
    public async Task ChildEmailChanged_Saved_CustomerVersionAndUpdateTimeMove()
    {
        var org = await SeedOrganisationAsync();
        var customer = await SaveAsync(new CustomerBuilder().InGroup(org.Group).WithEmail("old@example.com"));
        Clock.Advance(Later);

        await using (var db = NewContext())
        {
            var tracked = await db.Customers.Include(c => c.Emails).SingleAsync(c => c.Id == customer.Id);
            Assert.Single(tracked.Emails).Address = "new@example.com";
            await db.SaveChangesAsync();
        }

        await using var fresh = NewContext();
        var saved = await fresh.Customers.SingleAsync(c => c.Id == customer.Id);
        Assert.Equal((customer.Version + 1, Clock.GetUtcNow().UtcDateTime), (saved.Version, saved.UpdatedAt));
    }

    [Fact]
    public async Task TwoLinkedRecords_NewerHasValue_NewerValueWinsWithItsSource()
    {
        var (older, newer) = await ArrangeSamePersonInTwoGroupsAsync();

        var wholesale = await WholesaleOfAsync(older);

        Assert.Equal(older.WholesaleCustomerId, newer.WholesaleCustomerId);
        Assert.Equal(("Alexandra", "alexandra@example.org", "+447700900999"), (wholesale.FirstName, wholesale.Email, wholesale.Phone));
        Assert.Equal(newer.Id, wholesale.FieldSources[WholesaleFields.FirstName]);
        Assert.Equal(newer.Id, wholesale.FieldSources[WholesaleFields.Email]);
        Assert.Equal(newer.Id, wholesale.FieldSources[WholesaleFields.Phone]);
        Assert.Equal(2, wholesale.RetailRecordCount);
    }

    [Fact]
    public async Task TwoLinkedRecords_NewerFieldEmpty_OlderValueKeptWithItsSource()
    {
        var (older, _) = await ArrangeSamePersonInTwoGroupsAsync();

        var wholesale = await WholesaleOfAsync(older);

        Assert.Equal(("Morgan", "1 Station Road"), (wholesale.LastName, wholesale.AddressLine1));
        Assert.Equal(older.Id, wholesale.FieldSources[WholesaleFields.LastName]);
        Assert.Equal(older.Id, wholesale.FieldSources[WholesaleFields.Address]);
    }

    [Fact]
    public async Task TwoLinkedRecords_OlderUpdatedLater_OlderRecordsValuesWinAgain()
    {
        var (older, newer) = await ArrangeSamePersonInTwoGroupsAsync();
        Clock.Advance(Later);

        await using (var db = NewContext())
        {
            (await db.Customers.SingleAsync(c => c.Id == older.Id)).Title = "Dr";
            await db.SaveChangesAsync();
        }

        var wholesale = await WholesaleOfAsync(older);
        Assert.Equal(("Dr", "Alex", "alex@example.com"), (wholesale.Title, wholesale.FirstName, wholesale.Email));
        Assert.Equal(older.Id, wholesale.FieldSources[WholesaleFields.FirstName]);
        Assert.Equal(older.Id, wholesale.FieldSources[WholesaleFields.Email]);
        Assert.Equal(("+447700900999", newer.Id), (wholesale.Phone, wholesale.FieldSources[WholesaleFields.Phone]));
    }

    [Fact]
    public async Task LinkedRecordDeleted_Saved_WholesaleRecomputedFromTheRest()
    {
        var (older, newer) = await ArrangeSamePersonInTwoGroupsAsync();
        Clock.Advance(Later);

        await using (var db = NewContext())
        {
            db.Customers.Remove(await db.Customers.SingleAsync(c => c.Id == newer.Id));
            await db.SaveChangesAsync();
        }

        var wholesale = await WholesaleOfAsync(older);
        Assert.Equal(("Alex", "alex@example.com", (string?)null), (wholesale.FirstName, wholesale.Email, wholesale.Phone));
        Assert.All(wholesale.FieldSources.Values, id => Assert.Equal(older.Id, id));
        Assert.Equal(1, wholesale.RetailRecordCount);
    }

    [Fact]
    public async Task OnlyRecordDeleted_Saved_WholesaleRecordRemoved()
    {
        var org = await SeedOrganisationAsync();
        var customer = await SaveAsync(new CustomerBuilder().InGroup(org.Group).WithEmail("alex@example.com"));

        await using (var db = NewContext())
        {
            db.Customers.Remove(await db.Customers.SingleAsync(c => c.Id == customer.Id));
            await db.SaveChangesAsync();
        }

        await using var fresh = NewContext();
        Assert.False(await fresh.WholesaleCustomers.AnyAsync(w => w.Id == customer.WholesaleCustomerId));
    }

    [Fact]
    public async Task RecordRelinkedToAnotherWholesale_Saved_OrphanRemovedAndTargetRecomputed()
    {
        var org = await SeedOrganisationAsync();
        var first = await SaveAsync(new CustomerBuilder().InGroup(org.Group).Named("Alex", "Morgan"));
        Clock.Advance(Later);
        var second = await SaveAsync(new CustomerBuilder().InGroup(org.OtherGroup).Named("Alexandra", null));
        var orphan = second.WholesaleCustomerId;
        Clock.Advance(Later);

        await using (var db = NewContext())
        {
            (await db.Customers.SingleAsync(c => c.Id == second.Id)).WholesaleCustomerId = first.WholesaleCustomerId;
            await db.SaveChangesAsync();
        }

        await using var fresh = NewContext();
        Assert.False(await fresh.WholesaleCustomers.AnyAsync(w => w.Id == orphan));
        var target = await fresh.WholesaleCustomers.SingleAsync(w => w.Id == first.WholesaleCustomerId);
        Assert.Equal(("Alexandra", "Morgan", 2), (target.FirstName, target.LastName, target.RetailRecordCount));
    }

    [Fact]
    public async Task ExplicitTransactionRolledBack_AfterSave_WholesaleUnchanged()
    {
        var org = await SeedOrganisationAsync();
        var customer = await SaveAsync(new CustomerBuilder().InGroup(org.Group).Named("Alex", "Morgan"));
        Clock.Advance(Later);
        string? insideTransaction = null;

        async Task RenameThenFailAsync()
        {
            await using var db = NewContext();
            await using var transaction = await db.Database.BeginTransactionAsync();
            (await db.Customers.SingleAsync(c => c.Id == customer.Id)).LastName = "Renamed";
            await db.SaveChangesAsync();
            insideTransaction = (await db.WholesaleCustomers.AsNoTracking().SingleAsync(w => w.Id == customer.WholesaleCustomerId)).LastName;
            throw new SimulatedFailureException("The rest of the unit of work failed.");
        }

        await Assert.ThrowsAsync<SimulatedFailureException>(RenameThenFailAsync);

        Assert.Equal("Renamed", insideTransaction);
        var wholesale = await WholesaleOfAsync(customer);
        Assert.Equal(("Morgan", TestClock.Start.UtcDateTime), (wholesale.LastName, wholesale.UpdatedAt));
        await using var fresh = NewContext();
        Assert.Equal("Morgan", (await fresh.Customers.SingleAsync(c => c.Id == customer.Id)).LastName);
    }

    /// <summary>
    /// Alex is known to the customer's group since the clock's start (name, e-mail, address); ten minutes later
    /// another group records the same person as "Alexandra" with a new e-mail and a phone but no surname or address.
    /// </summary>
    private async Task<(Customer Older, Customer Newer)> ArrangeSamePersonInTwoGroupsAsync()
    {
        var org = await SeedOrganisationAsync();
        var older = await SaveAsync(new CustomerBuilder().InGroup(org.Group).Named("Alex", "Morgan")
            .WithEmail("alex@example.com").WithAddress("1 Station Road", "Leeds", "LS1 1AA"));
        Clock.Advance(Later);
        var newer = await SaveAsync(new CustomerBuilder().InGroup(org.OtherGroup).SamePersonAs(older).Named("Alexandra", null)
            .WithEmail("alexandra@example.org").WithPhone("07700 900999"));
        return (older, newer);
    }

    private async Task<Customer> SaveAsync(CustomerBuilder builder)
    {
        await using var db = NewContext();
        return await builder.SaveAsync(db);
    }

    private async Task<WholesaleCustomer> WholesaleOfAsync(Customer customer)
    {
        await using var db = NewContext();
        var wholesaleId = await db.Customers.Where(c => c.Id == customer.Id).Select(c => c.WholesaleCustomerId).SingleAsync();
        return await db.WholesaleCustomers.AsNoTracking().SingleAsync(w => w.Id == wholesaleId);
    }
}

public sealed class SqliteWholesaleSyncTests : WholesaleSyncTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

[Collection(PostgreSqlServer.CollectionName)]
public sealed class PostgreSqlWholesaleSyncTests(PostgreSqlServer server) : WholesaleSyncTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await server.CreateDatabaseAsync();
}
