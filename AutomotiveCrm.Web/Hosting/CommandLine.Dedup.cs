using System.Globalization;
using System.Text.Json;
using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Dedup.Merging;
using AutomotiveCrm.Domain.Dedup.Runs;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Hosting;

/// <summary>The dedup verbs: <c>dedup run</c>, <c>dedup evaluate</c> and <c>bench dedup</c>.</summary>
public static partial class CommandLine
{
    private static async Task<int> DedupAsync(ParsedArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var what = parsed.Positional(0) ?? throw new UsageException("dedup needs what to do: dedup run or dedup evaluate FILE.");
        switch (what)
        {
            case "run":
                return await DedupRunAsync(parsed, stdout, stderr, cancellationToken);
            case "evaluate":
                var file = parsed.Positional(1) ?? throw new UsageException("dedup evaluate needs the labelled FILE.");
                var json = parsed.Flag("--json");
                parsed.EnsureOnly(positionals: 2);
                if (!File.Exists(file))
                {
                    throw new UsageException($"the file '{file}' does not exist.");
                }

                await stderr.WriteLineAsync($"Evaluating {Path.GetFileName(file)}...");
                var result = await DedupEvaluation.RunAsync(file, cancellationToken: cancellationToken);
                await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{result.Records:N0} records, {result.CandidatePairs:N0} candidate pairs, blocking recall {result.BlockingRecall:P2}; automatic P {result.Auto.Precision:F4} R {result.Auto.Recall:F4} F1 {result.Auto.F1:F4}; with review P {result.AutoPlusReview.Precision:F4} R {result.AutoPlusReview.Recall:F4} F1 {result.AutoPlusReview.F1:F4} ({result.Seconds:F1} s)."));
                await stdout.WriteLineAsync(result.ToJson());
                _ = json;
                return Ok;
            default:
                throw new UsageException($"unknown dedup action '{what}': use dedup run or dedup evaluate FILE.");
        }
    }

    /// <summary>A full run of every network in the database at the chosen level, in this process.</summary>
    private static async Task<int> DedupRunAsync(ParsedArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var levelText = parsed.Value("--level") ?? "retail";
        var level = levelText.ToLowerInvariant() switch
        {
            "retail" => DedupLevel.Retail,
            "wholesale" => DedupLevel.Wholesale,
            _ => throw new UsageException($"--level must be retail or wholesale, not '{levelText}'."),
        };
        var json = parsed.Flag("--json");
        parsed.EnsureOnly(positionals: 1);
        var settings = ReadSettings(parsed);
        await using var services = new ServiceCollection().AddCrmPersistence(_ => settings).BuildServiceProvider();
        var contexts = services.GetRequiredService<ISystemDbContextFactory>();
        var runner = new DedupRunner(contexts, new RecordMerger(TimeProvider.System), new DedupIndexCache(), TimeProvider.System);
        List<long> networks;
        await using (var db = contexts.CreateDbContext())
        {
            networks = await db.Networks.Select(n => n.Id).OrderBy(id => id).ToListAsync(cancellationToken);
        }

        var results = new List<DedupRunResult>();
        var progress = new Progress<DedupRunProgress>(p => stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {p.RunId}: {p.Stage} ({p.Progress:P0})")));
        foreach (var network in networks)
        {
            var result = await runner.RunFullAsync(network, level, "command line", progress, cancellationToken);
            results.Add(result);
            var summary = string.Create(CultureInfo.InvariantCulture,
                $"Network {network} {level}: {result.Records:N0} records, {result.CandidatePairs:N0} candidate pairs, {result.AutoMerged:N0} merged or linked automatically, {result.Queued:N0} queued for review; vehicles {result.VehiclesMerged:N0} merged, {result.VehiclesQueued:N0} queued ({result.Seconds:F1} s).");
            await stderr.WriteLineAsync(summary);
            if (!json)
            {
                await stdout.WriteLineAsync(summary);
            }
        }

        if (json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(new
            {
                level = level.ToString().ToLowerInvariant(),
                runs = results.Select(r => new
                {
                    run = r.RunId, status = r.Status.ToString(), records = r.Records, candidate_pairs = r.CandidatePairs, auto_merged = r.AutoMerged,
                    queued = r.Queued, vehicles_merged = r.VehiclesMerged, vehicles_queued = r.VehiclesQueued, seconds = Math.Round(r.Seconds, 2), rule_set = r.RuleSetId, trained = r.Trained,
                }),
            }));
        }

        return Ok;
    }

    private static async Task<int> BenchDedupAsync(ParsedArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var customers = parsed.Int("--customers", 1_000_000, min: 1000, max: 5_000_000);
        var path = parsed.Value("--database") ?? Path.Combine("data", "bench", "dedup.db");
        parsed.EnsureOnly(positionals: 1);
        var result = await DedupBenchmark.RunAsync(Path.GetFullPath(path), customers, 10_000, line => stderr.WriteLine("  " + line), cancellationToken);
        await stdout.WriteLineAsync(result.ToJson());
        return Ok;
    }
}
