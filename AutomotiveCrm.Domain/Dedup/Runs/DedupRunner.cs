using System.Collections.Concurrent;
using System.Diagnostics;
using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Dedup.Matching;
using AutomotiveCrm.Domain.Dedup.Merging;
using AutomotiveCrm.Domain.Dedup.Vehicles;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Dedup.Runs;

/// <summary>Where a run is: the stage and the fraction done (also stored on the DedupRun row for the screens).</summary>
public sealed record DedupRunProgress(long RunId, string Stage, double Progress);

/// <summary>The figures of a finished run.</summary>
public sealed record DedupRunResult(long RunId, DedupRunStatus Status, int Records, long CandidatePairs, int AutoMerged, int Queued, double Seconds,
    long RuleSetId, bool Trained, IReadOnlyDictionary<string, double> StageSeconds)
{
    public int Matched { get; init; }
    /// <summary>Duplicate vehicles per customer (retail runs): merged automatically, and queued for review.</summary>
    public int VehiclesMerged { get; init; }
    public int VehiclesQueued { get; init; }
}

/// <summary>
/// The matcher's state kept between runs of one network and level: the normalised records and the blocks of the last
/// full pass, so that an incremental run only loads and normalises the new and changed records.
/// </summary>
public sealed class DedupIndexCache
{
    private readonly ConcurrentDictionary<(long Network, DedupLevel Level), Entry> _entries = new();

    public sealed class Entry
    {
        public required MatchStore Store { get; init; }
        public required BlockIndex Index { get; init; }
        public required MatchModel Model { get; init; }
        public required long RuleSetId { get; init; }
        public required Dictionary<long, int> ById { get; init; }
        /// <summary>Store indexes no longer current: merged away or replaced by a newer version of the record.</summary>
        public required HashSet<int> Retired { get; init; }
        /// <summary>Incremental runs of one entry take turns (the store is appended to).</summary>
        public SemaphoreSlim Gate { get; } = new(1, 1);
    }

    public Entry? Get(long network, DedupLevel level) => _entries.TryGetValue((network, level), out var entry) ? entry : null;

    public void Set(long network, DedupLevel level, Entry entry) => _entries[(network, level)] = entry;

    public void Forget(long network, DedupLevel level) => _entries.TryRemove((network, level), out _);

    /// <summary>Stores the entry unless one is there already (a full run that finished meanwhile wins).</summary>
    public bool TryAdd(long network, DedupLevel level, Entry entry) => _entries.TryAdd((network, level), entry);
}

/// <summary>
/// Runs the matcher over a network's customers: loads them (tombstones excluded), takes the active rule set of the
/// level (training and storing version 1 when there is none), blocks, scores and clusters; the automatic band is
/// merged (retail) or linked to one wholesale record (wholesale) through <see cref="IRecordMerger"/>; the review band
/// becomes open <see cref="MatchCandidate"/> rows. Pairs a steward called "not a duplicate" are not suggested again
/// unless either record changed since (its Version moved on).
/// </summary>
public sealed class DedupRunner(ISystemDbContextFactory contexts, IRecordMerger merger, DedupIndexCache cache, TimeProvider clock)
{

    public const string SystemActor = "dedup matcher";

    /// <summary>Threads for blocking and scoring (the target machine has two cores).</summary>
    public int Threads { get; init; } = MatchEngine.DefaultThreads;

    /// <summary>Creates the Running row of a run; the run itself is <see cref="RunAsync"/>.</summary>
    public async Task<long> CreateRunAsync(long networkId, DedupLevel level, DedupRunKind kind, string startedBy, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var run = new DedupRun
        {
            NetworkId = networkId, Level = level, Kind = kind, Status = DedupRunStatus.Running, StartedAt = clock.GetUtcNow().UtcDateTime,
            StartedBy = startedBy, Stage = "queued",
        };
        db.DedupRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        return run.Id;
    }

    public async Task<DedupRunResult> RunFullAsync(long networkId, DedupLevel level, string startedBy, IProgress<DedupRunProgress>? progress, CancellationToken cancellationToken)
    {
        var runId = await CreateRunAsync(networkId, level, DedupRunKind.Full, startedBy, cancellationToken);
        return await RunAsync(runId, progress, cancellationToken);
    }

    public async Task<DedupRunResult> RunIncrementalAsync(long networkId, DedupLevel level, string startedBy, IProgress<DedupRunProgress>? progress, CancellationToken cancellationToken)
    {
        var runId = await CreateRunAsync(networkId, level, DedupRunKind.Incremental, startedBy, cancellationToken);
        return await RunAsync(runId, progress, cancellationToken);
    }

    /// <summary>Runs a created run to its end; a failure is recorded on the row (and rethrown).</summary>
    public async Task<DedupRunResult> RunAsync(long runId, IProgress<DedupRunProgress>? progress, CancellationToken cancellationToken)
    {
        DedupRun run;
        await using (var db = contexts.CreateDbContext())
        {
            run = await db.DedupRuns.AsNoTracking().SingleAsync(r => r.Id == runId, cancellationToken);
        }

        var clockStart = Stopwatch.StartNew();
        var reporter = new RunReporter(contexts, runId, progress);
        try
        {
            var result = run.Kind == DedupRunKind.Full
                ? await FullAsync(run, reporter, cancellationToken)
                : await IncrementalAsync(run, reporter, cancellationToken);
            await FinishAsync(runId, DedupRunStatus.Completed, null, result, clockStart.Elapsed.TotalSeconds);
            return result with { Seconds = clockStart.Elapsed.TotalSeconds };
        }
        catch (OperationCanceledException)
        {
            await FinishAsync(runId, DedupRunStatus.Cancelled, "cancelled", null, clockStart.Elapsed.TotalSeconds);
            throw;
        }
        catch (Exception ex)
        {
            await FinishAsync(runId, DedupRunStatus.Failed, ex.Message, null, clockStart.Elapsed.TotalSeconds);
            throw;
        }
    }

    private async Task<DedupRunResult> FullAsync(DedupRun run, RunReporter reporter, CancellationToken cancellationToken)
    {
        var scope = ScopeOf(run.Level);
        await reporter.ReportAsync("loading records", 0.02);
        var store = new MatchStore(1 << 16);
        var watch = Stopwatch.StartNew();
        await using (var db = contexts.CreateDbContext())
        {
            await DedupRecordLoader.LoadAsync(db, run.NetworkId, store, pendingOnly: false, cancellationToken);
        }

        var loadSeconds = watch.Elapsed.TotalSeconds;
        var (ruleSet, model) = await ActiveRuleSetAsync(run.NetworkId, run.Level, cancellationToken);
        if (ruleSet is not null && model is not null)
        {
            (ruleSet, model) = await RefineFromDecisionsAsync(run, ruleSet, model, cancellationToken);
        }

        await reporter.ReportAsync("matching", 0.2);
        var outcome = MatchEngine.Run(store, scope, model, Threads, cancellationToken: cancellationToken);
        if (ruleSet is null)
        {
            ruleSet = await StoreRuleSetAsync(run.NetworkId, run.Level, outcome.Model, run.StartedBy, cancellationToken);
        }

        var byId = PositionsById(store);

        var entry = new DedupIndexCache.Entry
        {
            Store = store, Index = outcome.Index, Model = outcome.Model, RuleSetId = ruleSet.Id, ById = byId, Retired = [],
        };
        await reporter.ReportAsync("writing suggestions", 0.85);
        var (merged, queued) = await WriteAsync(run, entry, outcome.Scored, outcome.AutoClusters, cancellationToken);
        if (run.Level == DedupLevel.Retail)
        {
            // The wholesale level reads the same flags: the worker runs it first, and the retail run clears them.
            await ClearPendingAsync(run.NetworkId, null, watch, cancellationToken);
        }

        cache.Set(run.NetworkId, run.Level, entry);
        var stages = new Dictionary<string, double>(outcome.StageSeconds) { ["load"] = loadSeconds };
        VehicleDuplicateResult? vehicles = null;
        if (run.Level == DedupLevel.Retail)
        {
            // Duplicate vehicles per customer, after the customers' own merges (a merge can bring two records of one car
            // to the same survivor): same queue, merge and undo as customers.
            await reporter.ReportAsync("vehicles", 0.95);
            var vehicleClock = Stopwatch.StartNew();
            await using var db = contexts.CreateDbContext();
            vehicles = await VehicleDuplicateFinder.FindAsync(db, run.NetworkId, merger: merger, runId: run.Id, clock: clock, cancellationToken: cancellationToken);
            stages["vehicles"] = vehicleClock.Elapsed.TotalSeconds;
        }

        return new DedupRunResult(run.Id, DedupRunStatus.Completed, store.Count, outcome.CandidatePairs, merged, queued, 0, ruleSet.Id, outcome.Trained, stages)
        {
            Matched = store.Count,
            VehiclesMerged = vehicles?.Merged ?? 0,
            VehiclesQueued = vehicles?.Review ?? 0,
        };
    }

    /// <summary>
    /// Builds the in-memory index of a network and level from the stored records and the active rule set, matching
    /// nothing, so that the first incremental run after a start-up is incremental instead of a full pass (about 24 s
    /// at a million records). Records still pending are indexed too; the next incremental run loads them again as
    /// new versions, matches them against everything and retires these copies. Returns false when there is an index
    /// already or the level has no rule set yet (its first full run trains one).
    /// </summary>
    public async Task<bool> WarmAsync(long networkId, DedupLevel level, CancellationToken cancellationToken)
    {
        if (cache.Get(networkId, level) is not null)
        {
            return false;
        }

        var (ruleSet, model) = await ActiveRuleSetAsync(networkId, level, cancellationToken);
        if (ruleSet is null || model is null)
        {
            return false;
        }

        var store = new MatchStore(1 << 16);
        await using (var db = contexts.CreateDbContext())
        {
            await DedupRecordLoader.LoadAsync(db, networkId, store, pendingOnly: false, cancellationToken);
        }

        var index = BlockIndex.Build(store, ScopeOf(level), model.MaxBlock, threads: Threads, window: model.Window, pairsPerRecord: model.PairsPerRecord);
        var byId = PositionsById(store);

        return cache.TryAdd(networkId, level, new DedupIndexCache.Entry
        {
            Store = store, Index = index, Model = model, RuleSetId = ruleSet.Id, ById = byId, Retired = [],
        });
    }

    private async Task<DedupRunResult> IncrementalAsync(DedupRun run, RunReporter reporter, CancellationToken cancellationToken)
    {
        var entry = cache.Get(run.NetworkId, run.Level);
        if (entry is null)
        {
            // No index in memory (first run since start-up): a full pass builds it and matches everything pending too.
            var full = await FullAsync(run, reporter, cancellationToken);
            return full;
        }

        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            var stages = new Dictionary<string, double>();
            var clock = Stopwatch.StartNew();
            var store = entry.Store;
            var from = store.Count;
            List<int> added;
            await using (var db = contexts.CreateDbContext())
            {
                added = await DedupRecordLoader.LoadAsync(db, run.NetworkId, store, pendingOnly: true, cancellationToken);
            }

            stages["load"] = clock.Elapsed.TotalSeconds;
            clock.Restart();
            foreach (var i in added)
            {
                if (entry.ById.TryGetValue(store.Ids[i], out var old))
                {
                    entry.Retired.Add(old);
                }

                entry.ById[store.Ids[i]] = i;
            }

            var pairs = PairFinder.FindNew(store, entry.Index, from, store.Count, Threads, cancellationToken);
            var candidates = pairs.Count;
            stages["compare"] = clock.Elapsed.TotalSeconds;
            clock.Restart();
            DropRetired(pairs, entry.Retired);
            MatchEngine.ScoreAll(store, entry.Model, pairs, Threads);
            pairs.KeepScoresFrom(entry.Model.ReviewThreshold);
            var auto = Clustering.Cluster(store, entry.Model, pairs, entry.Model.AutoThreshold);
            stages["score"] = clock.Elapsed.TotalSeconds;
            clock.Restart();
            await reporter.ReportAsync("writing suggestions", 0.8);
            var (merged, queued) = await WriteAsync(run, entry, pairs, auto, cancellationToken);
            stages["write"] = clock.Elapsed.TotalSeconds;
            VehicleDuplicateResult? vehicles = null;
            if (run.Level == DedupLevel.Retail && added.Count > 0)
            {
                // Duplicate vehicles of the customers this run touched: the new and changed records, and both sides of
                // their pairs (which covers the survivors of its merges, who may now hold two records of one car).
                clock.Restart();
                var touched = added.Select(i => store.Ids[i]).ToHashSet();
                for (var k = 0; k < pairs.Count; k++)
                {
                    touched.Add(store.Ids[pairs.Left[k]]);
                    touched.Add(store.Ids[pairs.Right[k]]);
                }

                await using var db = contexts.CreateDbContext();
                vehicles = await VehicleDuplicateFinder.FindAsync(db, run.NetworkId, merger: merger, runId: run.Id, clock: Clock,
                    customerIds: touched, cancellationToken: cancellationToken);
                stages["vehicles"] = clock.Elapsed.TotalSeconds;
            }

            // Last: a run stopped before this point leaves its records pending, and the next run does them again.
            if (run.Level == DedupLevel.Retail)
            {
                await ClearPendingAsync(run.NetworkId, added.Select(i => store.Ids[i]).ToList(), null, cancellationToken);
            }

            return new DedupRunResult(run.Id, DedupRunStatus.Completed, store.Count, candidates, merged, queued, 0, entry.RuleSetId, false, stages)
            {
                Matched = added.Count,
                VehiclesMerged = vehicles?.Merged ?? 0,
                VehiclesQueued = vehicles?.Review ?? 0,
            };
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Matches pending records against the cached index without touching the database: the benchmark's measure of the matching itself.</summary>
    public static (CandidatePairs Pairs, long Candidates) MatchNew(DedupIndexCache.Entry entry, int from, int threads)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var pairs = PairFinder.FindNew(entry.Store, entry.Index, from, entry.Store.Count, threads);
        var candidates = pairs.Count;
        DropRetired(pairs, entry.Retired);
        MatchEngine.ScoreAll(entry.Store, entry.Model, pairs, threads);
        pairs.KeepScoresFrom(entry.Model.ReviewThreshold);
        return (pairs, candidates);
    }

    private static void DropRetired(CandidatePairs pairs, HashSet<int> retired)
    {
        if (retired.Count == 0)
        {
            return;
        }

        var scores = pairs.Score;
        for (var k = 0; k < pairs.Count; k++)
        {
            scores[k] = retired.Contains(pairs.Left[k]) || retired.Contains(pairs.Right[k]) ? double.NegativeInfinity : 0;
        }

        pairs.KeepScoresFrom(double.MinValue);
    }

    /// <summary>Each record id's position in the store.</summary>
    private static Dictionary<long, int> PositionsById(MatchStore store)
    {
        var byId = new Dictionary<long, int>(store.Count);
        for (var i = 0; i < store.Count; i++)
        {
            byId[store.Ids[i]] = i;
        }

        return byId;
    }

    /// <summary>The time source (named apart: incremental runs call their stopwatch "clock").</summary>
    private TimeProvider Clock => clock;

    private static MatchScope ScopeOf(DedupLevel level) => level == DedupLevel.Retail ? MatchScope.WithinGroup : MatchScope.AcrossGroups;

    private async Task<(DedupRuleSet? RuleSet, MatchModel? Model)> ActiveRuleSetAsync(long networkId, DedupLevel level, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var ruleSet = await db.DedupRuleSets.AsNoTracking()
            .Where(r => r.NetworkId == networkId && r.Level == level && r.IsActive)
            .OrderByDescending(r => r.Version).FirstOrDefaultAsync(cancellationToken);
        if (ruleSet is null)
        {
            return (null, null);
        }

        var model = MatchModel.FromJson(ruleSet.ModelJson);
        // The thresholds on the row are the stewards' setting; they win over the ones in the JSON.
        model.AutoThreshold = ruleSet.AutoThreshold;
        model.ReviewThreshold = ruleSet.ReviewThreshold;
        return (ruleSet, model);
    }

    /// <summary>
    /// Before a full run: when stewards have confirmed at least <see cref="ModelRefinement.MinDecisions"/> customer
    /// pairs since the active rule set was written, a new version with m refined by those pairs becomes active (the
    /// old one stays for the candidates and merges that name it).
    /// </summary>
    private async Task<(DedupRuleSet RuleSet, MatchModel Model)> RefineFromDecisionsAsync(DedupRun run, DedupRuleSet ruleSet, MatchModel model,
        CancellationToken cancellationToken)
    {
        List<string> explanations;
        await using (var db = contexts.CreateDbContext())
        {
            explanations = await db.MatchCandidates.AsNoTracking()
                .Where(c => c.NetworkId == run.NetworkId && c.Level == run.Level && c.EntityKind == DedupEntityKind.Customer
                    && (c.Status == CandidateStatus.Merged || c.Status == CandidateStatus.Linked)
                    && c.DecidedBy != null && c.DecidedBy != SystemActor && c.DecidedAt > ruleSet.CreatedAt)
                .Select(c => c.ExplanationJson).ToListAsync(cancellationToken);
        }

        if (explanations.Count < ModelRefinement.MinDecisions)
        {
            return (ruleSet, model);
        }

        var (refined, used) = ModelRefinement.Refine(model, explanations.Select(MatchExplanation.FromJson).OfType<MatchExplanation>());
        if (used < ModelRefinement.MinDecisions)
        {
            return (ruleSet, model);
        }

        await using var write = contexts.CreateDbContext();
        var version = (await write.DedupRuleSets.Where(r => r.NetworkId == run.NetworkId && r.Level == run.Level).MaxAsync(r => (int?)r.Version, cancellationToken) ?? 0) + 1;
        var next = new DedupRuleSet
        {
            NetworkId = run.NetworkId, Level = run.Level, Version = version, Name = $"{run.Level} rules v{version} (refined)",
            AutoThreshold = ruleSet.AutoThreshold, ReviewThreshold = ruleSet.ReviewThreshold, ModelJson = refined.ToJson(), IsActive = true,
            CreatedAt = clock.GetUtcNow().UtcDateTime, CreatedBy = run.StartedBy,
            Notes = FormattableString.Invariant($"v{ruleSet.Version} with m refined by {used:N0} pairs stewards confirmed since it was written."),
        };
        write.DedupRuleSets.Add(next);
        await write.SaveChangesAsync(cancellationToken);
        return (next, refined);
    }

    private async Task<DedupRuleSet> StoreRuleSetAsync(long networkId, DedupLevel level, MatchModel model, string createdBy, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var version = (await db.DedupRuleSets.Where(r => r.NetworkId == networkId && r.Level == level).MaxAsync(r => (int?)r.Version, cancellationToken) ?? 0) + 1;
        var ruleSet = new DedupRuleSet
        {
            NetworkId = networkId, Level = level, Version = version, Name = $"{level} rules v{version} (trained)", AutoThreshold = model.AutoThreshold,
            ReviewThreshold = model.ReviewThreshold, ModelJson = model.ToJson(), IsActive = true, CreatedAt = clock.GetUtcNow().UtcDateTime, CreatedBy = createdBy,
            Notes = FormattableString.Invariant($"Trained on {model.Records:N0} records, {model.CandidatePairs:N0} candidate pairs; EM {model.EmIterations} iterations; prior {model.PriorWeight:F2} bits."),
        };
        db.DedupRuleSets.Add(ruleSet);
        await db.SaveChangesAsync(cancellationToken);
        return ruleSet;
    }

    /// <summary>
    /// Writes the outcome: open candidates for the review band (updated in place when the pair is already open), and
    /// for each automatic cluster a candidate per member merged or linked into the survivor (the oldest record).
    /// </summary>
    private async Task<(int Merged, int Queued)> WriteAsync(DedupRun run, DedupIndexCache.Entry entry, CandidatePairs pairs, int[] autoClusters, CancellationToken cancellationToken)
    {
        var store = entry.Store;
        var model = entry.Model;
        var now = clock.GetUtcNow().UtcDateTime;
        var wholesale = run.Level == DedupLevel.Wholesale;
        await using var db = contexts.CreateDbContext();
        db.Actor = new AuditActor(null, SystemActor, AuditSource.System);
        var existing = await db.MatchCandidates
            .Where(c => c.NetworkId == run.NetworkId && c.Level == run.Level && c.EntityKind == DedupEntityKind.Customer)
            .ToDictionaryAsync(c => (c.LeftId, c.RightId), cancellationToken);

        // Automatic clusters: member -> survivor (the smallest id: the oldest record keeps its links).
        var survivors = new Dictionary<int, int>();
        for (var i = 0; i < autoClusters.Length; i++)
        {
            if (autoClusters[i] >= 0)
            {
                var representative = autoClusters[i];
                survivors[representative] = survivors.TryGetValue(representative, out var best) && store.Ids[best] < store.Ids[i] ? best : i;
            }
        }

        var queued = 0;
        var autoPairs = new List<(MatchCandidate Candidate, long Survivor, long Merged)>();
        for (var k = 0; k < pairs.Count; k++)
        {
            var (a, b) = store.Ids[pairs.Left[k]] < store.Ids[pairs.Right[k]] ? (pairs.Left[k], pairs.Right[k]) : (pairs.Right[k], pairs.Left[k]);
            var score = pairs.Score[k];
            var inAuto = autoClusters.Length > Math.Max(a, b) && autoClusters[a] >= 0 && autoClusters[a] == autoClusters[b];
            var key = (store.Ids[a], store.Ids[b]);
            existing.TryGetValue(key, out var candidate);
            if (candidate is not null && candidate.Status != CandidateStatus.Open)
            {
                var changed = candidate.LeftVersion != store.Versions[a] || candidate.RightVersion != store.Versions[b];
                if (candidate.Status is CandidateStatus.Merged or CandidateStatus.Linked || !changed)
                {
                    continue;
                }

                // Decided before, but a record changed since: suggest again.
                candidate.Status = CandidateStatus.Open;
                candidate.DecidedAt = null;
                candidate.DecidedBy = null;
            }

            var explanation = model.Explain(store, a, b, pairs.Pattern[k]);
            var reasons = explanation.Reasons();
            if (candidate is null)
            {
                candidate = new MatchCandidate
                {
                    NetworkId = run.NetworkId, DealerGroupId = wholesale ? null : store.Groups[a], Level = run.Level, EntityKind = DedupEntityKind.Customer,
                    LeftId = key.Item1, RightId = key.Item2, ExplanationJson = "", Reasons = "", CreatedAt = now, Status = CandidateStatus.Open,
                };
                db.MatchCandidates.Add(candidate);
                existing[key] = candidate;
            }

            candidate.Score = Math.Round(score, 3);
            candidate.Band = inAuto ? MatchBand.Automatic : MatchBand.Review;
            candidate.ExplanationJson = explanation.ToJson();
            candidate.Reasons = reasons.Length > 500 ? reasons[..500] : reasons;
            candidate.RunId = run.Id;
            candidate.RuleSetId = entry.RuleSetId;
            candidate.LeftVersion = store.Versions[a];
            candidate.RightVersion = store.Versions[b];
            candidate.UpdatedAt = now;
            if (inAuto)
            {
                var survivor = survivors[autoClusters[a]];
                var other = a == survivor ? b : b == survivor ? a : -1;
                if (other >= 0)
                {
                    autoPairs.Add((candidate, store.Ids[survivor], store.Ids[other]));
                }
                else
                {
                    // Both are non-survivors of one cluster: each merges with the survivor through its own pair.
                    candidate.Band = MatchBand.Automatic;
                }
            }
            else
            {
                queued++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);

        var merged = 0;
        var done = new HashSet<long>();
        foreach (var (candidate, survivor, mergedId) in autoPairs.OrderByDescending(p => p.Candidate.Score))
        {
            if (!done.Add(mergedId))
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            await using var mergeDb = contexts.CreateDbContext();
            mergeDb.Actor = new AuditActor(null, SystemActor, AuditSource.System);
            var request = new MergeRequest(survivor, mergedId, candidate.Id, candidate.Score, Automatic: true);
            var outcome = wholesale
                ? await merger.LinkWholesaleAsync(mergeDb, request, cancellationToken)
                : await merger.MergeCustomersAsync(mergeDb, request, cancellationToken);
            if (outcome.Succeeded)
            {
                merged++;
                if (!wholesale && entry.ById.TryGetValue(mergedId, out var index))
                {
                    entry.Retired.Add(index);
                }
            }
        }

        return (merged, queued);
    }

    /// <summary>Clears the pending flag: of the given customers, or (full run) of every customer flagged before the run started.</summary>
    private async Task ClearPendingAsync(long networkId, List<long>? ids, Stopwatch? since, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        if (ids is null)
        {
            var before = clock.GetUtcNow().UtcDateTime - (since?.Elapsed ?? TimeSpan.Zero);
            await db.Customers.Where(c => c.DealerGroup!.NetworkId == networkId && c.DedupPendingSince != null && c.DedupPendingSince <= before)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.DedupPendingSince, (DateTime?)null), cancellationToken);
            return;
        }

        foreach (var chunk in ids.Chunk(500))
        {
            await db.Customers.Where(c => chunk.Contains(c.Id)).ExecuteUpdateAsync(s => s.SetProperty(c => c.DedupPendingSince, (DateTime?)null), cancellationToken);
        }
    }

    private async Task FinishAsync(long runId, DedupRunStatus status, string? reason, DedupRunResult? result, double seconds)
    {
        await using var db = contexts.CreateDbContext();
        var run = await db.DedupRuns.SingleAsync(r => r.Id == runId);
        run.Status = status;
        run.StatusReason = reason is { Length: > 2000 } ? reason[..2000] : reason;
        run.FinishedAt = clock.GetUtcNow().UtcDateTime;
        run.Seconds = Math.Round(seconds, 3);
        run.Progress = status == DedupRunStatus.Completed ? 1 : run.Progress;
        run.Stage = status == DedupRunStatus.Completed ? "done" : status.ToString().ToLowerInvariant();
        if (result is not null)
        {
            run.RuleSetId = result.RuleSetId;
            run.RecordsCompared = result.Matched;
            run.CandidatePairs = result.CandidatePairs;
            run.AutoMerged = result.AutoMerged;
            run.Queued = result.Queued;
        }

        await db.SaveChangesAsync();
    }

    /// <summary>Reports progress to the caller and onto the run's row.</summary>
    private sealed class RunReporter(ISystemDbContextFactory contexts, long runId, IProgress<DedupRunProgress>? progress)
    {
        public async Task ReportAsync(string stage, double fraction)
        {
            progress?.Report(new DedupRunProgress(runId, stage, fraction));
            await using var db = contexts.CreateDbContext();
            await db.DedupRuns.Where(r => r.Id == runId)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Stage, stage).SetProperty(r => r.Progress, fraction));
        }
    }
}
