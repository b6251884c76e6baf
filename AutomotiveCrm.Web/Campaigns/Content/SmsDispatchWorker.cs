using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Campaigns.Sms;

namespace AutomotiveCrm.Web.Campaigns.Content;

/// <summary>
/// Runs the SMS dispatcher in the background next to the e-mail one (same <c>Campaigns:RunDispatcher</c> switch and
/// poll interval). Without <c>Campaigns:Sms:Provider</c> SMS rows stay queued and the log says why.
/// </summary>
public sealed partial class SmsDispatchWorker(SmsDispatcher? dispatcher, CampaignSendingSettings settings, ILogger<SmsDispatchWorker> logger) : BackgroundService
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign SMS are not dispatched: set Campaigns:Sms:Provider to Folder or Http.")]
    private static partial void LogNotConfigured(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS dispatch: {Sent} sent, {Retrying} to retry, {Failed} failed, {Skipped} skipped, {Completed} runs completed.")]
    private static partial void LogPass(ILogger logger, int sent, int retrying, int failed, int skipped, int completed);

    [LoggerMessage(Level = LogLevel.Error, Message = "SMS dispatch pass failed.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
