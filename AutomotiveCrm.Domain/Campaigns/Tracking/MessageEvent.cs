using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Campaigns.Tracking;

/// <summary>What happened to a message after it left: reported by the delivery service, or seen by our own tracking.</summary>
public enum MessageEventType
{
    Delivered = 0,
    Deferred = 1,
    SoftBounce = 2,
    HardBounce = 3,
    Complaint = 4,
    Unsubscribe = 5,
    Open = 6,
    Click = 7,
}

/// <summary>
/// One lifecycle event of one <see cref="CampaignMessage"/>: the message ledger is the messages (queued, sent, skipped,
/// exported) with their events in time order. Run, campaign, customer and group are copied from the message so the
/// results and the customer's history are index-served without joins, and so the tenant filter reads the row itself.
/// </summary>
/// <remarks>
/// <see cref="EventKey"/> is the idempotency key of events that come from outside (provider name and the provider's
/// event id): it is unique, so a replayed or concurrently delivered event cannot be recorded twice, and everything an
/// event causes (suppression, opt-out) is written in the same transaction as the event row.
/// </remarks>
public class MessageEvent
{
    public long Id { get; set; }
    public long MessageId { get; set; }
    public CampaignMessage? Message { get; set; }
    public long RunId { get; set; }
    public long CampaignId { get; set; }
    public long NetworkId { get; set; }
    public long DealerGroupId { get; set; }
    public long CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public CampaignChannelKind Channel { get; set; }
    public MessageEventType Type { get; set; }
    /// <summary>When it happened (the provider's time, or ours for pixel and redirect hits).</summary>
    public DateTime OccurredAt { get; set; }
    /// <summary>When it reached us.</summary>
    public DateTime ReceivedAt { get; set; }
    /// <summary>Who told us: a webhook provider name, "pixel", "redirect", "unsubscribe".</summary>
    public required string Source { get; set; }
    /// <summary>"{provider}:{event id}" for events from outside; null for our own observations.</summary>
    public string? EventKey { get; set; }
    /// <summary>The tracked link of a click.</summary>
    public long? LinkId { get; set; }
    public TrackedLink? Link { get; set; }
    /// <summary>An open by a mail-privacy proxy or scanner rather than a person: counted apart.</summary>
    public bool Machine { get; set; }
    /// <summary>The bounce reason, the user agent, the provider's detail.</summary>
    public string? Detail { get; set; }
}

internal sealed class MessageEventConfiguration : IEntityTypeConfiguration<MessageEvent>
{
    public void Configure(EntityTypeBuilder<MessageEvent> builder)
    {
        builder.Property(e => e.Channel).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Type).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Source).HasMaxLength(40);
        builder.Property(e => e.EventKey).HasMaxLength(240);
        builder.Property(e => e.Detail).HasMaxLength(1000);
        builder.HasOne(e => e.Message).WithMany().HasForeignKey(e => e.MessageId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CampaignRun>().WithMany().HasForeignKey(e => e.RunId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Campaign>().WithMany().HasForeignKey(e => e.CampaignId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Network>().WithMany().HasForeignKey(e => e.NetworkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DealerGroup>().WithMany().HasForeignKey(e => e.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(e => e.Customer).WithMany().HasForeignKey(e => e.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(e => e.Link).WithMany().HasForeignKey(e => e.LinkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => e.EventKey).IsUnique().HasFilter("\"EventKey\" IS NOT NULL");
        builder.HasIndex(e => new { e.MessageId, e.Type });
        builder.HasIndex(e => new { e.CampaignId, e.Type, e.OccurredAt });
        builder.HasIndex(e => new { e.CustomerId, e.OccurredAt });
    }
}

/// <summary>
/// A link of one sent message, as it was in the message: click-redirect tokens name (message, position), and only
/// the URL stored here is ever redirected to, so the redirect can never be pointed anywhere else.
/// </summary>
public class TrackedLink
{
    public long Id { get; set; }
    public long MessageId { get; set; }
    public CampaignMessage? Message { get; set; }
    /// <summary>0, 1, 2 ... in the order the links appear in the HTML.</summary>
    public int Position { get; set; }
    public required string Url { get; set; }
}

internal sealed class TrackedLinkConfiguration : IEntityTypeConfiguration<TrackedLink>
{
    public void Configure(EntityTypeBuilder<TrackedLink> builder)
    {
        builder.Property(l => l.Url).HasMaxLength(2000);
        builder.HasOne(l => l.Message).WithMany().HasForeignKey(l => l.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(l => new { l.MessageId, l.Position }).IsUnique();
    }
}
