namespace AutomotiveCrm.Domain.Dedup.Matching;

/// <summary>
/// The levels of recently compared value pairs of the few-valued fields (names, towns), per thread. A block of
/// namesakes compares the same two first names again and again; looking the level up in a small table that stays in
/// the processor's cache is much cheaper than repeating the string measure. Direct-mapped: a colliding pair simply
/// replaces the one before it. Token ids are only meaningful within one store, so the cache is emptied whenever
/// the thread moves on to another store.
/// </summary>
internal sealed class LevelCache
{
    public const int FirstFirst = 1;
    public const int LastLast = 2;
    public const int FirstLast = 3;
    public const int LastFirst = 4;
    public const int CityCity = 5;

    private const int Bits = 15;
    private const int Mask = (1 << Bits) - 1;
    private const int TokenBits = 28;

    [ThreadStatic]
    private static LevelCache? _current;

    // Each slot holds the pair's key (kind, then the two token ids, 28 bits each) shifted left by four, and the level in
    // the low four bits. An empty slot is 0, which no key produces (kinds start at 1).
    private readonly ulong[] _slots = new ulong[1 << Bits];

    // Token ids mean something only within their store: the cache belongs to one store at a time.
    private long _store;

    public static LevelCache ForThread(MatchStore store)
    {
        var cache = _current ??= new LevelCache();
        if (cache._store != store.Identity)
        {
            Array.Clear(cache._slots);
            cache._store = store.Identity;
        }

        return cache;
    }

    public int Get(int kind, int a, int b, out bool hit)
    {
        if ((uint)a >= 1u << TokenBits || (uint)b >= 1u << TokenBits)
        {
            hit = false;
            return 0;
        }

        var key = Key(kind, a, b);
        var slot = _slots[Slot(key)];
        hit = slot >> 4 == key;
        return (int)(slot & 0xF);
    }

    public int Set(int kind, int a, int b, int level)
    {
        if ((uint)a < 1u << TokenBits && (uint)b < 1u << TokenBits)
        {
            var key = Key(kind, a, b);
            _slots[Slot(key)] = (key << 4) | (uint)level;
        }

        return level;
    }

    private static ulong Key(int kind, int a, int b) => ((ulong)(uint)kind << (2 * TokenBits)) | ((ulong)(uint)a << TokenBits) | (uint)b;

    private static int Slot(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> (64 - Bits)) & Mask;
}
