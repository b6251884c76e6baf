using AutomotiveCrm.Domain.Imports.Pipeline;
using AutomotiveCrm.Web.Account;
using AutomotiveCrm.Web.Imports.Reports;
using AutomotiveCrm.Web.Notifications;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;

namespace AutomotiveCrm.Web.Imports;

/// <summary>
/// The import screens' services: settings, mail delivery, the failure e-mail (<see cref="IImportNotifier"/>), the
/// daily report and its Quartz schedule; and their endpoints. (The pipeline's own services and its worker are
/// registered by <c>ImportsRegistration</c>.)
/// </summary>
public static class ImportScreensRegistration
{
    public static IServiceCollection AddImportScreens(this IServiceCollection services)
    {
        services.AddOptions<ImportScreenSettings>().BindConfiguration(ImportScreenSettings.Section);
        services.AddOptions<EmailSettings>().BindConfiguration(EmailSettings.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMailDelivery, MailDelivery>();
        services.TryAddSingleton<IImportNotifier, ImportFailureNotifier>();
        services.TryAddSingleton<ImportReportMailer>();

        // On its own (tests) the store is in memory; in the app the campaigns make the one scheduler persistent
        // (CampaignSchedulerSetup registers after this). The job is idempotent per day (see ImportReportJob), and a
        // fire missed while the app was down is not replayed (DoNothing) whichever store is used.
        services.AddQuartz(quartz =>
        {
            quartz.UseInMemoryStore();
            quartz.ScheduleJob<ImportReportJob>(
                (provider, trigger) =>
                {
                    var settings = provider.GetRequiredService<IOptions<ImportScreenSettings>>().Value;
                    trigger.WithIdentity("import-kpi-report-daily", "imports")
                        .WithSchedule(CronScheduleBuilder.Create(settings.ReportCron).InTimeZone(settings.ReportZone())
                            .WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing));
                },
                (_, job) => job.WithIdentity(ImportReportJob.Key).WithDescription("Daily import KPI report by e-mail"));
        });
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return services;
    }

    public static IEndpointRouteBuilder MapImportScreens(this IEndpointRouteBuilder app) => app.MapImportEndpoints();
}
