using AutomotiveCrm.Domain.Rewards;

namespace AutomotiveCrm.Web.Rewards;

/// <summary>Registers the rewards feature: the ledger and its services, the desk's state, the automation worker and the file endpoints.</summary>
public static class RewardsRegistration
{
    public static IServiceCollection AddCrmRewards(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<RedemptionPolicy>(configuration.GetSection("Rewards:Redemption"));
        services.Configure<RewardsWorkerSettings>(configuration.GetSection("Rewards:Worker"));
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<RedemptionPolicy>>().Value);
        services.AddSingleton<RewardsLedger>();
        services.AddSingleton<RewardEnrolment>();
        services.AddSingleton<RedemptionService>();
        services.AddSingleton<RewardsAutomation>();
        services.AddSingleton<GroupProgrammes>();
        services.AddHostedService<RewardsWorker>();
        return services;
    }

    public static IEndpointRouteBuilder MapCrmRewards(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapRewardEndpoints();
    }
}
