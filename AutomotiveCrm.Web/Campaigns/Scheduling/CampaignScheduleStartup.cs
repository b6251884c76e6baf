using Quartz;

namespace AutomotiveCrm.Web.Campaigns.Scheduling;

/// <summary>
/// After the database initializer has migrated (it is registered before this service): starts the scheduler and
/// re-syncs every campaign trigger from the schedule rows. Missed firings are handled by the triggers' misfire
/// policy as the scheduler starts (see <see cref="CampaignTriggers"/>).
/// </summary>
public sealed partial class CampaignScheduleStartup(ISchedulerFactory schedulers, CampaignTriggers triggers, CampaignSchedulingSettings settings,
    ILogger<CampaignScheduleStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var scheduled = await triggers.ResyncAllAsync(cancellationToken);
        if (settings.RunScheduler && scheduler.Status is SchedulerStatus.Created or SchedulerStatus.Standby)
        {
            await scheduler.Start(cancellationToken);
        }

        LogSynced(logger, scheduled, scheduler.SchedulerName);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign schedules re-synced: {Count} active trigger(s) in scheduler {Scheduler}.")]
    private static partial void LogSynced(ILogger logger, int count, string scheduler);
}
