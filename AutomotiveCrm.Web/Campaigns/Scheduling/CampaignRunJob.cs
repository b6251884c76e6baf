using System.Globalization;
using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace AutomotiveCrm.Web.Campaigns.Scheduling;

/// <summary>
/// Starts a scheduled run: freezes the campaign's audience at this moment (as the campaign owner's reach, with the
/// system context) for the occurrence the trigger fired for. The occurrence (<c>ScheduledFireTimeUtc</c>) is the run's
/// <see cref="CampaignRun.DueAt"/>, unique per campaign, so a firing repeated after a crash or by a second instance
/// finds the run already there and does not start another. The dispatcher then sends it.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class CampaignRunJob(ISystemDbContextFactory contexts, TimeProvider clock, CampaignSchedulingSettings settings,
    ILogger<CampaignRunJob> logger) : IJob
{
    public const string CampaignIdKey = "campaignId";
    public const string StartedBy = "scheduler";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!long.TryParse(context.MergedJobDataMap.GetString(CampaignIdKey), NumberStyles.None, CultureInfo.InvariantCulture, out var campaignId))
        {
            return;
        }

        var due = (context.ScheduledFireTimeUtc ?? clock.GetUtcNow()).UtcDateTime;
        // Whole seconds: the occurrence key must not depend on sub-second jitter of a refire.
        due = new DateTime(due.Ticks - due.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        await StartAsync(campaignId, due, cancellationToken);
    }

    /// <summary>Starts (or finds) the run of one occurrence; a too-late occurrence is recorded as cancelled instead.</summary>
    public async Task<CampaignRun?> StartAsync(long campaignId, DateTime due, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var schedule = await db.CampaignSchedules.AsNoTracking().FirstOrDefaultAsync(s => s.CampaignId == campaignId, cancellationToken);
        if (schedule is null)
        {
            return null;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        try
        {
            if (now - due > TimeSpan.FromHours(settings.MaxLateHours))
            {
                return await RecordMissedAsync(db, campaignId, due, now, cancellationToken);
            }

            var run = await CampaignRuns.StartAsync(db, clock, campaignId, CampaignRunTrigger.Scheduled, StartedBy, due, schedule.ExcludePreviouslyContacted,
                cancellationToken);
            LogStarted(logger, campaignId, run.Number, run.MemberCount, due);
            return run;
        }
        catch (DomainException ex)
        {
            LogRefused(logger, campaignId, due, ex.Message);
            return null;
        }
        catch (DbUpdateException) when (!cancellationToken.IsCancellationRequested)
        {
            // Another instance started this occurrence at the same moment (unique campaign + due): its run is the one.
            if (await RunExistsAsync(campaignId, due, cancellationToken))
            {
                return null;
            }

            throw;
        }
    }

    private async Task<bool> RunExistsAsync(long campaignId, DateTime due, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.CampaignRuns.AnyAsync(r => r.CampaignId == campaignId && r.DueAt == due, cancellationToken);
    }

    private async Task<CampaignRun> RecordMissedAsync(Domain.Persistence.CrmDbContext db, long campaignId, DateTime due, DateTime now,
        CancellationToken cancellationToken)
    {
        if (await db.CampaignRuns.AsNoTracking().FirstOrDefaultAsync(r => r.CampaignId == campaignId && r.DueAt == due, cancellationToken) is { } existing)
        {
            return existing;
        }

        var campaign = await db.Campaigns.AsNoTracking().FirstAsync(c => c.Id == campaignId, cancellationToken);
        var number = (await db.CampaignRuns.Where(r => r.CampaignId == campaignId).MaxAsync(r => (int?)r.Number, cancellationToken) ?? 0) + 1;
        var run = new CampaignRun
        {
            CampaignId = campaignId,
            NetworkId = campaign.NetworkId,
            DealerGroupId = campaign.DealerGroupId,
            Number = number,
            Trigger = CampaignRunTrigger.Scheduled,
            Status = CampaignRunStatus.Cancelled,
            DueAt = due,
            StartedAt = now,
            FinishedAt = now,
            StartedBy = StartedBy,
            StatusReason = string.Create(CultureInfo.InvariantCulture,
                $"Not sent: the run due at {due:yyyy-MM-dd HH:mm} UTC was missed (the application was not running) and is more than {settings.MaxLateHours} h late."),
        };
        db.CampaignRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        LogMissed(logger, campaignId, due);
        return run;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled run {Number} of campaign {CampaignId} started for {Due:u}: {Members} members.")]
    private static partial void LogStarted(ILogger logger, long campaignId, int number, int members, DateTime due);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled run of campaign {CampaignId} for {Due:u} not started: {Reason}")]
    private static partial void LogRefused(ILogger logger, long campaignId, DateTime due, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled run of campaign {CampaignId} for {Due:u} was missed too long ago: recorded as cancelled.")]
    private static partial void LogMissed(ILogger logger, long campaignId, DateTime due);
}

/// <summary>The <c>Campaigns:Scheduling</c> section.</summary>
public sealed class CampaignSchedulingSettings
{
    public const string Section = "Campaigns:Scheduling";

    /// <summary>A missed occurrence later than this is recorded as cancelled rather than sent.</summary>
    public double MaxLateHours { get; set; } = 12;

    /// <summary>Run the scheduler in this process (off for instances that only serve pages; the triggers are still edited).</summary>
    public bool RunScheduler { get; set; } = true;
}
