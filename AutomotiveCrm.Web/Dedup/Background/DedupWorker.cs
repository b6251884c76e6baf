using System.Collections.Concurrent;
using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Dedup.Runs;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Dedup.Background;

/// <summary>Dedup:RunWorker switches the incremental worker on or off; Dedup:PollSeconds is how often it looks.</summary>
public sealed class DedupWorkerSettings
{
    public bool RunWorker { get; init; } = true;
    public double PollSeconds { get; init; } = 5;
}

/// <summary>Starts full runs in the background for the stewards' button; progress is on the DedupRun row.</summary>
public interface IDedupRunLauncher
{
    /// <summary>Starts a full run and returns its id; while one runs for the network and level, returns that one.</summary>
    Task<long> StartFullRunAsync(long networkId, DedupLevel level, string startedBy, CancellationToken cancellationToken = default);
}

public sealed class DedupRunLauncher(DedupRunner runner, ILogger<DedupRunLauncher> logger, IHostApplicationLifetime lifetime) : IDedupRunLauncher, IDisposable
{
    private readonly ConcurrentDictionary<(long, DedupLevel), long> _running = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    public async Task<long> StartFullRunAsync(long networkId, DedupLevel level, string startedBy, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_running.TryGetValue((networkId, level), out var running))
            {
                return running;
            }

            var runId = await runner.CreateRunAsync(networkId, level, DedupRunKind.Full, startedBy, cancellationToken);
            _running[(networkId, level)] = runId;
            _ = Task.Run(async () =>
            {
                try
                {
                    await runner.RunAsync(runId, null, lifetime.ApplicationStopping);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // The failure is recorded on the run's row for the screens; the log gets the details.
                    logger.LogError(ex, "Dedup run {RunId} failed", runId);
                }
                finally
                {
                    _running.TryRemove((networkId, level), out _);
                }
            }, CancellationToken.None);
            return runId;
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>
/// Matches new and changed customers (DedupPendingSince set by imports and desk edits) within seconds: every
/// Dedup:PollSeconds it looks for networks with pending customers and runs an incremental retail run, then a
/// wholesale one, for each. The first run after start-up builds the in-memory index with a full pass.
/// </summary>
public sealed class DedupWorker(DedupRunner runner, ISystemDbContextFactory contexts, DedupWorkerSettings settings, ILogger<DedupWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.PollSeconds));
        do
        {
            try
            {
                await PollAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A database not migrated yet, a locked file: try again at the next tick.
                logger.LogWarning(ex, "Incremental dedup poll failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        List<long> networks;
        await using (var db = contexts.CreateDbContext())
        {
            networks = await db.Customers.Where(c => c.DedupPendingSince != null && c.MergedIntoId == null)
                .Select(c => c.DealerGroup!.NetworkId).Distinct().ToListAsync(cancellationToken);
        }

        foreach (var network in networks)
        {
            // Wholesale first: the retail run clears the pending flags both levels read.
            await runner.RunIncrementalAsync(network, DedupLevel.Wholesale, DedupRunner.SystemActor, null, cancellationToken);
            await runner.RunIncrementalAsync(network, DedupLevel.Retail, DedupRunner.SystemActor, null, cancellationToken);
        }
    }
}
