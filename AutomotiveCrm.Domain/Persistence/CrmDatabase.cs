using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AutomotiveCrm.Domain.Persistence;

/// <summary>Builds contexts for the configured provider and prepares the database.</summary>
public static class CrmDatabase
{
    /// <summary>Applies the provider, its migrations assembly and the model's interceptors to an options builder.</summary>
    public static void Configure(DbContextOptionsBuilder builder, DatabaseSettings settings, TimeProvider? clock = null, IEnumerable<IInterceptor>? extraInterceptors = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        switch (settings.Provider)
        {
            case DatabaseProvider.Sqlite:
                builder.UseSqlite(settings.ConnectionString, o => o.CommandTimeout(60));
                builder.AddInterceptors(new SqliteConnectionInterceptor());
                break;
            case DatabaseProvider.PostgreSql:
                builder.UseNpgsql(settings.ConnectionString, o => o.CommandTimeout(60));
                break;
            case DatabaseProvider.SqlServer:
                builder.UseSqlServer(settings.ConnectionString, o => o.CommandTimeout(60));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(settings), settings.Provider, "Unknown database provider.");
        }

        // Order matters: timestamps are stamped before the audit interceptor reads the values.
        builder.AddInterceptors(new TimestampInterceptor(clock ?? TimeProvider.System), new AuditInterceptor(clock ?? TimeProvider.System));
        if (extraInterceptors is not null)
        {
            builder.AddInterceptors(extraInterceptors);
        }
    }

    /// <summary>
    /// A system context outside dependency injection (command-line verbs, seeding, design time, tests): it sees
    /// every tenant's rows and audits as "system".
    /// </summary>
    public static CrmDbContext CreateContext(DatabaseSettings settings, TimeProvider? clock = null)
    {
        var context = ContextFactory(settings, clock)();
        context.Scope = AccessScope.System;
        return context;
    }

    /// <summary>
    /// Builds the provider's options once and returns a function creating contexts that share them (and so EF's
    /// internal caches). The contexts see nothing tenant-owned until their <see cref="CrmDbContext.Scope"/> is set.
    /// </summary>
    public static Func<CrmDbContext> ContextFactory(DatabaseSettings settings, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        switch (settings.Provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = Build<SqliteCrmDbContext>(settings, clock);
                return () => new SqliteCrmDbContext(sqlite);
            case DatabaseProvider.PostgreSql:
                var postgres = Build<PostgresCrmDbContext>(settings, clock);
                return () => new PostgresCrmDbContext(postgres);
            case DatabaseProvider.SqlServer:
                var sqlServer = Build<SqlServerCrmDbContext>(settings, clock);
                return () => new SqlServerCrmDbContext(sqlServer);
            default:
                throw new ArgumentOutOfRangeException(nameof(settings), settings.Provider, "Unknown database provider.");
        }
    }

    private static DbContextOptions<T> Build<T>(DatabaseSettings settings, TimeProvider? clock)
        where T : DbContext
    {
        var builder = new DbContextOptionsBuilder<T>();
        Configure(builder, settings, clock);
        return builder.Options;
    }

    /// <summary>
    /// Resolves a relative SQLite data source against a base folder and makes sure its folder exists.
    /// Other providers' connection strings are returned unchanged.
    /// </summary>
    public static DatabaseSettings ResolvePaths(DatabaseSettings settings, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Provider != DatabaseProvider.Sqlite)
        {
            return settings;
        }

        var csb = new SqliteConnectionStringBuilder(settings.ConnectionString);
        if (string.IsNullOrEmpty(csb.DataSource) || csb.DataSource == ":memory:" || csb.Mode == SqliteOpenMode.Memory)
        {
            return settings;
        }

        var path = Path.GetFullPath(Path.IsPathRooted(csb.DataSource) ? csb.DataSource : Path.Combine(baseDirectory, csb.DataSource));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        csb.DataSource = path;
        return new DatabaseSettings
        {
            Provider = settings.Provider,
            ConnectionString = csb.ToString(),
            SeedDemoDataOnStartup = settings.SeedDemoDataOnStartup,
            DemoCustomers = settings.DemoCustomers,
            DemoImportSamples = settings.DemoImportSamples,
            DemoDedup = settings.DemoDedup,
        };
    }

    /// <summary>Applies pending migrations; on SQLite also switches the file to WAL journaling (a persistent setting).</summary>
    public static async Task MigrateAsync(CrmDbContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.Database.MigrateAsync(cancellationToken);
        if (context.Provider == DatabaseProvider.Sqlite)
        {
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
        }
    }
}
