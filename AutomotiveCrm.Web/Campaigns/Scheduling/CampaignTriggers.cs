using System.Globalization;
using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Scheduling;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace AutomotiveCrm.Web.Campaigns.Scheduling;

/// <summary>
/// Keeps the scheduler's triggers in line with the <see cref="CampaignSchedule"/> rows, which are the truth: one
/// durable job and at most one trigger per campaign (<c>campaigns.campaign-{id}</c>). Saving a schedule re-syncs its
/// trigger; start-up re-syncs all of them (a row edited while the scheduler was down, or a trigger left over from a
/// deleted schedule, is put right).
/// </summary>
/// <remarks>
/// <para>Misfire policy (a firing the scheduler could not make on time, e.g. because every instance was down):
/// recurring schedules fire once as soon as the scheduler is back and then keep to their times (cron "fire and
/// proceed": three missed days give one run, not three); a one-off run that was missed fires once when the
/// scheduler is back. The run job then decides whether the occurrence is still worth sending: one later than
/// <c>Campaigns:Scheduling:MaxLateHours</c> (default 12) is recorded as a cancelled run with the reason, not sent
/// (a "Saturday sale" mail must not go out on Tuesday). The trigger's start and end come from the schedule, so a
/// restart never fires for occurrences before the schedule began.</para>
/// </remarks>
public sealed class CampaignTriggers(ISchedulerFactory schedulers, ISystemDbContextFactory contexts, TimeProvider clock)
{
    public const string Group = "campaigns";

    public static JobKey JobKeyFor(long campaignId) => new(Name(campaignId), Group);

    public static TriggerKey TriggerKeyFor(long campaignId) => new(Name(campaignId), Group);

    private static string Name(long campaignId) => "campaign-" + campaignId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Makes the campaign's trigger match its schedule row (none, paused or ended: no trigger).</summary>
    public async Task SyncAsync(long campaignId, CancellationToken cancellationToken = default)
    {
        await using var db = contexts.CreateDbContext();
        var schedule = await db.CampaignSchedules.AsNoTracking().FirstOrDefaultAsync(s => s.CampaignId == campaignId, cancellationToken);
        var status = await db.Campaigns.Where(c => c.Id == campaignId).Select(c => (CampaignStatus?)c.Status).FirstOrDefaultAsync(cancellationToken);
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await ApplyAsync(scheduler, campaignId, status is CampaignStatus.Cancelled or CampaignStatus.Archived ? null : schedule, cancellationToken);
    }

    /// <summary>Re-syncs every campaign's trigger from the rows; returns how many triggers are scheduled.</summary>
    public async Task<int> ResyncAllAsync(CancellationToken cancellationToken = default)
    {
        await using var db = contexts.CreateDbContext();
        var schedules = await db.CampaignSchedules.AsNoTracking()
            .Join(db.Campaigns, s => s.CampaignId, c => c.Id, (s, c) => new { Schedule = s, c.Status })
            .ToListAsync(cancellationToken);
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var wanted = new HashSet<long>();
        var scheduled = 0;
        foreach (var row in schedules)
        {
            wanted.Add(row.Schedule.CampaignId);
            var live = row.Status is CampaignStatus.Cancelled or CampaignStatus.Archived ? null : row.Schedule;
            if (await ApplyAsync(scheduler, row.Schedule.CampaignId, live, cancellationToken))
            {
                scheduled++;
            }
        }

        var jobs = await scheduler.QueryJobs(new JobQuery { Group = GroupMatcher<JobKey>.GroupEquals(Group) }, cancellationToken);
        foreach (var key in jobs.Items.Select(j => j.Key))
        {
            if (!long.TryParse(key.Name.AsSpan("campaign-".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !wanted.Contains(id))
            {
                await scheduler.DeleteJob(key, cancellationToken);
            }
        }

        return scheduled;
    }

    /// <summary>The next fire times the scheduler itself holds for the campaign (empty when it has no trigger).</summary>
    public async Task<DateTimeOffset?> NextFireTimeAsync(long campaignId, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var trigger = await scheduler.GetTrigger(TriggerKeyFor(campaignId), cancellationToken);
        return trigger?.NextFireTimeUtc;
    }

    /// <summary>
    /// Replaces the trigger only when the schedule's timing changed (its signature differs): an unchanged trigger keeps
    /// its state, so a firing missed while the app was down is still known as missed and fires once (misfire policy),
    /// while a replaced trigger starts from now and never fires for occurrences before the change.
    /// </summary>
    private async Task<bool> ApplyAsync(IScheduler scheduler, long campaignId, CampaignSchedule? schedule, CancellationToken cancellationToken)
    {
        if (schedule is not { Active: true })
        {
            await scheduler.DeleteJob(JobKeyFor(campaignId), cancellationToken);
            return false;
        }

        var existing = await scheduler.GetTrigger(TriggerKeyFor(campaignId), cancellationToken);
        if (existing is not null && existing.JobDataMap.GetString(SignatureKey) == Signature(schedule))
        {
            return true;
        }

        var trigger = Build(schedule, clock.GetUtcNow());
        if (trigger is null)
        {
            await scheduler.DeleteJob(JobKeyFor(campaignId), cancellationToken);
            return false;
        }

        var job = JobBuilder.Create<CampaignRunJob>()
            .WithIdentity(JobKeyFor(campaignId))
            .WithDescription("Scheduled runs of campaign " + campaignId.ToString(CultureInfo.InvariantCulture))
            .UsingJobData(CampaignRunJob.CampaignIdKey, campaignId.ToString(CultureInfo.InvariantCulture))
            .StoreDurably()
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, cancellationToken);
        return true;
    }

    private const string SignatureKey = "signature";

    /// <summary>Everything about a schedule that decides its fire times.</summary>
    public static string Signature(CampaignSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return string.Join('|', schedule.Kind, schedule.TimeZone, ScheduleRules.Wall(schedule.StartsAt).ToString("s", CultureInfo.InvariantCulture),
            schedule.EndsAt is { } end ? ScheduleRules.Wall(end).ToString("s", CultureInfo.InvariantCulture) : "", ScheduleRules.CronFor(schedule));
    }

    /// <summary>The trigger for a schedule; null when it will never fire again (an ended schedule, a past one-off).</summary>
    public static ITrigger? Build(CampaignSchedule schedule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (!ScheduleRules.TryZone(schedule.TimeZone, out var zone))
        {
            return null;
        }

        var (start, end) = ScheduleRules.Window(schedule, zone);
        var builder = TriggerBuilder.Create().WithIdentity(TriggerKeyFor(schedule.CampaignId)).ForJob(JobKeyFor(schedule.CampaignId))
            .UsingJobData(SignatureKey, Signature(schedule));
        if (schedule.Kind == CampaignScheduleKind.Once)
        {
            // A one-off in the past that never ran (the app was down): it fires once now, the run job judges lateness.
            return builder.StartAt(start)
                .WithSchedule(SimpleScheduleBuilder.Create().WithRepeatCount(0).WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
                .Build();
        }

        var cron = ScheduleRules.CronFor(schedule);
        if (cron is null)
        {
            return null;
        }

        // From now at the earliest: a new or changed schedule never fires for occurrences that are already past.
        var from = start > now ? start : now;
        builder = builder.StartAt(from.AddSeconds(-1))
            .WithSchedule(CronScheduleBuilder.Create(cron).InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed));
        if (end is { } endAt)
        {
            if (endAt <= now)
            {
                return null;
            }

            builder = builder.EndAt(endAt);
        }

        return builder.Build();
    }
}
