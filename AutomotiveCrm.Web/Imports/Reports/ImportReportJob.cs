using AutomotiveCrm.Domain.Imports.Monitoring;
using Microsoft.Extensions.Options;
using Quartz;

namespace AutomotiveCrm.Web.Imports.Reports;

/// <summary>
/// The scheduled daily report (Quartz cron <c>Imports:ReportCron</c> in <c>Imports:ReportTimeZone</c>): mails the
/// report of the day before the scheduled fire time to every subscriber.
/// </summary>
/// <remarks>
/// The trigger lives in the application's scheduler (persistent in the app, see CampaignSchedulerSetup) with the
/// misfire policy DoNothing: after a restart the next fire time follows the cron. That is enough because the job is idempotent per day: it only reads the day's file
/// audit rows (a second run for the same day builds the same report and changes nothing), and the report of any day
/// can always be downloaded from /imports/report. A fire missed while the app was down is not replayed.
/// </remarks>
[DisallowConcurrentExecution]
public sealed class ImportReportJob(ImportReportMailer mailer, IOptions<ImportScreenSettings> options, TimeProvider clock) : IJob
{
    public static readonly JobKey Key = new("import-kpi-report", "imports");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var firedAt = context.ScheduledFireTimeUtc ?? clock.GetUtcNow();
        await mailer.SendAsync(ReportDay(firedAt, options.Value.ReportZone()), cancellationToken);
    }

    /// <summary>The day a run at <paramref name="firedAt"/> reports on: the day before, in the report's time zone.</summary>
    public static DateOnly ReportDay(DateTimeOffset firedAt, TimeZoneInfo zone) => ImportKpiQuery.DayOf(firedAt, zone).AddDays(-1);
}
