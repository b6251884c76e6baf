namespace AutomotiveCrm.Domain.Dedup.Matching;

/// <summary>
/// The blocks of a set of records: every distinct blocking key with its members, sorted by key, plus for each
/// record where its memberships are. Built by sorting (key, record) entries; no per-block objects. Members of an
/// oversized block are ordered alphabetically by name, so that a window of neighbours is a meaningful sample.
/// </summary>
public sealed class BlockIndex
{
    private BlockIndex(MatchScope scope, int maxBlock, int from, int to, ulong[] blockKeys, int[] blockFirst, int[] members, int[] entryBlock, int[] recordFirst, int[] recordEntries)
    {
        Scope = scope;
        MaxBlock = maxBlock;
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
    public int MaxBlock { get; }
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

    public static BlockIndex Build(MatchStore store, MatchScope scope, int maxBlock, int from = 0, int to = -1, int threads = 2)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (to < 0)
        {
            to = store.Count;
        }

        var n = to - from;
        // Keys per record, computed in parallel into fixed slots, then compacted.
        var slotKeys = new ulong[(long)n * BlockingKeys.MaxKeys];
        var slotCounts = new byte[n];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            Span<ulong> buffer = stackalloc ulong[BlockingKeys.MaxKeys];
            for (var r = t; r < n; r += threads)
            {
                var count = BlockingKeys.Of(store, from + r, scope, buffer);
                slotCounts[r] = (byte)count;
                buffer[..count].CopyTo(slotKeys.AsSpan(r * BlockingKeys.MaxKeys));
            }
        });

        long total = 0;
        for (var r = 0; r < n; r++)
        {
            total += slotCounts[r];
        }

        var keys = new ulong[total];
        var records = new int[total];
        var e = 0;
        for (var r = 0; r < n; r++)
        {
            var count = slotCounts[r];
            for (var k = 0; k < count; k++)
            {
                keys[e] = slotKeys[(r * BlockingKeys.MaxKeys) + k];
                records[e] = from + r;
                e++;
            }
        }

        slotKeys = null;
        SortByKey(keys, records, threads);

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

        return new BlockIndex(scope, maxBlock, from, to, blockKeys, blockFirst, records, entryBlock, recordFirst, recordEntries)
        {
            OversizedBlocks = oversized,
        };
    }

    /// <summary>The block holding a key, or -1.</summary>
    public int Find(ulong key)
    {
        var index = Array.BinarySearch(BlockKeys, key);
        return index >= 0 ? index : -1;
    }

    /// <summary>Sorts (key, record) entries by key: partitioned on the top bits, partitions sorted in parallel.</summary>
    private static void SortByKey(ulong[] keys, int[] records, int threads)
    {
        const int Bits = 8;
        var buckets = 1 << Bits;
        var counts = new int[buckets + 1];
        foreach (var key in keys)
        {
            counts[(int)(key >> (64 - Bits)) + 1]++;
        }

        for (var b = 0; b < buckets; b++)
        {
            counts[b + 1] += counts[b];
        }

        var sortedKeys = new ulong[keys.Length];
        var sortedRecords = new int[keys.Length];
        var next = (int[])counts.Clone();
        for (var k = 0; k < keys.Length; k++)
        {
            var bucket = (int)(keys[k] >> (64 - Bits));
            var at = next[bucket]++;
            sortedKeys[at] = keys[k];
            sortedRecords[at] = records[k];
        }

        Parallel.For(0, buckets, new ParallelOptions { MaxDegreeOfParallelism = threads }, b =>
        {
            var start = counts[b];
            var length = counts[b + 1] - start;
            if (length > 1)
            {
                sortedKeys.AsSpan(start, length).Sort(sortedRecords.AsSpan(start, length));
            }
        });

        sortedKeys.CopyTo(keys, 0);
        sortedRecords.CopyTo(records, 0);
    }
}
