using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Imports;

/// <summary>
/// The file audit: one row per file delivered, whatever happened to it. Every record an import inserts or updates
/// keeps this row's id (SourceFileId), so any value can be traced back to the file and line it came from.
/// </summary>
public class ImportFile : Entity
{
    public long NetworkId { get; set; }
    public long DealerGroupId { get; set; }
    public long DealerId { get; set; }
    public Dealer? Dealer { get; set; }
    public ImportFileType FileType { get; set; }
    public long? ProfileId { get; set; }
    public ImportProfile? Profile { get; set; }

    /// <summary>The name it was delivered under.</summary>
    public required string OriginalName { get; set; }
    /// <summary>The name it is stored under: the original name with a UTC timestamp suffix (unique).</summary>
    public required string StoredName { get; set; }
    public long SizeBytes { get; set; }
    /// <summary>Lower-case hex SHA-256 of the content.</summary>
    public required string Sha256 { get; set; }
    public ImportChannel Channel { get; set; }
    /// <summary>Who or what delivered it: "sftp:DLR001", a user's e-mail address, "command line".</summary>
    public required string DeliveredBy { get; set; }
    /// <summary>Set when this run reprocesses an earlier file (a corrected profile): that file's id.</summary>
    public long? ReprocessOfId { get; set; }

    public ImportStatus Status { get; set; }
    /// <summary>Why the file failed or was refused, in words a systems team can act on.</summary>
    public string? StatusReason { get; set; }

    public DateTime ReceivedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }

    /// <summary>Data rows read (the header excluded).</summary>
    public long RowsRead { get; set; }
    public long RowsRejected { get; set; }
    public long RowsDuplicate { get; set; }
    public long RowsInserted { get; set; }
    public long RowsUpdated { get; set; }
    public long RowsUnchanged { get; set; }
    /// <summary>Progress within the current stage (rows checked, staged or merged so far).</summary>
    public long ProgressRows { get; set; }
    /// <summary>The last staging row id merged: a restarted merge continues after it (crash recovery).</summary>
    public long MergedThroughStagingId { get; set; }

    /// <summary>Where the compressed original lies once the file is done (relative to the import store).</summary>
    public string? ArchivePath { get; set; }
}

internal sealed class ImportFileConfiguration : IEntityTypeConfiguration<ImportFile>
{
    public void Configure(EntityTypeBuilder<ImportFile> builder)
    {
        builder.Property(f => f.FileType).HasConversion<string>().HasMaxLength(32);
        builder.Property(f => f.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(f => f.Channel).HasConversion<string>().HasMaxLength(16);
        builder.Property(f => f.OriginalName).HasMaxLength(260);
        builder.Property(f => f.StoredName).HasMaxLength(300);
        builder.Property(f => f.Sha256).HasMaxLength(64);
        builder.Property(f => f.DeliveredBy).HasMaxLength(260);
        builder.Property(f => f.StatusReason).HasMaxLength(2000);
        builder.Property(f => f.ArchivePath).HasMaxLength(400);
        builder.HasOne(f => f.Dealer).WithMany().HasForeignKey(f => f.DealerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(f => f.Profile).WithMany().HasForeignKey(f => f.ProfileId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Network>().WithMany().HasForeignKey(f => f.NetworkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DealerGroup>().WithMany().HasForeignKey(f => f.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ImportFile>().WithMany().HasForeignKey(f => f.ReprocessOfId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(f => f.StoredName).IsUnique();
        builder.HasIndex(f => new { f.DealerId, f.FileType, f.Sha256 });
        builder.HasIndex(f => new { f.DealerGroupId, f.ReceivedAt });
        builder.HasIndex(f => new { f.Status, f.ReceivedAt });
    }
}

/// <summary>A data row that failed validation: kept with its line, column and reason (downloadable as CSV).</summary>
public class ImportReject : Entity, IAppendOnly
{
    public long ImportFileId { get; set; }
    public ImportFile? ImportFile { get; set; }
    /// <summary>1-based physical line where the row starts (a quoted newline makes a row span lines).</summary>
    public long LineNumber { get; set; }
    /// <summary>The profile's column name (header) or canonical field, or null for a whole-row problem.</summary>
    public string? Column { get; set; }
    public required string Reason { get; set; }
    /// <summary>The raw row as read (truncated to 4,000 characters).</summary>
    public string? RawText { get; set; }
}

/// <summary>A row set aside as a duplicate (repeated in the file, or identical to the stored record): for reference.</summary>
public class ImportDuplicate : Entity, IAppendOnly
{
    public long ImportFileId { get; set; }
    public ImportFile? ImportFile { get; set; }
    public long LineNumber { get; set; }
    public required string RecordKey { get; set; }
    public ImportDuplicateKind Kind { get; set; }
    /// <summary>For a repeat within the file: the line of the row that was kept.</summary>
    public long? FirstLineNumber { get; set; }
    public string? RawText { get; set; }
}

/// <summary>
/// A validated row waiting to be merged: its canonical fields as JSON, the record key (the DMS record id) and a
/// hash of the content that tells an unchanged record from a changed one. Emptied when the file completes.
/// </summary>
public class ImportStagingRow
{
    public long Id { get; set; }
    public long ImportFileId { get; set; }
    public long LineNumber { get; set; }
    public required string RecordKey { get; set; }
    /// <summary>Lower-case hex of a 128-bit hash over the canonical fields.</summary>
    public required string RowHash { get; set; }
    /// <summary>JSON object: canonical field name to normalised text value (absent when empty).</summary>
    public required string Payload { get; set; }
}

internal sealed class ImportRejectConfiguration : IEntityTypeConfiguration<ImportReject>
{
    public void Configure(EntityTypeBuilder<ImportReject> builder)
    {
        builder.Property(r => r.Column).HasMaxLength(100);
        builder.Property(r => r.Reason).HasMaxLength(1000);
        builder.Property(r => r.RawText).HasMaxLength(4000);
        builder.HasOne(r => r.ImportFile).WithMany().HasForeignKey(r => r.ImportFileId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.ImportFileId, r.LineNumber });
    }
}

internal sealed class ImportDuplicateConfiguration : IEntityTypeConfiguration<ImportDuplicate>
{
    public void Configure(EntityTypeBuilder<ImportDuplicate> builder)
    {
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(24);
        builder.Property(d => d.RecordKey).HasMaxLength(200);
        builder.Property(d => d.RawText).HasMaxLength(4000);
        builder.HasOne(d => d.ImportFile).WithMany().HasForeignKey(d => d.ImportFileId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(d => new { d.ImportFileId, d.LineNumber });
    }
}

internal sealed class ImportStagingRowConfiguration : IEntityTypeConfiguration<ImportStagingRow>
{
    public void Configure(EntityTypeBuilder<ImportStagingRow> builder)
    {
        builder.ToTable("ImportStaging");
        builder.Property(s => s.RecordKey).HasMaxLength(200);
        builder.Property(s => s.RowHash).HasMaxLength(32);
        builder.HasOne<ImportFile>().WithMany().HasForeignKey(s => s.ImportFileId).OnDelete(DeleteBehavior.Cascade);
        // The unique key makes a repeated record key within one file impossible to stage twice.
        builder.HasIndex(s => new { s.ImportFileId, s.RecordKey }).IsUnique();
    }
}
