using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Campaigns;

/// <summary>One execution of a campaign; its audience is frozen into <see cref="CampaignRunMember"/> rows at start.</summary>
public class CampaignRun
{
    public long Id { get; set; }
    public long CampaignId { get; set; }
    public long NetworkId { get; set; }
    public long? DealerGroupId { get; set; }
    /// <summary>1, 2, 3 ... per campaign.</summary>
    public int Number { get; set; }
    public CampaignRunTrigger Trigger { get; set; }
    public CampaignRunStatus Status { get; set; }
    /// <summary>When a scheduled run was due (the scheduler's fire time), for exactly-once per occurrence.</summary>
    public DateTime? DueAt { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public required string StartedBy { get; set; }
    public int MemberCount { get; set; }
    public int HoldOutCount { get; set; }
    public string? StatusReason { get; set; }
}

internal sealed class CampaignRunConfiguration : IEntityTypeConfiguration<CampaignRun>
{
    public void Configure(EntityTypeBuilder<CampaignRun> builder)
    {
        builder.Property(r => r.Trigger).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.StartedBy).HasMaxLength(256);
        builder.Property(r => r.StatusReason).HasMaxLength(2000);
        builder.HasOne<Campaign>().WithMany().HasForeignKey(r => r.CampaignId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Network>().WithMany().HasForeignKey(r => r.NetworkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DealerGroup>().WithMany().HasForeignKey(r => r.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => new { r.CampaignId, r.Number }).IsUnique();
        builder.HasIndex(r => new { r.CampaignId, r.DueAt }).IsUnique().HasFilter("\"DueAt\" IS NOT NULL");
    }
}

/// <summary>A customer in a run's frozen audience, with the dealer the messages speak for and the contact points used.</summary>
public class CampaignRunMember
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public long CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public long DealerGroupId { get; set; }
    /// <summary>The dealer the message is sent on behalf of (network retail campaigns: the responsible dealer).</summary>
    public long? OnBehalfOfDealerId { get; set; }
    /// <summary>In the random hold-out group: counted for uplift, never contacted.</summary>
    public bool HoldOut { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
}

internal sealed class CampaignRunMemberConfiguration : IEntityTypeConfiguration<CampaignRunMember>
{
    public void Configure(EntityTypeBuilder<CampaignRunMember> builder)
    {
        builder.Property(m => m.Email).HasMaxLength(254);
        builder.Property(m => m.Phone).HasMaxLength(32);
        builder.HasOne<CampaignRun>().WithMany().HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(m => m.Customer).WithMany().HasForeignKey(m => m.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DealerGroup>().WithMany().HasForeignKey(m => m.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Dealer>().WithMany().HasForeignKey(m => m.OnBehalfOfDealerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => new { m.RunId, m.CustomerId }).IsUnique();
        builder.HasIndex(m => m.CustomerId);
    }
}

/// <summary>
/// One message to one member on one channel: the per-recipient state row of the send (committed before the SMTP
/// submission, its id gives the Message-ID) and later the message ledger's anchor for delivery events.
/// </summary>
public class CampaignMessage
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public long MemberId { get; set; }
    public long CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public long DealerGroupId { get; set; }
    public CampaignChannelKind Channel { get; set; }
    public MessageState State { get; set; }
    /// <summary>The e-mail Message-ID (or provider id of an SMS), derived from this row.</summary>
    public string? MessageId { get; set; }
    public string? Address { get; set; }
    public int Attempts { get; set; }
    public DateTime? NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public string? SkipReason { get; set; }
    public DateTime QueuedAt { get; set; }
    public DateTime? SentAt { get; set; }
}

internal sealed class CampaignMessageConfiguration : IEntityTypeConfiguration<CampaignMessage>
{
    public void Configure(EntityTypeBuilder<CampaignMessage> builder)
    {
        builder.Property(m => m.Channel).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.MessageId).HasMaxLength(300);
        builder.Property(m => m.Address).HasMaxLength(254);
        builder.Property(m => m.LastError).HasMaxLength(2000);
        builder.Property(m => m.SkipReason).HasMaxLength(300);
        builder.HasOne<CampaignRun>().WithMany().HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CampaignRunMember>().WithMany().HasForeignKey(m => m.MemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(m => m.Customer).WithMany().HasForeignKey(m => m.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => new { m.RunId, m.CustomerId, m.Channel }).IsUnique();
        builder.HasIndex(m => new { m.RunId, m.State });
        builder.HasIndex(m => m.MessageId);
        builder.HasIndex(m => m.CustomerId);
    }
}

/// <summary>
/// An address that must not receive marketing on a channel any more (hard bounce, repeated soft bounces, complaint,
/// unsubscribe, manual): every audience leaves it out.
/// </summary>
public class Suppression
{
    public long Id { get; set; }
    public long NetworkId { get; set; }
    /// <summary>Null: the whole network; otherwise only that group's (or dealer's) marketing.</summary>
    public long? DealerGroupId { get; set; }
    public long? DealerId { get; set; }
    public long? BrandId { get; set; }
    public CampaignChannelKind Channel { get; set; }
    /// <summary>Normalised: a lower-cased e-mail address or an E.164 phone number.</summary>
    public required string Address { get; set; }
    public SuppressionReason Reason { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? Source { get; set; }
}

internal sealed class SuppressionConfiguration : IEntityTypeConfiguration<Suppression>
{
    public void Configure(EntityTypeBuilder<Suppression> builder)
    {
        builder.Property(s => s.Channel).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Reason).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Address).HasMaxLength(254);
        builder.Property(s => s.Source).HasMaxLength(300);
        builder.HasOne<Network>().WithMany().HasForeignKey(s => s.NetworkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DealerGroup>().WithMany().HasForeignKey(s => s.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => new { s.NetworkId, s.Channel, s.Address });
    }
}
