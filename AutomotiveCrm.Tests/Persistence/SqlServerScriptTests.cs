using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AutomotiveCrm.Tests.Persistence;

/// <summary>
/// No SQL Server runs on these machines. Scripting the migrations proves they exist for the provider and that the
/// provider can render every operation (the filtered unique index and the check constraint included); the
/// connection string is a dummy that is never opened.
/// </summary>
public sealed class SqlServerScriptTests : IDisposable
{
    private readonly CrmDbContext _db = CrmDatabase.CreateContext(new DatabaseSettings
    {
        Provider = DatabaseProvider.SqlServer,
        ConnectionString = "Server=127.0.0.1,1;Database=AutomotiveCrm;User Id=unused;Password=unused;TrustServerCertificate=true",
    });

    public void Dispose() => _db.Dispose();

    [Fact]
    public void MigrationScript_FromEmpty_CreatesEveryTableOfTheModel()
    {
        var script = _db.GetService<IMigrator>().GenerateScript();

        var tables = _db.Model.GetEntityTypes().Select(t => t.GetTableName()).OfType<string>().Distinct().ToList();
        Assert.NotEmpty(tables);
        Assert.All(tables, table => Assert.Contains($"CREATE TABLE [{table}] (", script, StringComparison.Ordinal));
        Assert.Contains("[__EFMigrationsHistory]", script, StringComparison.Ordinal);
    }

    [Fact]
    public void MigrationScript_FromEmpty_CreatesFilteredUniqueIndexOnCurrentRelationship()
    {
        var script = _db.GetService<IMigrator>().GenerateScript();

        Assert.Contains(
            "CREATE UNIQUE INDEX [IX_Relationships_Current] ON [Relationships] ([DealerId], [CustomerId], [VehicleId]) WHERE \"EndDate\" IS NULL;",
            script, StringComparison.Ordinal);
    }

    [Fact]
    public void MigrationScript_FromEmpty_CreatesConsentScopeCheckConstraint()
    {
        var script = _db.GetService<IMigrator>().GenerateScript();

        Assert.Contains("CONSTRAINT [CK_ConsentRecords_OneScope] CHECK", script, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateScript_OfModel_MatchesTablesOfMigrationScript()
    {
        var fromModel = _db.Database.GenerateCreateScript();
        var fromMigrations = _db.GetService<IMigrator>().GenerateScript();

        var modelTables = CreatedTables(fromModel);
        Assert.NotEmpty(modelTables);
        Assert.Equal(modelTables, CreatedTables(fromMigrations).Where(t => t != "__EFMigrationsHistory").ToList());
    }

    private static List<string> CreatedTables(string script) =>
        script.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("CREATE TABLE [", StringComparison.Ordinal))
            .Select(line => line["CREATE TABLE [".Length..line.IndexOf(']', StringComparison.Ordinal)])
            .Order(StringComparer.Ordinal)
            .ToList();
}
