using System.Diagnostics;
using System.Text.Json;
using AutomotiveCrm.Domain.Dedup.Matching;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Dedup.Runs;

/// <summary>
/// Seeded person data with planted duplicates for the benchmark: about one record in ten is another record of an
/// earlier person (mostly in the same group, some in another group), with one or two realistic changes: a typo in a
/// name, first and last names swapped, a nickname, a new address, a new or missing e-mail, day and month of birth
/// swapped, a mistyped digit of the date. The entity of each record is in its reference ("E" + number).
/// </summary>
public sealed class DedupBenchGenerator(int seed, int groups)
{
    private static readonly string[] FirstNames =
    [
        "james", "john", "robert", "michael", "william", "david", "richard", "joseph", "thomas", "charles", "christopher", "daniel", "matthew", "anthony",
        "mark", "donald", "steven", "paul", "andrew", "joshua", "kenneth", "kevin", "brian", "george", "timothy", "ronald", "edward", "jason", "jeffrey",
        "ryan", "jacob", "gary", "nicholas", "eric", "jonathan", "stephen", "larry", "justin", "scott", "brandon", "benjamin", "samuel", "gregory",
        "alexander", "frank", "patrick", "raymond", "jack", "dennis", "jerry", "oliver", "harry", "noah", "leo", "oscar", "arthur", "freddie", "alfie",
        "mary", "patricia", "jennifer", "linda", "elizabeth", "barbara", "susan", "jessica", "sarah", "karen", "lisa", "nancy", "betty", "margaret",
        "sandra", "ashley", "kimberly", "emily", "donna", "michelle", "carol", "amanda", "dorothy", "melissa", "deborah", "stephanie", "rebecca",
        "sharon", "laura", "cynthia", "kathleen", "amy", "angela", "shirley", "anna", "brenda", "pamela", "emma", "nicole", "helen", "samantha",
        "katherine", "christine", "debra", "rachel", "carolyn", "janet", "catherine", "maria", "heather", "diane", "olivia", "amelia", "isla", "ava",
        "mia", "ivy", "lily", "isabella", "rosie", "sophia", "grace", "freya", "florence", "poppy", "evie", "ella", "charlotte", "sienna", "aisha",
        "mohammed", "priya", "arjun", "wei", "chen", "fatima", "omar", "yusuf", "zara", "hannah", "chloe", "lucy", "megan", "holly", "jade", "niamh",
    ];

    private static readonly string[] LastNames =
    [
        "smith", "jones", "williams", "taylor", "brown", "davies", "evans", "wilson", "thomas", "johnson", "roberts", "robinson", "thompson", "wright",
        "walker", "white", "edwards", "hughes", "green", "hall", "lewis", "harris", "clarke", "patel", "jackson", "wood", "turner", "martin", "cooper",
        "hill", "ward", "morris", "moore", "clark", "lee", "king", "baker", "harrison", "morgan", "allen", "james", "scott", "phillips", "watson",
        "davis", "parker", "price", "bennett", "young", "griffiths", "mitchell", "kelly", "cook", "carter", "richardson", "bailey", "collins", "bell",
        "shaw", "murphy", "miller", "cox", "richards", "khan", "marshall", "anderson", "simpson", "ellis", "adams", "singh", "begum", "wilkinson",
        "foster", "chapman", "powell", "webb", "rogers", "gray", "mason", "ali", "hunt", "hussain", "campbell", "matthews", "owen", "palmer", "holmes",
        "mills", "barnes", "knight", "lloyd", "butler", "russell", "barker", "fisher", "stevens", "jenkins", "murray", "dixon", "harvey", "graham",
        "pearson", "ahmed", "fletcher", "walsh", "kaur", "gibson", "howard", "andrews", "stewart", "elliott", "reynolds", "saunders", "payne", "fox",
        "ford", "pearce", "day", "brooks", "west", "lawrence", "cole", "atkinson", "bradley", "spencer", "gill", "dawson", "ball", "burton", "o'brien",
        "watts", "rose", "booth", "perry", "ryan", "grant", "wells", "armstrong", "francis", "rees", "hayes", "hart", "hudson", "newman", "barrett",
        "webster", "hunter", "gregory", "carr", "lowe", "page", "marsh", "riley", "dunn", "woods", "parsons", "berry", "stone", "reid", "holland",
        "hawkins", "harding", "porter", "robertson", "newton", "oliver", "reed", "kennedy", "williamson", "bird", "gardner", "shah", "dean", "lane",
        "cooke", "bates", "henderson", "parry", "burgess", "bishop", "walton", "burns", "nicholson", "shepherd", "ross", "cross", "long", "freeman",
        "warren", "nicholls", "hamilton", "byrne", "sutton", "mcdonald", "yates", "hodgson", "robson", "curtis", "hopkins", "o'connor", "harper",
        "coleman", "watkins", "moss", "mccarthy", "chambers", "o'neill", "griffin", "sharp", "hardy", "wheeler", "potter", "osborne", "johnston",
        "gordon", "doyle", "wallace", "george", "jordan", "hutchinson", "rowe", "burke", "may", "pritchard", "gilbert", "willis", "higgins", "read",
        "miles", "stevenson", "stephenson", "hammond", "arnold", "buckley", "walters", "hewitt", "barber", "nelson", "slater", "austin", "sullivan",
        "whitehead", "mann", "frost", "lambert", "stephens", "blake", "akhtar", "lynch", "goodwin", "barton", "woodward", "thomson", "cunningham",
        "quinn", "barnett", "baxter", "bibi", "clayton", "nash", "greenwood", "jennings", "holt", "kemp", "poole", "gallagher", "bond", "stokes",
    ];

    private static readonly string[] Streets = ["high street", "station road", "church lane", "park avenue", "victoria road", "green lane", "mill lane",
        "manor road", "church street", "kings road", "queens road", "new road", "grange road", "school lane", "the crescent", "north street",
        "albert road", "london road", "springfield road", "west street", "york road", "chester road", "richmond road", "windsor road", "oak avenue"];

    private static readonly string[] Towns = ["london", "birmingham", "leeds", "glasgow", "sheffield", "bradford", "manchester", "edinburgh", "liverpool",
        "bristol", "cardiff", "coventry", "nottingham", "leicester", "sunderland", "belfast", "newcastle", "brighton", "hull", "plymouth", "stoke",
        "wolverhampton", "derby", "swansea", "southampton", "salford", "aberdeen", "westminster", "portsmouth", "york", "peterborough", "dundee"];

    private static readonly string[] Domains = ["gmail.com", "hotmail.co.uk", "yahoo.co.uk", "outlook.com", "btinternet.com", "icloud.com", "sky.com"];

    private static readonly (string Name, string Nick)[] Nicks = [("robert", "bob"), ("william", "bill"), ("richard", "dick"), ("james", "jim"),
        ("michael", "mike"), ("thomas", "tom"), ("elizabeth", "liz"), ("margaret", "maggie"), ("katherine", "kate"), ("jennifer", "jenny"),
        ("christopher", "chris"), ("anthony", "tony"), ("andrew", "andy"), ("daniel", "dan"), ("samuel", "sam"), ("rebecca", "becky")];

    private readonly Random _random = new(seed);
    private readonly List<BulkPerson> _people = [];

    public int Duplicates { get; private set; }

    /// <summary>Produces <paramref name="count"/> records; a share <paramref name="duplicateShare"/> copies an earlier person.</summary>
    public IEnumerable<BulkPerson> Generate(int count, double duplicateShare)
    {
        for (var n = 0; n < count; n++)
        {
            if (_people.Count > 100 && _random.NextDouble() < duplicateShare)
            {
                Duplicates++;
                yield return Duplicate(_people[_random.Next(_people.Count)]);
                continue;
            }

            var person = New();
            _people.Add(person);
            yield return person;
        }
    }

    private BulkPerson New()
    {
        var id = _people.Count + 1;
        var first = Pick(FirstNames);
        var last = Pick(LastNames);
        var dob = new DateOnly(1935, 1, 1).AddDays(_random.Next(365 * 70));
        var district = Letters(2) + _random.Next(1, 30);
        var postcode = $"{district} {_random.Next(1, 10)}{Letters(2)}";
        var email = _random.NextDouble() < 0.8 ? $"{first}.{last}{_random.Next(1, 999)}@{Pick(Domains)}" : null;
        var phone = _random.NextDouble() < 0.7 ? "+447" + _random.Next(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return new BulkPerson(_random.Next(groups), Capital(first), Capital(last), _random.NextDouble() < 0.9 ? dob : null,
            $"{_random.Next(1, 200)} {Pick(Streets)}", null, Capital(Pick(Towns)), null, postcode.ToUpperInvariant(), email, phone, "E" + id);
    }

    private BulkPerson Duplicate(BulkPerson p)
    {
        var group = _random.NextDouble() < 0.8 ? p.Group : _random.Next(groups);
        var changes = 1 + _random.Next(2);
        var d = p with { Group = group };
        for (var c = 0; c < changes; c++)
        {
            d = _random.Next(9) switch
            {
                0 => d with { FirstName = Typo(d.FirstName) },
                1 => d with { LastName = Typo(d.LastName) },
                2 => d with { FirstName = d.LastName, LastName = d.FirstName },
                3 => d with { FirstName = Nickname(d.FirstName) },
                4 => d with { Line1 = $"{_random.Next(1, 200)} {Pick(Streets)}", Postcode = $"{Letters(2)}{_random.Next(1, 30)} {_random.Next(1, 10)}{Letters(2)}".ToUpperInvariant(), City = Capital(Pick(Towns)) },
                5 => d with { Email = _random.NextDouble() < 0.5 ? null : $"{d.FirstName?.ToLowerInvariant()}{_random.Next(1, 99)}@{Pick(Domains)}" },
                6 => d with { DateOfBirth = d.DateOfBirth is { Day: <= 12 } x ? new DateOnly(x.Year, x.Day, x.Month) : d.DateOfBirth },
                7 => d with { DateOfBirth = d.DateOfBirth?.AddDays(_random.Next(1, 9)) },
                _ => d with { Phone = null, Line1 = Typo(d.Line1) },
            };
        }

        return d;
    }

    private string? Typo(string? text)
    {
        if (text is null || text.Length < 3)
        {
            return text;
        }

        var chars = text.ToCharArray().ToList();
        var at = _random.Next(1, chars.Count - 1);
        switch (_random.Next(3))
        {
            case 0:
                chars.RemoveAt(at);
                break;
            case 1:
                (chars[at], chars[at + 1]) = (chars[at + 1], chars[at]);
                break;
            default:
                chars[at] = (char)('a' + _random.Next(26));
                break;
        }

        return new string(chars.ToArray());
    }

    private string? Nickname(string? first)
    {
        foreach (var (name, nick) in Nicks)
        {
            if (string.Equals(first, name, StringComparison.OrdinalIgnoreCase))
            {
                return Capital(nick);
            }
        }

        return Typo(first);
    }

    private string Pick(string[] values) => values[_random.Next(values.Length)];

    private string Letters(int n) => string.Create(n, _random, (span, r) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (char)('a' + r.Next(26));
        }
    });

    private static string Capital(string value) => value.Length == 0 ? value : char.ToUpperInvariant(value[0]) + value[1..];
}

/// <summary>The figures of <c>bench dedup</c>.</summary>
public sealed record DedupBenchmarkResult(int Records, long CandidatePairs, double FullSeconds, int IncrementalRecords, double IncrementalSeconds, long PeakMb)
{
    public double WriteSeconds { get; init; }
    public double LoadSeconds { get; init; }
    public long IncrementalCandidatePairs { get; init; }
    public long ScoredPairs { get; init; }
    public int AutoClusters { get; init; }
    public PairMetrics? Planted { get; init; }
    public Dictionary<string, double> Stages { get; init; } = [];
    public Dictionary<string, double> IncrementalStages { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["records"] = Records,
        ["candidate_pairs"] = CandidatePairs,
        ["pairs_per_record"] = Math.Round((double)CandidatePairs / Math.Max(1, Records), 2),
        ["full_seconds"] = Math.Round(FullSeconds, 2),
        ["full_load_seconds"] = Math.Round(LoadSeconds, 2),
        ["full_stages"] = Stages.ToDictionary(s => s.Key, s => Math.Round(s.Value, 2)),
        ["incremental_records"] = IncrementalRecords,
        ["incremental_seconds"] = Math.Round(IncrementalSeconds, 3),
        ["incremental_stages"] = IncrementalStages.ToDictionary(s => s.Key, s => Math.Round(s.Value, 3)),
        ["incremental_candidate_pairs"] = IncrementalCandidatePairs,
        ["scored_pairs_review_and_above"] = ScoredPairs,
        ["planted_precision_auto_plus_review"] = Planted is null ? null : Math.Round(Planted.Precision, 4),
        ["planted_recall_auto_plus_review"] = Planted is null ? null : Math.Round(Planted.Recall, 4),
        ["database_write_seconds"] = Math.Round(WriteSeconds, 1),
        ["peak_mb"] = PeakMb,
    });
}

/// <summary>
/// <c>bench dedup</c>: writes N generated customers (five groups) into a fresh SQLite database, then times the full
/// retail pass as a run does it (load from the database, normalise, block, compare, train, score, cluster; writing
/// suggestions and merges is not timed), then writes 10,000 more customers flagged as pending and times matching
/// them against the in-memory index of the full pass (load the pending records from the database, normalise, block,
/// compare, score, cluster).
/// </summary>
public static class DedupBenchmark
{
    /// <summary>
    /// Writes the customers of the full pass and generates (not yet writes) the later records of the incremental one,
    /// so that the generator's memory of every person is gone before the pass is measured.
    /// </summary>
    private static async Task<(int Planted, List<BulkPerson> Later)> WriteAsync(DatabaseSettings settings, long networkId, long[] groups, int customers,
        int incremental, CancellationToken cancellationToken)
    {
        var generator = new DedupBenchGenerator(20260101, groups.Length);
        await DedupBulkWriter.WriteAsync(settings, networkId, groups, generator.Generate(customers, 0.1), "GB", pending: false, cancellationToken);
        var planted = generator.Duplicates;
        return (planted, generator.Generate(incremental, 0.5).ToList());
    }

    public static async Task<DedupBenchmarkResult> RunAsync(string path, int customers, int incremental, Action<string>? log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        void Log(string message)
        {
            using var self = Process.GetCurrentProcess();
            log?.Invoke($"{message} (peak so far {self.PeakWorkingSet64 / (1024 * 1024):N0} MB)");
        }

        var (settings, networkId, groups) = await DedupBulkWriter.CreateDatabaseAsync(path, 5, cancellationToken);
        var (plantedCount, later) = await WriteAsync(settings, networkId, groups, customers, incremental, cancellationToken);
        var writeSeconds = clock.Elapsed.TotalSeconds;
        Log($"wrote {customers:N0} customers ({plantedCount:N0} planted duplicates) in {writeSeconds:F1} s");

        GC.Collect();
        clock.Restart();
        var store = new MatchStore(customers + incremental + 16);
        await using (var db = CrmDatabase.CreateContext(settings))
        {
            await DedupRecordLoader.LoadAsync(db, networkId, store, pendingOnly: false, cancellationToken);
        }

        var loadSeconds = clock.Elapsed.TotalSeconds;
        Log($"loaded and normalised {store.Count:N0} records in {loadSeconds:F1} s");
        var outcome = MatchEngine.Run(store, MatchScope.WithinGroup, null, cancellationToken: cancellationToken);
        var fullSeconds = clock.Elapsed.TotalSeconds;
        Log($"full pass {fullSeconds:F1} s: {outcome.CandidatePairs:N0} candidate pairs, {outcome.Scored.Count:N0} at review or above");

        PairMetrics? planted = null;
        await using (var db = CrmDatabase.CreateContext(settings))
        {
            var references = await db.Customers.Select(c => new { c.Id, c.SourceReference }).ToDictionaryAsync(c => c.Id, c => c.SourceReference, cancellationToken);
            var entities = new string?[store.Count];
            for (var i = 0; i < store.Count; i++)
            {
                entities[i] = references.GetValueOrDefault(store.Ids[i]);
            }

            planted = PairScoring.Score(outcome.ReviewClusters, entities);
        }

        var entry = new DedupIndexCache.Entry
        {
            Store = store, Index = outcome.Index, Model = outcome.Model, RuleSetId = 0, ById = [], Retired = [],
        };

        await DedupBulkWriter.WriteAsync(settings, networkId, groups, later, "GB", pending: true, cancellationToken);
        GC.Collect();
        clock.Restart();
        var stages = new Dictionary<string, double>();
        var from = store.Count;
        await using (var db = CrmDatabase.CreateContext(settings))
        {
            await DedupRecordLoader.LoadAsync(db, networkId, store, pendingOnly: true, cancellationToken);
        }

        stages["load"] = clock.Elapsed.TotalSeconds;
        var (pairs, candidates) = DedupRunner.MatchNew(entry, from, MatchEngine.DefaultThreads);
        var auto = Clustering.Cluster(store, entry.Model, pairs, entry.Model.AutoThreshold);
        var incrementalSeconds = clock.Elapsed.TotalSeconds;
        stages["match"] = incrementalSeconds - stages["load"];
        Log($"incremental {store.Count - from:N0} records in {incrementalSeconds:F2} s: {candidates:N0} candidate pairs, {pairs.Count:N0} at review or above, {auto.Count(c => c >= 0):N0} in automatic clusters");

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new DedupBenchmarkResult(customers, outcome.CandidatePairs, fullSeconds, store.Count - from, incrementalSeconds, process.PeakWorkingSet64 / (1024 * 1024))
        {
            WriteSeconds = writeSeconds,
            LoadSeconds = loadSeconds,
            IncrementalCandidatePairs = candidates,
            ScoredPairs = outcome.Scored.Count,
            Planted = planted,
            Stages = outcome.StageSeconds,
            IncrementalStages = stages,
        };
    }
}
