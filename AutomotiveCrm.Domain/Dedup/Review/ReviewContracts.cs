namespace AutomotiveCrm.Domain.Dedup.Review;

/// <summary>What the review queue shows; every filter is optional. Always within the signed-in user's scope.</summary>
public sealed record ReviewQueueFilter
{
    public DedupEntityKind Kind { get; init; } = DedupEntityKind.Customer;
    public DedupLevel? Level { get; init; }
    public long? DealerGroupId { get; init; }
    public MatchBand? Band { get; init; }
    /// <summary>One field that must be among the candidate's reasons (e.g. "email").</summary>
    public string? Reason { get; init; }
    public CandidateStatus Status { get; init; } = CandidateStatus.Open;
    public double? MinScore { get; init; }
    public int Page { get; init; }
    public int PageSize { get; init; } = 25;
}

public sealed record ReviewQueueRow(
    long CandidateId,
    int Version,
    DedupLevel Level,
    DedupEntityKind Kind,
    long LeftId,
    string LeftName,
    long RightId,
    string RightName,
    string? GroupName,
    double Score,
    MatchBand Band,
    CandidateStatus Status,
    IReadOnlyList<string> Reasons,
    DateTime UpdatedAt);

public sealed record ReviewQueuePage(IReadOnlyList<ReviewQueueRow> Rows, int Total, IReadOnlyList<string> AvailableReasons);

public enum ComparisonSide
{
    Left = 0,
    Right = 1,
}

/// <summary>One engine comparison's contribution to the score ("why these two match").</summary>
public sealed record FieldExplanation(string Field, string Level, double Weight, string? LeftValue, string? RightValue);

/// <summary>One row of the side-by-side view: both values, whether they differ, and which one survives by default.</summary>
public sealed record ComparisonField(string Field, string Label, string? LeftValue, string? RightValue, bool Differs, ComparisonSide DefaultSide);

public sealed record ComparedRecord(long Id, string DisplayName, string? GroupName, DateTime UpdatedAt, string Source, int Version,
    int Relationships, int Vehicles);

public sealed record CandidateComparison(
    long CandidateId,
    int Version,
    DedupLevel Level,
    DedupEntityKind Kind,
    double Score,
    MatchBand Band,
    CandidateStatus Status,
    ComparedRecord Left,
    ComparedRecord Right,
    IReadOnlyList<ComparisonField> Fields,
    IReadOnlyList<FieldExplanation> Explanation);

/// <summary>A decision's result; <see cref="Error"/> (e.g. "decided meanwhile by someone else") is shown as it is.</summary>
public sealed record DecisionResult(bool Succeeded, string? Error, long? MergeId = null);

public sealed record BulkApproveResult(int Approved, int Failed, IReadOnlyList<string> Errors);

public sealed record MergeHistoryRow(long MergeId, DedupLevel Level, DedupEntityKind Kind, long SurvivorId, string SurvivorName,
    long MergedId, string MergedName, double? Score, bool Automatic, DateTime MergedAt, string MergedBy, DateTime? UndoneAt, string? UndoneBy);

/// <summary>
/// The data steward's operations on the review queue, all within the signed-in user's scope (a candidate of another
/// group behaves as a missing one). Implemented over the user-scoped context factory.
/// </summary>
public interface IDedupReviewService
{
    Task<ReviewQueuePage> QueueAsync(ReviewQueueFilter filter, CancellationToken cancellationToken);

    /// <summary>Null when the candidate does not exist or is out of scope.</summary>
    Task<CandidateComparison?> CompareAsync(long candidateId, CancellationToken cancellationToken);

    /// <summary>Approves the pair: merge (retail) or link (wholesale), with the steward's choice of surviving values.</summary>
    Task<DecisionResult> ApproveAsync(long candidateId, int version, IReadOnlyDictionary<string, ComparisonSide> choices, CancellationToken cancellationToken);

    /// <summary>"Not a duplicate": remembered, never suggested again unless one of the records changes.</summary>
    Task<DecisionResult> RejectAsync(long candidateId, int version, CancellationToken cancellationToken);

    Task<DecisionResult> SkipAsync(long candidateId, int version, CancellationToken cancellationToken);

    /// <summary>Approves (with default survivorship) every open candidate matching the filter with a score at or above <paramref name="minScore"/>.</summary>
    Task<BulkApproveResult> ApproveAllAboveAsync(ReviewQueueFilter filter, double minScore, IProgress<int>? progress, CancellationToken cancellationToken);

    Task<IReadOnlyList<MergeHistoryRow>> MergesAsync(DedupEntityKind? kind, int page, int pageSize, CancellationToken cancellationToken);

    Task<DecisionResult> UndoAsync(long mergeId, CancellationToken cancellationToken);
}
