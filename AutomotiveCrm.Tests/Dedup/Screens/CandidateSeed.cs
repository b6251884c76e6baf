using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Dedup.Matching;
using AutomotiveCrm.Domain.Persistence;

namespace AutomotiveCrm.Tests.Dedup.Screens;

/// <summary>
/// Review-queue rows written directly, as a run would leave them, so screen tests do not depend on the engine's
/// scoring: a pair of saved customers, a score and band, and a per-field breakdown in the engine's own JSON format.
/// </summary>
public sealed class CandidateSeed(Customer first, Customer second)
{
    public double Score { get; init; } = 14.5;
    public MatchBand Band { get; init; } = MatchBand.Review;
    public DedupLevel Level { get; init; } = DedupLevel.Retail;
    public CandidateStatus Status { get; init; } = CandidateStatus.Open;
    public string Reasons { get; init; } = "last_name,email";

    /// <summary>Defaults: names agree, e-mail agrees, date of birth disagrees (a negative weight).</summary>
    public IReadOnlyList<FieldScore> Fields { get; init; } =
    [
        new("first_name", "exact", 3.1, "Alex", "Alex"),
        new("last_name", "exact", 6.4, "Morgan", "Morgan"),
        new("email", "exact", 9.2, "alex@example.com", "alex@example.com"),
        new("date_of_birth", "different", -4.2, "1980-01-02", "1975-06-07"),
    ];

    public async Task<MatchCandidate> SaveAsync(CrmDbContext db, long networkId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var (left, right) = first.Id < second.Id ? (first, second) : (second, first);
        var candidate = new MatchCandidate
        {
            NetworkId = networkId,
            DealerGroupId = Level == DedupLevel.Retail ? left.DealerGroupId : null,
            Level = Level,
            EntityKind = DedupEntityKind.Customer,
            LeftId = left.Id,
            RightId = right.Id,
            Score = Score,
            Band = Band,
            Status = Status,
            ExplanationJson = new MatchExplanation(Score, 0.97, -12.3, Fields).ToJson(),
            Reasons = Reasons,
            LeftVersion = left.Version,
            RightVersion = right.Version,
            CreatedAt = new DateTime(2026, 11, 30, 8, 0, 0, DateTimeKind.Utc),
            UpdatedAt = new DateTime(2026, 11, 30, 8, 0, 0, DateTimeKind.Utc),
        };
        db.MatchCandidates.Add(candidate);
        await db.SaveChangesAsync(cancellationToken);
        return candidate;
    }
}
