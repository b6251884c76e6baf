using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Notifications;

public enum NotificationSeverity
{
    Info,
    Warning,
    Error,
}

/// <summary>
/// An in-app notice for the systems team (a failed import, a complaint-rate alert ...): shown in the app bar to
/// administrators of the network or group it concerns until someone acknowledges it. Also e-mailed where configured.
/// </summary>
public class SystemNotification
{
    public long Id { get; set; }
    public long NetworkId { get; set; }
    /// <summary>Null: a network-level notice (network users only).</summary>
    public long? DealerGroupId { get; set; }
    /// <summary>A short machine-readable kind, e.g. "import-failed".</summary>
    public required string Category { get; set; }
    public NotificationSeverity Severity { get; set; }
    public required string Title { get; set; }
    public required string Message { get; set; }
    /// <summary>Where in the app the details are, e.g. /imports/42.</summary>
    public string? Link { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? AcknowledgedAt { get; set; }
    public string? AcknowledgedBy { get; set; }
}

internal sealed class SystemNotificationConfiguration : IEntityTypeConfiguration<SystemNotification>
{
    public void Configure(EntityTypeBuilder<SystemNotification> builder)
    {
        builder.Property(n => n.Category).HasMaxLength(40);
        builder.Property(n => n.Severity).HasConversion<string>().HasMaxLength(16);
        builder.Property(n => n.Title).HasMaxLength(200);
        builder.Property(n => n.Message).HasMaxLength(4000);
        builder.Property(n => n.Link).HasMaxLength(400);
        builder.Property(n => n.AcknowledgedBy).HasMaxLength(256);
        builder.HasOne<Organisation.Network>().WithMany().HasForeignKey(n => n.NetworkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organisation.DealerGroup>().WithMany().HasForeignKey(n => n.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(n => new { n.NetworkId, n.AcknowledgedAt, n.CreatedAt });
    }
}
