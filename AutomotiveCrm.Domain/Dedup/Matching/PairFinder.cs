namespace AutomotiveCrm.Domain.Dedup.Matching;

/// <summary>
/// Turns blocks into distinct candidate pairs and compares each once. Records are processed in chunks by a few
/// threads; each thread remembers, per record, which partner it already compared (a stamp array), so a pair that
/// shares several keys is compared once, and nothing is allocated per pair.
/// </summary>
public static class PairFinder
{
    private const int Chunk = 2048;

    /// <summary>All pairs among the indexed records.</summary>
    public static CandidatePairs FindAll(MatchStore store, BlockIndex index, int window, int threads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(index);
        var next = index.From;
        var results = new CandidatePairs[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, t =>
        {
            var pairs = new CandidatePairs(1 << 16);
            var stamp = new int[store.Count];
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
                    ForIndexed(store, index, i, window, stamp, pairs);
                }

                cancellationToken.ThrowIfCancellationRequested();
            }

            results[t] = pairs;
        });
        return Concat(results);
    }

    /// <summary>
    /// Pairs of the records <paramref name="from"/>..<paramref name="to"/>-1 (not in <paramref name="index"/>) with the
    /// indexed records and with each other: the incremental run.
    /// </summary>
    public static CandidatePairs FindNew(MatchStore store, BlockIndex index, int from, int to, int window, int threads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(index);
        // Records added after the index was built (earlier incremental runs and these) are indexed on their own,
        // so new records also meet each other and the earlier newcomers.
        var own = BlockIndex.Build(store, index.Scope, index.MaxBlock, index.To, to, threads);
        var results = new CandidatePairs[threads];
        var next = from;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, t =>
        {
            var pairs = new CandidatePairs(1 << 12);
            var stamp = new int[store.Count];
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
                    ForIndexed(store, own, i, window, stamp, pairs, newFrom: from);
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
                                Consider(store, index.Scope, i, index.Members[p], stamp, pairs, requireGreater: false);
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
                                Consider(store, index.Scope, i, index.Members[p], stamp, pairs, requireGreater: false);
                            }
                        }
                    }
                }

                cancellationToken.ThrowIfCancellationRequested();
            }

            results[t] = pairs;
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

    private static void ForIndexed(MatchStore store, BlockIndex index, int i, int window, int[] stamp, CandidatePairs pairs, int newFrom = -1)
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
                    ConsiderNew(store, index.Scope, i, index.Members[p], stamp, pairs, newFrom);
                }
            }
            else
            {
                var lo = Math.Max(first, position - window);
                var hi = Math.Min(first + size - 1, position + window);
                for (var p = lo; p <= hi; p++)
                {
                    ConsiderNew(store, index.Scope, i, index.Members[p], stamp, pairs, newFrom);
                }
            }
        }
    }

    /// <summary>
    /// Within one index every pair is seen from both ends: the smaller index takes it. In the incremental case
    /// (<paramref name="newFrom"/> set) a partner older than the new records is always taken, since it is never
    /// visited itself.
    /// </summary>
    private static void ConsiderNew(MatchStore store, MatchScope scope, int i, int j, int[] stamp, CandidatePairs pairs, int newFrom) =>
        Consider(store, scope, i, j, stamp, pairs, requireGreater: newFrom < 0 || j >= newFrom);

    private static void Consider(MatchStore store, MatchScope scope, int i, int j, int[] stamp, CandidatePairs pairs, bool requireGreater)
    {
        if (j == i || (requireGreater && j < i) || stamp[j] == i + 1)
        {
            return;
        }

        stamp[j] = i + 1;
        var sameGroup = store.Groups[i] == store.Groups[j];
        if (scope == MatchScope.WithinGroup ? !sameGroup : sameGroup)
        {
            return;
        }

        pairs.Add(i, j, Comparisons.Compare(store, i, j));
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
