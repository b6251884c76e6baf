using AutomotiveCrm.Domain.Persistence;
using Microsoft.Extensions.Time.Testing;

namespace AutomotiveCrm.Tests.Support;

/// <summary>
/// Base for test classes that run on every live provider: the abstract class holds the tests, one small derived
/// class per provider says where the database comes from. xunit builds a new instance per test, so each test gets
/// its own database (a file copy on SQLite, a copy of a template database on PostgreSQL).
/// </summary>
/// <example>
/// <code>
/// public sealed class SqliteWidgetTests : WidgetTests
/// {
///     protected override Task&lt;TestDatabase&gt; CreateDatabaseAsync() =&gt; Task.FromResult&lt;TestDatabase&gt;(new SqliteTestDatabase());
/// }
///
/// [Collection(PostgreSqlServer.CollectionName)]
/// public sealed class PostgreSqlWidgetTests(PostgreSqlServer server) : WidgetTests
/// {
///     protected override async Task&lt;TestDatabase&gt; CreateDatabaseAsync() =&gt; await server.CreateDatabaseAsync();
/// }
/// </code>
/// </example>
public abstract class DatabaseTest : IAsyncLifetime
{
    private TestDatabase? _database;

    protected TestDatabase Database =>
        _database ?? throw new InvalidOperationException("The database is created in InitializeAsync, before the test runs.");

    protected FakeTimeProvider Clock => Database.Clock;

    protected DatabaseProvider Provider => Database.Provider;

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    protected CrmDbContext NewContext() => Database.CreateContext();

    /// <summary>Saves the standard organisation (see <see cref="OrganisationBuilder"/>) in its own context.</summary>
    protected async Task<TestOrganisation> SeedOrganisationAsync()
    {
        await using var db = NewContext();
        return await new OrganisationBuilder().SaveAsync(db);
    }

    public async Task InitializeAsync() => _database = await CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
