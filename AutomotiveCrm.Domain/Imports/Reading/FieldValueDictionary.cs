using System.Collections;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace AutomotiveCrm.Domain.Imports.Reading;

/// <summary>
/// The normalised values of one row: canonical field name to value, empty fields absent, enumerated in the order of
/// the file type's specification. Backed by an array indexed by field position (one per row, no hashing per row),
/// with the name lookup shared by every row of the file type.
/// </summary>
public sealed class FieldValueDictionary : IReadOnlyDictionary<string, string>
{
    private static readonly Dictionary<ImportFileType, FrozenDictionary<string, int>> Indexes =
        DmsFileSpecs.All.ToDictionary(s => s.FileType, s => s.Fields.Select((f, i) => (f.Name, i)).ToFrozenDictionary(x => x.Name, x => x.i, StringComparer.Ordinal));

    private readonly DmsFileSpec _spec;
    private readonly FrozenDictionary<string, int> _index;
    private readonly string?[] _values;

    /// <param name="values">One slot per field of <paramref name="spec"/>, in its order; null for an empty field.</param>
    public FieldValueDictionary(DmsFileSpec spec, string?[] values)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != spec.Fields.Count)
        {
            throw new ArgumentException($"{spec.FileType} has {spec.Fields.Count} fields, not {values.Length}.", nameof(values));
        }

        _spec = spec;
        _index = Indexes[spec.FileType];
        _values = values;
        foreach (var value in values)
        {
            if (value is not null)
            {
                Count++;
            }
        }
    }

    public int Count { get; }

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The row has no value for {key}.");

    public IEnumerable<string> Keys => this.Select(p => p.Key);

    public IEnumerable<string> Values => this.Select(p => p.Value);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        value = _index.TryGetValue(key, out var i) ? _values[i] : null;
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < _values.Length; i++)
        {
            if (_values[i] is { } value)
            {
                yield return new KeyValuePair<string, string>(_spec.Fields[i].Name, value);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
