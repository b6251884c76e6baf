using AutomotiveCrm.Domain.Campaigns.Sending;

namespace AutomotiveCrm.Web.Campaigns.Sending;

/// <summary>
/// Runs the campaign dispatcher in the background (<c>Campaigns:RunDispatcher</c>): it sends everything due, and when
/// nothing is left waits <c>Campaigns:PollSeconds</c> before it looks again. Several instances may run it against one
/// server database: claims are conditional updates, so each message is taken by one of them.
/// </summary>
public sealed partial class CampaignDispatchWorker(CampaignDispatcher? dispatcher, CampaignSendingSettings settings, ILogger<CampaignDispatchWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (dispatcher is null)
        {
            LogNotConfigured(logger);
            return;
        }

        var idle = TimeSpan.FromSeconds(Math.Clamp(settings.PollSeconds, 0.2, 3600));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var result = await dispatcher.DispatchDueAsync(stoppingToken);
                if (result.Handled > 0 || result.RunsCompleted > 0)
                {
                    LogPass(logger, result.Sent, result.Retrying, result.Failed, result.Skipped, result.RunsCompleted);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Rows keep their state (claimed rows come back after their lease): log and try again later.
                LogFailed(logger, ex);
            }

            await Task.Delay(idle, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Campaign e-mail is not dispatched: configure Email:Smtp:Host or Email:PickupDirectory.")]
    private static partial void LogNotConfigured(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign dispatch: {Sent} sent, {Retrying} to retry, {Failed} failed, {Skipped} skipped, {Completed} runs completed.")]
    private static partial void LogPass(ILogger logger, int sent, int retrying, int failed, int skipped, int completed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Campaign dispatch pass failed.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
