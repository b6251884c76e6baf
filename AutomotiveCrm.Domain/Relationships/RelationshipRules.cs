using AutomotiveCrm.Domain.Common;

namespace AutomotiveCrm.Domain.Relationships;

/// <summary>The period rule for one (dealer, customer, vehicle): no two relationships overlap in time.</summary>
public static class RelationshipRules
{
    /// <summary>Whether two half-open periods [start, end) share at least one day; a null end is open.</summary>
    public static bool Overlaps(DateOnly startA, DateOnly? endA, DateOnly startB, DateOnly? endB) =>
        (endB is null || startA < endB) && (endA is null || startB < endA);

    /// <summary>Throws when any two of the given relationships of one triangle overlap.</summary>
    public static void EnsureNoOverlap(IEnumerable<Relationship> relationships)
    {
        foreach (var triangle in relationships.GroupBy(r => (r.DealerId, r.CustomerId, r.VehicleId)))
        {
            var ordered = triangle.OrderBy(r => r.StartDate).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                var a = ordered[i];
                if (a.EndDate is not null && a.EndDate < a.StartDate)
                {
                    throw new DomainException($"A relationship cannot end ({a.EndDate:yyyy-MM-dd}) before it starts ({a.StartDate:yyyy-MM-dd}).");
                }

                for (var j = i + 1; j < ordered.Count; j++)
                {
                    var b = ordered[j];
                    if (Overlaps(a.StartDate, a.EndDate, b.StartDate, b.EndDate))
                    {
                        throw new DomainException(
                            $"Dealer {a.DealerId}, customer {a.CustomerId} and vehicle {a.VehicleId} already have a {a.Type} relationship " +
                            $"from {a.StartDate:yyyy-MM-dd} to {(a.EndDate is null ? "now" : a.EndDate.Value.ToString("yyyy-MM-dd"))}; " +
                            $"a {b.Type} relationship from {b.StartDate:yyyy-MM-dd} would overlap it.");
                    }
                }
            }
        }
    }
}
