namespace AutomotiveCrm.Domain.Dedup.Matching;

/// <summary>The compared fields, in the order of their levels in a comparison pattern.</summary>
public enum MatchField
{
    FirstName,
    LastName,
    DateOfBirth,
    Address,
    City,
    Postcode,
    Region,
    Email,
    Phone,
}

/// <summary>
/// The comparison levels of each field and the function that puts a pair of records into one level per field. Level
/// 0 is always "missing on either side" (weight 0: no evidence either way); the last level is "different". A pair's
/// levels are packed into one 64-bit pattern, four bits a field, plus a flag for first and last names swapped.
/// </summary>
public static class Comparisons
{
    public const int FieldCount = 9;
    public const int Null = 0;
    public const int Exact = 1;
    public const ulong SwappedFlag = 1UL << 63;

    /// <summary>The level labels per field: what the explanation shows.</summary>
    public static readonly string[][] Labels =
    [
        ["missing", "exact", "nickname", "very similar", "similar or sounds alike", "initial", "different"],
        ["missing", "exact", "very similar", "similar or sounds alike", "different"],
        ["missing", "exact", "day and month swapped", "one digit off", "same year", "different"],
        ["missing", "exact", "mostly the same words", "some words shared", "different"],
        ["missing", "exact", "very similar", "different"],
        ["missing", "exact", "one character off", "same district", "different"],
        ["missing", "exact", "different"],
        ["missing", "exact", "same user name", "similar user name", "different"],
        ["missing", "exact", "one digit off", "different"],
    ];

    /// <summary>Fields whose exact level is weighted by how common the value is.</summary>
    public static readonly bool[] TermFrequency = [true, true, true, true, true, true, false, true, true];

    public static int Level(ulong pattern, int field) => (int)((pattern >> (field * 4)) & 0xF);

    public static bool Swapped(ulong pattern) => (pattern & SwappedFlag) != 0;

    /// <summary>Compares records <paramref name="i"/> and <paramref name="j"/>: their pattern of levels.</summary>
    public static ulong Compare(MatchStore s, int i, int j)
    {
        ref readonly var a = ref s.Rows[i];
        ref readonly var b = ref s.Rows[j];
        var cache = LevelCache.ForThread(s);
        ulong pattern = 0;
        var firstLevel = cache.Get(LevelCache.FirstFirst, a.First, b.First, out var hit) is var f && hit
            ? f
            : cache.Set(LevelCache.FirstFirst, a.First, b.First, (int)NamePair(s, a.First, b.First, a.Nick, b.Nick, a.FirstCode, a.FirstAlt, b.FirstCode, b.FirstAlt, s.FirstNames, s.FirstNames, true));
        var lastLevel = cache.Get(LevelCache.LastLast, a.Last, b.Last, out hit) is var l && hit
            ? l
            : cache.Set(LevelCache.LastLast, a.Last, b.Last, LastLevel(s, a.Last, b.Last, a.LastCode, a.LastAlt, b.LastCode, b.LastAlt, s.LastNames, s.LastNames));
        var direct = (ulong)(uint)firstLevel | ((ulong)(uint)lastLevel << 4);
        if (!(firstLevel == Exact && lastLevel == Exact) && a.First != 0 && a.Last != 0 && b.First != 0 && b.Last != 0)
        {
            // First and last names typed in the wrong boxes: compare each with the other's opposite name.
            var firstSwapped = cache.Get(LevelCache.FirstLast, a.First, b.Last, out hit) is var x && hit
                ? x
                : cache.Set(LevelCache.FirstLast, a.First, b.Last, LastLevel(s, a.First, b.Last, a.FirstCode, a.FirstAlt, b.LastCode, b.LastAlt, s.FirstNames, s.LastNames));
            if (firstSwapped <= 2)
            {
                var lastSwapped = cache.Get(LevelCache.LastFirst, a.Last, b.First, out hit) is var y && hit
                    ? y
                    : cache.Set(LevelCache.LastFirst, a.Last, b.First, LastLevel(s, a.Last, b.First, a.LastCode, a.LastAlt, b.FirstCode, b.FirstAlt, s.LastNames, s.FirstNames));
                if (lastSwapped <= 2 && firstSwapped + lastSwapped < Rank(direct))
                {
                    // The last-name scale (exact / very similar) maps onto the first-name scale's exact / very similar.
                    direct = (firstSwapped == Exact ? 1UL : 3UL) | ((ulong)(uint)lastSwapped << 4) | SwappedFlag;
                }
            }
        }

        pattern |= direct;
        pattern |= (ulong)DateLevel(a.Dob, b.Dob) << 8;
        pattern |= (ulong)AddressLevel(s, in a, in b) << 12;
        var city = a.City == 0 || b.City == 0 ? Null : a.City == b.City ? Exact
            : cache.Get(LevelCache.CityCity, a.City, b.City, out hit) is var c && hit ? c
            : cache.Set(LevelCache.CityCity, a.City, b.City, SimpleLevel(a.City, b.City, s.Cities, 0.88));
        pattern |= (ulong)(uint)city << 16;
        pattern |= (ulong)PostcodeLevel(s, in a, in b) << 20;
        pattern |= (ulong)(a.Region == 0 || b.Region == 0 ? 0 : a.Region == b.Region ? 1 : 2) << 24;
        pattern |= (ulong)EmailLevel(s, in a, in b) << 28;
        pattern |= (ulong)PhoneLevel(s, in a, in b) << 32;
        return pattern;
    }

    /// <summary>How far from "both names exact" a direct name comparison is, on the last-name scale, summed.</summary>
    private static int Rank(ulong direct)
    {
        var first = Level(direct, 0) switch { 0 => 9, 1 => 1, 2 or 3 => 2, 4 => 3, _ => 4 };
        var last = Level(direct, 1) switch { 0 => 9, var l => l };
        return first + last;
    }

    private static ulong NamePair(MatchStore s, int a, int b, int nickA, int nickB, int codeA, int altA, int codeB, int altB,
        TokenTable tableA, TokenTable tableB, bool first)
    {
        if (a == 0 || b == 0)
        {
            return Null;
        }

        if (a == b)
        {
            return Exact;
        }

        var x = tableA.Value(a);
        var y = tableB.Value(b);
        if (first && nickA == nickB && nickA != 0)
        {
            return 2;
        }

        var jw = StringMetrics.JaroWinkler(x, y);
        if (jw >= 0.92)
        {
            return 3;
        }

        if (jw >= 0.85 || SameCode(codeA, altA, codeB, altB))
        {
            return 4;
        }

        if ((x.Length == 1 || y.Length == 1) && x[0] == y[0])
        {
            return 5;
        }

        _ = s;
        return 6;
    }

    private static int LastLevel(MatchStore s, int a, int b, int codeA, int altA, int codeB, int altB, TokenTable tableA, TokenTable tableB)
    {
        if (a == 0 || b == 0)
        {
            return Null;
        }

        var x = tableA.Value(a);
        var y = tableB.Value(b);
        if (ReferenceEquals(tableA, tableB) ? a == b : string.Equals(x, y, StringComparison.Ordinal))
        {
            return Exact;
        }

        var jw = StringMetrics.JaroWinkler(x, y);
        if (jw >= 0.92)
        {
            return 2;
        }

        _ = s;
        return jw >= 0.85 || SameCode(codeA, altA, codeB, altB) ? 3 : 4;
    }

    private static bool SameCode(int codeA, int altA, int codeB, int altB) =>
        codeA != 0 && (codeA == codeB || codeA == altB || (altA != 0 && (altA == codeB || altA == altB)));

    /// <summary>Dates as yyyymmdd: exact, day and month swapped, one digit different or two adjacent digits transposed, same year.</summary>
    public static int DateLevel(int a, int b)
    {
        if (a == 0 || b == 0)
        {
            return Null;
        }

        if (a == b)
        {
            return Exact;
        }

        var ya = a / 10000;
        var yb = b / 10000;
        var ma = a / 100 % 100;
        var mb = b / 100 % 100;
        var da = a % 100;
        var db = b % 100;
        if (ya == yb && ma == db && da == mb)
        {
            return 2;
        }

        Span<char> x = stackalloc char[8];
        Span<char> y = stackalloc char[8];
        Digits(a, x);
        Digits(b, y);
        var differences = 0;
        var first = -1;
        for (var k = 0; k < 8; k++)
        {
            if (x[k] != y[k])
            {
                if (differences++ == 0)
                {
                    first = k;
                }
            }
        }

        if (differences == 1 || (differences == 2 && first < 7 && x[first] == y[first + 1] && x[first + 1] == y[first]))
        {
            return 3;
        }

        return ya == yb ? 4 : 5;
    }

    private static void Digits(int value, Span<char> into)
    {
        for (var k = 7; k >= 0; k--)
        {
            into[k] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    private static int AddressLevel(MatchStore s, in PackedRecord x, in PackedRecord y)
    {
        if (x.WordCount == 0 || y.WordCount == 0)
        {
            return Null;
        }

        if (x.Address == y.Address && x.Address != 0)
        {
            return Exact;
        }

        var wi = s.WordPool.AsSpan(x.WordStart, x.WordCount);
        var wj = s.WordPool.AsSpan(y.WordStart, y.WordCount);

        var shared = 0;
        for (int a = 0, b = 0; a < wi.Length && b < wj.Length;)
        {
            if (wi[a] == wj[b])
            {
                shared++;
                a++;
                b++;
            }
            else if (wi[a] < wj[b])
            {
                a++;
            }
            else
            {
                b++;
            }
        }

        var dice = 2.0 * shared / (wi.Length + wj.Length);
        if (dice >= 0.66)
        {
            return 2;
        }

        // The string measure only matters where the words alone do not already decide the level.
        var jw = x.Address != 0 && y.Address != 0 ? StringMetrics.JaroWinkler(s.Addresses.Value(x.Address), s.Addresses.Value(y.Address)) : 0;
        if (jw >= 0.94)
        {
            return 2;
        }

        return dice >= 0.3 || jw >= 0.85 ? 3 : 4;
    }

    private static int SimpleLevel(int a, int b, TokenTable table, double close)
    {
        if (a == 0 || b == 0)
        {
            return Null;
        }

        if (a == b)
        {
            return Exact;
        }

        return StringMetrics.JaroWinkler(table.Value(a), table.Value(b)) >= close ? 2 : 3;
    }

    private static int PostcodeLevel(MatchStore s, in PackedRecord x, in PackedRecord y)
    {
        int a = x.Postcode, b = y.Postcode;
        if (a == 0 || b == 0)
        {
            return Null;
        }

        if (a == b)
        {
            return Exact;
        }

        if (StringMetrics.OsaDistance(s.Postcodes.Value(a), s.Postcodes.Value(b), 1) <= 1)
        {
            return 2;
        }

        return x.District != 0 && x.District == y.District ? 3 : 4;
    }

    private static int EmailLevel(MatchStore s, in PackedRecord x, in PackedRecord y)
    {
        if (x.Email == 0 || y.Email == 0)
        {
            return Null;
        }

        if (x.Email == y.Email || (x.Email2 != 0 && (x.Email2 == y.Email || x.Email2 == y.Email2)) || (y.Email2 != 0 && x.Email == y.Email2))
        {
            return Exact;
        }

        if (x.EmailUser == y.EmailUser || (x.EmailUser2 != 0 && x.EmailUser2 == y.EmailUser) || (y.EmailUser2 != 0 && x.EmailUser == y.EmailUser2))
        {
            return 2;
        }

        return StringMetrics.JaroWinkler(s.EmailUsers.Value(x.EmailUser), s.EmailUsers.Value(y.EmailUser)) >= 0.88 ? 3 : 4;
    }

    private static int PhoneLevel(MatchStore s, in PackedRecord x, in PackedRecord y)
    {
        if (x.Phone == 0 || y.Phone == 0)
        {
            return Null;
        }

        if (x.Phone == y.Phone || (x.Phone2 != 0 && (x.Phone2 == y.Phone || x.Phone2 == y.Phone2)) || (y.Phone2 != 0 && x.Phone == y.Phone2))
        {
            return Exact;
        }

        return StringMetrics.OsaDistance(s.Phones.Value(x.Phone), s.Phones.Value(y.Phone), 1) <= 1 ? 2 : 3;
    }

    /// <summary>The token of the exact-matched value whose frequency adjusts the weight, per field; 0 for none.</summary>
    public static (TokenTable? Table, int Token) ExactValue(MatchStore s, int field, int i, int j, ulong pattern) => (MatchField)field switch
    {
        MatchField.FirstName when !Swapped(pattern) => (s.FirstNames, s.First[i]),
        MatchField.LastName when !Swapped(pattern) => (s.LastNames, s.Last[i]),
        MatchField.DateOfBirth => (s.Dates, s.DobToken[i]),
        MatchField.Address => (s.Addresses, s.Address[i]),
        MatchField.City => (s.Cities, s.City[i]),
        MatchField.Postcode => (s.Postcodes, s.Postcode[i]),
        MatchField.Email => (s.Emails, s.Email[i] == s.Email[j] ? s.Email[i] : 0),
        MatchField.Phone => (s.Phones, s.Phone[i] == s.Phone[j] ? s.Phone[i] : 0),
        _ => (null, 0),
    };

    /// <summary>The two values of a field as the explanation shows them (normalised forms).</summary>
    public static (string? Left, string? Right) Values(MatchStore s, int field, int i, int j) => (MatchField)field switch
    {
        MatchField.FirstName => (V(s.FirstNames, s.First[i]), V(s.FirstNames, s.First[j])),
        MatchField.LastName => (V(s.LastNames, s.Last[i]), V(s.LastNames, s.Last[j])),
        MatchField.DateOfBirth => (DateText(s.Dob[i]), DateText(s.Dob[j])),
        MatchField.Address => (V(s.Addresses, s.Address[i]), V(s.Addresses, s.Address[j])),
        MatchField.City => (V(s.Cities, s.City[i]), V(s.Cities, s.City[j])),
        MatchField.Postcode => (V(s.Postcodes, s.Postcode[i]), V(s.Postcodes, s.Postcode[j])),
        MatchField.Region => (V(s.Regions, s.Region[i]), V(s.Regions, s.Region[j])),
        MatchField.Email => (V(s.Emails, s.Email[i]), V(s.Emails, s.Email[j])),
        MatchField.Phone => (V(s.Phones, s.Phone[i]), V(s.Phones, s.Phone[j])),
        _ => (null, null),
    };

    private static string? V(TokenTable table, int id) => id == 0 ? null : table.Value(id);

    private static string? DateText(int yyyymmdd) => yyyymmdd == 0
        ? null
        : FormattableString.Invariant($"{yyyymmdd / 10000:D4}-{yyyymmdd / 100 % 100:D2}-{yyyymmdd % 100:D2}");
}
