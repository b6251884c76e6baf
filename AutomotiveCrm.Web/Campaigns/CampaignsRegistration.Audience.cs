using AutomotiveCrm.Web.Campaigns.Audience;

namespace AutomotiveCrm.Web.Campaigns;

public static partial class CampaignsRegistration
{
    /// <summary>The audience builder's live count (one per editor: it holds the count still running) and its look-ups.</summary>
    static partial void AddAudience(IServiceCollection services, IConfiguration configuration)
    {
        services.AddTransient<AudienceLiveCount>();
    }
}
