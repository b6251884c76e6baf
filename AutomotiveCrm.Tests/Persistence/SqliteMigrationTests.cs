using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Persistence;

public sealed class SqliteMigrationTests : IDisposable
{
    private readonly SqliteTestDatabase _database = SqliteTestDatabase.CreateEmpty();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task MigrateAsync_FromNoDatabaseFile_AppliesEveryMigration()
    {
        await using var db = _database.CreateContext();

        await CrmDatabase.MigrateAsync(db);

        Assert.True(File.Exists(_database.FilePath));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task MigrateAsync_OnSqlite_SwitchesJournalModeToWal()
    {
        await using (var db = _database.CreateContext())
        {
            await CrmDatabase.MigrateAsync(db);
        }

        await using var fresh = _database.CreateContext();
        var mode = await fresh.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync();

        Assert.Equal("wal", Assert.Single(mode));
    }

    [Fact]
    public async Task MigrateAsync_RunTwice_LeavesSchemaAsIs()
    {
        await using var db = _database.CreateContext();
        await CrmDatabase.MigrateAsync(db);

        await CrmDatabase.MigrateAsync(db);

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(0, await db.Customers.CountAsync());
    }

    [Fact]
    public async Task Connection_OpenedByContext_EnforcesForeignKeys()
    {
        await using var db = _database.CreateContext();
        await CrmDatabase.MigrateAsync(db);

        var enabled = await db.Database.SqlQueryRaw<long>("PRAGMA foreign_keys").ToListAsync();

        Assert.Equal(1L, Assert.Single(enabled));
    }
}
