namespace AutomotiveCrm.Domain.DemoData;

/// <summary>
/// The demo data's random source: xoshiro256** seeded through SplitMix64. It is written out here rather than taken
/// from <see cref="Random"/> so that a seed names the same data on every runtime version forever, and because a
/// generator per block of customers must be cheap to create (blocks are generated independently, so the data does
/// not depend on batch size or on how many threads generate).
/// </summary>
internal struct DemoRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public DemoRandom(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    /// <summary>An independent stream for one part of the data (a block of customers) under one seed.</summary>
    public static DemoRandom For(int seed, int stream, int purpose = 0) =>
        new(Mix(((ulong)(uint)seed << 32) ^ (uint)stream ^ ((ulong)(uint)purpose << 48) ^ 0x5DEECE66DUL));

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>0 &lt;= value &lt; <paramref name="maxExclusive"/> (multiply-shift: the bias is far below anything a demo notices).</summary>
    public int Next(int maxExclusive) => (int)(((NextUInt64() >> 32) * (ulong)(uint)maxExclusive) >> 32);

    public int Next(int minInclusive, int maxExclusive) => minInclusive + Next(maxExclusive - minInclusive);

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(T[] items) => items[Next(items.Length)];

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Index into cumulative weights (ascending, last = total).</summary>
    public int PickWeighted(int[] cumulativeWeights)
    {
        var roll = Next(cumulativeWeights[^1]);
        var i = 0;
        while (roll >= cumulativeWeights[i])
        {
            i++;
        }

        return i;
    }

    private static ulong SplitMix(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>
/// Injective maps from a sequence number into a range of identifiers (e-mail tags, VIN serials): x -> (x * a) mod m
/// is one-to-one on [0, m) when a and m are coprime, so distinct customers and vehicles get distinct numbers
/// without any bookkeeping, and the numbers do not look sequential.
/// </summary>
internal static class Scramble
{
    // Prime, so coprime with every modulus used here (powers of ten and multiples of them).
    private const ulong Multiplier = 2_654_435_761;

    public static ulong Into(ulong value, ulong modulus) => (ulong)((UInt128)(value % modulus) * Multiplier % modulus);
}
