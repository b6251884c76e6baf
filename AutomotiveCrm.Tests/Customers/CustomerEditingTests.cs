using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Customers;

/// <summary>Details, profile and contact edits, consents: as a group user, on a real SQLite database.</summary>
public sealed class CustomerEditingTests : IAsyncLifetime, IDisposable
{
    private readonly SqliteTestDatabase _database = new();
    private TestOrganisation _org = null!;
    private Customer _customer = null!;
    private Customer _otherGroups = null!;

    public async Task InitializeAsync()
    {
        await using var db = _database.CreateContext();
        _org = await new OrganisationBuilder().SaveAsync(db);
        _customer = await new CustomerBuilder().InGroup(_org.Group).Named("Alex", "Morgan").WithEmail("alex@example.com")
            .WithPhone("07700 900123").WithAddress("1 High Street", "Leeds", "LS1 4AB").SaveAsync(db);
        _otherGroups = await new CustomerBuilder().InGroup(_org.OtherGroup).Named("Sam", "Other").SaveAsync(db);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _database.Dispose();

    private CrmDbContext GroupContext()
    {
        var db = _database.CreateContext();
        db.Scope = AccessScope.ForUser(ScopeLevel.Group, _org.Network.Id, _org.Group.Id, [CrmRole.Sales]);
        db.Actor = new AuditActor("u-1", "desk@example.com", AuditSource.UI);
        return db;
    }

    private static CustomerProfile Profile(Customer c) =>
        new(c.BuyerType, c.Title, c.FirstName, c.MiddleName, c.LastName, c.CompanyName, c.DateOfBirth, c.ResponsibleDealerId, c.PaymentMethod, c.InsuredAccidents);

    [Fact]
    public async Task Details_OtherGroupsCustomer_IsNullLikeMissing()
    {
        await using var db = GroupContext();

        var other = await CustomerDetails.LoadAsync(db, _otherGroups.Id);
        var missing = await CustomerDetails.LoadAsync(db, 999_999);

        Assert.Null(other);
        Assert.Null(missing);
    }

    [Fact]
    public async Task Details_Relationships_GroupedByVehicleAndDealerOldestFirst()
    {
        await using (var seed = _database.CreateContext())
        {
            var vehicle = await new VehicleBuilder().OfBrand(_org.Brand).WithPlate("AB12CDE", new DateOnly(2021, 1, 1)).SaveAsync(seed);
            seed.Relationships.AddRange(
                new Relationship { DealerId = _org.Dealer.Id, CustomerId = _customer.Id, VehicleId = vehicle.Id, Type = RelationshipType.Prospect,
                    StartDate = new DateOnly(2020, 6, 1), EndDate = new DateOnly(2021, 1, 1), EndReason = RelationshipEndReason.Superseded },
                new Relationship { DealerId = _org.Dealer.Id, CustomerId = _customer.Id, VehicleId = vehicle.Id, Type = RelationshipType.Selling,
                    StartDate = new DateOnly(2021, 1, 1) },
                new Relationship { DealerId = _org.SecondDealer.Id, CustomerId = _customer.Id, VehicleId = vehicle.Id, Type = RelationshipType.Servicing,
                    StartDate = new DateOnly(2022, 2, 1) });
            await seed.SaveChangesAsync();
        }

        await using var db = GroupContext();
        var detail = await CustomerDetails.LoadAsync(db, _customer.Id);

        var car = Assert.Single(detail!.Vehicles);
        Assert.Equal("AB12CDE", car.Plate);
        Assert.True(car.IsCurrent);
        var first = car.Dealers.Single(d => d.DealerId == _org.Dealer.Id);
        Assert.Equal([(RelationshipType.Prospect, new DateOnly(2020, 6, 1), (DateOnly?)new DateOnly(2021, 1, 1), (RelationshipEndReason?)RelationshipEndReason.Superseded),
            (RelationshipType.Selling, new DateOnly(2021, 1, 1), null, null)],
            first.Periods.Select(p => (p.Type, p.StartDate, p.EndDate, p.EndReason)));
        Assert.Equal(RelationshipType.Servicing, car.Dealers.Single(d => d.DealerId == _org.SecondDealer.Id).Periods.Single().Type);
    }

    [Fact]
    public async Task AddConsent_LaterOptOut_IsCurrentStateWithFullHistory()
    {
        await using (var db = GroupContext())
        {
            await CustomerEditing.AddConsentAsync(db, _customer.Id, new ConsentInput(ConsentChannel.Email, ConsentPurpose.Marketing, _org.Brand.Id, null,
                ConsentStatus.OptIn, _database.Clock.GetUtcNow().UtcDateTime.AddDays(-10), ConsentSource.Form, "web form"), _database.Clock);
            await CustomerEditing.AddConsentAsync(db, _customer.Id, new ConsentInput(ConsentChannel.Email, ConsentPurpose.Marketing, _org.Brand.Id, null,
                ConsentStatus.OptOut, null, ConsentSource.Desk, "said so at the desk"), _database.Clock);
        }

        await using var read = GroupContext();
        var detail = await CustomerDetails.LoadAsync(read, _customer.Id);

        Assert.Equal(2, detail!.ConsentHistory.Count);
        var current = Assert.Single(detail.CurrentConsents);
        Assert.Equal((ConsentStatus.OptOut, "Alder"), (current.Status, current.ScopeName));
    }

    [Fact]
    public async Task AddConsent_DealerOfAnotherGroup_RefusedWithFieldMessage()
    {
        await using var db = GroupContext();

        var ex = await Assert.ThrowsAsync<CustomerValidationException>(() => CustomerEditing.AddConsentAsync(db, _customer.Id,
            new ConsentInput(ConsentChannel.Sms, ConsentPurpose.Marketing, null, _org.OtherGroupDealer.Id, ConsentStatus.OptIn, null, ConsentSource.Desk, null),
            _database.Clock));

        Assert.True(ex.Errors.ContainsKey(nameof(ConsentInput.DealerId)));
    }

    [Theory]
    [InlineData(null, null, "LastName")]
    [InlineData("Morgan", "2100-01-01", "DateOfBirth")]
    [InlineData("Morgan", "1850-01-01", "DateOfBirth")]
    public async Task UpdateProfile_InvalidInput_NamesTheField(string? lastName, string? born, string field)
    {
        await using var db = GroupContext();
        var profile = Profile(_customer) with { LastName = lastName, DateOfBirth = born is null ? null : DateOnly.Parse(born, System.Globalization.CultureInfo.InvariantCulture) };

        var ex = await Assert.ThrowsAsync<CustomerValidationException>(() => CustomerEditing.UpdateProfileAsync(db, _customer.Id, 0, profile, _database.Clock));

        Assert.Contains(field, ex.Errors.Keys);
    }

    [Fact]
    public async Task UpdateProfile_TitleTooLong_Refused()
    {
        await using var db = GroupContext();

        var ex = await Assert.ThrowsAsync<CustomerValidationException>(() =>
            CustomerEditing.UpdateProfileAsync(db, _customer.Id, 0, Profile(_customer) with { Title = new string('x', 21) }, _database.Clock));

        Assert.Equal("Title can have at most 20 characters.", ex.Errors[nameof(CustomerProfile.Title)]);
    }

    [Fact]
    public async Task UpdateProfile_Saved_NewVersionAndAuditRowForCustomer()
    {
        await using (var db = GroupContext())
        {
            var version = await CustomerEditing.UpdateProfileAsync(db, _customer.Id, 0, Profile(_customer) with { FirstName = "Alexandra" }, _database.Clock);
            Assert.Equal(1, version);
        }

        await using var read = _database.CreateContext();
        Assert.Equal("Alexandra", (await read.Customers.SingleAsync(c => c.Id == _customer.Id)).FirstName);
        var audit = await read.AuditEntries.Where(a => a.CustomerId == _customer.Id && a.Action == AuditAction.Update).ToListAsync();
        var row = Assert.Single(audit, a => a.EntityType == nameof(Customer));
        Assert.Equal("desk@example.com", row.UserName);
        Assert.Contains("Alexandra", row.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateProfile_StaleVersion_ConcurrencyMessageAndFirstEditKept()
    {
        await using (var first = GroupContext())
        {
            await CustomerEditing.UpdateProfileAsync(first, _customer.Id, 0, Profile(_customer) with { FirstName = "Alexandra" }, _database.Clock);
        }

        await using var second = GroupContext();
        var ex = await Assert.ThrowsAsync<CustomerConcurrencyException>(() =>
            CustomerEditing.UpdateProfileAsync(second, _customer.Id, 0, Profile(_customer) with { FirstName = "Alexander" }, _database.Clock));

        Assert.Contains("changed by someone else", ex.Message, StringComparison.Ordinal);
        await using var read = _database.CreateContext();
        Assert.Equal("Alexandra", (await read.Customers.SingleAsync(c => c.Id == _customer.Id)).FirstName);
    }

    [Fact]
    public async Task UpdateProfile_OtherGroupsCustomer_NotFound()
    {
        await using var db = GroupContext();

        await Assert.ThrowsAsync<RecordNotFoundException>(() =>
            CustomerEditing.UpdateProfileAsync(db, _otherGroups.Id, 0, Profile(_otherGroups) with { FirstName = "X" }, _database.Clock));
    }

    [Fact]
    public async Task AddPhone_NationalNumber_StoredAsE164AndPrimaryMoves()
    {
        await using (var db = GroupContext())
        {
            await CustomerEditing.AddPhoneAsync(db, _customer.Id, new PhoneInput("020 7946 0018", PhoneKind.Home, IsPrimary: true));
        }

        await using var read = GroupContext();
        var detail = await CustomerDetails.LoadAsync(read, _customer.Id);
        Assert.Equal([("+442079460018", true), ("+447700900123", false)], detail!.Phones.Select(p => (p.Number, p.IsPrimary)));
    }

    [Fact]
    public async Task AddPhone_ImpossibleNumber_MessageNamesPhoneField()
    {
        await using var db = GroupContext();

        var ex = await Assert.ThrowsAsync<CustomerValidationException>(() =>
            CustomerEditing.AddPhoneAsync(db, _customer.Id, new PhoneInput("12", PhoneKind.Mobile, false)));

        Assert.Contains("Phone number '12'", ex.Errors[nameof(PhoneInput.Number)], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("two@@example.com")]
    [InlineData("Alex <alex@example.com>")]
    [InlineData("alex@localhost")]
    public async Task AddEmail_BadFormat_Refused(string address)
    {
        await using var db = GroupContext();

        var ex = await Assert.ThrowsAsync<CustomerValidationException>(() =>
            CustomerEditing.AddEmailAsync(db, _customer.Id, new EmailInput(address, false)));

        Assert.True(ex.Errors.ContainsKey(nameof(EmailInput.Address)));
    }

    [Fact]
    public async Task EmailLifecycle_AddEditRemove_NormalisedAndAudited()
    {
        long id;
        await using (var db = GroupContext())
        {
            id = await CustomerEditing.AddEmailAsync(db, _customer.Id, new EmailInput("  New.Address@Example.COM ", IsPrimary: false));
        }

        await using (var db = GroupContext())
        {
            await CustomerEditing.UpdateEmailAsync(db, _customer.Id, id, new EmailInput("Other@Example.com", IsPrimary: true));
        }

        await using (var db = GroupContext())
        {
            var saved = await db.CustomerEmails.SingleAsync(e => e.Id == id);
            Assert.Equal(("Other@Example.com", "other@example.com", true), (saved.Address, saved.NormalisedAddress, saved.IsPrimary));
            Assert.False((await db.CustomerEmails.SingleAsync(e => e.Id != id)).IsPrimary);
            await CustomerEditing.RemoveEmailAsync(db, _customer.Id, id);
        }

        await using var read = _database.CreateContext();
        var remaining = await read.CustomerEmails.Where(e => e.CustomerId == _customer.Id).SingleAsync();
        Assert.True(remaining.IsPrimary);
        var actions = await read.AuditEntries.Where(a => a.CustomerId == _customer.Id && a.EntityType == nameof(CustomerEmail) && a.EntityKey == id.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Select(a => a.Action).ToListAsync();
        Assert.Equal([AuditAction.Insert, AuditAction.Update, AuditAction.Delete], actions.Order());
    }

    [Fact]
    public async Task AddAddress_NoCountry_Refused()
    {
        await using var db = GroupContext();

        var ex = await Assert.ThrowsAsync<CustomerValidationException>(() =>
            CustomerEditing.AddAddressAsync(db, _customer.Id, new AddressInput(AddressKind.Work, false, "2 Mill Lane", null, "York", null, "yo1 7hh", "")));

        Assert.True(ex.Errors.ContainsKey(nameof(AddressInput.CountryCode)));
    }

    [Fact]
    public async Task AddAddress_Valid_PostcodeUpperCased()
    {
        await using (var db = GroupContext())
        {
            await CustomerEditing.AddAddressAsync(db, _customer.Id, new AddressInput(AddressKind.Work, false, "2 Mill Lane", null, "York", null, "yo1 7hh", "gb"));
        }

        await using var read = GroupContext();
        var address = (await CustomerDetails.LoadAsync(read, _customer.Id))!.Addresses.Single(a => a.Kind == AddressKind.Work);
        Assert.Equal(("YO1 7HH", "GB", false), (address.Postcode, address.CountryCode, address.IsPrimary));
    }
}
