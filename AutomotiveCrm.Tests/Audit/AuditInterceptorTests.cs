using System.Text.Json;
using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Audit;

/// <summary>Every insert, update and delete of domain data leaves an audit row, written in the change's own transaction.</summary>
public abstract class AuditInterceptorTests : DatabaseTest
{
    [Fact]
    public async Task CustomerInserted_AuditRowWithActorSourceAndFields()
    {
        var org = await SeedOrganisationAsync();

        Customer customer;
        await using (var db = NewContext())
        {
            db.Actor = new AuditActor("u-1", "desk@example.com", AuditSource.UI, "req-42");
            customer = await new CustomerBuilder().InGroup(org.Group).Named("Ada", "Lovelace").WithEmail("ada@example.com").SaveAsync(db);
        }

        await using var read = NewContext();
        var rows = await read.AuditEntries.Where(a => a.CustomerId == customer.Id).ToListAsync();
        var insert = Assert.Single(rows, r => r.EntityType == nameof(Customer));
        Assert.Equal((AuditAction.Insert, "u-1", "desk@example.com", AuditSource.UI, "req-42"),
            (insert.Action, insert.UserId, insert.UserName, insert.Source, insert.CorrelationId));
        Assert.Equal(customer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), insert.EntityKey);
        Assert.Equal(org.Group.Id, insert.DealerGroupId);
        Assert.Equal(org.Network.Id, insert.NetworkId);
        var changes = AuditHistory.ToRow(insert).Changes;
        Assert.Contains(changes, c => c.Field == nameof(Customer.LastName) && c.Old is null && c.New == "Lovelace");
        Assert.Contains(rows, r => r.EntityType == nameof(CustomerEmail) && r.DealerGroupId == org.Group.Id);
        Assert.Equal(Clock.GetUtcNow().UtcDateTime, insert.At);
    }

    [Fact]
    public async Task CustomerUpdated_OnlyChangedFieldsWithOldAndNew()
    {
        var org = await SeedOrganisationAsync();
        Customer customer;
        await using (var db = NewContext())
        {
            customer = await new CustomerBuilder().InGroup(org.Group).Named("Ada", "Lovelace").SaveAsync(db);
        }

        await using (var db = NewContext())
        {
            var tracked = await db.Customers.SingleAsync(c => c.Id == customer.Id);
            tracked.LastName = "King";
            tracked.InsuredAccidents = 2;
            await db.SaveChangesAsync();
        }

        await using var read = NewContext();
        var update = Assert.Single(await read.AuditEntries
            .Where(a => a.CustomerId == customer.Id && a.EntityType == nameof(Customer) && a.Action == AuditAction.Update).ToListAsync());
        var changes = AuditHistory.ToRow(update).Changes.ToDictionary(c => c.Field);
        Assert.Equal(2, changes.Count);
        Assert.Equal(("Lovelace", "King"), (changes[nameof(Customer.LastName)].Old, changes[nameof(Customer.LastName)].New));
        Assert.Equal(("0", "2"), (changes[nameof(Customer.InsuredAccidents)].Old, changes[nameof(Customer.InsuredAccidents)].New));
    }

    [Fact]
    public async Task ContactDeleted_AuditRowOnTheCustomersHistory()
    {
        var org = await SeedOrganisationAsync();
        Customer customer;
        await using (var db = NewContext())
        {
            customer = await new CustomerBuilder().InGroup(org.Group).WithPhone("07700 900123").SaveAsync(db);
        }

        await using (var db = NewContext())
        {
            db.CustomerPhones.Remove(await db.CustomerPhones.SingleAsync(p => p.CustomerId == customer.Id));
            await db.SaveChangesAsync();
        }

        await using var read = NewContext();
        var history = await AuditHistory.LoadAsync(read, HistorySubject.Customer, customer.Id, new HistoryFilter(Action: AuditAction.Delete), 0, 10);
        var row = Assert.Single(history.Rows);
        Assert.Equal(nameof(CustomerPhone), row.EntityType);
        Assert.Contains(row.Changes, c => c.Field == nameof(CustomerPhone.Number) && c.Old == "+447700900123" && c.New is null);
    }

    [Fact]
    public async Task ChangeRolledBack_AuditRowsRolledBackWithIt()
    {
        var org = await SeedOrganisationAsync();

        await using (var db = NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await new CustomerBuilder().InGroup(org.Group).Named("Roll", "Back").SaveAsync(db);
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.EntityType == nameof(Customer)));
            await transaction.RollbackAsync();
        }

        await using var read = NewContext();
        Assert.Equal(0, await read.Customers.CountAsync(c => c.LastName == "Back"));
        Assert.Equal(0, await read.AuditEntries.CountAsync(a => a.EntityType == nameof(Customer)));
    }

    [Fact]
    public async Task FailedSave_ChangeAndAuditBothAbsent()
    {
        var org = await SeedOrganisationAsync();
        var failure = FailAfterCommandInterceptor.WhenSqlContains("INSERT INTO \"WholesaleCustomers\"");

        await using (var db = Database.CreateContext(null, failure))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => new CustomerBuilder().InGroup(org.Group).Named("Roll", "Back").SaveAsync(db));
        }

        await using var read = NewContext();
        Assert.True(failure.Failures > 0);
        Assert.Equal(0, await read.Customers.CountAsync(c => c.LastName == "Back"));
        Assert.Equal(0, await read.AuditEntries.CountAsync(a => a.EntityType == nameof(Customer) || a.EntityType == "WholesaleCustomer"));
        Assert.NotEqual(0, await read.AuditEntries.CountAsync(a => a.EntityType == "Dealer"));
    }

    [Fact]
    public async Task AuditRows_AreAppendOnly()
    {
        var org = await SeedOrganisationAsync();
        await using (var db = NewContext())
        {
            await new CustomerBuilder().InGroup(org.Group).SaveAsync(db);
        }

        await using var edit = NewContext();
        var row = await edit.AuditEntries.FirstAsync();
        row.UserName = "someone else";

        await Assert.ThrowsAsync<DomainException>(() => edit.SaveChangesAsync());
    }

    [Fact]
    public async Task UserPasswordChange_SecretsNeverWritten()
    {
        var org = await SeedOrganisationAsync();
        await using (var db = NewContext())
        {
            db.Users.Add(new CrmUser
            {
                DisplayName = "Desk", UserName = "desk@example.com", Email = "desk@example.com", PasswordHash = "SECRET-HASH",
                SecurityStamp = "SECRET-STAMP", ScopeLevel = ScopeLevel.Group, NetworkId = org.Network.Id, DealerGroupId = org.Group.Id,
            });
            await db.SaveChangesAsync();
        }

        await using var read = NewContext();
        var rows = await read.AuditEntries.Where(a => a.EntityType == nameof(CrmUser)).ToListAsync();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.DoesNotContain("SECRET", r.Changes, StringComparison.Ordinal));
        Assert.Contains(rows, r => JsonDocument.Parse(r.Changes).RootElement.TryGetProperty(nameof(CrmUser.DisplayName), out _));
    }

    [Fact]
    public async Task History_OtherGroupsUser_SeesNothing()
    {
        var org = await SeedOrganisationAsync();
        Customer customer;
        await using (var db = NewContext())
        {
            customer = await new CustomerBuilder().InGroup(org.Group).SaveAsync(db);
        }

        await using var other = NewContext();
        other.Scope = AccessScope.ForUser(ScopeLevel.Group, org.Network.Id, org.OtherGroup.Id, [CrmRole.Manager]);
        var history = await AuditHistory.LoadAsync(other, HistorySubject.Customer, customer.Id, new HistoryFilter(), 0, 10);

        Assert.Equal(0, history.Total);
    }
}

public sealed class SqliteAuditInterceptorTests : AuditInterceptorTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

[Collection(PostgreSqlServer.CollectionName)]
public sealed class PostgreSqlAuditInterceptorTests(PostgreSqlServer server) : AuditInterceptorTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await server.CreateDatabaseAsync();
}
