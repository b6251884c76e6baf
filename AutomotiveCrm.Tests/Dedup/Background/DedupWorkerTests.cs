using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Dedup.Merging;
using AutomotiveCrm.Domain.Dedup.Runs;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Web.Dedup.Background;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutomotiveCrm.Tests.Dedup.Background;

/// <summary>The incremental dedup worker as the web host runs it, after a restart (a new index cache) on a real SQLite file.</summary>
public sealed class DedupWorkerTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "crm-dedup-worker-" + Guid.NewGuid().ToString("N"));
    private ServiceProvider? _services;
    private DatabaseSettings? _settings;
    private long _network;
    private long[] _groups = [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        (_settings, _network, _groups) = await DedupBulkWriter.CreateDatabaseAsync(Path.Combine(_folder, "worker.db"), 2, CancellationToken.None);
        await DedupBulkWriter.WriteAsync(_settings, _network, _groups, new DedupBenchGenerator(11, _groups.Length).Generate(800, 0.15), "GB", pending: true,
            CancellationToken.None);
        _services = new ServiceCollection().AddCrmPersistence(_ => _settings).BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private ISystemDbContextFactory Contexts => _services!.GetRequiredService<ISystemDbContextFactory>();

    private DedupRunner Runner(DedupIndexCache cache) => new(Contexts, new MergeRefuser(), cache, TimeProvider.System) { Threads = 2 };

    /// <summary>Leaves the data as generated: the test is about which records a run matches, not about merging.</summary>
    private sealed class MergeRefuser : IRecordMerger
    {
        public Task<MergeOutcome> MergeCustomersAsync(CrmDbContext db, MergeRequest request, CancellationToken cancellationToken) => Task.FromResult(MergeOutcome.Refused("test"));
        public Task<MergeOutcome> LinkWholesaleAsync(CrmDbContext db, MergeRequest request, CancellationToken cancellationToken) => Task.FromResult(MergeOutcome.Refused("test"));
        public Task<MergeOutcome> MergeVehiclesAsync(CrmDbContext db, MergeRequest request, CancellationToken cancellationToken) => Task.FromResult(MergeOutcome.Refused("test"));
        public Task<MergeOutcome> UndoAsync(CrmDbContext db, long mergeId, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    [Fact]
    public async Task Restart_WorkerBuildsTheIndexFirst_ThenMatchesANewCopyIncrementally()
    {
        var full = await Runner(new DedupIndexCache()).RunFullAsync(_network, DedupLevel.Retail, "test", null, CancellationToken.None);
        var cache = new DedupIndexCache();
        using var worker = new DedupWorker(Runner(cache), Contexts, new DedupWorkerSettings { PollSeconds = 0.5 }, NullLogger<DedupWorker>.Instance);

        await worker.StartAsync(CancellationToken.None);
        try
        {
            await WaitUntilAsync(() => Task.FromResult(cache.Get(_network, DedupLevel.Retail) is not null), "the retail index was not built");
            Assert.Equal(800, cache.Get(_network, DedupLevel.Retail)!.Store.Count);
            Assert.Null(cache.Get(_network, DedupLevel.Wholesale));

            var person = new DedupBenchGenerator(11, _groups.Length).Generate(1, 0).Single();
            await DedupBulkWriter.WriteAsync(_settings!, _network, _groups, [person with { Reference = "copy" }], "GB", pending: true, CancellationToken.None);
            await WaitUntilAsync(async () =>
            {
                await using var db = Contexts.CreateDbContext();
                return await db.Customers.AnyAsync(c => c.SourceReference == "copy" && c.DedupPendingSince == null)
                    && !await db.DedupRuns.AnyAsync(r => r.Status == DedupRunStatus.Running);
            }, "the copy was not matched");
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }

        await using var check = Contexts.CreateDbContext();
        var retail = await check.DedupRuns.Where(r => r.Level == DedupLevel.Retail && r.Id != full.RunId).ToListAsync();
        var run = Assert.Single(retail);
        Assert.Equal((DedupRunKind.Incremental, DedupRunStatus.Completed), (run.Kind, run.Status));
        // Matched against the index, not a full pass again: a handful of candidate pairs, not the full run's thousands.
        Assert.InRange(run.CandidatePairs, 1, full.CandidatePairs / 20);
        var copy = await check.Customers.SingleAsync(c => c.SourceReference == "copy");
        Assert.True(await check.MatchCandidates.AnyAsync(c => c.LeftId == copy.Id || c.RightId == copy.Id));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(100);
        }
    }
}
