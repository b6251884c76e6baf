using System.Diagnostics;

namespace AutomotiveCrm.Domain.Dedup.Matching;

/// <summary>The output of one matching pass over a store.</summary>
public sealed class MatchOutcome
{
    public required MatchModel Model { get; init; }
    public bool Trained { get; init; }
    /// <summary>Distinct pairs compared (after blocking).</summary>
    public long CandidatePairs { get; init; }
    /// <summary>Pairs scoring in the review band or above, with scores.</summary>
    public required CandidatePairs Scored { get; init; }
    /// <summary>Cluster representative per store index over automatic-band links (-1: none).</summary>
    public required int[] AutoClusters { get; init; }
    /// <summary>Cluster representative per store index over review-band-and-above links (-1: none).</summary>
    public required int[] ReviewClusters { get; init; }
    public int OversizedBlocks { get; init; }
    /// <summary>The blocks of this pass, kept so that new records can be matched against them later.</summary>
    public required BlockIndex Index { get; init; }
    public int Blocks { get; init; }
    public Dictionary<string, double> StageSeconds { get; } = [];
}

/// <summary>
/// The production pipeline over normalised records: block, compare, train when no model is given (u from random
/// pairs, m by EM), score with term-frequency adjustment, keep the review band and above, cluster.
/// </summary>
public static class MatchEngine
{
    public static int DefaultThreads => Math.Clamp(Environment.ProcessorCount, 1, 2);

    /// <summary>From this many records a pass counts its candidate pairs instead of keeping them (see <see cref="Run"/>).</summary>
    public const int StreamFrom = 50_000;

    public static MatchOutcome Run(MatchStore store, MatchScope scope, MatchModel? model, int threads = 0, IProgress<(string Stage, double Progress)>? progress = null,
        Action<CandidatePairs>? inspectCandidates = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        threads = threads <= 0 ? DefaultThreads : threads;
        var settings = model ?? MatchModel.Untrained(scope);
        var clock = Stopwatch.StartNew();
        var stages = new Dictionary<string, double>();
        void Stage(string name, double fraction)
        {
            stages[name] = clock.Elapsed.TotalSeconds;
            clock.Restart();
            progress?.Report((name, fraction));
        }

        var index = BlockIndex.Build(store, scope, settings.MaxBlock, threads: threads, window: settings.Window, pairsPerRecord: settings.PairsPerRecord);
        Stage("block", 0.3);
        var trained = model is null || model.Fields.Length == 0 || model.CandidatePairs == 0;
        CandidatePairs pairs;
        long candidateCount;
        if (inspectCandidates is null && store.Count >= StreamFrom)
        {
            // A large file: its candidate pairs are counted, not kept. Training reads the patterns of a sample of the
            // records' pairs; then every pair is compared and scored once and only those in the review band or above
            // are kept.
            if (trained)
            {
                var sampleEvery = Math.Max(4, store.Count / 50_000);
                var (patterns, sampled) = PairFinder.SamplePatterns(store, index, threads, sampleEvery, cancellationToken);
                Stage("sample", 0.4);
                model = ModelTrainer.Train(store, patterns, sampled * sampleEvery, scope, settings: settings);
                model.TrainedAt = DateTime.UtcNow;
                Stage("train", 0.5);
            }

            (pairs, candidateCount) = PairFinder.FindScored(store, index, model!, model!.ReviewThreshold, threads, cancellationToken);
            if (trained)
            {
                model.CandidatePairs = candidateCount;
            }

            Stage("compare", 0.8);
        }
        else
        {
            pairs = PairFinder.FindAll(store, index, threads, cancellationToken);
            candidateCount = pairs.Count;
            inspectCandidates?.Invoke(pairs);
            Stage("compare", 0.6);
            if (trained)
            {
                model = ModelTrainer.Train(store, pairs, scope, settings: settings);
                model.TrainedAt = DateTime.UtcNow;
                Stage("train", 0.7);
            }

            ScoreAll(store, model!, pairs, threads);
            pairs.KeepScoresFrom(model!.ReviewThreshold);
            Stage("score", 0.8);
        }

        var review = Clustering.Cluster(store, model!, pairs, model!.ReviewThreshold);
        var auto = Clustering.Cluster(store, model, pairs, model.AutoThreshold);
        Stage("cluster", 1);
        var outcome = new MatchOutcome
        {
            Model = model,
            Trained = trained,
            CandidatePairs = candidateCount,
            Scored = pairs,
            AutoClusters = auto,
            ReviewClusters = review,
            OversizedBlocks = index.OversizedBlocks,
            Index = index,
            Blocks = index.BlockCount,
        };
        foreach (var (k, v) in stages)
        {
            outcome.StageSeconds[k] = v;
        }

        return outcome;
    }

    /// <summary>Scores every pair in parallel (the model's weights are read-only by now).</summary>
    public static void ScoreAll(MatchStore store, MatchModel model, CandidatePairs pairs, int threads)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pairs);
        _ = model.Weights;
        var count = pairs.Count;
        var left = pairs.LeftArray;
        var right = pairs.RightArray;
        var pattern = pairs.PatternArray;
        var scores = pairs.ScoreArray;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            for (var k = t; k < count; k += threads)
            {
                scores[k] = model.Score(store, left[k], right[k], pattern[k]);
            }
        });
    }
}
