using AutomotiveCrm.Domain.Dedup.Review;

namespace AutomotiveCrm.Web.Dedup;

/// <summary>
/// The steward's choice of surviving value per field of one comparison: starts at the service's defaults (most recent
/// non-empty, most complete) and records each change. Only fields whose values differ are a choice.
/// </summary>
public sealed class ComparisonChoices
{
    private readonly Dictionary<string, ComparisonSide> sides = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ComparisonSide> defaults = new(StringComparer.Ordinal);

    public ComparisonChoices(CandidateComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        foreach (var field in comparison.Fields)
        {
            defaults[field.Field] = field.DefaultSide;
            sides[field.Field] = field.DefaultSide;
        }
    }

    public ComparisonSide this[string field] => sides.TryGetValue(field, out var side) ? side : ComparisonSide.Left;

    public void Choose(string field, ComparisonSide side)
    {
        if (sides.ContainsKey(field))
        {
            sides[field] = side;
        }
    }

    /// <summary>Fields the steward set away from the default.</summary>
    public int Changed => sides.Count(kv => defaults[kv.Key] != kv.Value);

    /// <summary>Every field's side, defaults included: the service then applies exactly what the screen showed.</summary>
    public IReadOnlyDictionary<string, ComparisonSide> ToDictionary() => new Dictionary<string, ComparisonSide>(sides, StringComparer.Ordinal);
}
