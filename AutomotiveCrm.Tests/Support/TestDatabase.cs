using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace AutomotiveCrm.Tests.Support;

/// <summary>
/// A migrated database that belongs to one test (or one test class) on a real engine: SQLite
/// (<see cref="SqliteTestDatabase"/>) or PostgreSQL (<see cref="PostgreSqlTestDatabase"/>). Tests written against
/// this type run unchanged on both; see <see cref="DatabaseTest"/>.
/// </summary>
public abstract class TestDatabase(DatabaseSettings settings, FakeTimeProvider clock) : IAsyncDisposable
{
    public DatabaseSettings Settings { get; } = settings;

    public DatabaseProvider Provider => Settings.Provider;

    /// <summary>The clock contexts stamp with unless a test passes its own; it stands still until the test moves it.</summary>
    public FakeTimeProvider Clock { get; } = clock;

    /// <summary>
    /// A new context on this database, built like the application's (<see cref="CrmDatabase.CreateContext"/>).
    /// Extra interceptors (for example <see cref="FailAfterCommandInterceptor"/>) are added after the model's own.
    /// Use one context per unit of work and a fresh one to check what was committed.
    /// </summary>
    public CrmDbContext CreateContext(TimeProvider? clock = null, params IInterceptor[] interceptors)
    {
        ArgumentNullException.ThrowIfNull(interceptors);
        if (interceptors.Length == 0)
        {
            return CrmDatabase.CreateContext(Settings, clock ?? Clock);
        }

        CrmDbContext context = Provider switch
        {
            DatabaseProvider.Sqlite => new SqliteCrmDbContext(Options<SqliteCrmDbContext>(clock, interceptors)),
            DatabaseProvider.PostgreSql => new PostgresCrmDbContext(Options<PostgresCrmDbContext>(clock, interceptors)),
            DatabaseProvider.SqlServer => new SqlServerCrmDbContext(Options<SqlServerCrmDbContext>(clock, interceptors)),
            _ => throw new InvalidOperationException($"Unknown provider {Provider}."),
        };
        // Like CrmDatabase.CreateContext: a system context; tests that act as a user set the scope themselves.
        context.Scope = AccessScope.System;
        return context;
    }

    public abstract ValueTask DisposeAsync();

    private DbContextOptions<T> Options<T>(TimeProvider? clock, IInterceptor[] interceptors)
        where T : DbContext
    {
        var builder = new DbContextOptionsBuilder<T>();
        CrmDatabase.Configure(builder, Settings, clock ?? Clock, interceptors);
        return builder.Options;
    }
}
