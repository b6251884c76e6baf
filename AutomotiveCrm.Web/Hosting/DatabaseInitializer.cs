using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Hosting;

/// <summary>
/// At start-up: migrates the database and, when configured (Database:SeedDemoDataOnStartup) and the database holds
/// no customers, seeds the demo data. Runs before the server accepts requests, so /health never sees a half-made
/// database.
/// </summary>
internal sealed partial class DatabaseInitializer(
    ISystemDbContextFactory contexts,
    DatabaseSettings settings,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var db = contexts.CreateDbContext())
        {
            await CrmDatabase.MigrateAsync(db, cancellationToken);
            LogMigrated(logger, db.Provider);
            if (!settings.SeedDemoDataOnStartup || await db.Customers.AnyAsync(cancellationToken))
            {
                return;
            }
        }

        LogSeeding(logger, settings.DemoCustomers);
        var result = await DemoDataSeeder.SeedAsync(settings, new DemoSeedOptions(settings.DemoCustomers), progress: null, cancellationToken);
        LogSeeded(logger, result.Customers, result.Rows, result.Seconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Provider} database migrated.")]
    private static partial void LogMigrated(ILogger logger, DatabaseProvider provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Empty database: seeding demo data ({Customers} customers).")]
    private static partial void LogSeeding(ILogger logger, int customers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data seeded: {Customers} customers, {Rows} rows in {Seconds:F1} s.")]
    private static partial void LogSeeded(ILogger logger, int customers, long rows, double seconds);
}
