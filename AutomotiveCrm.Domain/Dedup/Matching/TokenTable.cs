namespace AutomotiveCrm.Domain.Dedup.Matching;

/// <summary>
/// Interned values of one field: each distinct normalised value gets a small integer, so records hold ints, equality
/// is an int compare, and the count of each value (for term-frequency weights) is kept on the way. Id 0 is "no value".
/// </summary>
public sealed class TokenTable
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private string[] _values = new string[1024];
    private int[] _counts = new int[1024];

    public TokenTable()
    {
        _values[0] = "";
        Size = 1;
    }

    /// <summary>Number of ids handed out, including 0.</summary>
    public int Size { get; private set; }
    /// <summary>Number of non-empty values added (the denominator of term frequencies).</summary>
    public long Total { get; private set; }

    public int Intern(string? value, bool count = true)
    {
        if (value is null)
        {
            return 0;
        }

        if (!_ids.TryGetValue(value, out var id))
        {
            id = Size++;
            if (id == _values.Length)
            {
                Array.Resize(ref _values, _values.Length * 2);
                Array.Resize(ref _counts, _counts.Length * 2);
            }

            _values[id] = value;
            _ids.Add(value, id);
        }

        if (count)
        {
            _counts[id]++;
            Total++;
        }

        return id;
    }

    public int Find(string value) => _ids.TryGetValue(value, out var id) ? id : 0;

    public string Value(int id) => _values[id];

    public int Count(int id) => _counts[id];

    /// <summary>How often a value occurs among the non-empty values: the chance that a random record holds it.</summary>
    public double Frequency(int id) => Total == 0 ? 0 : (double)_counts[id] / Total;
}
