using AutomotiveCrm.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Campaigns.Scheduling;

/// <summary>Days a weekly schedule runs on (flags, so several days fit in one column).</summary>
[Flags]
#pragma warning disable CA1711 // "Days" reads better than a suffix-free name here.
public enum ScheduleDays
#pragma warning restore CA1711
{
    None = 0,
    Monday = 1,
    Tuesday = 2,
    Wednesday = 4,
    Thursday = 8,
    Friday = 16,
    Saturday = 32,
    Sunday = 64,
}

/// <summary>
/// When a campaign runs by itself: once at a local date and time, or recurring (daily, weekly on chosen days, monthly
/// on a day, or a Quartz cron expression), read in an IANA time zone. This row is the truth the schedule editor edits;
/// the scheduler's trigger (Quartz, persistent store) is derived from it and re-synced at start-up.
/// </summary>
public class CampaignSchedule
{
    public long Id { get; set; }
    public long CampaignId { get; set; }
    public long NetworkId { get; set; }
    public long? DealerGroupId { get; set; }
    /// <summary>Once, Daily, Weekly, Monthly or Cron (a campaign without a schedule row runs by hand only).</summary>
    public CampaignScheduleKind Kind { get; set; }
    /// <summary>IANA time zone the times are read in (DST handled by the zone's rules).</summary>
    public required string TimeZone { get; set; }
    /// <summary>
    /// Local date and time of a one-off run; for recurring ones the first day and the time of day. A wall-clock value
    /// in <see cref="TimeZone"/>: the store's UTC convention marks its kind, which the schedule rules ignore.
    /// </summary>
    public DateTime StartsAt { get; set; }
    /// <summary>Optional local date and time after which a recurring schedule stops.</summary>
    public DateTime? EndsAt { get; set; }
    public ScheduleDays Days { get; set; }
    /// <summary>Monthly: the day of the month (1-31; a month without that day runs on its last day); 0 = the last day.</summary>
    public int DayOfMonth { get; set; }
    /// <summary>Cron: a Quartz cron expression (seconds first), e.g. <c>0 0 9 ? * MON-FRI</c>.</summary>
    public string? CronExpression { get; set; }
    /// <summary>Scheduled runs leave out customers an earlier run of the campaign reached.</summary>
    public bool ExcludePreviouslyContacted { get; set; }
    /// <summary>Paused schedules keep their settings but fire nothing.</summary>
    public bool Active { get; set; } = true;
    public required string UpdatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>Optimistic concurrency: two users saving one schedule, the second is told.</summary>
    public int Version { get; set; }
}

internal sealed class CampaignScheduleConfiguration : IEntityTypeConfiguration<CampaignSchedule>
{
    public void Configure(EntityTypeBuilder<CampaignSchedule> builder)
    {
        builder.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.TimeZone).HasMaxLength(64);
        builder.Property(s => s.CronExpression).HasMaxLength(120);
        builder.Property(s => s.UpdatedBy).HasMaxLength(256);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.HasOne<Campaign>().WithMany().HasForeignKey(s => s.CampaignId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Network>().WithMany().HasForeignKey(s => s.NetworkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DealerGroup>().WithMany().HasForeignKey(s => s.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => s.CampaignId).IsUnique();
    }
}
