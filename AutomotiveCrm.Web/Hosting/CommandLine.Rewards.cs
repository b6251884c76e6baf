using AutomotiveCrm.Domain.Rewards.Bench;

namespace AutomotiveCrm.Web.Hosting;

/// <summary>The rewards benchmarks: <c>bench redeem</c> and <c>bench redeem-race</c>.</summary>
public static partial class CommandLine
{
    /// <summary>
    /// <c>bench redeem [--redemptions N] [--workers W]</c>: N redemptions (default 2000) by W concurrent desks (default 4)
    /// on a fresh SQLite database with full durability; one JSON line with p95 latency and redemptions per second.
    /// </summary>
    private static async Task<int> BenchRedeemAsync(ParsedArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var redemptions = parsed.Int("--redemptions", 2_000, min: 1, max: 1_000_000);
        var workers = parsed.Int("--workers", 4, min: 1, max: 256);
        parsed.EnsureOnly(positionals: 1);
        var result = await RedeemBenchmark.RunAsync(redemptions, workers, stderr, cancellationToken);
        await stdout.WriteLineAsync(result.ToJson());
        return result.LedgerConsistent ? Ok : Failed;
    }

    /// <summary>
    /// <c>bench redeem-race [--tasks N] [--hosts H]</c>: N redemptions (default 50) released at once from H application
    /// instances (default 2) against one member who can afford exactly one; one JSON line with successes (must be 1),
    /// min_balance (never below 0) and ledger_consistent.
    /// </summary>
    private static async Task<int> BenchRedeemRaceAsync(ParsedArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var tasks = parsed.Int("--tasks", 50, min: 1, max: 10_000);
        var hosts = parsed.Int("--hosts", 2, min: 1, max: 16);
        parsed.EnsureOnly(positionals: 1);
        var result = await RedeemBenchmark.RaceAsync(tasks, hosts, stderr, cancellationToken);
        await stdout.WriteLineAsync(result.ToJson());
        return result.Successes == 1 && result.MinBalance >= 0 && result.LedgerConsistent ? Ok : Failed;
    }
}
