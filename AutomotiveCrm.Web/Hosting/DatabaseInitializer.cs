using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Imports.Pipeline;
using AutomotiveCrm.Domain.Imports.Profiles;
using AutomotiveCrm.Domain.Imports.Samples;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Hosting;

/// <summary>
/// At start-up: migrates the database and, when configured (Database:SeedDemoDataOnStartup) and the database holds
/// no customers, seeds the demo data. Runs before the server accepts requests, so /health never sees a half-made
/// database. With Database:DemoImportSamples the two DMS providers' sample files are then dropped into one demo
/// dealer's inbox each, where the drop-folder watcher takes them like any SFTP delivery.
/// </summary>
internal sealed partial class DatabaseInitializer(
    ISystemDbContextFactory contexts,
    DatabaseSettings settings,
    ImportSettings imports,
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
        if (settings.DemoDedup)
        {
            var dedup = await DemoDedup.RunAsync(settings, cancellationToken: cancellationToken);
            LogDemoDedup(logger, dedup.RetailMerged, dedup.RetailQueued, dedup.WholesaleLinked, dedup.VehiclesQueued, dedup.Seconds);
        }

        if (settings.DemoImportSamples)
        {
            await DropSamplesAsync(cancellationToken);
        }
    }

    private async Task DropSamplesAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        foreach (var provider in new[] { DefaultImportProfiles.Roadstar, DefaultImportProfiles.WerkstattPlus })
        {
            var dealer = await db.Dealers.AsNoTracking().Where(d => d.DmsProvider == provider).OrderBy(d => d.Id)
                .Select(d => d.Code).FirstOrDefaultAsync(cancellationToken);
            if (dealer is null)
            {
                continue;
            }

            var files = await ImportSamples.CopyToAsync(provider, Path.Combine(imports.InboxPath, dealer), cancellationToken);
            LogSamplesDropped(logger, files.Count, provider, dealer);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Provider} database migrated.")]
    private static partial void LogMigrated(ILogger logger, DatabaseProvider provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Empty database: seeding demo data ({Customers} customers).")]
    private static partial void LogSeeding(ILogger logger, int customers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data seeded: {Customers} customers, {Rows} rows in {Seconds:F1} s.")]
    private static partial void LogSeeded(ILogger logger, int customers, long rows, double seconds);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Demo dedup: {Merged} customers merged, {Queued} pairs queued for review, {Linked} linked across groups, {Vehicles} vehicle pairs queued, in {Seconds:F1} s.")]
    private static partial void LogDemoDedup(ILogger logger, int merged, int queued, int linked, int vehicles, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped {Files} {Provider} sample files into dealer {Dealer}'s import inbox.")]
    private static partial void LogSamplesDropped(ILogger logger, int files, string provider, string dealer);
}
