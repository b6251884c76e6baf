namespace AutomotiveCrm.Web.Hosting;

/// <summary>The export benchmarks: <c>bench labels</c> and <c>bench calllist</c>.</summary>
public static partial class CommandLine
{
    private static Task<int> BenchLabelsAsync(ParsedArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        throw new UsageException("bench labels is being built.");

    private static Task<int> BenchCallListAsync(ParsedArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        throw new UsageException("bench calllist is being built.");
}
