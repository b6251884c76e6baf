namespace AutomotiveCrm.Domain.Dedup.Matching;

/// <summary>
/// The blocks of a set of records: every distinct blocking key with its members, sorted by key, plus for each
/// record where its memberships are. Built by sorting (key, record) entries; no per-block objects. Members of an
/// oversized block are ordered alphabetically by name, so that a window of neighbours is a meaningful sample.
/// </summary>
public sealed class BlockIndex
{
    private BlockIndex(MatchScope scope, int maxBlock, int window, int from, int to, ulong[] blockKeys, int[] blockFirst, int[] members, int[] entryBlock, int[] recordFirst, int[] recordEntries)
    {
        Scope = scope;
        MaxBlock = maxBlock;
        Window = window;
        From = from;
        To = to;
        BlockKeys = blockKeys;
        BlockFirst = blockFirst;
        Members = members;
        EntryBlock = entryBlock;
        RecordFirst = recordFirst;
        RecordEntries = recordEntries;
    }

    public MatchScope Scope { get; }
    /// <summary>Blocks up to this size pair all their members; larger ones pair each member with its sorted neighbours.</summary>
    public int MaxBlock { get; }
    /// <summary>Neighbours on each side that a member of an oversized block meets.</summary>
    public int Window { get; }
    /// <summary>The indexed records are store indexes From..To-1.</summary>
    public int From { get; }
    public int To { get; }
    public ulong[] BlockKeys { get; }
    /// <summary>Block b's members are Members[BlockFirst[b]..BlockFirst[b+1]].</summary>
    public int[] BlockFirst { get; }
    public int[] Members { get; }
    /// <summary>The block of each position in <see cref="Members"/>.</summary>
    public int[] EntryBlock { get; }
    /// <summary>Record r's member positions are RecordEntries[RecordFirst[r-From]..RecordFirst[r-From+1]].</summary>
    public int[] RecordFirst { get; }
    public int[] RecordEntries { get; }
    public int BlockCount => BlockKeys.Length;
    public int OversizedBlocks { get; private set; }

    /// <summary>
    /// Builds the blocks of records <paramref name="from"/>..<paramref name="to"/>-1. With a
    /// <paramref name="pairsPerRecord"/> budget, the cap on all-pairs blocks and then the window are lowered until the
    /// pairs the blocks would produce fit the budget: the common values of a large file (a first name's sound with an
    /// initial, a year of birth with a surname's sound) make blocks that are small in a file of a thousand records but
    /// hold dozens of namesakes in one of a million, and it is those that would multiply the work. Small files keep
    /// the given limits.
    /// </summary>
    public static BlockIndex Build(MatchStore store, MatchScope scope, int maxBlock, int from = 0, int to = -1, int threads = 2, int window = 4,
        double pairsPerRecord = 0)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (to < 0)
        {
            to = store.Count;
        }

        var n = to - from;
        var (keys, records) = SortedEntries(store, scope, from, n, threads);

        // Runs of equal keys are the blocks.
        var blockCount = 0;
        for (var k = 0; k < keys.Length; k++)
        {
            if (k == 0 || keys[k] != keys[k - 1])
            {
                blockCount++;
            }
        }

        var blockKeys = new ulong[blockCount];
        var blockFirst = new int[blockCount + 1];
        var entryBlock = new int[keys.Length];
        var b = -1;
        for (var k = 0; k < keys.Length; k++)
        {
            if (k == 0 || keys[k] != keys[k - 1])
            {
                b++;
                blockKeys[b] = keys[k];
                blockFirst[b] = k;
            }

            entryBlock[k] = b;
        }

        blockFirst[blockCount] = keys.Length;
        if (pairsPerRecord > 0)
        {
            (maxBlock, window) = FitBudget(blockFirst, maxBlock, window, pairsPerRecord * n);
        }

        var oversized = 0;
        var sortKeys = store.SortKey;
        for (b = 0; b < blockCount; b++)
        {
            var size = blockFirst[b + 1] - blockFirst[b];
            if (size > maxBlock)
            {
                oversized++;
                var span = records.AsSpan(blockFirst[b], size);
                var order = new ulong[size];
                for (var k = 0; k < size; k++)
                {
                    order[k] = sortKeys[span[k]];
                }

                order.AsSpan().Sort(span);
            }
        }

        // Per record: the positions of its memberships.
        var recordFirst = new int[n + 1];
        foreach (var r in records)
        {
            recordFirst[r - from + 1]++;
        }

        for (var r = 0; r < n; r++)
        {
            recordFirst[r + 1] += recordFirst[r];
        }

        var fill = new int[n];
        var recordEntries = new int[records.Length];
        for (var k = 0; k < records.Length; k++)
        {
            var r = records[k] - from;
            recordEntries[recordFirst[r] + fill[r]++] = k;
        }

        return new BlockIndex(scope, maxBlock, window, from, to, blockKeys, blockFirst, records, entryBlock, recordFirst, recordEntries)
        {
            OversizedBlocks = oversized,
        };
    }

    /// <summary>
    /// The largest cap (then window) whose pair count, estimated from the block sizes, stays within the budget. The
    /// estimate counts a pair once per shared key, so the distinct pairs compared come out below it.
    /// </summary>
    internal static (int MaxBlock, int Window) FitBudget(int[] blockFirst, int maxBlock, int window, double budget)
    {
        // Sizes up to the cap are counted in a histogram; larger blocks only contribute their size times the window.
        var small = new long[maxBlock + 1];
        long large = 0;
        for (var b = 0; b + 1 < blockFirst.Length; b++)
        {
            var size = blockFirst[b + 1] - blockFirst[b];
            if (size <= maxBlock)
            {
                small[size]++;
            }
            else
            {
                large += size;
            }
        }

        double Estimate(int cap, int w)
        {
            double pairs = large * (double)w;
            for (var s = 2; s <= maxBlock; s++)
            {
                pairs += s <= cap ? small[s] * (s * (double)(s - 1) / 2) : small[s] * (double)s * w;
            }

            return pairs;
        }

        var cap = maxBlock;
        while (cap > 2 * window && Estimate(cap, window) > budget)
        {
            cap--;
        }

        while (window > 1 && Estimate(cap, window) > budget)
        {
            window--;
            while (cap > 2 * window && Estimate(cap - 1, window) > budget)
            {
                cap--;
            }
        }

        return (cap, window);
    }

    /// <summary>The block holding a key, or -1.</summary>
    public int Find(ulong key)
    {
        var index = Array.BinarySearch(BlockKeys, key);
        return index >= 0 ? index : -1;
    }

    /// <summary>
    /// Every (key, record) entry sorted by key. The keys are computed twice, once to count the entries per range of
    /// key values and once to put each straight into its range, which is then sorted on its own (in parallel): no
    /// per-record slots and no second copy of the entries, which at a million records are hundreds of megabytes.
    /// </summary>
    private static (ulong[] Keys, int[] Records) SortedEntries(MatchStore store, MatchScope scope, int from, int n, int threads)
    {
        const int Bits = 8;
        const int Buckets = 1 << Bits;
        var counts = new int[threads][];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var mine = new int[Buckets];
            Span<ulong> buffer = stackalloc ulong[BlockingKeys.MaxKeys];
            for (var r = t; r < n; r += threads)
            {
                var count = BlockingKeys.Of(store, from + r, scope, buffer);
                for (var k = 0; k < count; k++)
                {
                    mine[(int)(buffer[k] >> (64 - Bits))]++;
                }
            }

            counts[t] = mine;
        });

        // Bucket b holds threads 0..threads-1's entries in turn; each thread fills its own stretch.
        var bucketStart = new int[Buckets + 1];
        var next = new int[threads][];
        for (var t = 0; t < threads; t++)
        {
            next[t] = new int[Buckets];
        }

        var position = 0;
        for (var b = 0; b < Buckets; b++)
        {
            bucketStart[b] = position;
            for (var t = 0; t < threads; t++)
            {
                next[t][b] = position;
                position += counts[t][b];
            }
        }

        bucketStart[Buckets] = position;
        var keys = new ulong[position];
        var records = new int[position];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var at = next[t];
            Span<ulong> buffer = stackalloc ulong[BlockingKeys.MaxKeys];
            for (var r = t; r < n; r += threads)
            {
                var count = BlockingKeys.Of(store, from + r, scope, buffer);
                for (var k = 0; k < count; k++)
                {
                    var slot = at[(int)(buffer[k] >> (64 - Bits))]++;
                    keys[slot] = buffer[k];
                    records[slot] = from + r;
                }
            }
        });

        Parallel.For(0, Buckets, new ParallelOptions { MaxDegreeOfParallelism = threads }, b =>
        {
            var start = bucketStart[b];
            var length = bucketStart[b + 1] - start;
            if (length > 1)
            {
                keys.AsSpan(start, length).Sort(records.AsSpan(start, length));
            }
        });

        return (keys, records);
    }
}
