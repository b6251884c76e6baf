namespace AutomotiveCrm.Domain.Imports.Reading;

/// <summary>The outcome of the whole-file structure check.</summary>
/// <param name="Passed">False: the file is refused whole (moved to the failed folder).</param>
/// <param name="Reason">Why it failed, naming the file's line (and column count / byte) where it went wrong.</param>
/// <param name="DataRows">Data rows counted (header excluded).</param>
public sealed record StructureCheckResult(bool Passed, string? Reason, long DataRows);

/// <summary>A problem with one row: the column (profile source name, or canonical field) or null for the whole row.</summary>
public sealed record RowProblem(string? Column, string Reason);

/// <summary>One data row read, validated and normalised (or not).</summary>
/// <param name="LineNumber">The 1-based physical line where the row starts.</param>
/// <param name="RawText">The row as read, for the reject and duplicate tables (at most 4,000 characters).</param>
/// <param name="RecordKey">The key field's normalised value (null when it is missing).</param>
/// <param name="Values">Canonical field to normalised value; empty fields are absent. Null when invalid.</param>
/// <param name="Hash">32 lower-case hex characters over <paramref name="Values"/>; null when invalid.</param>
public sealed record DmsRowResult(long LineNumber, string RawText, string? RecordKey,
    IReadOnlyDictionary<string, string>? Values, string? Hash, IReadOnlyList<RowProblem> Problems)
{
    public bool IsValid => Problems.Count == 0;
}

public static class StructureCheck
{
    /// <summary>
    /// Reads the whole stream once: encoding, delimiter, column count per line, line endings, required headers.
    /// Never throws for bad content (the result says why); reports progress in data rows.
    /// </summary>
    public static Task<StructureCheckResult> RunAsync(Stream content, ImportFormat format, DmsFileSpec spec,
        IProgress<long>? progress, CancellationToken cancellationToken) => throw new NotImplementedException("H1");
}

public static class DmsFileReader
{
    /// <summary>
    /// Streams the data rows of a file that passed <see cref="StructureCheck"/>: each validated against the spec and
    /// normalised (dates yyyy-MM-dd, numbers with ".", phones E.164 using <paramref name="defaultCountry"/>, VINs upper case).
    /// </summary>
    public static IAsyncEnumerable<DmsRowResult> ReadAsync(Stream content, ImportFormat format, DmsFileSpec spec,
        string defaultCountry, CancellationToken cancellationToken) => throw new NotImplementedException("H1");
}
