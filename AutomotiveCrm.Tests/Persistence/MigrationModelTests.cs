using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AutomotiveCrm.Tests.Persistence;

/// <summary>
/// Each provider has its own migrations; a model change without a migration for every provider would only show
/// up when that provider's database is next migrated. Nothing here connects to a database.
/// </summary>
public sealed class MigrationModelTests
{
    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql, DatabaseProvider.SqlServer];

    [Theory]
    [MemberData(nameof(Providers))]
    public void Model_ComparedWithProviderMigrations_HasNoPendingChanges(DatabaseProvider provider)
    {
        using var db = OfflineContext(provider);

        var pending = db.Database.HasPendingModelChanges();

        Assert.False(pending,
            $"The model has changes the {provider} migrations do not contain. Add a migration for each provider (see CrmDbContext remarks).");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Migrations_OfProviderContext_AreOnlyThatProvidersOwn(DatabaseProvider provider)
    {
        using var db = OfflineContext(provider);
        var folder = provider switch
        {
            DatabaseProvider.Sqlite => "Sqlite",
            DatabaseProvider.PostgreSql => "PostgreSql",
            _ => "SqlServer",
        };

        var migrations = db.GetService<IMigrationsAssembly>().Migrations.Values.ToList();

        Assert.NotEmpty(migrations);
        Assert.All(migrations, type =>
            Assert.Equal($"AutomotiveCrm.Domain.Persistence.Migrations.{folder}", type.Namespace));
    }

    private static CrmDbContext OfflineContext(DatabaseProvider provider) => CrmDatabase.CreateContext(new DatabaseSettings
    {
        Provider = provider,
        // Syntactically valid and never opened: comparing a model with migrations needs no server.
        ConnectionString = provider switch
        {
            DatabaseProvider.Sqlite => "Data Source=unused.db",
            DatabaseProvider.PostgreSql => "Host=127.0.0.1;Port=1;Database=unused;Username=unused",
            _ => "Server=127.0.0.1,1;Database=unused;User Id=unused;Password=unused;TrustServerCertificate=true",
        },
    });
}
