using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AutomotiveCrm.Domain.Imports.Merging;

/// <summary>A staged row the merge cannot take: the canonical field it is about (or null) and why, in words.</summary>
internal sealed class RowRejectedException : Exception
{
    public RowRejectedException()
    {
    }

    public RowRejectedException(string message)
        : base(message)
    {
    }

    public RowRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RowRejectedException(string? column, string reason)
        : base(reason)
    {
        Column = column;
    }

    public string? Column { get; }
}

/// <summary>
/// The canonical fields of one file type by position: payloads are parsed into an array in spec order, so merge
/// code reads a field by a precomputed index instead of a dictionary look-up per value.
/// </summary>
internal sealed class FieldLayout
{
    private static readonly ConcurrentDictionary<ImportFileType, FieldLayout> Layouts = new();
    private readonly Dictionary<string, int> _byName;

    private FieldLayout(DmsFileSpec spec)
    {
        Spec = spec;
        Names = spec.Fields.Select(f => f.Name).ToArray();
        Utf8Names = Names.Select(Encoding.UTF8.GetBytes).ToArray();
        _byName = Names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
    }

    public DmsFileSpec Spec { get; }
    public string[] Names { get; }
    public byte[][] Utf8Names { get; }
    public int Count => Names.Length;

    public static FieldLayout For(ImportFileType type) => Layouts.GetOrAdd(type, t => new FieldLayout(DmsFileSpecs.For(t)));

    /// <summary>The position of a field the merge code names; an unknown name is a programming error.</summary>
    public int IndexOf(string name) => _byName.TryGetValue(name, out var index)
        ? index
        : throw new InvalidOperationException($"{Spec.FileType} has no canonical field '{name}'.");

    public int Find(string name) => _byName.TryGetValue(name, out var index) ? index : -1;
}

/// <summary>
/// Reads staged payloads (a JSON object of canonical field to normalised text) into field arrays. One parser per
/// merge call: it reuses its UTF-8 buffer. Fields usually arrive in spec order, so each name is first compared with
/// the field after the previous one.
/// </summary>
internal sealed class PayloadParser
{
    private byte[] _buffer = new byte[4096];

    public string?[] Parse(string payload, FieldLayout layout)
    {
        var values = new string?[layout.Count];
        var max = Encoding.UTF8.GetMaxByteCount(payload.Length);
        if (max > _buffer.Length)
        {
            _buffer = new byte[Math.Max(max, _buffer.Length * 2)];
        }

        var length = Encoding.UTF8.GetBytes(payload, _buffer);
        try
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(0, length));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new RowRejectedException(null, "The staged row is not a JSON object (a fault of the import, not of the file).");
            }

            var next = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var index = FindField(ref reader, layout, next);
                reader.Read();
                var value = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                    JsonTokenType.True => "true",
                    JsonTokenType.False => "false",
                    JsonTokenType.Null => null,
                    _ => throw new RowRejectedException(index >= 0 ? layout.Names[index] : null, "The staged value is not text (a fault of the import, not of the file)."),
                };
                if (index >= 0)
                {
                    values[index] = string.IsNullOrEmpty(value) ? null : value;
                    next = index + 1;
                }
            }
        }
        catch (JsonException e)
        {
            throw new RowRejectedException(null, $"The staged row is not valid JSON: {e.Message}");
        }

        return values;
    }

    private static int FindField(ref Utf8JsonReader reader, FieldLayout layout, int hint)
    {
        var names = layout.Utf8Names;
        if (hint < names.Length && reader.ValueTextEquals(names[hint]))
        {
            return hint;
        }

        for (var i = 0; i < names.Length; i++)
        {
            if (i != hint && reader.ValueTextEquals(names[i]))
            {
                return i;
            }
        }

        return -1; // A field the spec does not know (a newer reader): ignored.
    }
}

/// <summary>
/// One staged row with its fields parsed. The typed readers throw <see cref="RowRejectedException"/> naming the
/// field when a value is not in the staged (normalised) form.
/// </summary>
internal sealed class StagedRow(ImportStagingRow source, FieldLayout layout, string?[] values)
{
    public ImportStagingRow Source { get; } = source;
    public FieldLayout Layout { get; } = layout;
    public long LineNumber => Source.LineNumber;
    public string Key => Source.RecordKey;
    public string Hash => Source.RowHash;

    public bool Has(int field) => values[field] is not null;

    public string? Text(int field) => values[field];

    /// <summary>The text, checked against the length the target column holds.</summary>
    public string? Text(int field, int maxLength)
    {
        var value = values[field];
        if (value is not null && value.Length > maxLength)
        {
            throw Reject(field, $"at most {maxLength} characters are kept; this value has {value.Length}.");
        }

        return value;
    }

    public DateOnly? Date(int field)
    {
        var value = values[field];
        if (value is null)
        {
            return null;
        }

        return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw Reject(field, $"'{value}' is not a date (yyyy-MM-dd).");
    }

    public DateTime? DateTime(int field)
    {
        var value = values[field];
        if (value is null)
        {
            return null;
        }

        string[] formats = ["yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm", "yyyy-MM-dd"];
        return System.DateTime.TryParseExact(value, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? at
            : throw Reject(field, $"'{value}' is not a date and time (yyyy-MM-ddTHH:mm:ss).");
    }

    public int? Int(int field)
    {
        var value = values[field];
        if (value is null)
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw Reject(field, $"'{value}' is not a whole number.");
    }

    public decimal? Number(int field)
    {
        var value = values[field];
        if (value is null)
        {
            return null;
        }

        return decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw Reject(field, $"'{value}' is not a number.");
    }

    public TEnum? Choice<TEnum>(int field)
        where TEnum : struct, Enum
    {
        var value = values[field];
        if (value is null)
        {
            return null;
        }

        return Enum.TryParse<TEnum>(value, ignoreCase: true, out var choice) && Enum.IsDefined(choice) && !char.IsAsciiDigit(value[0])
            ? choice
            : throw Reject(field, $"'{value}' is not one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
    }

    public bool? Flag(int field)
    {
        var value = values[field];
        return value switch
        {
            null => null,
            "true" => true,
            "false" => false,
            _ => throw Reject(field, $"'{value}' is not true or false."),
        };
    }

    public RowRejectedException Reject(int field, string reason) => new(Layout.Names[field], $"{Layout.Names[field]}: {reason}");
}
