using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using AutomotiveCrm.Domain.Vehicles;

namespace AutomotiveCrm.Domain.Imports.Reading;

/// <summary>
/// A mapped column found in the file: the canonical field, its 0-based index, the column as problems name it (the
/// header text, or the field for a file without header) and the label messages use (KUNDENNR (customer_id)).
/// </summary>
internal sealed record MappedColumn(DmsField Field, int Index, string Column, string Label, int SpecOrder);

/// <summary>
/// Checks and normalises the data rows of one file: every mapped field by its kind, the required fields and the rules
/// across fields. One instance per file (it caches phone numbers); not thread-safe.
/// </summary>
internal sealed class RowValidator
{
    /// <summary>The longest raw text kept for the reject and duplicate tables.</summary>
    public const int RawTextLimit = 4000;

    /// <summary>Characters no field may hold: C0 and C1 controls other than tab and line breaks, and U+FFFD (invalid bytes).</summary>
    internal static readonly SearchValues<char> Forbidden = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(c => c is not ('\t' or '\r' or '\n')).Select(c => (char)c),
         .. Enumerable.Range(0x7F, 0x21).Select(c => (char)c), InvalidByteTracker.Replacement]);

    private readonly ImportFormat _format;
    private readonly DmsFileSpec _spec;
    private readonly string _defaultCountry;
    private readonly MappedColumn[] _columns;
    private readonly int _expectedFields;
    private readonly string _expectedFrom;
    private readonly int _keyOrder;
    private readonly int _countryColumn;
    private readonly PhoneNormaliser _phones = new();
    private readonly string[] _fieldNames;
    private readonly Dictionary<string, MappedColumn> _byField;
    private readonly StringPool[] _strings;
    private char[] _hashBuffer = new char[1024];

    private RowValidator(ImportFormat format, DmsFileSpec spec, string defaultCountry, MappedColumn[] columns,
        int expectedFields, string expectedFrom)
    {
        _format = format;
        _spec = spec;
        _defaultCountry = CountryCodes.Normalise(defaultCountry) ?? "GB";
        _columns = columns;
        _expectedFields = expectedFields;
        _expectedFrom = expectedFrom;
        _fieldNames = spec.Fields.Select(f => f.Name).ToArray();
        _keyOrder = Array.FindIndex(_fieldNames, n => n == spec.KeyField);
        _countryColumn = Array.FindIndex(columns, c => c.Field.Name == "country");
        _byField = columns.ToDictionary(c => c.Field.Name, StringComparer.Ordinal);
        _strings = spec.Fields.Select(_ => new StringPool()).ToArray();
    }

    public IReadOnlyList<MappedColumn> Columns => _columns;

    /// <summary>
    /// Matches the profile's columns against the header (or column numbers); null with the reasons when a required
    /// field's column is missing or a mapped header appears twice.
    /// </summary>
    public static RowValidator? Create(ImportFormat format, DmsFileSpec spec, string defaultCountry,
        IReadOnlyList<string>? header, int firstRowFields, List<string> problems)
    {
        var columns = new List<MappedColumn>();
        var order = spec.Fields.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.OrdinalIgnoreCase);
        if (header is not null)
        {
            var positions = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < header.Count; i++)
            {
                var name = header[i].Trim();
                if (!positions.TryGetValue(name, out var list))
                {
                    positions[name] = list = [];
                }

                list.Add(i);
            }

            var missing = new List<string>();
            foreach (var mapping in format.Columns)
            {
                var field = spec.Find(mapping.Field);
                if (field is null)
                {
                    continue;
                }

                if (!positions.TryGetValue(mapping.Source, out var at))
                {
                    if (field.Required)
                    {
                        missing.Add($"{mapping.Source} ({field.Name})");
                    }

                    continue;
                }

                if (at.Count > 1)
                {
                    problems.Add($"The header has the column {mapping.Source} more than once (columns {string.Join(" and ", at.Select(a => a + 1))}): it is not clear which one holds {field.Name}.");
                    continue;
                }

                columns.Add(new MappedColumn(field, at[0], header[at[0]].Trim(), Label(mapping.Source, field), order[field.Name]));
            }

            if (missing.Count > 0)
            {
                var shown = string.Join(", ", header.Take(12).Select(h => h.Trim()));
                problems.Add($"The header has no column for the required field{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}. " +
                    $"Its columns are: {shown}{(header.Count > 12 ? ", ..." : "")}.");
            }
        }
        else
        {
            foreach (var mapping in format.Columns)
            {
                var field = spec.Find(mapping.Field);
                if (field is null || !int.TryParse(mapping.Source, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    continue;
                }

                if (number > firstRowFields)
                {
                    problems.Add($"The profile reads {field.Name} from column {number} but line 1 has only {firstRowFields} column{(firstRowFields == 1 ? "" : "s")}.");
                    continue;
                }

                columns.Add(new MappedColumn(field, number - 1, field.Name, $"column {number} ({field.Name})", order[field.Name]));
            }
        }

        if (problems.Count > 0)
        {
            return null;
        }

        var expected = header?.Count ?? firstRowFields;
        return new RowValidator(format, spec, defaultCountry, [.. columns.OrderBy(c => c.SpecOrder)], expected,
            header is null ? "line 1" : "the header");
    }

    /// <summary>The header name, with the canonical field when the name does not say it (KUNDENNR (customer_id)).</summary>
    private static string Label(string source, DmsField field) =>
        string.Equals(source.Replace(' ', '_'), field.Name, StringComparison.OrdinalIgnoreCase) ? source : $"{source} ({field.Name})";

    public DmsRowResult Validate(DelimitedRecordReader reader)
    {
        var line = reader.LineNumber;
        var raw = reader.RawText(RawTextLimit);
        switch (reader.Issue)
        {
            case RecordIssue.UnterminatedQuote:
                return Reject(line, raw, null, new RowProblem(null,
                    $"The quote opened on line {reader.QuoteOpenedOnLine} is never closed: the rest of the file was read as one value."));
            case RecordIssue.TooLong:
                return Reject(line, raw, null, new RowProblem(null,
                    $"Line {line} is longer than {reader.MaxRecordChars:N0} characters ({reader.RecordLength:N0}): a missing line break or an unclosed quote?"));
        }

        if (reader.FieldCount != _expectedFields)
        {
            return Reject(line, raw, null, new RowProblem(null,
                $"Line {line} has {reader.FieldCount} column{(reader.FieldCount == 1 ? "" : "s")} but {_expectedFrom} has {_expectedFields}{DelimiterHint(reader.FieldCount)}."));
        }

        List<RowProblem>? problems = null;
        var values = new string?[_fieldNames.Length];
        if (reader.RawRecord.ContainsAny(Forbidden))
        {
            problems = [];
            AddForbiddenCharacterProblems(reader, problems);
        }

        var country = _defaultCountry;
        if (_countryColumn >= 0)
        {
            var rowCountry = CountryCodes.Normalise(reader.Field(_columns[_countryColumn].Index).Trim());
            if (rowCountry is not null)
            {
                country = rowCountry;
            }
        }

        foreach (var column in _columns)
        {
            var text = reader.Field(column.Index).Trim();
            if (text.IsEmpty)
            {
                if (column.Field.Required)
                {
                    (problems ??= []).Add(new RowProblem(column.Column, $"{column.Label} is required."));
                }

                continue;
            }

            if (problems is not null && text.ContainsAny(Forbidden))
            {
                continue;
            }

            var reason = Normalise(column, text, country, out var value);
            if (reason is not null)
            {
                (problems ??= []).Add(new RowProblem(column.Column, reason));
            }
            else
            {
                values[column.SpecOrder] = value;
            }
        }

        CrossFieldRules(values, ref problems);
        var key = _keyOrder >= 0 ? values[_keyOrder] : null;
        if (problems is not null)
        {
            return new DmsRowResult(line, raw, key, null, null, problems);
        }

        return new DmsRowResult(line, raw, key, new FieldValueDictionary(_spec, values), Hash(values), []);
    }

    private static DmsRowResult Reject(long line, string raw, string? key, RowProblem problem) => new(line, raw, key, null, null, [problem]);

    private string DelimiterHint(int found) => found > _expectedFields
        ? $" (a value holding the delimiter \"{ImportProfileRules.Printable(_format.Delimiter.ToString())}\" must be quoted)"
        : "";

    private void AddForbiddenCharacterProblems(DelimitedRecordReader reader, List<RowProblem> problems)
    {
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var field = reader.Field(i);
            var at = field.IndexOfAny(Forbidden);
            if (at < 0)
            {
                continue;
            }

            var mapped = _columns.FirstOrDefault(c => c.Index == i);
            var label = mapped?.Label ?? $"column {i + 1}";
            var c = field[at];
            problems.Add(new RowProblem(mapped?.Column ?? label, c == InvalidByteTracker.Replacement
                ? $"{label} holds bytes that are not valid {ImportEncodings.NameOf(_format.Encoding)} (character {at + 1} of the value): is the file in another encoding?"
                : $"{label} holds the control character U+{(int)c:X4} (character {at + 1} of the value)."));
        }
    }

    private void CrossFieldRules(string?[] values, ref List<RowProblem>? problems)
    {
        switch (_spec.FileType)
        {
            case ImportFileType.Customers:
            {
                var company = Value(values, "buyer_type") == "Company";
                var needed = company ? "company_name" : "last_name";
                if (Value(values, needed) is null && !HasProblemFor(problems, needed))
                {
                    var label = _byField.TryGetValue(needed, out var column) ? column.Label : needed;
                    (problems ??= []).Add(new RowProblem(column?.Column ?? needed, company
                        ? $"{label} is required for a company (buyer type Company)."
                        : $"{label} is required for a person."));
                }

                break;
            }

            case ImportFileType.Sales or ImportFileType.ServiceHistory:
                if (Value(values, "vehicle_id") is null && Value(values, "vin") is null
                    && !HasProblemFor(problems, "vin") && !HasProblemFor(problems, "vehicle_id"))
                {
                    var vehicle = _byField.TryGetValue("vehicle_id", out var v) ? v.Label : "vehicle_id";
                    var vin = _byField.TryGetValue("vin", out var w) ? w.Label : "vin";
                    (problems ??= []).Add(new RowProblem(v?.Column ?? "vehicle_id", $"Either {vehicle} or {vin} is required to know the vehicle."));
                }

                break;
        }
    }

    private bool HasProblemFor(List<RowProblem>? problems, string field) =>
        problems is not null && _byField.TryGetValue(field, out var column) && problems.Any(p => p.Column == column.Column);

    private string? Value(string?[] values, string field)
    {
        var index = Array.IndexOf(_fieldNames, field);
        return index < 0 ? null : values[index];
    }

    private string? Normalise(MappedColumn column, ReadOnlySpan<char> text, string country, out string? value)
    {
        var field = column.Field;
        value = null;
        switch (field.Kind)
        {
            case DmsFieldKind.Text:
            case DmsFieldKind.Key:
                if (text.Length > field.MaxLength)
                {
                    return $"{column.Label} is {text.Length} characters long; at most {field.MaxLength} are allowed.";
                }

                value = _strings[column.SpecOrder].Get(text);
                return null;

            case DmsFieldKind.Date:
                if (_format.Dates.TryParse(text, out var date))
                {
                    value = DateParser.Iso(date);
                    return null;
                }

                return $"{column.Label} {Quoted(text)} is not a valid date in the format {_format.DateFormat}.";

            case DmsFieldKind.DateTime:
                if (TryDateTime(text, out var dateTime))
                {
                    value = DateParser.Iso(dateTime);
                    return null;
                }

                return $"{column.Label} {Quoted(text)} is not a valid date and time in the format {_format.DateFormat} HH:mm (or yyyy-MM-ddTHH:mm).";

            case DmsFieldKind.WholeNumber:
                if (NumberText.TryWhole(text, _format.ThousandsSeparator, out var whole))
                {
                    value = whole;
                    return null;
                }

                return $"{column.Label} {Quoted(text)} is not a whole number.";

            case DmsFieldKind.Number:
                if (NumberText.TryDecimal(text, _format.DecimalSeparator, _format.ThousandsSeparator, out var number))
                {
                    value = number;
                    return null;
                }

                return $"{column.Label} {Quoted(text)} is not a number with \"{_format.DecimalSeparator}\" as decimal separator.";

            case DmsFieldKind.Vin:
            {
                var check = Vin.Check(text.ToString());
                if (!check.IsValid)
                {
                    return $"{column.Label} {Quoted(text)} is not a VIN: {check.Error}";
                }

                value = check.Normalised;
                return null;
            }

            case DmsFieldKind.Email:
                if (text.Length <= field.MaxLength && EmailText.LooksValid(text))
                {
                    value = text.ToString();
                    return null;
                }

                return $"{column.Label} {Quoted(text)} is not a valid e-mail address.";

            case DmsFieldKind.Phone:
                value = _phones.ToE164(text, country);
                return value is null ? $"{column.Label} {Quoted(text)} is not a valid phone number for {country}." : null;

            case DmsFieldKind.Country:
                value = CountryCodes.Normalise(text);
                return value is null ? $"{column.Label} {Quoted(text)} is not an ISO 3166 country code (GB, DE ...)." : null;

            case DmsFieldKind.Choice:
                value = ChoiceSynonyms.Match(field, text);
                return value is null ? $"{column.Label} {Quoted(text)} is not one of {string.Join(", ", field.AllowedValues)}." : null;

            case DmsFieldKind.Flag:
                value = FlagText(text);
                return value is null ? $"{column.Label} {Quoted(text)} is not a yes/no value (Y/N, yes/no, true/false, 1/0)." : null;

            default:
                return $"{column.Label}: the field kind {field.Kind} is not supported.";
        }
    }

    private bool TryDateTime(ReadOnlySpan<char> text, out DateTime value)
    {
        value = default;
        var split = text.LastIndexOfAny(' ', 'T');
        if (split > 0 && _format.Dates.TryParse(text[..split].TrimEnd(), out var date)
            && TimeOnly.TryParseExact(text[(split + 1)..], ["H:mm", "HH:mm", "H:mm:ss", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            value = date.ToDateTime(time);
            return true;
        }

        return DateTime.TryParseExact(text, ["yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm"],
            CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    private static string? FlagText(ReadOnlySpan<char> text)
    {
        Span<char> lower = stackalloc char[Math.Min(text.Length, 8)];
        if (text.Length > 8)
        {
            return null;
        }

        text.ToLowerInvariant(lower);
        return lower switch
        {
            "y" or "yes" or "true" or "1" or "j" or "ja" or "x" => "true",
            "n" or "no" or "false" or "0" or "nein" => "false",
            _ => null,
        };
    }

    /// <summary>The value as shown in a message: quoted, control characters visible, at most 60 characters.</summary>
    internal static string Quoted(ReadOnlySpan<char> text)
    {
        var shown = text.Length > 60 ? string.Concat(text[..57], "...") : text.ToString();
        return "\"" + ImportProfileRules.Printable(shown) + "\"";
    }

    /// <summary>
    /// 32 lower-case hex characters: XxHash128 over "name US value RS" for each present field in specification order,
    /// as UTF-16 little-endian. Stable across runs and machines; only ever compared with hashes made here.
    /// </summary>
    private string Hash(string?[] values)
    {
        var size = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } v)
            {
                size += _fieldNames[i].Length + v.Length + 2;
            }
        }

        if (_hashBuffer.Length < size)
        {
            _hashBuffer = new char[Math.Max(size, _hashBuffer.Length * 2)];
        }

        var buffer = _hashBuffer.AsSpan();
        var w = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is not { } v)
            {
                continue;
            }

            _fieldNames[i].CopyTo(buffer[w..]);
            w += _fieldNames[i].Length;
            buffer[w++] = '\u001F';
            v.CopyTo(buffer[w..]);
            w += v.Length;
            buffer[w++] = '\u001E';
        }

        if (!BitConverter.IsLittleEndian)
        {
            for (var k = 0; k < w; k++)
            {
                buffer[k] = (char)BinaryPrimitives.ReverseEndianness(buffer[k]);
            }
        }

        Span<byte> digest = stackalloc byte[16];
        XxHash128.Hash(MemoryMarshal.AsBytes(buffer[..w]), digest);
        return Convert.ToHexStringLower(digest);
    }
}

/// <summary>Numbers as DMS files write them: an optional sign, digit groups, a decimal separator.</summary>
internal static class NumberText
{
    public static bool TryWhole(ReadOnlySpan<char> text, char thousands, out string? value)
    {
        value = null;
        Span<char> digits = stackalloc char[24];
        if (!TryDigits(text, thousands, null, digits, out var length, out _) || length == 0)
        {
            return false;
        }

        if (!long.TryParse(digits[..length], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        value = number.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    public static bool TryDecimal(ReadOnlySpan<char> text, char separator, char thousands, out string? value)
    {
        value = null;
        Span<char> digits = stackalloc char[40];
        if (!TryDigits(text, thousands, separator, digits, out var length, out _) || length == 0)
        {
            return false;
        }

        if (!decimal.TryParse(digits[..length], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        value = number.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>
    /// Copies sign, digits and "." (for the decimal separator) to <paramref name="output"/>; digit groups are accepted
    /// only as groups of three after the first (1.234.567,89), so 12,50 is never read as 1250.
    /// </summary>
    private static bool TryDigits(ReadOnlySpan<char> text, char thousands, char? separator, Span<char> output, out int length, out bool hasFraction)
    {
        length = 0;
        hasFraction = false;
        var i = 0;
        if (i < text.Length && text[i] is '-' or '+')
        {
            if (text[i] == '-')
            {
                output[length++] = '-';
            }

            i++;
        }

        var integerDigits = 0;
        var groupDigits = -1;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                if (length == output.Length)
                {
                    return false;
                }

                output[length++] = c;
                integerDigits++;
                if (groupDigits >= 0)
                {
                    groupDigits++;
                }
            }
            else if (c == thousands && integerDigits > 0 && (groupDigits < 0 ? integerDigits <= 3 : groupDigits == 3))
            {
                groupDigits = 0;
            }
            else
            {
                break;
            }
        }

        if (integerDigits == 0 || (groupDigits >= 0 && groupDigits != 3))
        {
            return false;
        }

        if (i == text.Length)
        {
            return true;
        }

        if (separator is null || text[i] != separator || i == text.Length - 1 || length + (text.Length - i) > output.Length)
        {
            return false;
        }

        output[length++] = '.';
        hasFraction = true;
        for (i++; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }

            output[length++] = text[i];
        }

        return true;
    }
}

/// <summary>A basic e-mail syntax check: one @, a local part, a dotted domain, no spaces or list separators.</summary>
internal static class EmailText
{
    private static readonly SearchValues<char> Bad = SearchValues.Create(" \t\r\n,;<>()[]\\\":");

    public static bool LooksValid(ReadOnlySpan<char> text)
    {
        var at = text.IndexOf('@');
        if (at <= 0 || at > 64 || at != text.LastIndexOf('@') || text.ContainsAny(Bad))
        {
            return false;
        }

        var domain = text[(at + 1)..];
        var dot = domain.LastIndexOf('.');
        return dot > 0 && dot < domain.Length - 2 && domain[0] != '.' && !domain.Contains("..", StringComparison.Ordinal)
            && text[0] != '.' && text[at - 1] != '.';
    }
}

/// <summary>
/// Reuses the string of a short value seen before in the same column (titles, towns, makes, work types): fewer
/// allocations and less memory held by staged batches. A column whose values are mostly distinct (names, ids) stops
/// being pooled after a trial, so it costs nothing there.
/// </summary>
internal sealed class StringPool
{
    private const int MaxLength = 32;
    private const int MaxEntries = 4096;
    private const int Trial = 4096;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private int _lookups;
    private int _hits;
    private bool _off;

    public string Get(ReadOnlySpan<char> text)
    {
        if (_off || text.Length > MaxLength)
        {
            return text.ToString();
        }

        _lookups++;
        if (_strings.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(text, out var known))
        {
            _hits++;
            return known;
        }

        if (_lookups >= Trial && _hits * 2 < _lookups)
        {
            _off = true;
            _strings.Clear();
            return text.ToString();
        }

        var made = text.ToString();
        if (_strings.Count < MaxEntries)
        {
            _strings[made] = made;
        }

        return made;
    }
}
