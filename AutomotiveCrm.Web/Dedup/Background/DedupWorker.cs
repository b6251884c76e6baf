using System.Collections.Concurrent;
using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Dedup.Runs;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Dedup.Background;

/// <summary>Dedup:RunWorker switches the incremental worker on or off; Dedup:PollSeconds is how often it looks; Dedup:WarmAtStart builds the indexes at start-up.</summary>
public sealed class DedupWorkerSettings
{
    public bool RunWorker { get; init; } = true;
    public double PollSeconds { get; init; } = 5;

    /// <summary>Build the in-memory matching indexes at start-up, so the first change after a restart is matched within seconds.</summary>
    public bool WarmAtStart { get; init; } = true;
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
/// wholesale one, for each. At start-up it first builds the in-memory index of every level that has a rule set;
/// where there is none yet, the first run builds it with a full pass.
/// </summary>
public sealed partial class DedupWorker(DedupRunner runner, ISystemDbContextFactory contexts, DedupWorkerSettings settings, ILogger<DedupWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WarmAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Not fatal: the first incremental run then builds the index with a full pass, as without warming.
            logger.LogWarning(ex, "Building the dedup indexes at start-up failed");
        }

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

    /// <summary>
    /// Builds the in-memory index of every network and level that has a rule set, before the first poll: a change
    /// made after a restart is then matched within seconds, not after a full pass.
    /// </summary>
    private async Task WarmAsync(CancellationToken cancellationToken)
    {
        if (!settings.WarmAtStart)
        {
            return;
        }

        List<(long Network, DedupLevel Level)> levels;
        await using (var db = contexts.CreateDbContext())
        {
            levels = (await db.DedupRuleSets.Where(r => r.IsActive).Select(r => new { r.NetworkId, r.Level }).Distinct().ToListAsync(cancellationToken))
                .Select(r => (r.NetworkId, r.Level)).ToList();
        }

        foreach (var (network, level) in levels)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            if (await runner.WarmAsync(network, level, cancellationToken))
            {
                LogWarmed(logger, network, level, clock.Elapsed.TotalSeconds);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dedup index of network {Network} ({Level}) built in {Seconds:F1} s")]
    private static partial void LogWarmed(ILogger logger, long network, DedupLevel level, double seconds);

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
