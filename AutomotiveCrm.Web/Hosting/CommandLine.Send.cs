using AutomotiveCrm.Domain.Campaigns.Sending.Bench;

namespace AutomotiveCrm.Web.Hosting;

/// <summary>The sending benchmark: <c>bench send</c>.</summary>
public static partial class CommandLine
{
    /// <summary>
    /// <c>bench send [--recipients N]</c>: N recipients (default 20000) in a temporary SQLite database; measures the
    /// run start (freeze + enqueue), the merge-field rendering and the SMTP dispatch to a loopback server.
    /// </summary>
    private static async Task<int> BenchSendAsync(ParsedArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var recipients = parsed.Int("--recipients", 20_000, min: 1, max: 1_000_000);
        int? connections = parsed.Value("--connections") is null ? null : parsed.Int("--connections", 4, min: 1, max: 64);
        var latency = parsed.Int("--smtp-latency-ms", 0, min: 0, max: 10_000);
        parsed.EnsureOnly(positionals: 1);
        var result = await SendBenchmark.RunAsync(recipients, stderr, cancellationToken, connections, latency);
        await stdout.WriteLineAsync(result.ToJson());
        return Ok;
    }
}
