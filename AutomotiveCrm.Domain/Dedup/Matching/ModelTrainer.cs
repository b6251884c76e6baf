namespace AutomotiveCrm.Domain.Dedup.Matching;

/// <summary>
/// Estimates a model's parameters from the data itself, without labels:
/// <list type="bullet">
/// <item>u, P(level | non-match), from random pairs in scope: nearly all random pairs are different people; the few
/// true matches among them are taken out using m and the estimated match rate;</item>
/// <item>m, P(level | match), by expectation-maximisation in "sessions": each session takes the candidate pairs that
/// agree exactly on one identifying field (e-mail, phone, both names, date of birth, postcode) and estimates m of the
/// other fields only, with u held at the random-pair values. Within a session the non-matches agree on the session's
/// field by construction, and their other fields behave like random pairs, so the two classes stay what they should
/// be. A single EM over all candidates, with the candidates' non-match distribution estimated alongside, can settle on
/// "shares a first name" as the match class when namesakes dominate the candidates (large files with few distinct
/// names); m of a field is the average over the sessions that do not condition on it, weighted by expected matches;</item>
/// <item>the share of matches among the candidate pairs, by EM over that one parameter with m and u fixed;</item>
/// <item>the prior odds of a match between two random records: the matches EM expects among the candidates over
/// all pairs in scope.</item>
/// </list>
/// </summary>
public static class ModelTrainer
{
    public const int MaxIterations = 200;
    private const double Tolerance = 1e-7;

    public static MatchModel Train(MatchStore store, CandidatePairs candidates, MatchScope scope, int seed = 1, int randomPairs = 1_000_000,
        MatchModel? settings = null)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var patterns = new Dictionary<ulong, long>();
        foreach (var pattern in candidates.Pattern)
        {
            patterns[pattern] = patterns.GetValueOrDefault(pattern) + 1;
        }

        return Train(store, patterns, candidates.Count, scope, seed, randomPairs, settings);
    }

    /// <summary>
    /// Trains from the counts of the candidates' comparison patterns (all candidates, or a sample of them) and the
    /// number of candidate pairs there are in all.
    /// </summary>
    public static MatchModel Train(MatchStore store, IReadOnlyDictionary<ulong, long> candidatePatterns, long candidateCount, MatchScope scope,
        int seed = 1, int randomPairs = 1_000_000, MatchModel? settings = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(candidatePatterns);
        var model = MatchModel.Untrained(scope);
        if (settings is not null)
        {
            model.AutoThreshold = settings.AutoThreshold;
            model.ReviewThreshold = settings.ReviewThreshold;
        }

        var random = RandomLevelCounts(store, scope, seed, randomPairs);
        var patterns = new Dictionary<ulong, long>();
        foreach (var (pattern, count) in candidatePatterns)
        {
            var key = pattern & ~Comparisons.SwappedFlag;
            patterns[key] = patterns.GetValueOrDefault(key) + count;
        }

        var uRandom = Normalise(random);
        var (m, iterations) = SessionM(patterns, uRandom);
        var lambda = CandidateMatchShare(patterns, m, uRandom);

        var inScope = PairsInScope(store, scope);
        var expectedMatches = lambda * candidateCount;
        var prior = Math.Clamp(expectedMatches / Math.Max(1, inScope), 1e-12, 0.5);
        for (var f = 0; f < Comparisons.FieldCount; f++)
        {
            var levels = m[f].Length;
            var nonNull = 0L;
            for (var l = 1; l < levels; l++)
            {
                nonNull += random[f][l];
            }

            // A level never seen among the sampled random pairs is rarer than one in the sample, not impossible.
            var floor = 0.5 / Math.Max(1, nonNull);
            var u = new double[levels];
            for (var l = 1; l < levels; l++)
            {
                var observed = nonNull == 0 ? uRandom[f][l] : (double)random[f][l] / nonNull;
                u[l] = Math.Max(floor, (observed - (prior * m[f][l])) / (1 - prior));
            }

            var sum = u.Sum();
            for (var l = 1; l < levels; l++)
            {
                u[l] /= sum;
            }

            model.Fields[f].M.AsSpan().Clear();
            for (var l = 1; l < levels; l++)
            {
                model.Fields[f].M[l] = m[f][l];
                model.Fields[f].U[l] = u[l];
            }

            model.Fields[f].U[0] = 0;
        }

        model.PriorWeight = Math.Log2(prior / (1 - prior));
        model.CandidateMatchShare = lambda;
        model.CandidatePairs = candidateCount;
        model.Records = store.Count;
        model.EmIterations = iterations;
        model.ResetWeights();
        return model;
    }

    /// <summary>Pairs of records in scope: within each group (retail) or between different groups (wholesale).</summary>
    public static double PairsInScope(MatchStore store, MatchScope scope)
    {
        ArgumentNullException.ThrowIfNull(store);
        var sizes = new Dictionary<long, long>();
        for (var i = 0; i < store.Count; i++)
        {
            sizes[store.Groups[i]] = sizes.GetValueOrDefault(store.Groups[i]) + 1;
        }

        double within = 0;
        foreach (var size in sizes.Values)
        {
            within += size * (double)(size - 1) / 2;
        }

        double all = store.Count * (double)(store.Count - 1) / 2;
        return scope == MatchScope.WithinGroup ? within : all - within;
    }

    /// <summary>Counts of each level per field over random pairs in scope (all pairs when there are few).</summary>
    public static long[][] RandomLevelCounts(MatchStore store, MatchScope scope, int seed, int samples)
    {
        ArgumentNullException.ThrowIfNull(store);
        var counts = Comparisons.Labels.Select(l => new long[l.Length]).ToArray();
        var n = store.Count;
        if (n < 2)
        {
            return counts;
        }

        void Count(ulong pattern)
        {
            for (var f = 0; f < Comparisons.FieldCount; f++)
            {
                counts[f][Comparisons.Level(pattern, f)]++;
            }
        }

        bool InScope(int i, int j) => scope == MatchScope.WithinGroup ? store.Groups[i] == store.Groups[j] : store.Groups[i] != store.Groups[j];

        if ((double)n * (n - 1) / 2 <= samples)
        {
            for (var i = 0; i < n; i++)
            {
                for (var j = i + 1; j < n; j++)
                {
                    if (InScope(i, j))
                    {
                        Count(Comparisons.Compare(store, i, j));
                    }
                }
            }

            return counts;
        }

        // Retail: a random record and a random other record of its group (members listed by group once).
        var byGroup = new Dictionary<long, List<int>>();
        if (scope == MatchScope.WithinGroup)
        {
            for (var i = 0; i < n; i++)
            {
                if (!byGroup.TryGetValue(store.Groups[i], out var members))
                {
                    byGroup[store.Groups[i]] = members = [];
                }

                members.Add(i);
            }
        }

        var random = new Random(seed);
        var taken = 0;
        for (var attempt = 0; taken < samples && attempt < samples * 4; attempt++)
        {
            var i = random.Next(n);
            int j;
            if (scope == MatchScope.WithinGroup)
            {
                var members = byGroup[store.Groups[i]];
                if (members.Count < 2)
                {
                    continue;
                }

                j = members[random.Next(members.Count)];
            }
            else
            {
                j = random.Next(n);
            }

            if (i == j || !InScope(i, j))
            {
                continue;
            }

            Count(Comparisons.Compare(store, i, j));
            taken++;
        }

        return counts;
    }

    /// <summary>A session: the candidate pairs exact on <see cref="On"/>, estimating m of every field not in <see cref="Masked"/>.</summary>
    private sealed record Session(MatchField[] On, MatchField[] Masked);

    private static readonly Session[] Sessions =
    [
        new([MatchField.Email], [MatchField.Email]),
        new([MatchField.Phone], [MatchField.Phone]),
        // E-mail user names often spell the names: conditioning on the names would bias the e-mail's m.
        new([MatchField.FirstName, MatchField.LastName], [MatchField.FirstName, MatchField.LastName, MatchField.Email]),
        new([MatchField.DateOfBirth], [MatchField.DateOfBirth]),
        // Address, city and region go with the postcode.
        new([MatchField.Postcode], [MatchField.Postcode, MatchField.Address, MatchField.City, MatchField.Region]),
    ];

    /// <summary>Below this many pairs a session's estimate is too noisy to use.</summary>
    private const int MinSessionPairs = 30;

    /// <summary>m per field from the sessions (see the class summary); the starting values where no session informs a field.</summary>
    public static (double[][] M, int Iterations) SessionM(IReadOnlyDictionary<ulong, long> patterns, double[][] u)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentNullException.ThrowIfNull(u);
        var sums = Comparisons.Labels.Select(l => new double[l.Length]).ToArray();
        var weights = new double[Comparisons.FieldCount];
        var iterations = 0;
        foreach (var session in Sessions)
        {
            var masked = new bool[Comparisons.FieldCount];
            foreach (var f in session.Masked)
            {
                masked[(int)f] = true;
            }

            var selected = new Dictionary<ulong, long>();
            var pairs = 0L;
            foreach (var (pattern, count) in patterns)
            {
                if (session.On.All(f => Comparisons.Level(pattern, (int)f) == Comparisons.Exact))
                {
                    var key = pattern;
                    foreach (var f in session.Masked)
                    {
                        key &= ~(0xFUL << ((int)f * 4));
                    }

                    selected[key] = selected.GetValueOrDefault(key) + count;
                    pairs += count;
                }
            }

            if (pairs < MinSessionPairs)
            {
                continue;
            }

            var (m, lambda, used) = EmFixedU(selected, u, masked);
            iterations += used;
            var expected = lambda * pairs;
            for (var f = 0; f < Comparisons.FieldCount; f++)
            {
                if (masked[f])
                {
                    continue;
                }

                for (var l = 1; l < m[f].Length; l++)
                {
                    sums[f][l] += expected * m[f][l];
                }

                weights[f] += expected;
            }
        }

        var result = new double[Comparisons.FieldCount][];
        for (var f = 0; f < Comparisons.FieldCount; f++)
        {
            result[f] = weights[f] > 0 ? sums[f].Select(x => x / weights[f]).ToArray() : MatchModel.InitialM(Comparisons.Labels[f].Length);
            result[f][0] = 0;
        }

        return (result, iterations);
    }

    /// <summary>
    /// EM with u held fixed: m of the fields not masked and the match share are estimated. Masked fields are level 0
    /// in the patterns given.
    /// </summary>
    public static (double[][] M, double Lambda, int Iterations) EmFixedU(IReadOnlyDictionary<ulong, long> patterns, double[][] u, bool[] masked)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentNullException.ThrowIfNull(u);
        ArgumentNullException.ThrowIfNull(masked);
        var m = Comparisons.Labels.Select(l => MatchModel.InitialM(l.Length)).ToArray();
        var lambda = 0.5;
        var keys = patterns.Keys.ToArray();
        var counts = keys.Select(k => (double)patterns[k]).ToArray();
        var total = counts.Sum();
        var iterations = 0;
        for (; iterations < MaxIterations && total > 0; iterations++)
        {
            var mSum = Comparisons.Labels.Select(l => new double[l.Length]).ToArray();
            var matchTotal = 0.0;
            for (var p = 0; p < keys.Length; p++)
            {
                var logM = Math.Log(lambda);
                var logU = Math.Log(1 - lambda);
                for (var f = 0; f < Comparisons.FieldCount; f++)
                {
                    var l = Comparisons.Level(keys[p], f);
                    if (l != 0 && !masked[f])
                    {
                        logM += Math.Log(m[f][l]);
                        logU += Math.Log(u[f][l]);
                    }
                }

                var posterior = 1 / (1 + Math.Exp(logU - logM));
                matchTotal += counts[p] * posterior;
                for (var f = 0; f < Comparisons.FieldCount; f++)
                {
                    mSum[f][Comparisons.Level(keys[p], f)] += counts[p] * posterior;
                }
            }

            var change = 0.0;
            for (var f = 0; f < Comparisons.FieldCount; f++)
            {
                if (!masked[f])
                {
                    change = Math.Max(change, Update(m[f], mSum[f]));
                }
            }

            var newLambda = Math.Clamp(matchTotal / total, 1e-9, 1 - 1e-9);
            change = Math.Max(change, Math.Abs(newLambda - lambda));
            lambda = newLambda;
            if (change < Tolerance)
            {
                iterations++;
                break;
            }
        }

        return (m, lambda, iterations);
    }

    /// <summary>The share of matches among the candidate pairs: EM over that one parameter, m and u fixed.</summary>
    public static double CandidateMatchShare(IReadOnlyDictionary<ulong, long> patterns, double[][] m, double[][] u)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var bayes = new List<(double LogRatio, double Count)>(patterns.Count);
        var total = 0.0;
        foreach (var (pattern, count) in patterns)
        {
            var logRatio = 0.0;
            for (var f = 0; f < Comparisons.FieldCount; f++)
            {
                var l = Comparisons.Level(pattern, f);
                if (l != 0)
                {
                    logRatio += Math.Log(m[f][l]) - Math.Log(u[f][l]);
                }
            }

            bayes.Add((logRatio, count));
            total += count;
        }

        if (total == 0)
        {
            return 0;
        }

        var lambda = 0.1;
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var priorLog = Math.Log(lambda / (1 - lambda));
            var matches = 0.0;
            foreach (var (logRatio, count) in bayes)
            {
                matches += count / (1 + Math.Exp(-(priorLog + logRatio)));
            }

            var next = Math.Clamp(matches / total, 1e-9, 1 - 1e-9);
            var done = Math.Abs(next - lambda) < Tolerance;
            lambda = next;
            if (done)
            {
                break;
            }
        }

        return lambda;
    }

    private static double[][] Normalise(long[][] counts) => counts.Select(c =>
    {
        var nonNull = c.Skip(1).Sum();
        return c.Select((v, l) => l == 0 ? 0 : (v + 0.5) / (nonNull + (0.5 * (c.Length - 1)))).ToArray();
    }).ToArray();

    /// <summary>
    /// EM over distinct patterns with their counts: the posterior match probability of each pattern (E), then m, u and
    /// the match share re-estimated from the expected counts (M), until the parameters stop moving.
    /// </summary>
    public static (double[][] M, double[][] U, double Lambda, int Iterations) Em(IReadOnlyDictionary<ulong, long> patterns, double[][] initialU)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentNullException.ThrowIfNull(initialU);
        var m = Comparisons.Labels.Select(l => MatchModel.InitialM(l.Length)).ToArray();
        var u = initialU.Select(x => (double[])x.Clone()).ToArray();
        var lambda = 0.2;
        var keys = patterns.Keys.ToArray();
        var weights = keys.Select(k => (double)patterns[k]).ToArray();
        var total = weights.Sum();
        if (total == 0)
        {
            return (m, u, 0, 0);
        }

        var levels = new int[keys.Length, Comparisons.FieldCount];
        for (var p = 0; p < keys.Length; p++)
        {
            for (var f = 0; f < Comparisons.FieldCount; f++)
            {
                levels[p, f] = Comparisons.Level(keys[p], f);
            }
        }

        var iterations = 0;
        for (; iterations < MaxIterations; iterations++)
        {
            var mSum = Comparisons.Labels.Select(l => new double[l.Length]).ToArray();
            var uSum = Comparisons.Labels.Select(l => new double[l.Length]).ToArray();
            var matchTotal = 0.0;
            for (var p = 0; p < keys.Length; p++)
            {
                var logM = Math.Log(lambda);
                var logU = Math.Log(1 - lambda);
                for (var f = 0; f < Comparisons.FieldCount; f++)
                {
                    var l = levels[p, f];
                    if (l != 0)
                    {
                        logM += Math.Log(m[f][l]);
                        logU += Math.Log(u[f][l]);
                    }
                }

                var posterior = 1 / (1 + Math.Exp(logU - logM));
                var c = weights[p];
                matchTotal += c * posterior;
                for (var f = 0; f < Comparisons.FieldCount; f++)
                {
                    var l = levels[p, f];
                    mSum[f][l] += c * posterior;
                    uSum[f][l] += c * (1 - posterior);
                }
            }

            var change = 0.0;
            for (var f = 0; f < Comparisons.FieldCount; f++)
            {
                change = Math.Max(change, Update(m[f], mSum[f]));
                change = Math.Max(change, Update(u[f], uSum[f]));
            }

            var newLambda = Math.Clamp(matchTotal / total, 1e-9, 1 - 1e-9);
            change = Math.Max(change, Math.Abs(newLambda - lambda));
            lambda = newLambda;
            if (change < Tolerance)
            {
                iterations++;
                break;
            }
        }

        return (m, u, lambda, iterations);
    }

    /// <summary>New probabilities over the non-missing levels from expected counts, lightly smoothed; returns the largest change.</summary>
    private static double Update(double[] probabilities, double[] sums)
    {
        var total = 0.0;
        for (var l = 1; l < sums.Length; l++)
        {
            total += sums[l];
        }

        if (total <= 0)
        {
            return 0;
        }

        const double Smoothing = 0.01;
        var change = 0.0;
        var denominator = total + (Smoothing * (sums.Length - 1));
        for (var l = 1; l < sums.Length; l++)
        {
            var value = (sums[l] + Smoothing) / denominator;
            change = Math.Max(change, Math.Abs(value - probabilities[l]));
            probabilities[l] = value;
        }

        return change;
    }
}
