using AutomotiveCrm.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Dedup;

/// <summary>
/// One version of a network's matching rules for a level: the comparisons, the trained match weights and the two
/// thresholds. A change writes a new version (never an update), so every candidate and merge names the rules that
/// scored it.
/// </summary>
public class DedupRuleSet
{
    public long Id { get; set; }
    public long NetworkId { get; set; }
    public DedupLevel Level { get; set; }
    public int Version { get; set; }
    public required string Name { get; set; }
    /// <summary>Score (sum of match weights) at or above which a pair is merged or linked without review.</summary>
    public double AutoThreshold { get; set; }
    /// <summary>Score at or above which (and below <see cref="AutoThreshold"/>) a pair goes to the review queue.</summary>
    public double ReviewThreshold { get; set; }
    /// <summary>The engine's serialised model: comparisons, levels, m and u probabilities, blocking keys and caps.</summary>
    public required string ModelJson { get; set; }
    public bool IsActive { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public string? Notes { get; set; }
}

internal sealed class DedupRuleSetConfiguration : IEntityTypeConfiguration<DedupRuleSet>
{
    public void Configure(EntityTypeBuilder<DedupRuleSet> builder)
    {
        builder.Property(r => r.Level).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.Property(r => r.CreatedBy).HasMaxLength(256);
        builder.Property(r => r.Notes).HasMaxLength(2000);
        builder.HasOne<Network>().WithMany().HasForeignKey(r => r.NetworkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => new { r.NetworkId, r.Level, r.Version }).IsUnique();
    }
}

/// <summary>A full or incremental matching run: what it looked at, what it found, and how far it is.</summary>
public class DedupRun
{
    public long Id { get; set; }
    public long NetworkId { get; set; }
    public DedupLevel Level { get; set; }
    public DedupRunKind Kind { get; set; }
    public long? RuleSetId { get; set; }
    public DedupRunStatus Status { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public required string StartedBy { get; set; }
    public int RecordsCompared { get; set; }
    public long CandidatePairs { get; set; }
    public int AutoMerged { get; set; }
    public int Queued { get; set; }
    /// <summary>0..1, for the progress bar of the stewards' screen.</summary>
    public double Progress { get; set; }
    public string? Stage { get; set; }
    public string? StatusReason { get; set; }
    public double Seconds { get; set; }
}

internal sealed class DedupRunConfiguration : IEntityTypeConfiguration<DedupRun>
{
    public void Configure(EntityTypeBuilder<DedupRun> builder)
    {
        builder.Property(r => r.Level).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.StartedBy).HasMaxLength(256);
        builder.Property(r => r.Stage).HasMaxLength(100);
        builder.Property(r => r.StatusReason).HasMaxLength(2000);
        builder.HasOne<Network>().WithMany().HasForeignKey(r => r.NetworkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DedupRuleSet>().WithMany().HasForeignKey(r => r.RuleSetId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => new { r.NetworkId, r.Level, r.StartedAt });
    }
}
