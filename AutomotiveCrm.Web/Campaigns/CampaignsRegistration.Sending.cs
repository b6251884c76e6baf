using System.Security.Cryptography;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Web.Account;
using AutomotiveCrm.Web.Campaigns.Sending;

namespace AutomotiveCrm.Web.Campaigns;

/// <summary>The sending part: settings (<c>Campaigns</c> section), unsubscribe links, the dispatcher and its worker.</summary>
public static partial class CampaignsRegistration
{
    static partial void AddSending(IServiceCollection services, IConfiguration configuration)
    {
        var settings = new CampaignSendingSettings();
        configuration.GetSection(CampaignSendingSettings.Section).Bind(settings);
        var email = new EmailSettings();
        configuration.GetSection(EmailSettings.Section).Bind(email);
        if (string.IsNullOrWhiteSpace(settings.DefaultFrom))
        {
            settings.DefaultFrom = email.From;
        }

        services.AddSingleton(settings);
        services.AddSingleton(sp => new UnsubscribeLinks(settings.PublicBaseUrl, UnsubscribeKey(settings, sp.GetRequiredService<IHostEnvironment>())));
        services.AddSingleton(sp =>
        {
            var environment = sp.GetRequiredService<IHostEnvironment>();
            ICampaignMailTransportFactory? transports =
                !string.IsNullOrWhiteSpace(email.PickupDirectory)
                    ? new PickupCampaignTransportFactory(Path.Combine(Path.GetFullPath(email.PickupDirectory, environment.ContentRootPath), "campaigns"))
                : !string.IsNullOrWhiteSpace(email.Smtp.Host)
                    ? new SmtpCampaignTransportFactory(new CampaignSmtpEndpoint(email.Smtp.Host, email.Smtp.Port, email.Smtp.UseStartTls, email.Smtp.UserName,
                        email.Smtp.Password))
                : null;
            return new CampaignDispatcherHolder(transports is null
                ? null
                : new CampaignDispatcher(() => sp.GetRequiredService<ISystemDbContextFactory>().CreateDbContext(), transports, settings,
                    sp.GetRequiredService<UnsubscribeLinks>(), sp.GetRequiredService<TimeProvider>())
                {
                    Decorator = sp.GetService<AutomotiveCrm.Domain.Campaigns.Tracking.ICampaignEmailDecorator>(),
                });
        });
        if (settings.RunDispatcher)
        {
            services.AddHostedService(sp => new CampaignDispatchWorker(sp.GetRequiredService<CampaignDispatcherHolder>().Dispatcher, settings,
                sp.GetRequiredService<ILogger<CampaignDispatchWorker>>()));
        }
    }

    /// <summary>
    /// The configured key, or one kept in <c>data/campaign-unsubscribe.key</c> under the content root (made on first
    /// use): the links in mails already sent must keep working after a restart.
    /// </summary>
    private static byte[] UnsubscribeKey(CampaignSendingSettings settings, IHostEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(settings.UnsubscribeKey))
        {
            return Convert.FromBase64String(settings.UnsubscribeKey);
        }

        var path = Path.Combine(environment.ContentRootPath, "data", "campaign-unsubscribe.key");
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(path, Convert.ToBase64String(key));
        return key;
    }
}

/// <summary>The dispatcher, or null when no mail delivery is configured.</summary>
public sealed record CampaignDispatcherHolder(CampaignDispatcher? Dispatcher);
