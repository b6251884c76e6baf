using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Audience;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Tests.Support;

namespace AutomotiveCrm.Tests.Campaigns.Audience;

/// <summary>
/// The small world the audience tests query. In the test organisation's group: Ann Red (a red SUV and a blue saloon,
/// both current; e-mail opt-in for the dealer), Bob Blue (a red saloon he sold; opted in, then out), Cat Ltd (a
/// company, a 2015 diesel; opted in but her address is suppressed). In the other group: Dan Other (a current red
/// saloon, opted in), whom the first group's users never see.
/// </summary>
public sealed record AudienceDataset(TestOrganisation Org, Customer Ann, Customer Bob, Customer Cat, Customer Dan)
{
    public static readonly DateOnly Today = DateOnly.FromDateTime(TestClock.Start.UtcDateTime);

    public static async Task<AudienceDataset> SeedAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        var org = await new OrganisationBuilder().SaveAsync(db);
        var ann = await new CustomerBuilder().InGroup(org.Group).Named("Ann", "Red").BornOn(new DateOnly(1980, 5, 1))
            .WithEmail("ann@example.com").WithPhone("07700 900001").WithAddress("1 Park Row", "Leeds", "LS1 4AB")
            .WithResponsibleDealer(org.Dealer).SaveAsync(db);
        var bob = await new CustomerBuilder().InGroup(org.Group).Named("Bob", "Blue").BornOn(new DateOnly(2000, 1, 1))
            .WithEmail("bob@example.com").WithAddress("2 Stonegate", "York", "YO1 8AS")
            .WithResponsibleDealer(org.SecondDealer).SaveAsync(db);
        var cat = await new CustomerBuilder().InGroup(org.Group).AsCompany("Cat Ltd").Named("Cathy", "Smith")
            .WithEmail("office@cat.example").SaveAsync(db);
        var dan = await new CustomerBuilder().InGroup(org.OtherGroup).Named("Dan", "Other")
            .WithEmail("dan@example.com").WithResponsibleDealer(org.OtherGroupDealer).SaveAsync(db);

        ann.PaymentMethod = PaymentMethod.Cash;
        ann.InsuredAccidents = 2;
        bob.PaymentMethod = PaymentMethod.Lease;
        await db.SaveChangesAsync();

        var redSuv = await VehicleAsync(db, org, BodyType.Suv, "Red", FuelType.Petrol, new DateOnly(2022, 3, 1));
        var blueSaloon = await VehicleAsync(db, org, BodyType.Saloon, "Blue", FuelType.Petrol, new DateOnly(2021, 6, 1));
        var bobsRedSaloon = await VehicleAsync(db, org, BodyType.Saloon, "Red", FuelType.Hybrid, new DateOnly(2020, 1, 1));
        var catsDiesel = await VehicleAsync(db, org, BodyType.Hatchback, "White", FuelType.Diesel, new DateOnly(2015, 2, 1));
        var dansRedSaloon = await VehicleAsync(db, org, BodyType.Saloon, "Red", FuelType.Petrol, new DateOnly(2023, 1, 1));

        await RelationshipService.StartAsync(db, org.Dealer.Id, ann.Id, redSuv.Id, RelationshipType.Selling, new DateOnly(2022, 3, 1));
        await RelationshipService.StartAsync(db, org.Dealer.Id, ann.Id, blueSaloon.Id, RelationshipType.Servicing, new DateOnly(2023, 1, 1));
        var sold = await RelationshipService.StartAsync(db, org.SecondDealer.Id, bob.Id, bobsRedSaloon.Id, RelationshipType.Selling, new DateOnly(2020, 1, 1));
        await RelationshipService.EndAsync(db, sold.Id, new DateOnly(2024, 6, 1), RelationshipEndReason.SoldPrivately);
        await RelationshipService.StartAsync(db, org.Dealer.Id, cat.Id, catsDiesel.Id, RelationshipType.Servicing, new DateOnly(2019, 1, 1));
        await RelationshipService.StartAsync(db, org.OtherGroupDealer.Id, dan.Id, dansRedSaloon.Id, RelationshipType.Selling, new DateOnly(2023, 1, 1));

        var at = TestClock.Start.UtcDateTime.AddDays(-100);
        db.ConsentRecords.AddRange(
            Consent(ann.Id, ConsentChannel.Email, null, org.Dealer.Id, ConsentStatus.OptIn, at),
            Consent(bob.Id, ConsentChannel.Email, org.Brand.Id, null, ConsentStatus.OptIn, at),
            Consent(bob.Id, ConsentChannel.Email, org.Brand.Id, null, ConsentStatus.OptOut, at.AddDays(10)),
            Consent(cat.Id, ConsentChannel.Email, null, org.Dealer.Id, ConsentStatus.OptIn, at),
            Consent(dan.Id, ConsentChannel.Email, null, org.OtherGroupDealer.Id, ConsentStatus.OptIn, at));
        db.Suppressions.Add(new Suppression
        {
            NetworkId = org.Network.Id,
            Channel = CampaignChannelKind.Email,
            Address = "office@cat.example",
            Reason = SuppressionReason.HardBounce,
            CreatedAt = at,
        });
        await db.SaveChangesAsync();
        return new AudienceDataset(org, ann, bob, cat, dan);
    }

    /// <summary>A context as a user of the test group (or the network when <paramref name="network"/>).</summary>
    public static CrmDbContext UserContext(TestDatabase database, AudienceDataset data, bool network = false, string userId = "user-1")
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(data);
        var db = database.CreateContext();
        db.Scope = new AccessScope(data.Org.Network.Id, network ? null : data.Org.Group.Id, PersonalData: true, Wholesale: network);
        db.Actor = new AuditActor(userId, userId + "@example.com", AuditSource.UI);
        return db;
    }

    public AudienceTarget GroupTarget => new(CampaignOwnerLevel.Group, Org.Network.Id, Org.Group.Id);

    public static AudienceDefinition Where(params AudienceNode[] items) => new() { Root = new AudienceGroup { Items = [.. items] } };

    public static AudienceCondition Condition(string field, AudienceOperator op, params string[] values) =>
        new() { Field = field, Operator = op, Values = [.. values] };

    public static VehicleBlock HasVehicle(params AudienceCondition[] conditions) => new() { Conditions = [.. conditions] };

    private static async Task<Vehicle> VehicleAsync(CrmDbContext db, TestOrganisation org, BodyType body, string colour, FuelType fuel, DateOnly registered)
    {
        var vehicle = new VehicleBuilder().OfBrand(org.Brand).WithFuel(fuel).FirstRegisteredOn(registered).Build();
        vehicle.BodyType = body;
        vehicle.Colour = colour;
        db.Vehicles.Add(vehicle);
        await db.SaveChangesAsync();
        return vehicle;
    }

    private static ConsentRecord Consent(long customerId, ConsentChannel channel, long? brandId, long? dealerId, ConsentStatus status, DateTime at) =>
        ConsentState.Create(customerId, channel, ConsentPurpose.Marketing, brandId, dealerId, status, at, ConsentSource.Form, "test");
}
