using System.Globalization;
using System.Text;
using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Imports.Monitoring;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Web.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AutomotiveCrm.Web.Imports.Reports;

/// <summary>What one run of the daily report did.</summary>
public sealed record ImportReportRun(DateOnly Day, int Reports, int Messages, int Failed);

/// <summary>
/// Builds the daily KPI report once per subscription scope (the network, or one dealer group) and e-mails it, as
/// a PDF attachment, to each subscriber of that scope (one message each: subscribers never see each other's
/// addresses). The report of a day is a pure read of that day's files, so running it again for the same day
/// produces the same report: a retry only repeats a mail, it never changes data.
/// </summary>
public sealed partial class ImportReportMailer(
    ISystemDbContextFactory contexts,
    IMailDelivery mail,
    IOptions<ImportScreenSettings> options,
    TimeProvider clock,
    ILogger<ImportReportMailer> logger)
{
    public async Task<ImportReportRun> SendAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var zone = settings.ReportZone();
        await using var db = contexts.CreateDbContext(AuditSource.System);
        var subscriptions = await db.ImportReportSubscriptions.AsNoTracking()
            .OrderBy(s => s.NetworkId).ThenBy(s => s.DealerGroupId).ThenBy(s => s.Email)
            .ToListAsync(cancellationToken);
        int reports = 0, messages = 0, failed = 0;
        foreach (var scope in subscriptions.GroupBy(s => (s.NetworkId, s.DealerGroupId)))
        {
            var report = await ImportKpiQuery.LoadAsync(db, day, zone, scope.Key.NetworkId, scope.Key.DealerGroupId, cancellationToken);
            byte[] pdf;
            using (var buffer = new MemoryStream())
            {
                ImportKpiPdf.Write(report, buffer, clock.GetUtcNow().UtcDateTime);
                pdf = buffer.ToArray();
            }

            reports++;
            foreach (var subscription in scope)
            {
                try
                {
                    await mail.SendAsync(Compose(report, pdf, subscription.Email, settings), cancellationToken);
                    messages++;
                }
#pragma warning disable CA1031 // One subscriber's bad address or a mail server hiccup must not stop the others' reports.
                catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    failed++;
                    LogSendFailed(logger, ex, subscription.Email, day);
                }
            }
        }

        LogRun(logger, day, reports, messages, failed);
        return new ImportReportRun(day, reports, messages, failed);
    }

    public static MimeMessage Compose(ImportKpiReport report, byte[] pdf, string to, ImportScreenSettings settings)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(settings);
        var message = new MimeMessage();
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = string.Create(CultureInfo.InvariantCulture, $"Daily import report {report.Day:yyyy-MM-dd}: {report.ScopeName}") +
            (report.Totals.FilesFailed + report.Totals.FilesRefused > 0
                ? string.Create(CultureInfo.InvariantCulture, $" ({report.Totals.FilesFailed + report.Totals.FilesRefused} failed or refused)")
                : "");
        var t = report.Totals;
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Daily import report for {report.ScopeName}, {report.Day:yyyy-MM-dd} ({report.TimeZoneId}).")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Files: {t.FilesReceived:N0} received, {t.FilesCompleted:N0} completed, {t.FilesFailed:N0} failed, {t.FilesRefused:N0} refused, {t.FilesRunning:N0} still running.")
            .AppendLine(CultureInfo.InvariantCulture, $"Rows: {t.RowsRead:N0} read, {t.RowsRejected:N0} rejected, {t.RowsDuplicate:N0} duplicates, {t.RowsInserted:N0} inserted, {t.RowsUpdated:N0} updated, {t.RowsUnchanged:N0} unchanged.")
            .AppendLine()
            .AppendLine("The attached PDF has the figures per dealer and the failures with their reasons.")
            .AppendLine(CultureInfo.InvariantCulture, $"Import monitor: {settings.Link("/imports")}")
            .AppendLine()
            .AppendLine("AutomotiveCrm");
        var body = new BodyBuilder { TextBody = text.ToString() };
        body.Attachments.Add(ImportKpiPdf.FileName(report), pdf, new ContentType("application", "pdf"));
        message.Body = body.ToMessageBody();
        return message;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Daily import report for {Day}: {Reports} reports, {Messages} messages sent, {Failed} failed.")]
    private static partial void LogRun(ILogger logger, DateOnly day, int reports, int messages, int failed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Daily import report for {Day} could not be sent to {Email}.")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string email, DateOnly day);
}
