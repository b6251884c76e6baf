namespace AutomotiveCrm.Domain.Dedup;

/// <summary>
/// Where duplicates are looked for. Retail: records of one dealer group (merged into one record). Wholesale: records
/// of different groups of a network that are the same person (linked to one wholesale record, never merged: each
/// group keeps its own retail record).
/// </summary>
public enum DedupLevel
{
    Retail = 0,
    Wholesale = 1,
}

public enum DedupEntityKind
{
    Customer = 0,
    Vehicle = 1,
}

/// <summary>Above the automatic threshold a pair is merged (or linked) without review; between the thresholds it is queued.</summary>
public enum MatchBand
{
    Review = 0,
    Automatic = 1,
}

public enum CandidateStatus
{
    /// <summary>Waiting in the review queue.</summary>
    Open = 0,
    /// <summary>Merged (retail customers or vehicles), by a steward or automatically.</summary>
    Merged = 1,
    /// <summary>Linked to one wholesale record.</summary>
    Linked = 2,
    /// <summary>A steward said these are different: not suggested again unless one of the records changes.</summary>
    NotDuplicate = 3,
    /// <summary>Put aside by a steward; offered again by the next run.</summary>
    Skipped = 4,
    /// <summary>No longer relevant: a record was merged away, or a later run no longer scores the pair.</summary>
    Superseded = 5,
}

public enum DedupRunKind
{
    Full = 0,
    Incremental = 1,
}

public enum DedupRunStatus
{
    Running = 0,
    Completed = 1,
    Failed = 2,
    Cancelled = 3,
}
