using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Dedup.Matching;
using AutomotiveCrm.Domain.Dedup.Merging;
using AutomotiveCrm.Domain.Dedup.Runs;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutomotiveCrm.Tests.Dedup.Runs;

public sealed class DedupRunnerTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "crm-dedup-runner-" + Guid.NewGuid().ToString("N"));
    private ServiceProvider? _services;
    private DatabaseSettings? _settings;
    private long _network;
    private long[] _groups = [];

    /// <summary>Records the merges the run asks for and refuses them, so the data stays as generated.</summary>
    private sealed class RecordingMerger : IRecordMerger
    {
        public List<MergeRequest> Merges { get; } = [];

        public Task<MergeOutcome> MergeCustomersAsync(CrmDbContext db, MergeRequest request, CancellationToken cancellationToken)
        {
            Merges.Add(request);
            return Task.FromResult(MergeOutcome.Refused("test"));
        }

        public Task<MergeOutcome> LinkWholesaleAsync(CrmDbContext db, MergeRequest request, CancellationToken cancellationToken)
        {
            Merges.Add(request);
            return Task.FromResult(MergeOutcome.Refused("test"));
        }

        public Task<MergeOutcome> MergeVehiclesAsync(CrmDbContext db, MergeRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<MergeOutcome> UndoAsync(CrmDbContext db, long mergeId, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        (_settings, _network, _groups) = await DedupBulkWriter.CreateDatabaseAsync(Path.Combine(_folder, "runner.db"), 2, CancellationToken.None);
        var generator = new DedupBenchGenerator(7, _groups.Length);
        await DedupBulkWriter.WriteAsync(_settings, _network, _groups, generator.Generate(1500, 0.15), "GB", pending: true, CancellationToken.None);
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

    private DedupRunner Runner(RecordingMerger merger, DedupIndexCache? cache = null) =>
        new(_services!.GetRequiredService<ISystemDbContextFactory>(), merger, cache ?? new DedupIndexCache(), TimeProvider.System) { Threads = 2 };

    private CrmDbContext Context() => _services!.GetRequiredService<ISystemDbContextFactory>().CreateDbContext();

    [Fact]
    public async Task FullRun_TrainsRuleSet_WritesCandidates_AndRespectsNotDuplicateUntilARecordChanges()
    {
        var merger = new RecordingMerger();
        var result = await Runner(merger).RunFullAsync(_network, DedupLevel.Retail, "test", null, CancellationToken.None);

        await using (var db = Context())
        {
            var ruleSet = await db.DedupRuleSets.SingleAsync();
            Assert.True(ruleSet.IsActive);
            Assert.Equal(1, ruleSet.Version);
            Assert.Contains("\"fields\"", ruleSet.ModelJson, StringComparison.Ordinal);
            var run = await db.DedupRuns.SingleAsync();
            Assert.Equal(DedupRunStatus.Completed, run.Status);
            Assert.Equal(1, run.Progress);
            Assert.Equal(0, await db.Customers.CountAsync(c => c.DedupPendingSince != null));
            var candidates = await db.MatchCandidates.ToListAsync();
            Assert.NotEmpty(candidates);
            Assert.All(candidates, c => Assert.True(c.LeftId < c.RightId));
            Assert.All(candidates, c => Assert.Equal(_groups.Length, _groups.Length));
            // Retail pairs never cross groups.
            var groups = await db.Customers.ToDictionaryAsync(c => c.Id, c => c.DealerGroupId);
            Assert.All(candidates, c => Assert.Equal(groups[c.LeftId], groups[c.RightId]));
            Assert.All(candidates, c => Assert.Contains("\"fields\"", c.ExplanationJson, StringComparison.Ordinal));
        }

        Assert.True(result.AutoMerged == 0 && merger.Merges.Count > 0, "automatic pairs go to the merger");

        // A steward says one suggested pair is not a duplicate: the next run leaves it alone and never merges it.
        MatchCandidate decided;
        await using (var db = Context())
        {
            decided = await db.MatchCandidates.OrderByDescending(c => c.Score).FirstAsync();
            decided.Status = CandidateStatus.NotDuplicate;
            decided.DecidedAt = DateTime.UtcNow;
            decided.DecidedBy = "steward";
            await db.SaveChangesAsync();
        }

        var count = await CountCandidatesAsync();
        var second = new RecordingMerger();
        await Runner(second).RunFullAsync(_network, DedupLevel.Retail, "test", null, CancellationToken.None);
        await using (var db = Context())
        {
            Assert.Equal(CandidateStatus.NotDuplicate, (await db.MatchCandidates.SingleAsync(c => c.Id == decided.Id)).Status);
            Assert.Equal(count, await db.MatchCandidates.CountAsync());
            Assert.Equal(1, await db.DedupRuleSets.CountAsync());
        }

        Assert.DoesNotContain(second.Merges, m => (m.SurvivorId, m.MergedId) == (decided.LeftId, decided.RightId));

        // Once one of the records changes, the pair may be suggested again.
        await using (var db = Context())
        {
            await db.Customers.Where(c => c.Id == decided.LeftId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Version, c => c.Version + 1));
        }

        await Runner(new RecordingMerger()).RunFullAsync(_network, DedupLevel.Retail, "test", null, CancellationToken.None);
        await using (var db = Context())
        {
            Assert.Equal(CandidateStatus.Open, (await db.MatchCandidates.SingleAsync(c => c.Id == decided.Id)).Status);
        }
    }

    [Fact]
    public async Task FullRun_RefinesTheWeightsFromPairsStewardsConfirmed_InANewRuleSetVersion()
    {
        var merger = new RecordingMerger();
        await Runner(merger).RunFullAsync(_network, DedupLevel.Retail, "test", null, CancellationToken.None);
        List<long> ids;
        await using (var db = Context())
        {
            ids = await db.MatchCandidates.OrderByDescending(c => c.Score).Select(c => c.Id).Take(ModelRefinement.MinDecisions).ToListAsync();
        }

        Assert.Equal(ModelRefinement.MinDecisions, ids.Count);

        // One decision short of the minimum: the next run keeps the trained version.
        await ConfirmAsync(ids.Take(ModelRefinement.MinDecisions - 1));
        await Runner(merger).RunFullAsync(_network, DedupLevel.Retail, "test", null, CancellationToken.None);
        await using (var db = Context())
        {
            Assert.Equal(1, await db.DedupRuleSets.CountAsync());
        }

        await ConfirmAsync(ids.Skip(ModelRefinement.MinDecisions - 1));
        var result = await Runner(merger).RunFullAsync(_network, DedupLevel.Retail, "steward", null, CancellationToken.None);

        await using (var db = Context())
        {
            var versions = await db.DedupRuleSets.OrderBy(r => r.Version).ToListAsync();
            Assert.Equal(2, versions.Count);
            Assert.Equal(versions[1].Id, result.RuleSetId);
            Assert.Contains("refined", versions[1].Name, StringComparison.Ordinal);
            Assert.Contains($"{ModelRefinement.MinDecisions} pairs", versions[1].Notes, StringComparison.Ordinal);
            var trained = MatchModel.FromJson(versions[0].ModelJson);
            var refined = MatchModel.FromJson(versions[1].ModelJson);
            // The confirmed pairs agree exactly on some field more often than the trained m says: its m moved up.
            Assert.Contains(Enumerable.Range(0, trained.Fields.Length), f => refined.Fields[f].M[1] > trained.Fields[f].M[1] + 1e-6);
            Assert.Equal(trained.Fields.Select(f => f.U), refined.Fields.Select(f => f.U));
            Assert.All(refined.Fields, f => Assert.Equal(1.0, f.M.Skip(1).Sum(), 6));
        }
    }

    private async Task ConfirmAsync(IEnumerable<long> candidateIds)
    {
        await using var db = Context();
        var list = candidateIds.ToList();
        var at = DateTime.UtcNow.AddSeconds(1);
        await db.MatchCandidates.Where(c => list.Contains(c.Id))
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.Status, CandidateStatus.Merged).SetProperty(c => c.DecidedBy, "steward@example.test").SetProperty(c => c.DecidedAt, at));
    }

    [Fact]
    public async Task IncrementalRun_MatchesNewRecordsAgainstTheIndexOfTheFullRun()
    {
        var cache = new DedupIndexCache();
        await Runner(new RecordingMerger(), cache).RunFullAsync(_network, DedupLevel.Retail, "test", null, CancellationToken.None);
        int before;
        await using (var db = Context())
        {
            before = await db.MatchCandidates.CountAsync();
        }

        // A copy of an existing customer arrives, flagged as pending.
        var person = new DedupBenchGenerator(7, _groups.Length).Generate(1, 0).Single();
        await DedupBulkWriter.WriteAsync(_settings!, _network, _groups, [person with { Reference = "copy" }], "GB", pending: true, CancellationToken.None);

        var result = await Runner(new RecordingMerger(), cache).RunIncrementalAsync(_network, DedupLevel.Retail, "worker", null, CancellationToken.None);

        Assert.Equal(1, result.Matched);
        await using (var db = Context())
        {
            var copy = await db.Customers.SingleAsync(c => c.SourceReference == "copy");
            Assert.Null(copy.DedupPendingSince);
            Assert.True(await db.MatchCandidates.CountAsync() > before);
            Assert.True(await db.MatchCandidates.AnyAsync(c => c.LeftId == copy.Id || c.RightId == copy.Id));
            Assert.Equal(DedupRunKind.Incremental, (await db.DedupRuns.OrderBy(r => r.Id).LastAsync()).Kind);
        }
    }

    /// <summary>A new record arrives with two records of one car (VINs one character apart): the incremental run queues the pair.</summary>
    [Fact]
    public async Task IncrementalRun_QueuesDuplicateVehiclesOfTheRecordsItMatched()
    {
        var cache = new DedupIndexCache();
        await Runner(new RecordingMerger(), cache).RunFullAsync(_network, DedupLevel.Retail, "test", null, CancellationToken.None);
        var person = new DedupBenchGenerator(7, _groups.Length).Generate(1, 0).Single();
        await DedupBulkWriter.WriteAsync(_settings!, _network, _groups, [person with { Reference = "copy" }], "GB", pending: true, CancellationToken.None);
        long copyId;
        await using (var db = Context())
        {
            var copy = await db.Customers.SingleAsync(c => c.SourceReference == "copy");
            copyId = copy.Id;
            var dealer = new Domain.Organisation.Dealer { DealerGroupId = copy.DealerGroupId, Code = "D-COPY", Name = "Copy Motors", CountryCode = "GB" };
            var first = new Domain.Vehicles.Vehicle { NetworkId = _network, Model = "Aster" };
            first.SetVin("1HGCM82633A004352");
            var second = new Domain.Vehicles.Vehicle { NetworkId = _network, Model = "Aster" };
            second.SetVin("1HGCM82633A004353");
            db.AddRange(dealer, first, second);
            await db.SaveChangesAsync();
            foreach (var vehicle in new[] { first, second })
            {
                db.Relationships.Add(new Domain.Relationships.Relationship { DealerId = dealer.Id, DealerGroupId = copy.DealerGroupId, CustomerId = copy.Id,
                    VehicleId = vehicle.Id, Type = Domain.Relationships.RelationshipType.Servicing, StartDate = new DateOnly(2024, 1, 1) });
            }

            await db.SaveChangesAsync();
        }

        var result = await Runner(new RecordingMerger(), cache).RunIncrementalAsync(_network, DedupLevel.Retail, "worker", null, CancellationToken.None);

        Assert.Equal((1, 1), (result.Matched, result.VehiclesQueued));
        await using var check = Context();
        var pair = await check.MatchCandidates.SingleAsync(c => c.EntityKind == DedupEntityKind.Vehicle);
        Assert.Equal((copyId, CandidateStatus.Open, MatchBand.Review), (pair.OwnerCustomerId!.Value, pair.Status, pair.Band));
    }

    /// <summary>
    /// A restart: the index of the full run is gone with the process. Warming builds it from the database and the
    /// stored rule set, so the next incremental run matches just the new record against everything.
    /// </summary>
    [Fact]
    public async Task WarmAfterRestart_FirstIncrementalRunIsIncremental_AndFindsTheCopy()
    {
        await Runner(new RecordingMerger()).RunFullAsync(_network, DedupLevel.Retail, "test", null, CancellationToken.None);
        var restarted = new DedupIndexCache();
        var runner = Runner(new RecordingMerger(), restarted);

        Assert.True(await runner.WarmAsync(_network, DedupLevel.Retail, CancellationToken.None));
        Assert.False(await runner.WarmAsync(_network, DedupLevel.Retail, CancellationToken.None));
        Assert.False(await runner.WarmAsync(_network, DedupLevel.Wholesale, CancellationToken.None));
        Assert.Null(restarted.Get(_network, DedupLevel.Wholesale));

        var person = new DedupBenchGenerator(7, _groups.Length).Generate(1, 0).Single();
        await DedupBulkWriter.WriteAsync(_settings!, _network, _groups, [person with { Reference = "copy" }], "GB", pending: true, CancellationToken.None);
        var result = await runner.RunIncrementalAsync(_network, DedupLevel.Retail, "worker", null, CancellationToken.None);

        Assert.Equal(1, result.Matched);
        await using var db = Context();
        var copy = await db.Customers.SingleAsync(c => c.SourceReference == "copy");
        Assert.Null(copy.DedupPendingSince);
        Assert.True(await db.MatchCandidates.AnyAsync(c => c.LeftId == copy.Id || c.RightId == copy.Id));
    }

    /// <summary>Warming before any full run: the records are still pending, so the first incremental run matches them all.</summary>
    [Fact]
    public async Task WarmWithoutRuleSet_DoesNothing_FirstRunStaysAFullPass()
    {
        var cache = new DedupIndexCache();
        var runner = Runner(new RecordingMerger(), cache);

        Assert.False(await runner.WarmAsync(_network, DedupLevel.Retail, CancellationToken.None));
        Assert.Null(cache.Get(_network, DedupLevel.Retail));
        var result = await runner.RunIncrementalAsync(_network, DedupLevel.Retail, "worker", null, CancellationToken.None);
        Assert.True(result.Matched > 1000);
    }

    private async Task<int> CountCandidatesAsync()
    {
        await using var db = Context();
        return await db.MatchCandidates.CountAsync();
    }
}
