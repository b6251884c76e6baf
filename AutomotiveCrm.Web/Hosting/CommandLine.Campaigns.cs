using System.Diagnostics;
using System.Text.Json;
using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Web.Account;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Hosting;

/// <summary>The campaign dispatcher as a verb: <c>dispatch</c>.</summary>
public static partial class CommandLine
{
    /// <summary>
    /// <c>dispatch [--json]</c>: sends every queued campaign e-mail of the running runs through the configured SMTP
    /// server (Email:Smtp:*) with the production dispatcher, in this process, until no run is left running; progress
    /// on stderr, one JSON line last. A process killed half-way leaves claimed rows in Sending: started again, it
    /// resends them (same Message-ID) once their lease (Campaigns:SendingLeaseSeconds) has run out.
    /// </summary>
    private static async Task<int> DispatchAsync(ParsedArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var json = parsed.Flag("--json");
        parsed.EnsureOnly(positionals: 0);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = parsed.ConfigurationArguments.ToArray() });
        var database = DatabaseConfiguration.Read(builder.Configuration, builder.Environment.ContentRootPath);
        var settings = new CampaignSendingSettings();
        builder.Configuration.GetSection(CampaignSendingSettings.Section).Bind(settings);
        var email = new EmailSettings();
        builder.Configuration.GetSection(EmailSettings.Section).Bind(email);
        if (string.IsNullOrWhiteSpace(email.Smtp.Host))
        {
            throw new UsageException("dispatch needs an SMTP server: --Email:Smtp:Host=HOST --Email:Smtp:Port=PORT.");
        }

        if (string.IsNullOrWhiteSpace(settings.UnsubscribeKey))
        {
            throw new UsageException("dispatch needs the unsubscribe key the web app signs links with: --Campaigns:UnsubscribeKey=BASE64.");
        }

        await using var services = new ServiceCollection().AddCrmPersistence(_ => database).BuildServiceProvider();
        var contexts = services.GetRequiredService<ISystemDbContextFactory>();
        var dispatcher = new CampaignDispatcher(() => contexts.CreateDbContext(),
            new SmtpCampaignTransportFactory(new CampaignSmtpEndpoint(email.Smtp.Host, email.Smtp.Port, email.Smtp.UseStartTls, email.Smtp.UserName, email.Smtp.Password)),
            settings, new UnsubscribeLinks(settings.PublicBaseUrl, Convert.FromBase64String(settings.UnsubscribeKey)), TimeProvider.System);
        var clock = Stopwatch.StartNew();
        int sent = 0, failed = 0, skipped = 0, retrying = 0, completed = 0;
        while (true)
        {
            var result = await dispatcher.DispatchDueAsync(cancellationToken);
            (sent, failed, skipped, retrying, completed) = (sent + result.Sent, failed + result.Failed, skipped + result.Skipped, retrying + result.Retrying,
                completed + result.RunsCompleted);
            if (result.Handled > 0)
            {
                await stderr.WriteLineAsync($"  {sent} sent, {failed} failed, {skipped} skipped ({clock.Elapsed.TotalSeconds:F1} s)");
            }

            await using var db = contexts.CreateDbContext();
            if (!await db.CampaignRuns.AnyAsync(r => r.Status == CampaignRunStatus.Running, cancellationToken))
            {
                break;
            }

            if (result.Handled == 0)
            {
                // Rows a killed process left in Sending come back when their lease runs out; retries when they are due.
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }

        await stderr.WriteLineAsync($"Dispatch finished: {sent} sent, {failed} failed, {skipped} skipped, {completed} runs completed.");
        if (json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(new
            {
                sent,
                failed,
                skipped,
                retrying,
                runs_completed = completed,
                seconds = Math.Round(clock.Elapsed.TotalSeconds, 2),
            }));
        }

        return Ok;
    }
}
