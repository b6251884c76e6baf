namespace AutomotiveCrm.Web.Hosting;

/// <summary>The dedup verbs: <c>dedup run</c>, <c>dedup evaluate</c> and <c>bench dedup</c>.</summary>
public static partial class CommandLine
{
    private static Task<int> DedupAsync(ParsedArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        throw new UsageException("dedup is being built.");

    private static Task<int> BenchDedupAsync(ParsedArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        throw new UsageException("bench dedup is being built.");
}
