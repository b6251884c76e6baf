using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Consents;

/// <summary>
/// History rows (consents, mileage readings) are append-only, enforced by every save; the one-scope rule of a
/// consent is also a database check constraint, so a writer that bypasses <see cref="ConsentState.Create"/> is refused.
/// </summary>
public abstract class ConsentRulesTests : DatabaseTest
{
    private static readonly DateTime RecordedAt = new(2025, 6, 2, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task SaveChanges_ConsentRecordModified_ThrowsDomainException()
    {
        var consentId = await SaveConsentAsync();
        await using var db = NewContext();
        var consent = await db.ConsentRecords.SingleAsync(c => c.Id == consentId);
        consent.Status = ConsentStatus.OptOut;

        var ex = await Assert.ThrowsAsync<DomainException>(() => db.SaveChangesAsync());

        Assert.Contains("history", ex.Message, StringComparison.Ordinal);
        await using var fresh = NewContext();
        Assert.Equal(ConsentStatus.OptIn, (await fresh.ConsentRecords.SingleAsync(c => c.Id == consentId)).Status);
    }

    [Fact]
    public async Task SaveChanges_ConsentRecordDeleted_ThrowsDomainException()
    {
        var consentId = await SaveConsentAsync();
        await using var db = NewContext();
        db.ConsentRecords.Remove(await db.ConsentRecords.SingleAsync(c => c.Id == consentId));

        await Assert.ThrowsAsync<DomainException>(() => db.SaveChangesAsync());

        await using var fresh = NewContext();
        Assert.True(await fresh.ConsentRecords.AnyAsync(c => c.Id == consentId));
    }

    [Fact]
    public async Task SaveChanges_NewerConsentAppended_IsAllowed()
    {
        var consentId = await SaveConsentAsync();
        await using var db = NewContext();
        var first = await db.ConsentRecords.AsNoTracking().SingleAsync(c => c.Id == consentId);
        db.ConsentRecords.Add(ConsentState.Create(first.CustomerId, first.Channel, first.Purpose, first.BrandId, null,
            ConsentStatus.OptOut, RecordedAt.AddDays(1), ConsentSource.Portal, "Unsubscribe link"));

        await db.SaveChangesAsync();

        await using var fresh = NewContext();
        var current = ConsentState.Current(await fresh.ConsentRecords.ToListAsync());
        Assert.Equal(ConsentStatus.OptOut, Assert.Single(current).Status);
    }

    [Fact]
    public async Task SaveChanges_MileageReadingModified_ThrowsDomainException()
    {
        var readingId = await SaveMileageReadingAsync();
        await using var db = NewContext();
        (await db.MileageReadings.SingleAsync(m => m.Id == readingId)).Value = 1;

        await Assert.ThrowsAsync<DomainException>(() => db.SaveChangesAsync());

        await using var fresh = NewContext();
        Assert.Equal(41000, (await fresh.MileageReadings.SingleAsync(m => m.Id == readingId)).Value);
    }

    [Fact]
    public async Task SaveChanges_MileageReadingDeleted_ThrowsDomainException()
    {
        var readingId = await SaveMileageReadingAsync();
        await using var db = NewContext();
        db.MileageReadings.Remove(await db.MileageReadings.SingleAsync(m => m.Id == readingId));

        await Assert.ThrowsAsync<DomainException>(() => db.SaveChangesAsync());

        await using var fresh = NewContext();
        Assert.True(await fresh.MileageReadings.AnyAsync(m => m.Id == readingId));
    }

    [Fact]
    public async Task CheckConstraint_ConsentWithNeitherBrandNorDealer_IsRefusedByDatabase()
    {
        var (_, customer) = await ArrangeCustomerAsync();
        await using var db = NewContext();
        db.ConsentRecords.Add(UncheckedConsent(customer.Id, brandId: null, dealerId: null));

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.Equal(0, await CountConsentsAsync());
    }

    [Fact]
    public async Task CheckConstraint_ConsentWithBothBrandAndDealer_IsRefusedByDatabase()
    {
        var (org, customer) = await ArrangeCustomerAsync();
        await using var db = NewContext();
        db.ConsentRecords.Add(UncheckedConsent(customer.Id, org.Brand.Id, org.Dealer.Id));

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.Equal(0, await CountConsentsAsync());
    }

    [Fact]
    public async Task CheckConstraint_ConsentWithDealerOnly_IsAccepted()
    {
        var (org, customer) = await ArrangeCustomerAsync();
        await using var db = NewContext();
        db.ConsentRecords.Add(UncheckedConsent(customer.Id, brandId: null, org.Dealer.Id));

        await db.SaveChangesAsync();

        Assert.Equal(1, await CountConsentsAsync());
    }

    private async Task<(TestOrganisation Org, Customer Customer)> ArrangeCustomerAsync()
    {
        var org = await SeedOrganisationAsync();
        await using var db = NewContext();
        return (org, await new CustomerBuilder().InGroup(org.Group).SaveAsync(db));
    }

    private async Task<long> SaveConsentAsync()
    {
        var (org, customer) = await ArrangeCustomerAsync();
        await using var db = NewContext();
        var consent = ConsentState.Create(customer.Id, ConsentChannel.Email, ConsentPurpose.Marketing, org.Brand.Id, null,
            ConsentStatus.OptIn, RecordedAt, ConsentSource.Form, "Newsletter box ticked");
        db.ConsentRecords.Add(consent);
        await db.SaveChangesAsync();
        return consent.Id;
    }

    private async Task<long> SaveMileageReadingAsync()
    {
        var org = await SeedOrganisationAsync();
        await using var db = NewContext();
        var vehicle = new VehicleBuilder().OfBrand(org.Brand).Build();
        var reading = vehicle.RecordMileage(new DateOnly(2025, 6, 2), 41000, MileageUnit.Kilometres, MileageSource.ServiceVisit, org.Dealer.Id);
        db.Vehicles.Add(vehicle);
        await db.SaveChangesAsync();
        return reading.Id;
    }

    /// <summary>Built by hand, past <see cref="ConsentState.Create"/>'s check: only the database can refuse it.</summary>
    private static ConsentRecord UncheckedConsent(long customerId, long? brandId, long? dealerId) => new()
    {
        CustomerId = customerId,
        Channel = ConsentChannel.Post,
        Purpose = ConsentPurpose.Marketing,
        BrandId = brandId,
        DealerId = dealerId,
        Status = ConsentStatus.OptIn,
        RecordedAt = RecordedAt,
        Source = ConsentSource.ImportFile,
    };

    private async Task<int> CountConsentsAsync()
    {
        await using var db = NewContext();
        return await db.ConsentRecords.CountAsync();
    }
}

public sealed class SqliteConsentRulesTests : ConsentRulesTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

[Collection(PostgreSqlServer.CollectionName)]
public sealed class PostgreSqlConsentRulesTests(PostgreSqlServer server) : ConsentRulesTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await server.CreateDatabaseAsync();
}
