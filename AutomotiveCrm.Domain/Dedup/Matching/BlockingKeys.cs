namespace AutomotiveCrm.Domain.Dedup.Matching;

/// <summary>
/// The blocking keys of a record: a union of cheap keys, each a 64-bit hash of a key kind and one or two int-coded
/// values (and the group, for retail matching, so that blocks never span groups). Two records become a candidate
/// pair when they share any key. Measured on the development files, no single key keeps more than 90% of the true
/// pairs; together they keep over 99%.
/// </summary>
public static class BlockingKeys
{
    public const int MaxKeys = 24;

    /// <summary>Writes the keys of record <paramref name="i"/> into <paramref name="keys"/>; returns how many.</summary>
    public static int Of(MatchStore s, int i, MatchScope scope, Span<ulong> keys)
    {
        var group = scope == MatchScope.WithinGroup ? (ulong)s.Groups[i] : 0UL;
        var n = 0;
        var first = s.First[i];
        var last = s.Last[i];
        var firstInitial = first == 0 ? 0 : s.FirstNames.Value(first)[0];
        var lastInitial = last == 0 ? 0 : s.LastNames.Value(last)[0];
        var dob = s.Dob[i];

        Add(keys, ref n, 1, s.Email[i], 0, group);
        Add(keys, ref n, 1, s.Email2[i], 0, group);
        Add(keys, ref n, 2, s.EmailUser[i], 0, group);
        Add(keys, ref n, 3, s.Phone[i], 0, group);
        Add(keys, ref n, 3, s.Phone2[i], 0, group);
        if (dob != 0)
        {
            Add(keys, ref n, 4, dob, firstInitial, group);
            Add(keys, ref n, 5, dob, lastInitial, group);
        }

        // Phonetic codes of both names, in either order: swapped first and last names share the key.
        if (s.FirstCode[i] != 0 && s.LastCode[i] != 0)
        {
            Add(keys, ref n, 6, Math.Min(s.FirstCode[i], s.LastCode[i]), Math.Max(s.FirstCode[i], s.LastCode[i]), group);
        }

        if (s.Postcode[i] != 0)
        {
            Add(keys, ref n, 7, s.Postcode[i], lastInitial, group);
            Add(keys, ref n, 8, s.Postcode[i], firstInitial, group);
        }

        if (last != 0 && dob != 0)
        {
            Add(keys, ref n, 9, s.LastCode[i], dob / 10000, group);
        }

        if (first != 0 && dob != 0)
        {
            Add(keys, ref n, 10, s.FirstCode[i], dob / 10000, group);
        }

        if (s.Address[i] != 0)
        {
            Add(keys, ref n, 11, s.Address[i], 0, group);
        }

        if (s.City[i] != 0)
        {
            Add(keys, ref n, 12, s.City[i], s.LastCode[i], group);
        }

        // Each name alone, first or last alike (names typed in the wrong box, or one of them missing). Common names
        // make oversized blocks, where the alphabetical window pairs each record with its namesakes only.
        if (first != 0)
        {
            Add(keys, ref n, 13, Hash(s.FirstNames.Value(first)), 0, group);
        }

        if (last != 0)
        {
            Add(keys, ref n, 13, Hash(s.LastNames.Value(last)), 0, group);
        }

        if (dob != 0)
        {
            Add(keys, ref n, 14, dob, s.Postcode[i], group);
            Add(keys, ref n, 15, dob, s.City[i], group);
        }

        if (dob != 0)
        {
            // The date alone: small blocks in small files, windowed by name in large ones.
            Add(keys, ref n, 17, dob, 0, group);
        }

        // The sound of one name with the other's initial: typos in both names at once.
        Add(keys, ref n, 18, s.LastCode[i], firstInitial, group);
        Add(keys, ref n, 19, s.FirstCode[i], lastInitial, group);

        if (s.Postcode[i] != 0 && HouseNumber(s, i) is var house and not 0)
        {
            Add(keys, ref n, 16, s.Postcode[i], house, group);
        }

        return n;
    }

    /// <summary>A stable 31-bit hash of a text (FNV-1a), for keys over values from different token tables.</summary>
    private static int Hash(string text)
    {
        var h = 2166136261u;
        foreach (var c in text)
        {
            h = (h ^ c) * 16777619u;
        }

        return (int)(h & 0x7FFFFFFF) | 1;
    }

    /// <summary>The first word of the address that starts with a digit, hashed; 0 when there is none.</summary>
    private static int HouseNumber(MatchStore s, int i)
    {
        if (s.Address[i] == 0)
        {
            return 0;
        }

        var line = s.Addresses.Value(s.Address[i]).AsSpan();
        var start = 0;
        while (start < line.Length)
        {
            var end = line[start..].IndexOf(' ');
            var word = end < 0 ? line[start..] : line.Slice(start, end);
            if (word.Length > 0 && char.IsAsciiDigit(word[0]))
            {
                var h = 2166136261u;
                foreach (var c in word)
                {
                    h = (h ^ c) * 16777619u;
                }

                return (int)(h & 0x7FFFFFFF) | 1;
            }

            if (end < 0)
            {
                break;
            }

            start += end + 1;
        }

        return 0;
    }

    private static void Add(Span<ulong> keys, ref int n, int kind, int a, int b, ulong group)
    {
        if (a == 0 || n >= keys.Length)
        {
            return;
        }

        var h = Mix(((ulong)(uint)kind << 56) ^ ((ulong)(uint)a << 24) ^ (ulong)(uint)b);
        h = Mix(h ^ (group * 0x9E3779B97F4A7C15UL));
        keys[n++] = h;
    }

    /// <summary>SplitMix64's finaliser: spreads the bits so that keys of different kinds do not collide in practice.</summary>
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
