using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.DemoData;

/// <summary>
/// The whole demo seed (organisation, customers, users and their roles, all audited) on a real PostgreSQL server,
/// which, unlike SQLite, enforces column lengths and types.
/// </summary>
[Collection(PostgreSqlServer.CollectionName)]
public sealed class PostgreSqlDemoSeedTests(PostgreSqlServer server)
{
    [Fact]
    public async Task SeedDemo_PostgreSql_WritesCustomersUsersAndTheirAudit()
    {
        await using var database = await server.CreateDatabaseAsync();

        var result = await DemoDataSeeder.SeedAsync(database.Settings, new DemoSeedOptions(Customers: 150));

        Assert.False(result.AlreadySeeded);
        Assert.Equal(49, result.Users.Count);
        await using var db = database.CreateContext();
        Assert.Equal(150, await db.Customers.CountAsync());
        Assert.Equal(150, await db.WholesaleCustomers.CountAsync());
        Assert.Equal(49, await db.Users.CountAsync());
        Assert.True(await db.UserRoles.CountAsync() >= 49);
        Assert.True(await db.AuditEntries.CountAsync(a => a.EntityType == "IdentityUserRole`1" && a.Action == AuditAction.Insert) >= 49);
        var relationships = await db.Relationships.ToListAsync();
        RelationshipRules.EnsureNoOverlap(relationships);
    }
}
