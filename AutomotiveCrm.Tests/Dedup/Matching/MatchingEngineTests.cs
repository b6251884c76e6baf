using AutomotiveCrm.Domain.Dedup.Matching;
using AutomotiveCrm.Domain.Dedup.Runs;

namespace AutomotiveCrm.Tests.Dedup.Matching;

public sealed class NormalisationTests
{
    [Theory]
    [InlineData("José  O'Neill", "jose oneill")]
    [InlineData("  MÜLLER-Lüdenscheidt ", "muller ludenscheidt")]
    [InlineData("Straße", "strasse")]
    [InlineData("Søren Ærø", "soren aero")]
    [InlineData("   ", null)]
    public void Fold_FoldsCaseDiacriticsAndPunctuation(string input, string? expected) => Assert.Equal(expected, MatchText.Fold(input));

    [Theory]
    [InlineData("Mary-Ann", "maryann")]
    [InlineData("mary ann", "maryann")]
    public void Name_IgnoresSpacesAndHyphens(string input, string expected) => Assert.Equal(expected, MatchText.Name(input));

    [Theory]
    [InlineData(" Ann.Smith+cars@GoogleMail.com ", "annsmith@gmail.com")]
    [InlineData("ann.smith+x@example.com", "ann.smith@example.com")]
    [InlineData("not-an-address", null)]
    public void Email_AppliesPlusTagAndProviderDotRules(string input, string? expected) => Assert.Equal(expected, MatchText.Email(input));

    [Theory]
    [InlineData("sw1a1aa", "GB", "SW1A 1AA")]
    [InlineData("SW1A  1AA", "GB", "SW1A 1AA")]
    [InlineData("01234", "DE", "01234")]
    [InlineData("1234ab", "NL", "1234 AB")]
    public void Postcode_TakesTheCountryFormat(string input, string country, string expected) => Assert.Equal(expected, MatchText.Postcode(input, country));

    [Fact]
    public void Phone_ReadsNationalNumbersAsE164OfTheCountry()
    {
        Assert.Equal("+447700900123", MatchText.Phone("07700 900123", "GB"));
        Assert.Equal("+447700900123", MatchText.Phone("+44 7700 900123", "DE"));
    }

    [Fact]
    public void Nicknames_KnowCommonVariants()
    {
        Assert.True(Nicknames.AreVariants("bob", "robert"));
        Assert.Equal(Nicknames.CanonicalOf("liz"), Nicknames.CanonicalOf("elizabeth"));
        Assert.False(Nicknames.AreVariants("bob", "william"));
    }
}

public sealed class StringMetricsTests
{
    [Theory]
    [InlineData("MARTHA", "MARHTA", 0.9611)]
    [InlineData("DWAYNE", "DUANE", 0.84)]
    [InlineData("DIXON", "DICKSONX", 0.8133)]
    [InlineData("JELLYFISH", "SMELLYFISH", 0.8963)]
    [InlineData("ABC", "ABC", 1.0)]
    [InlineData("ABC", "XYZ", 0.0)]
    public void JaroWinkler_MatchesPublishedValues(string a, string b, double expected) =>
        Assert.Equal(expected, StringMetrics.JaroWinkler(a, b), 3);

    [Fact]
    public void JaroWinkler_CapsThePrefixAtFourCharacters()
    {
        // Both share a 6-character prefix; only 4 count, so the score stays below what 6 would give.
        var jaro = StringMetrics.Jaro("abcdefxy", "abcdefyz");
        Assert.Equal(jaro + (4 * 0.1 * (1 - jaro)), StringMetrics.JaroWinkler("abcdefxy", "abcdefyz"), 10);
    }

    [Theory]
    [InlineData("ca", "abc", 3)]
    [InlineData("abcd", "acbd", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("same", "same", 0)]
    public void OsaDistance_CountsAdjacentTranspositionsAsOneEdit(string a, string b, int expected) =>
        Assert.Equal(expected, StringMetrics.OsaDistance(a, b));
}

public sealed class DoubleMetaphoneTests
{
    [Theory]
    [InlineData("Smith", "SM0", "XMT")]
    [InlineData("Schmidt", "XMT", "SMT")]
    [InlineData("Thomas", "TMS", "TMS")]
    [InlineData("Knight", "NT", "NT")]
    [InlineData("Philip", "FLP", "FLP")]
    [InlineData("Jose", "HS", "HS")]
    [InlineData("Xavier", "SF", "SFR")]
    [InlineData("Catherine", "K0RN", "KTRN")]
    public void Encode_GivesTheKnownCodes(string word, string primary, string alternate)
    {
        var (p, a) = DoubleMetaphone.Encode(word);
        Assert.Equal(primary, p);
        Assert.Equal(alternate, a);
    }

    [Theory]
    [InlineData("Smith", "Smyth")]
    [InlineData("Catherine", "Kathryn")]
    [InlineData("Philips", "Fillips")]
    public void Encode_GivesSoundAlikesOneCode(string a, string b) => Assert.Equal(DoubleMetaphone.Primary(a), DoubleMetaphone.Primary(b));
}

public sealed class ComparisonTests
{
    [Theory]
    [InlineData(19800512, 19800512, 1)]
    [InlineData(19800512, 19801205, 2)]
    [InlineData(19800512, 19800513, 3)]
    [InlineData(19800512, 19805012, 3)]
    [InlineData(19800512, 19800930, 4)]
    [InlineData(19800512, 19710101, 5)]
    [InlineData(0, 19800512, 0)]
    public void DateLevel_ExactSwappedOneDigitSameYear(int a, int b, int level) => Assert.Equal(level, Comparisons.DateLevel(a, b));

    [Fact]
    public void Compare_RecognisesSwappedNames()
    {
        var store = new MatchStore();
        var a = store.Add(new MatchRecord { Id = 1, GroupId = 1, FirstName = "Hannah", LastName = "Okafor" });
        var b = store.Add(new MatchRecord { Id = 2, GroupId = 1, FirstName = "Okafor", LastName = "Hannah" });
        var pattern = Comparisons.Compare(store, a, b);
        Assert.True(Comparisons.Swapped(pattern));
        Assert.Equal(Comparisons.Exact, Comparisons.Level(pattern, (int)MatchField.LastName));
    }

    [Fact]
    public void Compare_RepeatedNamePairsGiveTheSameLevelsAndAnotherStoresTokensAreNotConfused()
    {
        // The same token ids (1 and 2 in each table) stand for close names in one store and unrelated ones in the
        // other; the thread's level cache must not carry one store's answers over to the other.
        var close = new MatchStore();
        var a = close.Add(new MatchRecord { Id = 1, GroupId = 1, FirstName = "Katherine", LastName = "Smith", City = "Leeds" });
        var b = close.Add(new MatchRecord { Id = 2, GroupId = 1, FirstName = "Katharine", LastName = "Smyth", City = "Leeds" });
        var far = new MatchStore();
        var c = far.Add(new MatchRecord { Id = 1, GroupId = 1, FirstName = "Katherine", LastName = "Smith", City = "Leeds" });
        var d = far.Add(new MatchRecord { Id = 2, GroupId = 1, FirstName = "Bartholomew", LastName = "Oyelaran", City = "Truro" });

        for (var round = 0; round < 3; round++)
        {
            var near = Comparisons.Compare(close, a, b);
            var apart = Comparisons.Compare(far, c, d);
            Assert.Equal(3, Comparisons.Level(near, (int)MatchField.FirstName));
            Assert.Equal(3, Comparisons.Level(near, (int)MatchField.LastName));
            Assert.Equal(6, Comparisons.Level(apart, (int)MatchField.FirstName));
            Assert.Equal(4, Comparisons.Level(apart, (int)MatchField.LastName));
            Assert.Equal(3, Comparisons.Level(apart, (int)MatchField.City));
        }
    }

    [Fact]
    public void Compare_EmailUserPartAndPhoneLevels()
    {
        var store = new MatchStore();
        var a = store.Add(new MatchRecord { Id = 1, GroupId = 1, Email = "ann.smith@example.com", Phone = "07700 900123", CountryCode = "GB" });
        var b = store.Add(new MatchRecord { Id = 2, GroupId = 1, Email = "ann.smith@work.example", Phone = "+447700900124", CountryCode = "GB" });
        var pattern = Comparisons.Compare(store, a, b);
        Assert.Equal(2, Comparisons.Level(pattern, (int)MatchField.Email));
        Assert.Equal(2, Comparisons.Level(pattern, (int)MatchField.Phone));
    }
}

public sealed class TrainingAndClusteringTests
{
    [Fact]
    public void Em_RecoversMatchAndNonMatchDistributionsOfSyntheticPatterns()
    {
        // Three fields (two are not enough for a two-class mixture to be identifiable): matches agree exactly 90% of
        // the time on each, non-matches 5%; 30% of the pairs are matches. Counts are the expected ones.
        var patterns = new Dictionary<ulong, long>();
        uint[] agree = [1, 1, 1];
        uint[] differ = [6, 4, 5];
        for (var mask = 0; mask < 8; mask++)
        {
            double match = 3000, non = 7000;
            ulong key = 0;
            for (var f = 0; f < 3; f++)
            {
                var same = (mask & (1 << f)) != 0;
                match *= same ? 0.9 : 0.1;
                non *= same ? 0.05 : 0.95;
                key |= (ulong)(same ? agree[f] : differ[f]) << (4 * f);
            }

            patterns[key] = (long)Math.Round(match + non);
        }

        var u = Comparisons.Labels.Select(l => Enumerable.Repeat(1.0 / (l.Length - 1), l.Length).ToArray()).ToArray();

        var (m, uc, lambda, iterations) = ModelTrainer.Em(patterns, u);

        Assert.InRange(lambda, 0.27, 0.33);
        Assert.InRange(m[0][1], 0.85, 0.95);
        Assert.InRange(m[2][1], 0.85, 0.95);
        Assert.InRange(uc[0][1], 0.02, 0.08);
        Assert.InRange(iterations, 2, ModelTrainer.MaxIterations);
    }

    [Fact]
    public void SessionTraining_IsNotFooledByCandidatesDominatedByNamesakes()
    {
        // Large files with few distinct first names: most candidate pairs share only a first name (blocking put them
        // together), 0.5% are true matches. A single EM over all candidates with a free non-match distribution takes
        // "shares a first name" for the match class; the session estimates must find the real matches' agreement.
        var random = new Random(7);
        var patterns = new Dictionary<ulong, long>();
        // Fields: first, last, date of birth, postcode, e-mail, phone. Level 1 exact, last level different.
        MatchField[] fields = [MatchField.FirstName, MatchField.LastName, MatchField.DateOfBirth, MatchField.Postcode, MatchField.Email, MatchField.Phone];
        double[] matchAgree = [0.9, 0.85, 0.85, 0.7, 0.6, 0.6];
        double[] randomAgree = [0.007, 0.004, 0.0001, 0.00001, 0.000001, 0.000001];

        ulong Pattern(bool isMatch, bool firstForced)
        {
            ulong key = 0;
            for (var k = 0; k < fields.Length; k++)
            {
                var f = (int)fields[k];
                var agree = (k == 0 && firstForced) || random.NextDouble() < (isMatch ? matchAgree[k] : randomAgree[k]);
                key |= (ulong)(agree ? Comparisons.Exact : Comparisons.Labels[f].Length - 1) << (4 * f);
            }

            return key;
        }

        const int Matches = 2_000, Namesakes = 160_000, Others = 238_000;
        for (var n = 0; n < Matches + Namesakes + Others; n++)
        {
            var key = Pattern(n < Matches, n >= Matches && n < Matches + Namesakes);
            patterns[key] = patterns.GetValueOrDefault(key) + 1;
        }

        var u = Comparisons.Labels.Select(l => new double[l.Length]).ToArray();
        for (var k = 0; k < fields.Length; k++)
        {
            var f = (int)fields[k];
            u[f][Comparisons.Exact] = randomAgree[k];
            u[f][^1] = 1 - randomAgree[k];
        }

        for (var f = 0; f < Comparisons.FieldCount; f++)
        {
            if (u[f].Skip(1).Sum() == 0)
            {
                Array.Fill(u[f], 1.0 / (u[f].Length - 1));
                u[f][0] = 0;
            }
        }

        var (m, _) = ModelTrainer.SessionM(patterns, u);
        var share = ModelTrainer.CandidateMatchShare(patterns, m, u);

        for (var k = 0; k < fields.Length; k++)
        {
            Assert.InRange(m[(int)fields[k]][Comparisons.Exact], matchAgree[k] - 0.08, matchAgree[k] + 0.08);
        }

        Assert.InRange(share, 0.7 * Matches / 400_000.0, 1.3 * Matches / 400_000.0);
    }

    [Fact]
    public void Cluster_DoesNotGlueAChainOfWeakLinks()
    {
        // A-B, B-C, C-D link at the threshold, but A and D share nothing: plain components would make one cluster.
        var store = new MatchStore();
        store.Add(new MatchRecord { Id = 1, GroupId = 1, FirstName = "Alan", LastName = "Brook", DateOfBirth = new DateOnly(1970, 1, 1) });
        store.Add(new MatchRecord { Id = 2, GroupId = 1, FirstName = "Alan", LastName = "Brook", DateOfBirth = new DateOnly(1982, 7, 9) });
        store.Add(new MatchRecord { Id = 3, GroupId = 1, FirstName = "Cora", LastName = "Brook", DateOfBirth = new DateOnly(1982, 7, 9) });
        store.Add(new MatchRecord { Id = 4, GroupId = 1, FirstName = "Cora", LastName = "Drake", DateOfBirth = new DateOnly(1982, 7, 9) });
        var model = MatchModel.Untrained(MatchScope.WithinGroup);
        model.ReviewThreshold = 0;
        var pairs = new CandidatePairs();
        pairs.Add(0, 1, Comparisons.Compare(store, 0, 1));
        pairs.Add(1, 2, Comparisons.Compare(store, 1, 2));
        pairs.Add(2, 3, Comparisons.Compare(store, 2, 3));
        // Give every link the same passing score; the cross pairs are scored by the model itself.
        pairs.Score.Fill(5);

        var clusters = Clustering.Cluster(store, model, pairs, model.ReviewThreshold);

        Assert.NotEqual(clusters[0], clusters[3] < 0 ? -2 : clusters[3]);
        Assert.True(clusters[0] < 0 || clusters[0] != clusters[3]);
    }

    [Fact]
    public void Model_RoundTripsThroughJsonWithItsParameters()
    {
        var model = MatchModel.Untrained(MatchScope.AcrossGroups);
        model.AutoThreshold = 12.5;
        model.PriorWeight = -17.25;
        model.Fields[1].M[1] = 0.77;

        var copy = MatchModel.FromJson(model.ToJson());

        Assert.Equal(MatchScope.AcrossGroups, copy.Scope);
        Assert.Equal(12.5, copy.AutoThreshold);
        Assert.Equal(-17.25, copy.PriorWeight);
        Assert.Equal(0.77, copy.Fields[1].M[1]);
        Assert.Equal(model.Weights[0], copy.Weights[0]);
    }

    [Fact]
    public void Explain_GivesEachFieldsLevelWeightAndValues()
    {
        var store = new MatchStore();
        var a = store.Add(new MatchRecord { Id = 1, GroupId = 1, FirstName = "Robert", LastName = "Hale", DateOfBirth = new DateOnly(1980, 5, 12) });
        var b = store.Add(new MatchRecord { Id = 2, GroupId = 1, FirstName = "Bob", LastName = "Hale", DateOfBirth = new DateOnly(1980, 12, 5) });
        var model = MatchModel.Untrained(MatchScope.WithinGroup);
        var explanation = model.Explain(store, a, b, Comparisons.Compare(store, a, b));

        var first = explanation.Fields.Single(f => f.Field == nameof(MatchField.FirstName));
        Assert.Equal("nickname", first.Level);
        Assert.Equal(("robert", "bob"), (first.Left, first.Right));
        Assert.Equal("day and month swapped", explanation.Fields.Single(f => f.Field == nameof(MatchField.DateOfBirth)).Level);
        Assert.Equal(explanation.Score, Math.Round(explanation.Prior + explanation.Fields.Sum(f => f.Weight), 2), 1);
    }
}

public sealed class EvaluationTests
{
    /// <summary>The development files in ../shared beside the repository (where CI's fresh clone finds them too).</summary>
    private static string DataFile(string name) =>
        Path.Combine(AutomotiveCrm.Tests.Hosting.CrmWebFactory.RepositoryRoot(), "..", "shared", "data", "dedup", name);

    [Fact]
    public async Task Evaluate_Febrl1_MeetsTheTargets()
    {
        var result = await DedupEvaluation.RunAsync(DataFile("febrl1.csv"), cancellationToken: CancellationToken.None);

        Assert.Equal(1000, result.Records);
        Assert.True(result.BlockingRecall >= 0.99, $"blocking recall {result.BlockingRecall}");
        Assert.True(result.AutoPlusReview.F1 >= 0.995, $"F1 {result.AutoPlusReview.F1}");
        Assert.True(result.Auto.Precision >= 0.995, $"automatic precision {result.Auto.Precision}");
        Assert.Contains("\"auto_plus_review\"", result.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void LabelledRecords_ReadQuotedFieldsAndBlankEntities()
    {
        var csv = "record_id,entity_id,first_name,last_name,date_of_birth,address_line1,address_line2,city,postcode,state,email,phone\n"
            + "a,1,\"Ann, Jr\",Lee,1980-02-03,\"1 \"\"Main\"\" St\",,Leeds,LS1 1AA,,ann@x.com,\n"
            + "b,,Bo,Lee,,,,,,,,07700900123\n";
        var rows = LabelledRecords.Read(new StringReader(csv));

        Assert.Equal(2, rows.Count);
        Assert.Equal("Ann, Jr", rows[0].Record.FirstName);
        Assert.Equal("1 \"Main\" St", rows[0].Record.Line1);
        Assert.Equal(new DateOnly(1980, 2, 3), rows[0].Record.DateOfBirth);
        Assert.Null(rows[1].EntityId);
        Assert.Equal(0, PairScoring.TruePairs(rows.Select(r => r.EntityId).ToList()));
    }
}
