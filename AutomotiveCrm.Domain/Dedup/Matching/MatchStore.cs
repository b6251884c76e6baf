namespace AutomotiveCrm.Domain.Dedup.Matching;

/// <summary>
/// The records being matched, normalised once and held column by column as ints (interned tokens), so that blocking
/// and the pair comparisons touch compact arrays and never allocate. Record index i is the position of the record in
/// the order it was added.
/// </summary>
public sealed class MatchStore
{
    private int _capacity;

    public MatchStore(int capacity = 1024)
    {
        _capacity = Math.Max(16, capacity);
        Ids = new long[_capacity];
        Groups = new long[_capacity];
        Versions = new int[_capacity];
        First = new int[_capacity];
        Last = new int[_capacity];
        Nick = new int[_capacity];
        FirstCode = new int[_capacity];
        FirstAlt = new int[_capacity];
        LastCode = new int[_capacity];
        LastAlt = new int[_capacity];
        Dob = new int[_capacity];
        Address = new int[_capacity];
        WordStart = new int[_capacity];
        WordCount = new byte[_capacity];
        City = new int[_capacity];
        Region = new int[_capacity];
        Postcode = new int[_capacity];
        District = new int[_capacity];
        Email = new int[_capacity];
        EmailUser = new int[_capacity];
        Email2 = new int[_capacity];
        EmailUser2 = new int[_capacity];
        Phone = new int[_capacity];
        Phone2 = new int[_capacity];
        SortKey = new ulong[_capacity];
        Rows = new PackedRecord[_capacity];
    }

    public int Count { get; private set; }

    private static long _stores;

    /// <summary>Tells stores apart (the comparison cache of a thread holds token ids of one store at a time).</summary>
    internal long Identity { get; } = Interlocked.Increment(ref _stores);

    public TokenTable FirstNames { get; } = new();
    public TokenTable LastNames { get; } = new();
    public TokenTable NickNames { get; } = new();
    public TokenTable Codes { get; } = new();
    public TokenTable Addresses { get; } = new();
    public TokenTable Words { get; } = new();
    public TokenTable Cities { get; } = new();
    public TokenTable Regions { get; } = new();
    public TokenTable Postcodes { get; } = new();
    public TokenTable Districts { get; } = new();
    public TokenTable Emails { get; } = new();
    public TokenTable EmailUsers { get; } = new();
    public TokenTable Phones { get; } = new();
    /// <summary>Dates of birth as yyyymmdd, interned for their term frequency (1 January placeholders are common).</summary>
    public TokenTable Dates { get; } = new();

    public long[] Ids { get; private set; }
    public long[] Groups { get; private set; }
    public int[] Versions { get; private set; }
    public int[] First { get; private set; }
    public int[] Last { get; private set; }
    public int[] Nick { get; private set; }
    public int[] FirstCode { get; private set; }
    public int[] FirstAlt { get; private set; }
    public int[] LastCode { get; private set; }
    public int[] LastAlt { get; private set; }
    /// <summary>yyyymmdd, 0 when unknown.</summary>
    public int[] Dob { get; private set; }
    public int[] DobToken { get; private set; } = [];
    public int[] Address { get; private set; }
    public int[] WordStart { get; private set; }
    public byte[] WordCount { get; private set; }
    /// <summary>Address words (line 1 and 2) of every record, sorted per record, as <see cref="Words"/> ids.</summary>
    public int[] WordPool { get; private set; } = new int[4096];
    public int WordPoolLength { get; private set; }
    public int[] City { get; private set; }
    public int[] Region { get; private set; }
    public int[] Postcode { get; private set; }
    public int[] District { get; private set; }
    public int[] Email { get; private set; }
    public int[] EmailUser { get; private set; }
    public int[] Email2 { get; private set; }
    public int[] EmailUser2 { get; private set; }
    public int[] Phone { get; private set; }
    public int[] Phone2 { get; private set; }
    /// <summary>An alphabetical key (last name, then first name) that orders members of oversized blocks.</summary>
    public ulong[] SortKey { get; private set; }

    /// <summary>
    /// The compared fields of each record side by side (a copy of the columns above): a pair comparison reads a
    /// partner at a random index, and one record's fields in two cache lines cost two memory reads instead of twenty.
    /// </summary>
    internal PackedRecord[] Rows { get; private set; }

    private readonly Dictionary<int, (int Code, int Alt)> _firstCodes = [];
    private readonly Dictionary<int, (int Code, int Alt)> _lastCodes = [];
    private readonly Dictionary<int, int> _nicks = [];
    private readonly Dictionary<int, int[]> _addressWords = [];

    private readonly MatchNormaliser _normaliser = new();

    /// <summary>Normalises and appends one record; returns its index.</summary>
    public int Add(MatchRecord record) => Add(_normaliser.Normalise(record));

    /// <summary>
    /// Appends a record normalised beforehand (the loader normalises on other threads, since that is the costly
    /// part; interning and appending stay on one thread); returns its index.
    /// </summary>
    public int Add(NormalisedRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Count == _capacity)
        {
            Grow();
        }

        var i = Count++;
        Ids[i] = record.Id;
        Groups[i] = record.GroupId;
        Versions[i] = record.Version;

        var first = FirstNames.Intern(record.FirstName);
        var last = LastNames.Intern(record.LastName);
        First[i] = first;
        Last[i] = last;
        (FirstCode[i], FirstAlt[i]) = CodesOf(first, FirstNames, _firstCodes);
        (LastCode[i], LastAlt[i]) = CodesOf(last, LastNames, _lastCodes);
        if (first == 0)
        {
            Nick[i] = 0;
        }
        else if (!_nicks.TryGetValue(first, out var nick))
        {
            nick = NickNames.Intern(Nicknames.CanonicalOf(FirstNames.Value(first)), count: false);
            _nicks[first] = nick;
            Nick[i] = nick;
        }
        else
        {
            Nick[i] = nick;
        }

        Dob[i] = record.Dob;
        EnsureDobTokens();
        DobToken[i] = Dob[i] == 0 ? 0 : Dates.Intern(Dob[i].ToString(System.Globalization.CultureInfo.InvariantCulture));

        var address = Addresses.Intern(record.Line1 ?? record.Line2);
        Address[i] = address;
        SetWords(i, address, record.Line1, record.Line2);

        City[i] = Cities.Intern(record.City);
        Region[i] = Regions.Intern(record.Region);
        Postcode[i] = Postcodes.Intern(record.Postcode);
        District[i] = Districts.Intern(record.District);

        Email[i] = Emails.Intern(record.Email);
        EmailUser[i] = EmailUsers.Intern(record.EmailUser);
        Email2[i] = record.Email2 == record.Email ? 0 : Emails.Intern(record.Email2);
        EmailUser2[i] = Email2[i] == 0 ? 0 : EmailUsers.Intern(record.EmailUser2);

        Phone[i] = Phones.Intern(record.Phone);
        Phone2[i] = record.Phone2 == record.Phone ? 0 : Phones.Intern(record.Phone2);
        SortKey[i] = SortKeyOf(last == 0 ? null : LastNames.Value(last), first == 0 ? null : FirstNames.Value(first));
        Rows[i] = new PackedRecord
        {
            Group = Groups[i], First = First[i], Last = Last[i], Nick = Nick[i], FirstCode = FirstCode[i], FirstAlt = FirstAlt[i],
            LastCode = LastCode[i], LastAlt = LastAlt[i], Dob = Dob[i], Address = Address[i], WordStart = WordStart[i],
            WordCount = WordCount[i], City = City[i], Region = Region[i], Postcode = Postcode[i], District = District[i], Email = Email[i],
            EmailUser = EmailUser[i], Email2 = Email2[i], EmailUser2 = EmailUser2[i], Phone = Phone[i], Phone2 = Phone2[i],
        };
        return i;
    }

    private void EnsureDobTokens()
    {
        if (DobToken.Length < _capacity)
        {
            var grown = new int[_capacity];
            DobToken.AsSpan().CopyTo(grown);
            DobToken = grown;
        }
    }

    private (int, int) CodesOf(int name, TokenTable names, Dictionary<int, (int, int)> cache)
    {
        if (name == 0)
        {
            return (0, 0);
        }

        if (!cache.TryGetValue(name, out var codes))
        {
            var (primary, alternate) = DoubleMetaphone.Encode(names.Value(name));
            var code = Codes.Intern(primary.Length == 0 ? null : primary, count: false);
            var alt = alternate == primary ? code : Codes.Intern(alternate.Length == 0 ? null : alternate, count: false);
            codes = (code, alt);
            cache[name] = codes;
        }

        return codes;
    }

    private void SetWords(int i, int address, string? line1, string? line2)
    {
        var key = address == 0 ? 0 : address;
        int[] words;
        if (line2 is null && key != 0 && _addressWords.TryGetValue(key, out var cached))
        {
            words = cached;
        }
        else
        {
            var parts = ((line1 ?? "") + " " + (line2 ?? "")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ids = new List<int>(parts.Length);
            foreach (var part in parts)
            {
                var id = Words.Intern(part, count: false);
                if (!ids.Contains(id))
                {
                    ids.Add(id);
                }
            }

            ids.Sort();
            words = ids.Count > 255 ? ids.GetRange(0, 255).ToArray() : ids.ToArray();
            if (line2 is null && key != 0 && _addressWords.Count < 500_000)
            {
                _addressWords[key] = words;
            }
        }

        if (WordPoolLength + words.Length > WordPool.Length)
        {
            var grown = WordPool;
            Array.Resize(ref grown, Math.Max(WordPool.Length * 2, WordPoolLength + words.Length));
            WordPool = grown;
        }

        words.AsSpan().CopyTo(WordPool.AsSpan(WordPoolLength));
        WordStart[i] = WordPoolLength;
        WordCount[i] = (byte)words.Length;
        WordPoolLength += words.Length;
    }

    /// <summary>Eight letters of the last name then four of the first, five bits each: an alphabetical order.</summary>
    public static ulong SortKeyOf(string? last, string? first)
    {
        ulong key = 0;
        for (var k = 0; k < 8; k++)
        {
            key = (key << 5) | Letter(last, k);
        }

        for (var k = 0; k < 4; k++)
        {
            key = (key << 5) | Letter(first, k);
        }

        return key;
    }

    private static ulong Letter(string? s, int k) =>
        s is null || k >= s.Length ? 0UL : s[k] is >= 'a' and <= 'z' ? (ulong)(s[k] - 'a' + 1) : 27UL;

    public ReadOnlySpan<int> WordsOf(int i) => WordPool.AsSpan(WordStart[i], WordCount[i]);

    private void Grow()
    {
        _capacity *= 2;
        Ids = Resize(Ids);
        Groups = Resize(Groups);
        Versions = Resize(Versions);
        First = Resize(First);
        Last = Resize(Last);
        Nick = Resize(Nick);
        FirstCode = Resize(FirstCode);
        FirstAlt = Resize(FirstAlt);
        LastCode = Resize(LastCode);
        LastAlt = Resize(LastAlt);
        Dob = Resize(Dob);
        Address = Resize(Address);
        WordStart = Resize(WordStart);
        WordCount = Resize(WordCount);
        City = Resize(City);
        Region = Resize(Region);
        Postcode = Resize(Postcode);
        District = Resize(District);
        Email = Resize(Email);
        EmailUser = Resize(EmailUser);
        Email2 = Resize(Email2);
        EmailUser2 = Resize(EmailUser2);
        Phone = Resize(Phone);
        Phone2 = Resize(Phone2);
        SortKey = Resize(SortKey);
        Rows = Resize(Rows);
    }

    private T[] Resize<T>(T[] array)
    {
        var grown = new T[_capacity];
        array.AsSpan().CopyTo(grown);
        return grown;
    }
}

/// <summary>One record's compared fields (token ids, yyyymmdd, address words' place in the pool), 96 bytes.</summary>
internal struct PackedRecord
{
    internal long Group;
    internal int First;
    internal int Last;
    internal int Nick;
    internal int FirstCode;
    internal int FirstAlt;
    internal int LastCode;
    internal int LastAlt;
    internal int Dob;
    internal int Address;
    internal int WordStart;
    internal int WordCount;
    internal int City;
    internal int Region;
    internal int Postcode;
    internal int District;
    internal int Email;
    internal int EmailUser;
    internal int Email2;
    internal int EmailUser2;
    internal int Phone;
    internal int Phone2;
}

/// <summary>A record's matched fields in their canonical forms (see <see cref="MatchText"/>), not yet interned.</summary>
public sealed class NormalisedRecord
{
    public long Id { get; init; }
    public long GroupId { get; init; }
    public int Version { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    /// <summary>yyyymmdd, 0 when unknown.</summary>
    public int Dob { get; init; }
    public string? Line1 { get; init; }
    public string? Line2 { get; init; }
    public string? City { get; init; }
    public string? Region { get; init; }
    public string? Postcode { get; init; }
    public string? District { get; init; }
    public string? Email { get; init; }
    public string? EmailUser { get; init; }
    public string? Email2 { get; init; }
    public string? EmailUser2 { get; init; }
    public string? Phone { get; init; }
    public string? Phone2 { get; init; }
}

/// <summary>
/// Normalises raw records (<see cref="MatchRecord"/>) into <see cref="NormalisedRecord"/>s. One instance per thread:
/// it keeps a bounded cache of phone numbers read by libphonenumber.
/// </summary>
public sealed class MatchNormaliser
{
    private readonly Dictionary<string, string?> _phoneCache = new(StringComparer.Ordinal);

    public NormalisedRecord Normalise(MatchRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var postcode = MatchText.Postcode(record.Postcode, record.CountryCode);
        var email = MatchText.Email(record.Email);
        var email2 = MatchText.Email(record.Email2);
        if (email is null)
        {
            (email, email2) = (email2, null);
        }

        var phone = PhoneOf(record.Phone, record.CountryCode);
        var phone2 = PhoneOf(record.Phone2, record.CountryCode);
        if (phone is null)
        {
            (phone, phone2) = (phone2, null);
        }

        return new NormalisedRecord
        {
            Id = record.Id,
            GroupId = record.GroupId,
            Version = record.Version,
            FirstName = MatchText.Name(record.FirstName),
            LastName = MatchText.Name(record.LastName),
            Dob = record.DateOfBirth is { } d ? (d.Year * 10000) + (d.Month * 100) + d.Day : 0,
            Line1 = MatchText.AddressLine(record.Line1),
            Line2 = MatchText.AddressLine(record.Line2),
            City = MatchText.Fold(record.City),
            Region = MatchText.Fold(record.Region),
            Postcode = postcode,
            District = MatchText.PostcodeDistrict(postcode),
            Email = email,
            EmailUser = MatchText.EmailUser(email),
            Email2 = email2,
            EmailUser2 = email2 is null || email2 == email ? null : MatchText.EmailUser(email2),
            Phone = phone,
            Phone2 = phone2,
        };
    }

    private string? PhoneOf(string? raw, string? country)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        // libphonenumber costs microseconds a call; a million records repeat few shapes but many values, so only
        // international (+...) forms skip it and the cache is bounded.
        var key = (country ?? "") + "|" + raw;
        if (_phoneCache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var value = MatchText.Phone(raw, country);
        if (_phoneCache.Count < 200_000)
        {
            _phoneCache[key] = value;
        }

        return value;
    }
}
