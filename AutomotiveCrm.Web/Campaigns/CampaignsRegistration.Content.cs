using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Campaigns.Sms;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Web.Account;
using AutomotiveCrm.Web.Campaigns.Content;
using AutomotiveCrm.Web.Campaigns.Sending;

namespace AutomotiveCrm.Web.Campaigns;

/// <summary>
/// The content part: test sends through the configured mail transport, campaign images, and the SMS channel (its
/// sender from <c>Campaigns:Sms</c>: <c>Folder</c> for development, <c>Http</c> for a provider; and its dispatcher).
/// </summary>
public static partial class CampaignsRegistration
{
    static partial void AddContent(IServiceCollection services, IConfiguration configuration)
    {
        var email = new EmailSettings();
        configuration.GetSection(EmailSettings.Section).Bind(email);
        services.AddSingleton(sp =>
        {
            var environment = sp.GetRequiredService<IHostEnvironment>();
            ICampaignMailTransportFactory? transports =
                !string.IsNullOrWhiteSpace(email.PickupDirectory)
                    ? new PickupCampaignTransportFactory(Path.Combine(Path.GetFullPath(email.PickupDirectory, environment.ContentRootPath), "campaign-tests"))
                : !string.IsNullOrWhiteSpace(email.Smtp.Host)
                    ? new SmtpCampaignTransportFactory(new CampaignSmtpEndpoint(email.Smtp.Host, email.Smtp.Port, email.Smtp.UseStartTls, email.Smtp.UserName,
                        email.Smtp.Password))
                : null;
            return new CampaignTestSender(transports);
        });

        var sms = new SmsSettings();
        configuration.GetSection(SmsSettings.Section).Bind(sms);
        services.AddSingleton(sms);
        if (string.Equals(sms.Provider, "Http", StringComparison.OrdinalIgnoreCase))
        {
            services.AddHttpClient<HttpSmsSender>(client => client.Timeout = TimeSpan.FromSeconds(Math.Clamp(sms.TimeoutSeconds, 1, 300)));
            services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<HttpSmsSender>());
        }
        else if (string.Equals(sms.Provider, "Folder", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<ISmsSender>(sp =>
                new FolderSmsSender(Path.GetFullPath(sms.Folder, sp.GetRequiredService<IHostEnvironment>().ContentRootPath)));
        }
        else
        {
            services.AddSingleton<ISmsSender, UnconfiguredSmsSender>();
        }

        services.AddSingleton(sp => new SmsDispatcherHolder(sp.GetService<ISmsSender>() is { } sender
            ? new SmsDispatcher(() => sp.GetRequiredService<ISystemDbContextFactory>().CreateDbContext(), sender,
                sp.GetRequiredService<CampaignSendingSettings>(), sms, sp.GetRequiredService<TimeProvider>())
            : null));
        var runDispatcher = configuration.GetValue(CampaignSendingSettings.Section + ":" + nameof(CampaignSendingSettings.RunDispatcher), true);
        if (runDispatcher)
        {
            services.AddHostedService(sp => new SmsDispatchWorker(sp.GetRequiredService<SmsDispatcherHolder>().Dispatcher,
                sp.GetRequiredService<CampaignSendingSettings>(), sp.GetRequiredService<ILogger<SmsDispatchWorker>>()));
        }
    }

    static partial void MapContent(IEndpointRouteBuilder endpoints) => endpoints.MapCampaignImageEndpoints();
}

/// <summary>The SMS dispatcher, or null when no SMS sender is configured.</summary>
public sealed record SmsDispatcherHolder(SmsDispatcher? Dispatcher);
