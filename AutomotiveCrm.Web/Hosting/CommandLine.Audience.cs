namespace AutomotiveCrm.Web.Hosting;

/// <summary>The audience benchmark: <c>bench segment</c>.</summary>
public static partial class CommandLine
{
    private static Task<int> BenchSegmentAsync(ParsedArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        throw new UsageException("bench segment is being built.");
}
