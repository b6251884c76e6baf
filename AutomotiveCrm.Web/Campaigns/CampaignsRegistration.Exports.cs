using AutomotiveCrm.Web.Campaigns.Exports;

namespace AutomotiveCrm.Web.Campaigns;

/// <summary>The exports part of the campaigns feature: label sheets, the print-house CSV and call lists, as GET downloads.</summary>
public static partial class CampaignsRegistration
{
    static partial void AddExports(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<CampaignExportSettings>(configuration.GetSection("Campaigns:Exports"));
        services.AddScoped<CampaignExportEndpoints.ExportContext>();
    }

    static partial void MapExports(IEndpointRouteBuilder endpoints) => endpoints.MapCampaignExportEndpoints();
}
