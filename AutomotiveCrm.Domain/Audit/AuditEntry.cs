using AutomotiveCrm.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Audit;

/// <summary>Where a change came from.</summary>
public enum AuditSource
{
    UI,
    Import,
    Api,
    System,
    Merge,
}

public enum AuditAction
{
    Insert,
    Update,
    Delete,
}

/// <summary>
/// One insert, update or delete of a domain row, written by <see cref="AuditInterceptor"/> in the transaction of the
/// change itself. Append-only. <see cref="CustomerId"/> and <see cref="VehicleId"/> say whose History tab shows the
/// row (a changed e-mail address belongs to its customer's history).
/// </summary>
public class AuditEntry : Entity, IAppendOnly
{
    public DateTime At { get; set; }
    public string? UserId { get; set; }
    public required string UserName { get; set; }
    public AuditSource Source { get; set; }
    /// <summary>Ties the rows of one operation together: an import file, a merge, a web request.</summary>
    public string? CorrelationId { get; set; }
    public required string EntityType { get; set; }
    public required string EntityKey { get; set; }
    public AuditAction Action { get; set; }
    /// <summary>JSON object: field name to <c>[old, new]</c> (values as text; null when absent).</summary>
    public required string Changes { get; set; }
    public long? NetworkId { get; set; }
    public long? DealerGroupId { get; set; }
    public long? CustomerId { get; set; }
    public long? VehicleId { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.Property(a => a.UserId).HasMaxLength(64);
        builder.Property(a => a.UserName).HasMaxLength(256);
        builder.Property(a => a.Source).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Action).HasConversion<string>().HasMaxLength(8);
        builder.Property(a => a.CorrelationId).HasMaxLength(128);
        builder.Property(a => a.EntityType).HasMaxLength(64);
        // Composite keys of Identity join rows are two GUIDs and a separator (73 characters).
        builder.Property(a => a.EntityKey).HasMaxLength(200);
        builder.HasIndex(a => new { a.CustomerId, a.At });
        builder.HasIndex(a => new { a.VehicleId, a.At });
        builder.HasIndex(a => new { a.EntityType, a.EntityKey });
        builder.HasIndex(a => a.CorrelationId);
    }
}
