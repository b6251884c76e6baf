using System.Buffers;
using System.Runtime.CompilerServices;
using AutomotiveCrm.Domain.Common;

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
    /// <summary>Progress is reported every this many data rows (and once at the end).</summary>
    public const int ProgressInterval = 10_000;

    private static readonly SearchValues<char> Controls = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(c => c is not ('\t' or '\r' or '\n')).Select(c => (char)c), '\u007F']);

    private static readonly char[] CommonDelimiters = [',', ';', '\t', '|'];

    /// <summary>
    /// Reads the whole stream once: encoding, delimiter, column count per line, line endings, required headers.
    /// Never throws for bad content (the result says why); reports progress in data rows.
    /// </summary>
    public static async Task<StructureCheckResult> RunAsync(Stream content, ImportFormat format, DmsFileSpec spec,
        IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(spec);
        using var reader = new DelimitedRecordReader(content, format.Delimiter, format.Quote, format.Encoding);
        var hasFirst = await reader.ReadAsync(cancellationToken);
        var bom = ByteOrderMarkProblem(reader, format);
        if (bom is not null)
        {
            return Fail(bom, 0);
        }

        if (!hasFirst)
        {
            return Fail(reader.BytesRead == 0 ? "The file is empty." : "The file is empty: it holds only blank lines.", 0);
        }

        var problem = RecordProblem(reader, format, null);
        if (problem is not null)
        {
            return Fail(problem, 0);
        }

        var expectedColumns = format.HasHeaderRow
            ? format.Columns.Count
            : format.Columns.Select(c => int.TryParse(c.Source, out var n) ? n : 0).DefaultIfEmpty(0).Max();
        if (reader.FieldCount == 1 && expectedColumns > 1)
        {
            return Fail(WrongDelimiter(reader, format, expectedColumns), 0);
        }

        var headerProblems = new List<string>();
        var header = format.HasHeaderRow ? Fields(reader) : null;
        var validator = RowValidator.Create(format, spec, "GB", header, reader.FieldCount, headerProblems);
        if (validator is null)
        {
            return Fail(string.Join(" ", headerProblems), 0);
        }

        var columns = reader.FieldCount;
        var columnsFrom = format.HasHeaderRow ? "the header" : $"line {reader.LineNumber}";
        var ending = reader.Ending;
        var endingLine = reader.NextLineNumber - 1;
        long rows = format.HasHeaderRow ? 0 : 1;
        while (await reader.ReadAsync(cancellationToken))
        {
            problem = RecordProblem(reader, format, validator);
            if (problem is not null)
            {
                return Fail(problem, rows);
            }

            if (reader.Ending != LineEnding.EndOfFile)
            {
                if (ending == LineEnding.EndOfFile)
                {
                    ending = reader.Ending;
                    endingLine = reader.NextLineNumber - 1;
                }
                else if (reader.Ending != ending)
                {
                    return Fail($"Line {reader.NextLineNumber - 1} ends with {Name(reader.Ending)} but earlier lines end with {Name(ending)} " +
                        $"(line {endingLine}): the file has mixed line endings.", rows);
                }
            }

            if (reader.FieldCount != columns)
            {
                var hint = reader.FieldCount > columns
                    ? $" (a value holding the delimiter \"{ImportProfileRules.Printable(format.Delimiter.ToString())}\" must be quoted)"
                    : "";
                return Fail($"Line {reader.LineNumber} has {reader.FieldCount} column{(reader.FieldCount == 1 ? "" : "s")} " +
                    $"but {columnsFrom} has {columns}{hint}.", rows);
            }

            rows++;
            if (rows % ProgressInterval == 0)
            {
                progress?.Report(rows);
            }
        }

        progress?.Report(rows);
        if (rows == 0)
        {
            return Fail("The file has a header row but no data rows.", 0);
        }

        return new StructureCheckResult(true, null, rows);
    }

    private static StructureCheckResult Fail(string reason, long rows) => new(false, reason, rows);

    private static string Name(LineEnding ending) => ending switch
    {
        LineEnding.CrLf => "CRLF",
        LineEnding.Lf => "LF",
        LineEnding.Cr => "CR",
        _ => "the end of the file",
    };

    internal static string? ByteOrderMarkProblem(DelimitedRecordReader reader, ImportFormat format)
    {
        var declared = ImportEncodings.NameOf(format.Encoding);
        return reader.ByteOrderMark switch
        {
            ByteOrderMark.Utf16LittleEndian or ByteOrderMark.Utf16BigEndian =>
                $"The file is UTF-16 (it starts with a UTF-16 byte order mark) but the profile expects {declared}: ask the DMS provider for {declared}.",
            ByteOrderMark.Utf8 when !ImportEncodings.IsUtf8(format.Encoding) =>
                $"The file starts with a UTF-8 byte order mark, so it is UTF-8, but the profile says {declared}: change the profile's encoding to utf-8 or ask the DMS provider for {declared}.",
            _ => null,
        };
    }

    /// <summary>Whatever makes this record unreadable as a whole (quotes, length, binary content, encoding).</summary>
    private static string? RecordProblem(DelimitedRecordReader reader, ImportFormat format, RowValidator? validator)
    {
        var line = reader.LineNumber;
        switch (reader.Issue)
        {
            case RecordIssue.UnterminatedQuote:
                return $"The quote opened on line {reader.QuoteOpenedOnLine} is never closed: the rest of the file would be one value.";
            case RecordIssue.TooLong:
                return $"Line {line} is longer than {reader.MaxRecordChars:N0} characters: a missing line break or an unclosed quote?";
        }

        var raw = reader.RawRecord;
        var at = raw.IndexOfAny(Controls);
        if (at >= 0 && (raw.Contains('\0') || Count(raw[at..]) >= 3))
        {
            return $"The file has binary content at line {line}{Where(reader, validator, raw[at])} ({Describe(raw[at])}): it is not a text file, or it is damaged.";
        }

        if (raw.Contains(InvalidByteTracker.Replacement))
        {
            var bytes = reader.InvalidBytes.LastBytes is { } b ? $" ({b})" : "";
            var declared = ImportEncodings.NameOf(format.Encoding);
            var hint = ImportEncodings.IsUtf8(format.Encoding) ? " The file is probably windows-1252 (ANSI): change the profile's encoding or ask for UTF-8." : "";
            return reader.InvalidBytes.Count > 0
                ? $"Line {line}{Where(reader, validator, InvalidByteTracker.Replacement)} holds bytes that are not valid {declared}{bytes}.{hint}"
                : $"Line {line}{Where(reader, validator, InvalidByteTracker.Replacement)} holds the replacement character U+FFFD: the text was damaged by an earlier conversion.";
        }

        return null;
    }

    private static int Count(ReadOnlySpan<char> text)
    {
        var count = 0;
        int at;
        while ((at = text.IndexOfAny(Controls)) >= 0)
        {
            count++;
            text = text[(at + 1)..];
        }

        return count;
    }

    private static string Describe(char c) => c == '\0' ? "a NUL byte" : $"control character U+{(int)c:X4}";

    /// <summary>", column KUNDENNR" for the first field holding <paramref name="c"/>.</summary>
    private static string Where(DelimitedRecordReader reader, RowValidator? validator, char c)
    {
        for (var i = 0; i < reader.FieldCount; i++)
        {
            if (reader.Field(i).Contains(c))
            {
                var label = validator?.Columns.FirstOrDefault(m => m.Index == i)?.Label;
                return label is null ? $", column {i + 1}" : $", column {i + 1} ({label})";
            }
        }

        return "";
    }

    private static string WrongDelimiter(DelimitedRecordReader reader, ImportFormat format, int expected)
    {
        var raw = reader.RawRecord;
        var what = format.HasHeaderRow ? "The header" : $"Line {reader.LineNumber}";
        var declared = ImportProfileRules.Printable(format.Delimiter.ToString());
        var best = (Delimiter: ',', Count: 0);
        foreach (var candidate in CommonDelimiters)
        {
            var count = raw.Count(candidate);
            if (candidate != format.Delimiter && count > best.Count)
            {
                best = (candidate, count);
            }
        }

        return best.Count > 0
            ? $"{what} is one column but the profile expects at least {expected} columns separated by \"{declared}\": the file seems to use \"{ImportProfileRules.Printable(best.Delimiter.ToString())}\" as its delimiter ({best.Count + 1} columns)."
            : $"{what} is one column but the profile expects at least {expected} columns separated by \"{declared}\": the file uses no common delimiter.";
    }

    internal static List<string> Fields(DelimitedRecordReader reader)
    {
        var fields = new List<string>(reader.FieldCount);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            fields.Add(reader.Field(i).Trim().ToString());
        }

        return fields;
    }
}

public static class DmsFileReader
{
    /// <summary>
    /// Streams the data rows of a file that passed <see cref="StructureCheck"/>: each validated against the spec and
    /// normalised (dates yyyy-MM-dd, numbers with ".", phones E.164 using <paramref name="defaultCountry"/>, VINs upper case).
    /// </summary>
    /// <remarks>
    /// Problems of a single row (a value, the column count, an over-long line, invalid bytes) come back as that row's
    /// problems; problems of the whole file (a byte order mark contradicting the encoding, required header columns missing) throw
    /// <see cref="DomainException"/>, as the structure check would have refused the file.
    /// </remarks>
    public static async IAsyncEnumerable<DmsRowResult> ReadAsync(Stream content, ImportFormat format, DmsFileSpec spec,
        string defaultCountry, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(spec);
        using var reader = new DelimitedRecordReader(content, format.Delimiter, format.Quote, format.Encoding);
        if (!await reader.ReadAsync(cancellationToken))
        {
            yield break;
        }

        if (StructureCheck.ByteOrderMarkProblem(reader, format) is { } encodingProblem)
        {
            throw new DomainException(encodingProblem);
        }

        var problems = new List<string>();
        var header = format.HasHeaderRow ? StructureCheck.Fields(reader) : null;
        var validator = RowValidator.Create(format, spec, defaultCountry, header, reader.FieldCount, problems)
            ?? throw new DomainException(string.Join(" ", problems));
        if (!format.HasHeaderRow)
        {
            yield return validator.Validate(reader);
        }

        while (await reader.ReadAsync(cancellationToken))
        {
            yield return validator.Validate(reader);
        }
    }
}
