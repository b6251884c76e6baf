using AutomotiveCrm.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Dedup;

/// <summary>
/// A pair of records the engine scored as possibly the same: the review queue's row, and afterwards the record of
/// the decision. One row per pair and level (the lower id on the left), updated by later runs while still open.
/// </summary>
public class MatchCandidate
{
    public long Id { get; set; }
    public long NetworkId { get; set; }
    /// <summary>The group both records belong to (retail); null for wholesale pairs, which span groups.</summary>
    public long? DealerGroupId { get; set; }
    public DedupLevel Level { get; set; }
    public DedupEntityKind EntityKind { get; set; }
    /// <summary>Customer or vehicle id; always lower than <see cref="RightId"/>.</summary>
    public long LeftId { get; set; }
    public long RightId { get; set; }
    /// <summary>For vehicle pairs: the customer whose two vehicle records these are.</summary>
    public long? OwnerCustomerId { get; set; }
    public double Score { get; set; }
    public MatchBand Band { get; set; }
    public CandidateStatus Status { get; set; }
    /// <summary>Per-field contributions: field, comparison level, weight, the two values ("why these two match").</summary>
    public required string ExplanationJson { get; set; }
    /// <summary>The fields that agreed, comma separated (e.g. "email,date_of_birth"): the queue's reason filter.</summary>
    public required string Reasons { get; set; }
    public long? RunId { get; set; }
    public long? RuleSetId { get; set; }
    /// <summary>The records' versions when scored: a "not a duplicate" holds until one of them changes.</summary>
    public int LeftVersion { get; set; }
    public int RightVersion { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }
    public long? MergeId { get; set; }
    /// <summary>Optimistic concurrency: two stewards deciding the same pair, one wins, the other is told.</summary>
    public int Version { get; set; }
}

internal sealed class MatchCandidateConfiguration : IEntityTypeConfiguration<MatchCandidate>
{
    public void Configure(EntityTypeBuilder<MatchCandidate> builder)
    {
        builder.Property(c => c.Level).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.EntityKind).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Band).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Reasons).HasMaxLength(500);
        builder.Property(c => c.DecidedBy).HasMaxLength(256);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasOne<Network>().WithMany().HasForeignKey(c => c.NetworkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DealerGroup>().WithMany().HasForeignKey(c => c.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DedupRun>().WithMany().HasForeignKey(c => c.RunId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DedupRuleSet>().WithMany().HasForeignKey(c => c.RuleSetId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.EntityKind, c.Level, c.LeftId, c.RightId }).IsUnique();
        builder.HasIndex(c => new { c.NetworkId, c.Status, c.Score });
        builder.HasIndex(c => new { c.DealerGroupId, c.Status, c.Score });
        builder.HasIndex(c => new { c.EntityKind, c.RightId });
    }
}

/// <summary>
/// One merge (two retail customers or two vehicles into a survivor) or one wholesale link, with everything needed
/// to undo it exactly: the ids of every moved row and the survivor's values before.
/// </summary>
public class RecordMerge
{
    public long Id { get; set; }
    public long NetworkId { get; set; }
    public long? DealerGroupId { get; set; }
    public DedupLevel Level { get; set; }
    public DedupEntityKind EntityKind { get; set; }
    public long SurvivorId { get; set; }
    /// <summary>The record merged away (a tombstone pointing at the survivor) or, for a link, the record re-linked.</summary>
    public long MergedId { get; set; }
    public long? CandidateId { get; set; }
    public double? Score { get; set; }
    public bool Automatic { get; set; }
    public DateTime MergedAt { get; set; }
    public required string MergedBy { get; set; }
    public DateTime? UndoneAt { get; set; }
    public string? UndoneBy { get; set; }
    /// <summary>What the undo restores, as JSON written and read by the merge service.</summary>
    public required string SnapshotJson { get; set; }
}

internal sealed class RecordMergeConfiguration : IEntityTypeConfiguration<RecordMerge>
{
    public void Configure(EntityTypeBuilder<RecordMerge> builder)
    {
        builder.Property(m => m.Level).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.EntityKind).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.MergedBy).HasMaxLength(256);
        builder.Property(m => m.UndoneBy).HasMaxLength(256);
        builder.HasOne<Network>().WithMany().HasForeignKey(m => m.NetworkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DealerGroup>().WithMany().HasForeignKey(m => m.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<MatchCandidate>().WithMany().HasForeignKey(m => m.CandidateId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => new { m.EntityKind, m.SurvivorId });
        builder.HasIndex(m => new { m.EntityKind, m.MergedId });
        builder.HasIndex(m => new { m.NetworkId, m.MergedAt });
    }
}
