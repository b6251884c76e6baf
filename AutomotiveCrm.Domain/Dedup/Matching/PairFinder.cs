namespace AutomotiveCrm.Domain.Dedup.Matching;

/// <summary>
/// Turns blocks into distinct candidate pairs and compares each once. Records are processed in chunks by a few
/// threads; each thread remembers, per record, which partner it already compared (a small set), so a pair that
/// shares several keys is compared once, and nothing is allocated per pair.
/// </summary>
public static class PairFinder
{
    private const int Chunk = 2048;

    /// <summary>All pairs among the indexed records.</summary>
    public static CandidatePairs FindAll(MatchStore store, BlockIndex index, int threads, CancellationToken cancellationToken = default) =>
        Concat(Visit(store, index, threads, 1, () => new StoringSink(1 << 16), cancellationToken).Select(s => s.Pairs).ToArray());

    /// <summary>
    /// The comparison patterns of the pairs that every <paramref name="sampleEvery"/>-th record takes, counted: what
    /// training needs, without keeping the pairs. Returns the counts and the number of pairs compared.
    /// </summary>
    public static (Dictionary<ulong, long> Patterns, long Pairs) SamplePatterns(MatchStore store, BlockIndex index, int threads, int sampleEvery,
        CancellationToken cancellationToken = default)
    {
        var patterns = new Dictionary<ulong, long>();
        long pairs = 0;
        foreach (var sink in Visit(store, index, threads, sampleEvery, () => new CountingSink(), cancellationToken))
        {
            pairs += sink.Pairs;
            foreach (var (pattern, count) in sink.Patterns)
            {
                patterns[pattern] = patterns.GetValueOrDefault(pattern) + count;
            }
        }

        return (patterns, pairs);
    }

    /// <summary>
    /// Compares and scores every pair, keeping only those scoring at least <paramref name="minimum"/>: a large file's
    /// tens of millions of candidate pairs are never held in memory. Returns the kept pairs and the number compared.
    /// </summary>
    public static (CandidatePairs Kept, long Pairs) FindScored(MatchStore store, BlockIndex index, MatchModel model, double minimum, int threads,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        _ = model.Weights;
        var sinks = Visit(store, index, threads, 1, () => new ScoringSink(model, minimum), cancellationToken);
        return (Concat(sinks.Select(s => s.Kept).ToArray()), sinks.Sum(s => s.Pairs));
    }

    private static TSink[] Visit<TSink>(MatchStore store, BlockIndex index, int threads, int sampleEvery, Func<TSink> create, CancellationToken cancellationToken)
        where TSink : PairSink
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(index);
        var next = index.From;
        var results = new TSink[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, t =>
        {
            var sink = create();
            var seen = new SeenSet();
            while (true)
            {
                var start = Interlocked.Add(ref next, Chunk) - Chunk;
                if (start >= index.To)
                {
                    break;
                }

                var end = Math.Min(index.To, start + Chunk);
                for (var i = start; i < end; i++)
                {
                    if (sampleEvery == 1 || i % sampleEvery == 0)
                    {
                        seen.Clear();
                        ForIndexed(store, index, i, index.Window, seen, sink);
                    }
                }

                cancellationToken.ThrowIfCancellationRequested();
            }

            results[t] = sink;
        });
        return results;
    }

    /// <summary>
    /// The partners one record has met so far (a pair sharing several keys is compared once): a small open-addressing
    /// set that stays in the processor's cache, emptied per record by moving to the next generation. (A flag per
    /// record of the whole store would cost a memory read at a random place for every block member visited.)
    /// </summary>
    private sealed class SeenSet
    {
        private int _bits = 12;
        private int[] _members = new int[1 << 12];
        private int[] _generations = new int[1 << 12];
        private int _generation;
        private int _count;

        public void Clear()
        {
            _generation++;
            _count = 0;
        }

        /// <summary>False when <paramref name="j"/> was already added since the last <see cref="Clear"/>.</summary>
        public bool Add(int j)
        {
            if (_count >= _members.Length / 2)
            {
                Grow();
            }

            var mask = _members.Length - 1;
            var slot = (int)(((uint)j * 2654435769u) >> (32 - _bits));
            while (_generations[slot] == _generation)
            {
                if (_members[slot] == j)
                {
                    return false;
                }

                slot = (slot + 1) & mask;
            }

            _generations[slot] = _generation;
            _members[slot] = j;
            _count++;
            return true;
        }

        /// <summary>Doubles the table (blocking limits set far above the defaults), keeping this record's partners.</summary>
        private void Grow()
        {
            var members = new List<int>(_count);
            for (var k = 0; k < _members.Length; k++)
            {
                if (_generations[k] == _generation)
                {
                    members.Add(_members[k]);
                }
            }

            _bits++;
            _members = new int[1 << _bits];
            _generations = new int[1 << _bits];
            _generation = 1;
            _count = 0;
            foreach (var member in members)
            {
                Add(member);
            }
        }
    }

    /// <summary>What happens to each distinct candidate pair a thread finds.</summary>
    private abstract class PairSink
    {
        public abstract void Take(MatchStore store, int i, int j);
    }

    private sealed class StoringSink(int capacity) : PairSink
    {
        public CandidatePairs Pairs { get; } = new(capacity);

        public override void Take(MatchStore store, int i, int j) => Pairs.Add(i, j, Comparisons.Compare(store, i, j));
    }

    private sealed class CountingSink : PairSink
    {
        public Dictionary<ulong, long> Patterns { get; } = [];
        public long Pairs { get; private set; }

        public override void Take(MatchStore store, int i, int j)
        {
            var pattern = Comparisons.Compare(store, i, j);
            Pairs++;
            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(Patterns, pattern, out _)++;
        }
    }

    private sealed class ScoringSink(MatchModel model, double minimum) : PairSink
    {
        public CandidatePairs Kept { get; } = new(1 << 12);
        public long Pairs { get; private set; }

        public override void Take(MatchStore store, int i, int j)
        {
            var pattern = Comparisons.Compare(store, i, j);
            Pairs++;
            var score = model.Score(store, i, j, pattern);
            if (score >= minimum)
            {
                Kept.Add(i, j, pattern, score);
            }
        }
    }

    /// <summary>
    /// Pairs of the records <paramref name="from"/>..<paramref name="to"/>-1 (not in <paramref name="index"/>) with the
    /// indexed records and with each other: the incremental run.
    /// </summary>
    public static CandidatePairs FindNew(MatchStore store, BlockIndex index, int from, int to, int threads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(index);
        // Records added after the index was built (earlier incremental runs and these) are indexed on their own,
        // so new records also meet each other and the earlier newcomers.
        var own = BlockIndex.Build(store, index.Scope, index.MaxBlock, index.To, to, threads, index.Window);
        var results = new CandidatePairs[threads];
        var next = from;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, t =>
        {
            var pairs = new StoringSink(1 << 12);
            var window = index.Window;
            var seen = new SeenSet();
            Span<ulong> keys = stackalloc ulong[BlockingKeys.MaxKeys];
            while (true)
            {
                var start = Interlocked.Add(ref next, Chunk) - Chunk;
                if (start >= to)
                {
                    break;
                }

                var end = Math.Min(to, start + Chunk);
                for (var i = start; i < end; i++)
                {
                    seen.Clear();
                    ForIndexed(store, own, i, window, seen, pairs, newFrom: from);
                    var count = BlockingKeys.Of(store, i, index.Scope, keys);
                    for (var k = 0; k < count; k++)
                    {
                        var b = index.Find(keys[k]);
                        if (b < 0)
                        {
                            continue;
                        }

                        var first = index.BlockFirst[b];
                        var size = index.BlockFirst[b + 1] - first;
                        if (size <= index.MaxBlock)
                        {
                            for (var p = first; p < first + size; p++)
                            {
                                Consider(store, index.Scope, i, index.Members[p], seen, pairs, requireGreater: false);
                            }
                        }
                        else
                        {
                            // Where this record would sit among the block's alphabetically ordered members.
                            var position = LowerBound(store.SortKey, index.Members, first, size, store.SortKey[i]);
                            var lo = Math.Max(first, position - window);
                            var hi = Math.Min(first + size - 1, position + window - 1);
                            for (var p = lo; p <= hi; p++)
                            {
                                Consider(store, index.Scope, i, index.Members[p], seen, pairs, requireGreater: false);
                            }
                        }
                    }
                }

                cancellationToken.ThrowIfCancellationRequested();
            }

            results[t] = pairs.Pairs;
        });
        return Concat(results);
    }

    private static int LowerBound(ulong[] sortKeys, int[] members, int first, int size, ulong key)
    {
        int lo = first, hi = first + size;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sortKeys[members[mid]] < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static void ForIndexed(MatchStore store, BlockIndex index, int i, int window, SeenSet seen, PairSink pairs, int newFrom = -1)
    {
        var r = i - index.From;
        for (var e = index.RecordFirst[r]; e < index.RecordFirst[r + 1]; e++)
        {
            var position = index.RecordEntries[e];
            var b = index.EntryBlock[position];
            var first = index.BlockFirst[b];
            var size = index.BlockFirst[b + 1] - first;
            if (size == 1)
            {
                continue;
            }

            if (size <= index.MaxBlock)
            {
                for (var p = first; p < first + size; p++)
                {
                    ConsiderNew(store, index.Scope, i, index.Members[p], seen, pairs, newFrom);
                }
            }
            else
            {
                var lo = Math.Max(first, position - window);
                var hi = Math.Min(first + size - 1, position + window);
                for (var p = lo; p <= hi; p++)
                {
                    ConsiderNew(store, index.Scope, i, index.Members[p], seen, pairs, newFrom);
                }
            }
        }
    }

    /// <summary>
    /// Within one index every pair is seen from both ends: the smaller index takes it. In the incremental case
    /// (<paramref name="newFrom"/> set) a partner older than the new records is always taken, since it is never
    /// visited itself.
    /// </summary>
    private static void ConsiderNew(MatchStore store, MatchScope scope, int i, int j, SeenSet seen, PairSink pairs, int newFrom) =>
        Consider(store, scope, i, j, seen, pairs, requireGreater: newFrom < 0 || j >= newFrom);

    private static void Consider(MatchStore store, MatchScope scope, int i, int j, SeenSet seen, PairSink pairs, bool requireGreater)
    {
        if (j == i || (requireGreater && j < i) || !seen.Add(j))
        {
            return;
        }

        var sameGroup = store.Rows[i].Group == store.Rows[j].Group;
        if (scope == MatchScope.WithinGroup ? !sameGroup : sameGroup)
        {
            return;
        }

        pairs.Take(store, i, j);
    }

    private static CandidatePairs Concat(CandidatePairs[] parts)
    {
        var total = parts.Sum(p => p?.Count ?? 0);
        var all = new CandidatePairs(total);
        foreach (var part in parts)
        {
            if (part is not null)
            {
                all.AddRange(part);
            }
        }

        return all;
    }
}
