using AutomotiveCrm.Domain.Imports.Pipeline;
using AutomotiveCrm.Domain.Imports.Profiles;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Imports;

/// <summary>
/// Processes imports in the background, one file at a time: at start it resumes the files a crash left half-way,
/// then it takes Received files oldest first, polling the database every two seconds. (Runs after the database
/// initializer, which is registered before it, has migrated the database.)
/// </summary>
internal sealed partial class ImportWorker(ImportProcessor processor, ImportSettings settings, ISystemDbContextFactory contexts,
    ILogger<ImportWorker> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ErrorBackoff = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.RunWorker)
        {
            return;
        }

        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await EnsureProfilesAsync(stoppingToken);
                foreach (var id in await processor.UnfinishedAsync(stoppingToken))
                {
                    LogResuming(logger, id);
                    await ProcessAsync(id, stoppingToken);
                }

                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogError(logger, ex);
                await Task.Delay(ErrorBackoff, stoppingToken);
            }
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await processor.NextReceivedAsync(stoppingToken) is { } id)
                {
                    await ProcessAsync(id, stoppingToken);
                    continue;
                }

                await Task.Delay(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The database is unreachable or similar: the file stays where it is and is tried again.
                LogError(logger, ex);
                await Task.Delay(ErrorBackoff, stoppingToken);
            }
        }
    }

    private async Task ProcessAsync(long id, CancellationToken stoppingToken)
    {
        var file = await processor.ProcessAsync(id, progress: null, stoppingToken);
        LogProcessed(logger, file.Id, file.OriginalName, file.Status, file.RowsRead, file.RowsInserted, file.RowsUpdated, file.StatusReason);
    }

    /// <summary>
    /// A network without any import profile gets the built-in defaults, so a fresh installation reads both providers'
    /// files; a network whose administrators have profiles of their own is left alone.
    /// </summary>
    private async Task EnsureProfilesAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var bare = await db.Networks.AsNoTracking()
            .Where(n => !db.ImportProfiles.Any(p => p.NetworkId == n.Id))
            .Select(n => n.Id).ToListAsync(cancellationToken);
        foreach (var networkId in bare)
        {
            await ImportProfileCatalog.EnsureDefaultsAsync(db, networkId, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming import {Id}, left unfinished by an earlier run.")]
    private static partial void LogResuming(ILogger logger, long id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {Id} '{Name}': {Status}, {Read} rows read, {Inserted} inserted, {Updated} updated. {Reason}")]
    private static partial void LogProcessed(ILogger logger, long id, string name, Domain.Imports.ImportStatus status, long read, long inserted, long updated, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The import worker failed; it tries again shortly.")]
    private static partial void LogError(ILogger logger, Exception exception);
}
