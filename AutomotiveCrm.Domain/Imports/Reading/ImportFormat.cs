using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using AutomotiveCrm.Domain.Common;

namespace AutomotiveCrm.Domain.Imports.Reading;

/// <summary>One column of a profile: the canonical field and where it is in the file (header name, or 1-based number).</summary>
public sealed record ColumnMapping(string Field, string Source);

/// <summary>A validated import profile, ready for reading: what the reader and the structure check need.</summary>
public sealed class ImportFormat
{
    private DateParser? _dateParser;

    public required char Delimiter { get; init; }
    public char? Quote { get; init; }
    public required Encoding Encoding { get; init; }
    public required string DateFormat { get; init; }
    public char DecimalSeparator { get; init; } = '.';
    public bool HasHeaderRow { get; init; } = true;
    public required IReadOnlyList<ColumnMapping> Columns { get; init; }

    /// <summary>The file type of the profile this format was built from (informational).</summary>
    public ImportFileType? FileType { get; init; }

    /// <summary>The profile's name, for messages (informational).</summary>
    public string? ProfileName { get; init; }

    /// <summary>The digit-group separator numbers may carry: the other one of "." and ",".</summary>
    public char ThousandsSeparator => DecimalSeparator == ',' ? '.' : ',';

    internal DateParser Dates => _dateParser ??= new DateParser(DateFormat);

    /// <summary>Builds the format of a profile; throws <see cref="Common.DomainException"/> listing every problem of an invalid profile.</summary>
    public static ImportFormat FromProfile(ImportProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var problems = ImportProfileRules.Validate(profile);
        if (problems.Count > 0)
        {
            throw new DomainException($"The import profile \"{profile.Name}\" cannot be used: {string.Join(" ", problems)}");
        }

        var encoding = ImportEncodings.Resolve(profile.Encoding, out _)!;
        return new ImportFormat
        {
            Delimiter = profile.Delimiter[0],
            Quote = string.IsNullOrEmpty(profile.Quote) ? null : profile.Quote[0],
            Encoding = encoding,
            DateFormat = profile.DateFormat,
            DecimalSeparator = profile.DecimalSeparator[0],
            HasHeaderRow = profile.HasHeaderRow,
            Columns = ImportProfileRules.ReadColumnMap(profile.ColumnMap)
                .Select(c => new ColumnMapping(c.Field.Trim(), c.Source.Trim()))
                .ToList(),
            FileType = profile.FileType,
            ProfileName = profile.Name,
        };
    }
}

/// <summary>Validation and (de)serialisation of import profiles.</summary>
public static class ImportProfileRules
{
    /// <summary>The sample date a date format must write and read back unchanged (day 23 and month 11 cannot be swapped).</summary>
    public static readonly DateOnly SampleDate = new(1987, 11, 23);

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        // Header names such as STRASSE or "Straße" stay readable in the stored JSON.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    /// <summary>Every problem of the profile, in words an administrator can act on; empty when it can be used.</summary>
    public static IReadOnlyList<string> Validate(ImportProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(profile.Name))
        {
            problems.Add("The profile needs a name.");
        }

        if (string.IsNullOrWhiteSpace(profile.DmsProvider))
        {
            problems.Add("The profile needs the DMS provider's name.");
        }

        if (!Enum.IsDefined(profile.FileType))
        {
            problems.Add($"The file type {profile.FileType} is unknown.");
            return problems;
        }

        ValidateDelimiterAndQuote(profile, problems);
        ImportEncodings.Resolve(profile.Encoding, out var encodingProblem);
        if (encodingProblem is not null)
        {
            problems.Add(encodingProblem);
        }

        var dateProblem = DateFormatProblem(profile.DateFormat);
        if (dateProblem is not null)
        {
            problems.Add(dateProblem);
        }

        if (profile.DecimalSeparator is not ("." or ","))
        {
            problems.Add($"The decimal separator must be \".\" or \",\", not \"{profile.DecimalSeparator}\".");
        }

        var patternProblem = FileNamePatternProblem(profile.FileNamePattern);
        if (patternProblem is not null)
        {
            problems.Add(patternProblem);
        }

        IReadOnlyList<ColumnMapping> columns;
        try
        {
            columns = ReadColumnMap(profile.ColumnMap);
        }
        catch (DomainException ex)
        {
            problems.Add(ex.Message);
            return problems;
        }

        ValidateColumns(profile, columns, problems);
        return problems;
    }

    private static void ValidateDelimiterAndQuote(ImportProfile profile, List<string> problems)
    {
        var delimiter = profile.Delimiter ?? "";
        var delimiterOk = delimiter.Length == 1;
        if (!delimiterOk)
        {
            problems.Add($"The delimiter must be exactly one character, not \"{Printable(delimiter)}\" ({delimiter.Length} characters).");
        }
        else if (delimiter[0] is '\r' or '\n' || char.IsLetterOrDigit(delimiter[0]))
        {
            problems.Add($"The delimiter \"{Printable(delimiter)}\" cannot separate columns: use a comma, semicolon, tab or pipe.");
        }

        if (string.IsNullOrEmpty(profile.Quote))
        {
            return;
        }

        if (profile.Quote.Length != 1)
        {
            problems.Add($"The quote must be one character (or none), not \"{Printable(profile.Quote)}\".");
        }
        else if (profile.Quote[0] is '\r' or '\n' || char.IsLetterOrDigit(profile.Quote[0]))
        {
            problems.Add($"The quote \"{Printable(profile.Quote)}\" cannot be a quote character: use \" or '.");
        }
        else if (delimiterOk && profile.Quote[0] == delimiter[0])
        {
            problems.Add($"The delimiter and the quote are both \"{Printable(delimiter)}\": they must differ.");
        }
    }

    /// <summary>Why a date format cannot be used, or null.</summary>
    public static string? DateFormatProblem(string? format)
    {
        if (string.IsNullOrWhiteSpace(format))
        {
            return "The date format is empty: use e.g. yyyy-MM-dd or dd.MM.yyyy.";
        }

        try
        {
            var written = SampleDate.ToString(format, CultureInfo.InvariantCulture);
            if (!DateOnly.TryParseExact(written, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var back) || back != SampleDate)
            {
                return $"The date format \"{format}\" cannot be read back: {SampleDate:yyyy-MM-dd} is written \"{written}\" and reads as something else. Use day, month and year, e.g. dd/MM/yyyy.";
            }
        }
        catch (FormatException)
        {
            return $"The date format \"{format}\" is not a valid .NET date format: use e.g. yyyy-MM-dd or dd.MM.yyyy.";
        }

        return null;
    }

    /// <summary>Why a file-name pattern cannot be used, or null.</summary>
    public static string? FileNamePatternProblem(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return "The file-name pattern is empty: use e.g. CUSTOMERS_*.csv.";
        }

        if (pattern.Length > 100)
        {
            return "The file-name pattern is longer than 100 characters.";
        }

        var bad = pattern.FirstOrDefault(c => c is '/' or '\\' or ':' or '"' or '<' or '>' or '|' || char.IsControl(c));
        if (bad != default)
        {
            return $"The file-name pattern \"{Printable(pattern)}\" may contain only file-name characters, * and ?: not \"{Printable(bad.ToString())}\".";
        }

        if (pattern.Trim() != pattern)
        {
            return $"The file-name pattern \"{pattern}\" starts or ends with a space.";
        }

        return null;
    }

    private static void ValidateColumns(ImportProfile profile, IReadOnlyList<ColumnMapping> columns, List<string> problems)
    {
        var spec = DmsFileSpecs.For(profile.FileType);
        var typeName = profile.FileType.ToString();
        var seenFields = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var seenSources = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in columns)
        {
            var field = column.Field.Trim();
            var source = column.Source.Trim();
            if (spec.Find(field) is null)
            {
                problems.Add($"\"{field}\" is not a field of {typeName} files (see the column specification).");
            }
            else
            {
                seenFields[field] = seenFields.GetValueOrDefault(field) + 1;
                if (seenFields[field] == 2)
                {
                    problems.Add($"The field {field} is mapped more than once.");
                }
            }

            if (source.Length == 0)
            {
                problems.Add($"The field {field} has no source column.");
                continue;
            }

            if (!profile.HasHeaderRow && !(int.TryParse(source, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0))
            {
                problems.Add($"The field {field} must name a column number (1, 2, ...) because the file has no header row, not \"{source}\".");
            }
            else if (seenSources.TryGetValue(source, out var other))
            {
                problems.Add($"The column \"{source}\" is mapped to both {other} and {field}.");
            }
            else
            {
                seenSources[source] = field;
            }
        }

        foreach (var required in spec.Fields.Where(f => f.Required && !seenFields.ContainsKey(f.Name)))
        {
            problems.Add($"The required field {required.Name} is not mapped to a column.");
        }
    }

    /// <summary>Reads the profile's JSON column map; throws <see cref="DomainException"/> when it is not one.</summary>
    public static IReadOnlyList<ColumnMapping> ReadColumnMap(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new DomainException("The column map must be a JSON array of {\"field\": ..., \"source\": ...} objects.");
            }

            var columns = new List<ColumnMapping>();
            var position = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                position++;
                if (item.ValueKind != JsonValueKind.Object
                    || !item.TryGetProperty("field", out var field) || field.ValueKind != JsonValueKind.String
                    || !item.TryGetProperty("source", out var source) || source.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
                {
                    throw new DomainException($"Entry {position} of the column map needs a \"field\" and a \"source\".");
                }

                columns.Add(new ColumnMapping(field.GetString()!, source.ValueKind == JsonValueKind.Number ? source.GetRawText() : source.GetString()!));
            }

            return columns;
        }
        catch (JsonException ex)
        {
            throw new DomainException($"The column map is not valid JSON: {ex.Message}", ex);
        }
    }

    public static string WriteColumnMap(IEnumerable<ColumnMapping> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            writer.WriteStartArray();
            foreach (var column in columns)
            {
                writer.WriteStartObject();
                writer.WriteString("field", column.Field);
                writer.WriteString("source", column.Source);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    internal static string Printable(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\t' => builder.Append("\\t"),
                '\r' => builder.Append("\\r"),
                '\n' => builder.Append("\\n"),
                _ when char.IsControl(c) => builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }
}
