using AutomotiveCrm.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Campaigns;

/// <summary>
/// A named campaign: its owner scope, audience (a filter tree, see <see cref="AudienceJson"/>), schedule and, per
/// channel, its content (<see cref="CampaignContent"/>). Each run freezes its audience (<see cref="CampaignRun"/>).
/// </summary>
public class Campaign
{
    public long Id { get; set; }
    public long NetworkId { get; set; }
    /// <summary>The owning group (group and dealer campaigns); null for network campaigns.</summary>
    public long? DealerGroupId { get; set; }
    /// <summary>The owning dealer (dealer campaigns only).</summary>
    public long? DealerId { get; set; }
    public CampaignOwnerLevel OwnerLevel { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public CampaignStatus Status { get; set; }
    /// <summary>The audience filter tree (nested AND/OR groups of conditions, template references), as JSON.</summary>
    public required string AudienceJson { get; set; }
    /// <summary>Leave out customers already contacted by an earlier run of this campaign.</summary>
    public bool ExcludePreviouslyContacted { get; set; }
    /// <summary>IANA time zone the campaign's schedule is read in (the schedule itself: <c>Scheduling.CampaignSchedule</c>).</summary>
    public required string TimeZone { get; set; }
    /// <summary>Open and click tracking for this campaign's e-mails.</summary>
    public bool TrackingEnabled { get; set; } = true;
    /// <summary>Money spent, for the return on investment.</summary>
    public decimal? Cost { get; set; }
    /// <summary>Share of each run's audience held out (not contacted) to measure uplift; 0 = none.</summary>
    public int HoldOutPercent { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>Optimistic concurrency: two marketers saving the same campaign, the second is told.</summary>
    public int Version { get; set; }

    public List<CampaignContent> Contents { get; set; } = [];
}

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> builder)
    {
        builder.Property(c => c.OwnerLevel).HasConversion<string>().HasMaxLength(24);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.Property(c => c.Description).HasMaxLength(2000);
        builder.Property(c => c.TimeZone).HasMaxLength(64);
        builder.Property(c => c.CreatedBy).HasMaxLength(256);
        builder.Property(c => c.Cost).HasPrecision(18, 2);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasOne<Network>().WithMany().HasForeignKey(c => c.NetworkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DealerGroup>().WithMany().HasForeignKey(c => c.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Dealer>().WithMany().HasForeignKey(c => c.DealerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(c => c.Contents).WithOne(c => c.Campaign).HasForeignKey(c => c.CampaignId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => new { c.NetworkId, c.DealerGroupId, c.Status });
    }
}

/// <summary>A campaign's content for one channel: e-mail (subject, sender, HTML and text), SMS text, label sheet, call list.</summary>
public class CampaignContent
{
    public long Id { get; set; }
    public long CampaignId { get; set; }
    public Campaign? Campaign { get; set; }
    public CampaignChannelKind Channel { get; set; }
    public string? Subject { get; set; }
    public string? SenderName { get; set; }
    public string? SenderEmail { get; set; }
    /// <summary>Sanitised HTML with Liquid merge fields.</summary>
    public string? BodyHtml { get; set; }
    /// <summary>The plain-text part (generated from the HTML unless edited) or the SMS text.</summary>
    public string? BodyText { get; set; }
    public LabelSheet? LabelSheet { get; set; }
    /// <summary>Label sheet margins in millimetres: "top,right,bottom,left".</summary>
    public string? LabelMargins { get; set; }
    /// <summary>E-mail: send from the address of the dealer each message speaks for (its own e-mail), falling back to <see cref="SenderEmail"/>.</summary>
    public bool SenderPerDealer { get; set; }
    /// <summary>SMS: the sender shown on the phone (an alphanumeric ID of up to 11 characters or a number); empty: the provider's default.</summary>
    public string? SmsSenderId { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class CampaignContentConfiguration : IEntityTypeConfiguration<CampaignContent>
{
    public void Configure(EntityTypeBuilder<CampaignContent> builder)
    {
        builder.Property(c => c.Channel).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.LabelSheet).HasConversion<string>().HasMaxLength(24);
        builder.Property(c => c.Subject).HasMaxLength(300);
        builder.Property(c => c.SenderName).HasMaxLength(200);
        builder.Property(c => c.SenderEmail).HasMaxLength(254);
        builder.Property(c => c.LabelMargins).HasMaxLength(64);
        builder.Property(c => c.SmsSenderId).HasMaxLength(16);
        builder.HasIndex(c => new { c.CampaignId, c.Channel }).IsUnique();
    }
}

/// <summary>A saved audience filter: private to its author, or shared within the author's scope; reused in campaigns.</summary>
public class AudienceTemplate
{
    public long Id { get; set; }
    public long NetworkId { get; set; }
    public long? DealerGroupId { get; set; }
    public long? DealerId { get; set; }
    public required string OwnerUserId { get; set; }
    public required string Name { get; set; }
    public required string FilterJson { get; set; }
    public bool Shared { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class AudienceTemplateConfiguration : IEntityTypeConfiguration<AudienceTemplate>
{
    public void Configure(EntityTypeBuilder<AudienceTemplate> builder)
    {
        builder.Property(t => t.OwnerUserId).HasMaxLength(450);
        builder.Property(t => t.Name).HasMaxLength(200);
        builder.HasOne<Network>().WithMany().HasForeignKey(t => t.NetworkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DealerGroup>().WithMany().HasForeignKey(t => t.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Dealer>().WithMany().HasForeignKey(t => t.DealerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(t => new { t.NetworkId, t.DealerGroupId, t.Name });
    }
}
