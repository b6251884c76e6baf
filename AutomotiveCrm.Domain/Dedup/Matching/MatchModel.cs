using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutomotiveCrm.Domain.Dedup.Matching;

/// <summary>Whether pairs are sought within one dealer group (retail) or across groups (wholesale).</summary>
public enum MatchScope
{
    WithinGroup,
    AcrossGroups,
}

/// <summary>The trained parameters of one field: per level, P(level | match) and P(level | non-match).</summary>
public sealed class FieldParameters
{
    public required string Field { get; init; }
    public required string[] Levels { get; init; }
    public required double[] M { get; init; }
    public required double[] U { get; init; }
    public bool TermFrequency { get; init; }
}

/// <summary>
/// A Fellegi-Sunter model and the settings it was trained with: the blocking limits, the thresholds of the bands, m
/// (by EM over the candidate pairs) and u (from random pairs) per field level, and the prior odds of a match. It is
/// stored as JSON on the rule set, so a run can be repeated with exactly the rules that produced a suggestion.
/// </summary>
/// <remarks>
/// Scores are match weights in bits: log2 of the odds that the pair is one person. A weight of 0 is even odds,
/// 6.6 is 99%, 10 is 99.9%. The defaults put the review band from even odds up (the decision rule of the model) and
/// the automatic band at 99.9% and above.
/// </remarks>
public sealed class MatchModel
{
    public const double DefaultReviewThreshold = 0;
    public const double DefaultAutoThreshold = 10;

    public int Format { get; init; } = 1;
    public MatchScope Scope { get; init; }
    public double AutoThreshold { get; set; } = DefaultAutoThreshold;
    public double ReviewThreshold { get; set; } = DefaultReviewThreshold;
    /// <summary>Blocks larger than this are not paired all-to-all: each member meets its sorted neighbours only.</summary>
    public int MaxBlock { get; init; } = 40;
    /// <summary>Neighbours on each side within an oversized block.</summary>
    public int Window { get; init; } = 4;
    /// <summary>
    /// The candidate pairs per record the blocks may produce (estimated from their sizes); when a large file's blocks
    /// would produce more, the cap on all-pairs blocks and then the window are lowered (see <see cref="BlockIndex.Build"/>).
    /// </summary>
    public double PairsPerRecord { get; init; } = 16;
    /// <summary>Clusters larger than this are not grown further (no real person has dozens of records in one group).</summary>
    public int MaxClusterSize { get; init; } = 30;
    /// <summary>log2 of the prior odds that two random records (in scope) are the same person.</summary>
    public double PriorWeight { get; set; }
    /// <summary>The share of matches among the candidate pairs, as EM estimated it.</summary>
    public double CandidateMatchShare { get; set; }
    public int Records { get; set; }
    public long CandidatePairs { get; set; }
    public int EmIterations { get; set; }
    public DateTime TrainedAt { get; set; }
    public FieldParameters[] Fields { get; init; } = [];

    private double[][]? _weights;

    /// <summary>log2(m/u) per field and level (0 for "missing").</summary>
    [JsonIgnore]
    public double[][] Weights => _weights ??= Fields.Select(f => f.M.Select((m, l) => l == 0 ? 0 : Math.Log2(m / f.U[l])).ToArray()).ToArray();

    public void ResetWeights() => _weights = null;

    /// <summary>The band of a score: 2 automatic, 1 review, 0 ignored.</summary>
    public int Band(double score) => score >= AutoThreshold ? 2 : score >= ReviewThreshold ? 1 : 0;

    public static double Probability(double weight) => 1 / (1 + Math.Pow(2, -weight));

    /// <summary>
    /// The score of a pair: prior plus each field's weight; an exact level of a term-frequency field is weighted by
    /// the frequency of the shared value instead of the average agreement rate (a shared "Smith" is weaker
    /// evidence than a shared "Oyelaran").
    /// </summary>
    public double Score(MatchStore store, int i, int j, ulong pattern)
    {
        var weights = Weights;
        var total = PriorWeight;
        for (var f = 0; f < Comparisons.FieldCount; f++)
        {
            var level = Comparisons.Level(pattern, f);
            if (level == 0)
            {
                continue;
            }

            total += level == Comparisons.Exact && Fields[f].TermFrequency ? ExactWeight(store, f, i, j, pattern) : weights[f][level];
        }

        return total;
    }

    private double ExactWeight(MatchStore store, int f, int i, int j, ulong pattern)
    {
        var (table, token) = Comparisons.ExactValue(store, f, i, j, pattern);
        if (table is null || token == 0)
        {
            return Weights[f][Comparisons.Exact];
        }

        // Both records hold the value, so it occurs at least twice; the frequency is never below 2 / total.
        var u = Math.Max(table.Frequency(token), 2.0 / Math.Max(2, table.Total));
        return Math.Log2(Fields[f].M[Comparisons.Exact] / u);
    }

    /// <summary>The per-field breakdown of a score: what the review screen shows next to the two records.</summary>
    public MatchExplanation Explain(MatchStore store, int i, int j, ulong pattern)
    {
        var fields = new List<FieldScore>(Comparisons.FieldCount);
        for (var f = 0; f < Comparisons.FieldCount; f++)
        {
            var level = Comparisons.Level(pattern, f);
            var weight = level == 0 ? 0 : level == Comparisons.Exact && Fields[f].TermFrequency ? ExactWeight(store, f, i, j, pattern) : Weights[f][level];
            var (left, right) = Comparisons.Values(store, f, i, j);
            var label = Fields[f].Levels[level];
            if (Comparisons.Swapped(pattern) && f <= 1)
            {
                label += " (first and last names swapped)";
            }

            fields.Add(new FieldScore(Fields[f].Field, label, Math.Round(weight, 2), left, right));
        }

        var score = Score(store, i, j, pattern);
        return new MatchExplanation(Math.Round(score, 2), Math.Round(Probability(score), 4), Math.Round(PriorWeight, 2), fields);
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static MatchModel FromJson(string json) =>
        JsonSerializer.Deserialize<MatchModel>(json, Json) ?? throw new InvalidOperationException("The model JSON is empty.");

    /// <summary>An untrained model with the field definitions and neutral parameters.</summary>
    public static MatchModel Untrained(MatchScope scope) => new()
    {
        Scope = scope,
        Fields = Enumerable.Range(0, Comparisons.FieldCount).Select(f => new FieldParameters
        {
            Field = ((MatchField)f).ToString(),
            Levels = Comparisons.Labels[f],
            M = InitialM(Comparisons.Labels[f].Length),
            U = Enumerable.Repeat(1.0 / (Comparisons.Labels[f].Length - 1), Comparisons.Labels[f].Length).ToArray(),
            TermFrequency = Comparisons.TermFrequency[f],
        }).ToArray(),
    };

    /// <summary>EM's starting point for m: most matches agree exactly, the rest spread over the closer levels.</summary>
    internal static double[] InitialM(int levels)
    {
        var m = new double[levels];
        m[0] = 0;
        m[1] = 0.8;
        var rest = 0.2;
        for (var l = 2; l < levels; l++)
        {
            var share = l == levels - 1 ? rest : rest / 2;
            m[l] = share;
            rest -= share;
        }

        return m;
    }
}

/// <summary>One field's part of a score.</summary>
public sealed record FieldScore(string Field, string Level, double Weight, string? Left, string? Right);

/// <summary>A score with its breakdown; serialised into MatchCandidate.ExplanationJson.</summary>
public sealed record MatchExplanation(double Score, double Probability, double Prior, IReadOnlyList<FieldScore> Fields)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static MatchExplanation? FromJson(string? json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<MatchExplanation>(json, Json);

    /// <summary>Short reasons for the queue's filter: the fields that agreed (exactly or nearly), strongest first.</summary>
    public string Reasons() => string.Join(", ", Fields.Where(f => f.Weight > 1).OrderByDescending(f => f.Weight).Select(f => $"{f.Field}: {f.Level}"));
}
