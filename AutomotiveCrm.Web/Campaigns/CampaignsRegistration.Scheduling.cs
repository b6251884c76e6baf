using AutomotiveCrm.Web.Campaigns.Scheduling;
using Quartz;

namespace AutomotiveCrm.Web.Campaigns;

/// <summary>The scheduling part: the persistent Quartz scheduler, campaign triggers and the run job, the start-up re-sync, the editor's service.</summary>
public static partial class CampaignsRegistration
{
    static partial void AddScheduling(IServiceCollection services, IConfiguration configuration)
    {
        var settings = new CampaignSchedulingSettings();
        configuration.GetSection(CampaignSchedulingSettings.Section).Bind(settings);
        services.AddSingleton(settings);
        services.AddCrmScheduler(configuration);
        if (!settings.RunScheduler)
        {
            services.Configure<QuartzHostedServiceOptions>(options => options.AutoStart = false);
        }

        services.AddTransient<CampaignRunJob>();
        services.AddSingleton<CampaignTriggers>();
        services.AddHostedService<CampaignScheduleStartup>();
        services.AddScoped<CampaignScheduleService>();
    }
}
