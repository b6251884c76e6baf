using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Campaigns.Tracking;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Web.Webhooks;

namespace AutomotiveCrm.Web.Campaigns.Tracking;

/// <summary>
/// Registers message tracking: the tracking tokens and the dispatcher's link-rewriting decorator, the ledger, the
/// open/click/unsubscribe endpoints and the delivery webhooks (settings: <c>Campaigns:Tracking</c>, <c>Email:Webhooks</c>).
/// </summary>
public static class TrackingRegistration
{
    public static IServiceCollection AddCrmTracking(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new TrackingSettings();
        configuration.GetSection(TrackingSettings.Section).Bind(settings);
        services.AddSingleton(settings);
        services.Configure<EmailWebhookSettings>(configuration.GetSection(EmailWebhookSettings.Section));
        services.AddSingleton(sp => TrackingTokens.FromUnsubscribeLinks(sp.GetRequiredService<CampaignSendingSettings>().PublicBaseUrl,
            sp.GetRequiredService<UnsubscribeLinks>()));
        services.AddSingleton<MessageLedger>();
        services.AddSingleton<ICampaignEmailDecorator>(sp => new EmailTracking(
            () => sp.GetRequiredService<ISystemDbContextFactory>().CreateDbContext(),
            sp.GetRequiredService<TrackingTokens>(), sp.GetRequiredService<UnsubscribeLinks>()));
        return services;
    }

    public static IEndpointRouteBuilder MapCrmTracking(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapTrackingEndpoints();
        endpoints.MapUnsubscribeEndpoints();
        endpoints.MapEmailWebhooks();
        endpoints.MapResultExports();
        return endpoints;
    }
}
