using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutomotiveCrm.Domain.Dedup.Matching;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Dedup.Runs;

/// <summary>The figures of <c>dedup evaluate</c>: pairwise, over the final clusters; pairs lost in blocking are misses.</summary>
public sealed record DedupEvaluationResult(int Records, long CandidatePairs, double BlockingRecall, PairMetrics Auto, PairMetrics AutoPlusReview,
    long ReviewPairs, double Seconds, long PeakMb)
{
    public string ToJson() => JsonSerializer.Serialize(new Line(Records, CandidatePairs, Math.Round(BlockingRecall, 4), Band(Auto), Band(AutoPlusReview),
        ReviewPairs, Math.Round(Seconds, 2), PeakMb));

    private static BandLine Band(PairMetrics m) => new(Math.Round(m.Precision, 4), Math.Round(m.Recall, 4), Math.Round(m.F1, 4));

    private sealed record BandLine(
        [property: JsonPropertyName("precision")] double Precision,
        [property: JsonPropertyName("recall")] double Recall,
        [property: JsonPropertyName("f1")] double F1);

    private sealed record Line(
        [property: JsonPropertyName("records")] int Records,
        [property: JsonPropertyName("candidate_pairs")] long CandidatePairs,
        [property: JsonPropertyName("blocking_recall")] double BlockingRecall,
        [property: JsonPropertyName("auto")] BandLine Auto,
        [property: JsonPropertyName("auto_plus_review")] BandLine AutoPlusReview,
        [property: JsonPropertyName("review_pairs")] long ReviewPairs,
        [property: JsonPropertyName("seconds")] double Seconds,
        [property: JsonPropertyName("peak_mb")] long PeakMb);
}

/// <summary>
/// Evaluates the matcher on a labelled file: the records become customers of one dealer group in a throwaway SQLite
/// database (bulk-written like the demo data), then the production pipeline runs on them: load from the database,
/// normalise, block, train (no rule set exists), score, bands, cluster. The labels are joined back through the
/// customers' source reference (the file's record_id).
/// </summary>
public static class DedupEvaluation
{
    public static async Task<DedupEvaluationResult> RunAsync(string file, string? workDirectory = null, int threads = 0, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        List<LabelledRecord> rows;
        using (var reader = new StreamReader(file))
        {
            rows = LabelledRecords.Read(reader);
        }

        var directory = workDirectory ?? Path.Combine(Path.GetTempPath(), "crm-dedup-eval-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "evaluate.db");
        try
        {
            var (settings, networkId, groups) = await DedupBulkWriter.CreateDatabaseAsync(path, 1, cancellationToken);
            var people = rows.Select(r => new BulkPerson(0, r.Record.FirstName, r.Record.LastName, r.Record.DateOfBirth, r.Record.Line1, r.Record.Line2,
                r.Record.City, r.Record.Region, r.Record.Postcode, r.Record.Email, r.Record.Phone, r.RecordId));
            await DedupBulkWriter.WriteAsync(settings, networkId, groups, people, "GB", pending: true, cancellationToken);

            var store = new MatchStore(rows.Count);
            Dictionary<long, string?> references;
            await using (var db = CrmDatabase.CreateContext(settings))
            {
                await DedupRecordLoader.LoadAsync(db, networkId, store, pendingOnly: false, cancellationToken);
                references = await db.Customers.Select(c => new { c.Id, c.SourceReference }).ToDictionaryAsync(c => c.Id, c => c.SourceReference, cancellationToken);
            }

            var entityOf = rows.GroupBy(r => r.RecordId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().EntityId, StringComparer.Ordinal);
            var entities = new string?[store.Count];
            for (var i = 0; i < store.Count; i++)
            {
                entities[i] = references.TryGetValue(store.Ids[i], out var reference) && reference is not null ? entityOf.GetValueOrDefault(reference) : null;
            }

            long kept = 0;
            var outcome = MatchEngine.Run(store, MatchScope.WithinGroup, null, threads, inspectCandidates: pairs => kept = PairScoring.TruePairsAmong(pairs, entities),
                cancellationToken: cancellationToken);
            var truth = PairScoring.TruePairs(entities);
            var auto = PairScoring.Score(outcome.AutoClusters, entities);
            var all = PairScoring.Score(outcome.ReviewClusters, entities);
            long reviewPairs = 0;
            foreach (var score in outcome.Scored.Score)
            {
                if (outcome.Model.Band(score) == 1)
                {
                    reviewPairs++;
                }
            }

            using var process = Process.GetCurrentProcess();
            process.Refresh();
            return new DedupEvaluationResult(store.Count, outcome.CandidatePairs, truth == 0 ? 1 : (double)kept / truth, auto, all, reviewPairs,
                clock.Elapsed.TotalSeconds, process.PeakWorkingSet64 / (1024 * 1024));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (workDirectory is null)
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (IOException)
                {
                    // A throwaway file left behind in the temp folder is harmless.
                }
            }
        }
    }
}
