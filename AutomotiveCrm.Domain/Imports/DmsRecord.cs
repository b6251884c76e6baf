using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Imports;

/// <summary>
/// The merge key of imported data: which CRM record a dealer's DMS record id stands for, the hash of the content
/// last merged into it (an identical row is "unchanged") and the file that last inserted or updated it.
/// </summary>
public class DmsRecord
{
    public long Id { get; set; }
    public long DealerId { get; set; }
    public long DealerGroupId { get; set; }
    /// <summary>The file type whose key space the id lives in (a customer number and a vehicle number may collide).</summary>
    public ImportFileType RecordType { get; set; }
    public required string DmsRecordId { get; set; }
    /// <summary>The id of the CRM row: a customer, vehicle, relationship, service visit, stock vehicle ...</summary>
    public long EntityId { get; set; }
    public required string RowHash { get; set; }
    public long SourceFileId { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class DmsRecordConfiguration : IEntityTypeConfiguration<DmsRecord>
{
    public void Configure(EntityTypeBuilder<DmsRecord> builder)
    {
        builder.Property(r => r.RecordType).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.DmsRecordId).HasMaxLength(200);
        builder.Property(r => r.RowHash).HasMaxLength(32);
        builder.HasOne<Organisation.Dealer>().WithMany().HasForeignKey(r => r.DealerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ImportFile>().WithMany().HasForeignKey(r => r.SourceFileId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => new { r.DealerId, r.RecordType, r.DmsRecordId }).IsUnique();
        builder.HasIndex(r => new { r.RecordType, r.EntityId });
        builder.HasIndex(r => r.SourceFileId);
    }
}

/// <summary>Someone who receives the daily import KPI report by e-mail.</summary>
public class ImportReportSubscription
{
    public long Id { get; set; }
    public long NetworkId { get; set; }
    /// <summary>Null: the whole network; otherwise the report covers that group's dealers only.</summary>
    public long? DealerGroupId { get; set; }
    public required string Email { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class ImportReportSubscriptionConfiguration : IEntityTypeConfiguration<ImportReportSubscription>
{
    public void Configure(EntityTypeBuilder<ImportReportSubscription> builder)
    {
        builder.Property(s => s.Email).HasMaxLength(254);
        builder.HasOne<Organisation.Network>().WithMany().HasForeignKey(s => s.NetworkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organisation.DealerGroup>().WithMany().HasForeignKey(s => s.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => new { s.NetworkId, s.DealerGroupId, s.Email }).IsUnique();
    }
}
