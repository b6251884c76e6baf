namespace AutomotiveCrm.Domain.Dedup.Matching;

/// <summary>Candidate pairs as parallel arrays (store indexes, comparison pattern, score): no object per pair.</summary>
public sealed class CandidatePairs
{
    private int[] _left;
    private int[] _right;
    private ulong[] _pattern;
    private double[] _score;

    public CandidatePairs(int capacity = 1024)
    {
        capacity = Math.Max(16, capacity);
        _left = new int[capacity];
        _right = new int[capacity];
        _pattern = new ulong[capacity];
        _score = new double[capacity];
    }

    public int Count { get; private set; }
    public Span<int> Left => _left.AsSpan(0, Count);
    public Span<int> Right => _right.AsSpan(0, Count);
    public Span<ulong> Pattern => _pattern.AsSpan(0, Count);
    public Span<double> Score => _score.AsSpan(0, Count);
    internal int[] LeftArray => _left;
    internal int[] RightArray => _right;
    internal ulong[] PatternArray => _pattern;
    internal double[] ScoreArray => _score;

    public void Add(int left, int right, ulong pattern)
    {
        if (Count == _left.Length)
        {
            var size = _left.Length * 2;
            Array.Resize(ref _left, size);
            Array.Resize(ref _right, size);
            Array.Resize(ref _pattern, size);
            Array.Resize(ref _score, size);
        }

        // Pairs are kept as (smaller, larger) index.
        if (left > right)
        {
            (left, right) = (right, left);
        }

        _left[Count] = left;
        _right[Count] = right;
        _pattern[Count] = pattern;
        Count++;
    }

    /// <summary>Adds a pair with its score.</summary>
    public void Add(int left, int right, ulong pattern, double score)
    {
        Add(left, right, pattern);
        _score[Count - 1] = score;
    }

    public void AddRange(CandidatePairs other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var k = 0; k < other.Count; k++)
        {
            Add(other._left[k], other._right[k], other._pattern[k], other._score[k]);
        }
    }

    /// <summary>Keeps only the pairs whose score is at least <paramref name="minimum"/>.</summary>
    public void KeepScoresFrom(double minimum)
    {
        var kept = 0;
        for (var k = 0; k < Count; k++)
        {
            if (_score[k] >= minimum)
            {
                _left[kept] = _left[k];
                _right[kept] = _right[k];
                _pattern[kept] = _pattern[k];
                _score[kept] = _score[k];
                kept++;
            }
        }

        Count = kept;
    }
}
