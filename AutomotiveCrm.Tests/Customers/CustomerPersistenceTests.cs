using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Customers;

/// <summary>What every save does to a customer: stamps from the clock and the optimistic concurrency version.</summary>
public sealed class CustomerPersistenceTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Customer_Added_StampedFromContextClock()
    {
        var customer = await SaveCustomerAsync();

        await using var fresh = _database.CreateContext();
        var saved = await fresh.Customers.SingleAsync(c => c.Id == customer.Id);
        Assert.Equal((TestClock.Start.UtcDateTime, TestClock.Start.UtcDateTime, 0), (saved.CreatedAt, saved.UpdatedAt, saved.Version));
    }

    [Fact]
    public async Task Customer_Modified_UpdateTimeAndVersionMoveButCreationTimeStays()
    {
        var customer = await SaveCustomerAsync();
        _database.Clock.Advance(TimeSpan.FromDays(2));

        await using (var db = _database.CreateContext())
        {
            var tracked = await db.Customers.SingleAsync(c => c.Id == customer.Id);
            tracked.CreatedAt = DateTime.UnixEpoch;
            tracked.LastName = "Morgan-Smith";
            await db.SaveChangesAsync();
        }

        await using var fresh = _database.CreateContext();
        var saved = await fresh.Customers.SingleAsync(c => c.Id == customer.Id);
        Assert.Equal((TestClock.Start.UtcDateTime, TestClock.Start.AddDays(2).UtcDateTime, 1), (saved.CreatedAt, saved.UpdatedAt, saved.Version));
    }

    [Fact]
    public async Task Customer_SavedFromStaleCopy_ThrowsConcurrencyException()
    {
        var customer = await SaveCustomerAsync();
        await using var first = _database.CreateContext();
        await using var second = _database.CreateContext();
        var firstCopy = await first.Customers.SingleAsync(c => c.Id == customer.Id);
        var staleCopy = await second.Customers.SingleAsync(c => c.Id == customer.Id);
        firstCopy.FirstName = "Alexandra";
        await first.SaveChangesAsync();
        staleCopy.FirstName = "Alexander";

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());

        await using var fresh = _database.CreateContext();
        Assert.Equal("Alexandra", (await fresh.Customers.SingleAsync(c => c.Id == customer.Id)).FirstName);
    }

    [Fact]
    public void DisplayName_Person_JoinsTitleAndNames()
    {
        var customer = new Customer { Title = "Dr", FirstName = "Ada", MiddleName = "King", LastName = "Lovelace" };

        var name = customer.DisplayName;

        Assert.Equal("Dr Ada Lovelace", name);
    }

    [Fact]
    public void DisplayName_Company_IsCompanyName()
    {
        var customer = new Customer { BuyerType = BuyerType.Company, CompanyName = "Analytical Engines Ltd", FirstName = "Ada", LastName = "Lovelace" };

        var name = customer.DisplayName;

        Assert.Equal("Analytical Engines Ltd", name);
    }

    [Fact]
    public void PrimaryEmail_NoneMarkedPrimary_IsFirst()
    {
        var customer = new Customer
        {
            Emails =
            [
                new CustomerEmail { Address = "first@example.com", NormalisedAddress = "first@example.com" },
                new CustomerEmail { Address = "second@example.com", NormalisedAddress = "second@example.com" },
            ],
        };

        var primary = customer.PrimaryEmail;

        Assert.Equal("first@example.com", primary?.Address);
    }

    [Fact]
    public void PrimaryEmail_OneMarkedPrimary_IsThatOne()
    {
        var customer = new Customer
        {
            Emails =
            [
                new CustomerEmail { Address = "first@example.com", NormalisedAddress = "first@example.com" },
                new CustomerEmail { Address = "second@example.com", NormalisedAddress = "second@example.com", IsPrimary = true },
            ],
        };

        var primary = customer.PrimaryEmail;

        Assert.Equal("second@example.com", primary?.Address);
    }

    private async Task<Customer> SaveCustomerAsync()
    {
        await using var db = _database.CreateContext();
        var org = await new OrganisationBuilder().SaveAsync(db);
        return await new CustomerBuilder().InGroup(org.Group).SaveAsync(db);
    }
}
