using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Domain.Wholesale;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Persistence;

[Collection(PostgreSqlServer.CollectionName)]
public sealed class PostgreSqlPersistenceTests(PostgreSqlServer server)
{
    [Fact]
    public async Task MigrateAsync_OnEmptyPostgreSqlDatabase_AppliesEveryMigration()
    {
        await using var database = await server.CreateDatabaseAsync(migrated: false);
        await using var db = database.CreateContext();

        await CrmDatabase.MigrateAsync(db);

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public async Task Schema_AfterMigration_HasUniqueIndexFilteredOnCurrentRelationship()
    {
        await using var database = await server.CreateDatabaseAsync();
        await using var db = database.CreateContext();

        var definition = await db.Database
            .SqlQueryRaw<string>("SELECT indexdef AS \"Value\" FROM pg_indexes WHERE indexname = 'IX_Relationships_Current'")
            .ToListAsync();

        var index = Assert.Single(definition);
        Assert.StartsWith("CREATE UNIQUE INDEX", index, StringComparison.Ordinal);
        Assert.Contains("(\"DealerId\", \"CustomerId\", \"VehicleId\") WHERE (\"EndDate\" IS NULL)", index, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Customer_WithVehicleRelationshipAndConsent_RoundTripsThroughPostgreSql()
    {
        await using var database = await server.CreateDatabaseAsync();
        TestOrganisation org;
        long customerId;
        await using (var db = database.CreateContext())
        {
            org = await new OrganisationBuilder().SaveAsync(db);
            var customer = new CustomerBuilder().InGroup(org.Group)
                .WithTitle("Dr").Named("Ada", "Lovelace").BornOn(new DateOnly(1985, 12, 10))
                .WithEmail("Ada.Lovelace@example.com").WithPhone("07700 900123")
                .WithAddress("12 Analytical Row", "Leeds", "LS1 4AP")
                .Build();
            var car = new VehicleBuilder().OfBrand(org.Brand, "Aster").WithVin("1M8GDM9AXKP042788")
                .WithPlate("ab12 cde", new DateOnly(2022, 3, 1)).Build();
            car.RecordMileage(new DateOnly(2025, 3, 1), 30500, MileageUnit.Miles, MileageSource.ServiceVisit, org.Dealer.Id);
            db.AddRange(customer, car);
            await db.SaveChangesAsync();
            db.Relationships.Add(new Relationship
            {
                DealerId = org.Dealer.Id,
                CustomerId = customer.Id,
                VehicleId = car.Id,
                Type = RelationshipType.Selling,
                StartDate = new DateOnly(2022, 3, 1),
                PaymentMethod = PaymentMethod.Finance,
            });
            db.ConsentRecords.Add(ConsentState.Create(customer.Id, ConsentChannel.Email, ConsentPurpose.Marketing, org.Brand.Id, null,
                ConsentStatus.OptIn, new DateTime(2025, 1, 2, 10, 30, 0, DateTimeKind.Utc), ConsentSource.Form, "Newsletter box ticked"));
            await db.SaveChangesAsync();
            customerId = customer.Id;
        }

        await using var fresh = database.CreateContext();
        var saved = await fresh.Customers
            .Include(c => c.Emails).Include(c => c.Phones).Include(c => c.Addresses).Include(c => c.Consents)
            .Include(c => c.Relationships).ThenInclude(r => r.Vehicle!).ThenInclude(v => v.Plates)
            .Include(c => c.Relationships).ThenInclude(r => r.Vehicle!).ThenInclude(v => v.MileageReadings)
            .AsSplitQuery()
            .SingleAsync(c => c.Id == customerId);
        var wholesale = await fresh.WholesaleCustomers.SingleAsync(w => w.Id == saved.WholesaleCustomerId);

        Assert.Equal(("Dr", "Ada", "Lovelace", new DateOnly(1985, 12, 10)), (saved.Title, saved.FirstName, saved.LastName, saved.DateOfBirth));
        Assert.Equal(TestClock.Start.UtcDateTime, saved.CreatedAt);
        Assert.Equal(DateTimeKind.Utc, saved.CreatedAt.Kind);
        Assert.Equal("ada.lovelace@example.com", Assert.Single(saved.Emails).NormalisedAddress);
        Assert.Equal("+447700900123", Assert.Single(saved.Phones).Number);
        Assert.Equal("LS1 4AP", Assert.Single(saved.Addresses).Postcode);
        var relationship = Assert.Single(saved.Relationships);
        Assert.Equal((RelationshipType.Selling, new DateOnly(2022, 3, 1), (DateOnly?)null, (PaymentMethod?)PaymentMethod.Finance, org.Group.Id),
            (relationship.Type, relationship.StartDate, relationship.EndDate, relationship.PaymentMethod, relationship.DealerGroupId));
        var vehicle = relationship.Vehicle!;
        Assert.Equal(("1M8GDM9AXKP042788", (string?)null, "AB12CDE"), (vehicle.Vin, vehicle.VinWarning, vehicle.CurrentPlate));
        Assert.Equal("AB12CDE", Assert.Single(vehicle.Plates).Plate);
        Assert.Equal((30500, MileageUnit.Miles), (Assert.Single(vehicle.MileageReadings).Value, vehicle.MileageReadings[0].Unit));
        var consent = Assert.Single(saved.Consents);
        Assert.Equal((ConsentStatus.OptIn, org.Brand.Id, (long?)null, new DateTime(2025, 1, 2, 10, 30, 0, DateTimeKind.Utc)),
            (consent.Status, consent.BrandId, consent.DealerId, consent.RecordedAt));
        Assert.Equal(("Ada", "Ada.Lovelace@example.com"), (wholesale.FirstName, wholesale.Email));
        Assert.Equal(customerId, wholesale.FieldSources[WholesaleFields.Address]);
    }
}
