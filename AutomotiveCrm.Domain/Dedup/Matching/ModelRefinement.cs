namespace AutomotiveCrm.Domain.Dedup.Matching;

/// <summary>
/// Refines a trained model's m probabilities with the pairs stewards confirmed as the same person. Each confirmed
/// pair's explanation holds the level every field was in; the counts of those levels are added to the trained m
/// treated as <see cref="PriorPairs"/> pairs' worth of evidence (a Dirichlet prior), so a handful of decisions nudges
/// the weights and hundreds of decisions dominate them. u stays as trained: it describes random pairs of the whole
/// population, which steward decisions (taken on borderline pairs only) say little about. "Not a duplicate" decisions
/// are not used for the same reason; they already keep their pair out of the queue.
/// </summary>
public static class ModelRefinement
{
    /// <summary>How many confirmed pairs the trained m counts as.</summary>
    public const double PriorPairs = 200;

    /// <summary>Fewer new confirmed pairs than this do not make a new rule-set version.</summary>
    public const int MinDecisions = 10;

    private const string SwappedSuffix = " (first and last names swapped)";

    /// <summary>A copy of <paramref name="model"/> with m refined by <paramref name="confirmed"/>; how many pairs were usable.</summary>
    public static (MatchModel Model, int Used) Refine(MatchModel model, IEnumerable<MatchExplanation> confirmed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(confirmed);
        var refined = MatchModel.FromJson(model.ToJson());
        refined.AutoThreshold = model.AutoThreshold;
        refined.ReviewThreshold = model.ReviewThreshold;
        var counts = refined.Fields.Select(f => new double[f.Levels.Length]).ToArray();
        var used = 0;
        foreach (var explanation in confirmed)
        {
            var any = false;
            foreach (var score in explanation.Fields)
            {
                var f = Array.FindIndex(refined.Fields, p => string.Equals(p.Field, score.Field, StringComparison.Ordinal));
                if (f < 0)
                {
                    continue;
                }

                var label = score.Level.EndsWith(SwappedSuffix, StringComparison.Ordinal) ? score.Level[..^SwappedSuffix.Length] : score.Level;
                var level = Array.IndexOf(refined.Fields[f].Levels, label);
                if (level > 0)
                {
                    counts[f][level]++;
                    any = true;
                }
            }

            if (any)
            {
                used++;
            }
        }

        for (var f = 0; f < refined.Fields.Length; f++)
        {
            var m = refined.Fields[f].M;
            var observed = counts[f].Sum();
            if (observed == 0)
            {
                continue;
            }

            for (var l = 1; l < m.Length; l++)
            {
                // A level never confirmed keeps a little of its prior mass; it never drops to zero.
                m[l] = ((PriorPairs * m[l]) + counts[f][l]) / (PriorPairs + observed);
            }
        }

        refined.ResetWeights();
        return (refined, used);
    }
}
