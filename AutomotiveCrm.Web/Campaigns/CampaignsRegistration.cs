namespace AutomotiveCrm.Web.Campaigns;

/// <summary>
/// Registers the campaigns feature. Each part registers itself in its own file (partial methods), so the parts stay
/// apart: the audience builder and campaign editing, the exports (labels, call lists) and their endpoints.
/// </summary>
public static partial class CampaignsRegistration
{
    public static IServiceCollection AddCrmCampaigns(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        AddAudience(services, configuration);
        AddExports(services, configuration);
        AddSending(services, configuration);
        AddScheduling(services, configuration);
        AddContent(services, configuration);
        return services;
    }

    /// <summary>Maps the campaigns' GET endpoints (file downloads).</summary>
    public static IEndpointRouteBuilder MapCrmCampaigns(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        MapExports(endpoints);
        MapContent(endpoints);
        return endpoints;
    }

    static partial void AddAudience(IServiceCollection services, IConfiguration configuration);

    static partial void AddExports(IServiceCollection services, IConfiguration configuration);

    static partial void AddSending(IServiceCollection services, IConfiguration configuration);

    static partial void AddScheduling(IServiceCollection services, IConfiguration configuration);

    static partial void MapExports(IEndpointRouteBuilder endpoints);

    static partial void AddContent(IServiceCollection services, IConfiguration configuration);

    static partial void MapContent(IEndpointRouteBuilder endpoints);
}
