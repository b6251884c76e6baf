using AutomotiveCrm.Domain.Dedup.Runs;
using AutomotiveCrm.Web.Dedup.Background;

namespace AutomotiveCrm.Web.Dedup;

public static partial class DedupRegistration
{
    static partial void AddRuns(IServiceCollection services, IConfiguration configuration)
    {
        var settings = new DedupWorkerSettings
        {
            RunWorker = configuration.GetValue("Dedup:RunWorker", true),
            PollSeconds = Math.Clamp(configuration.GetValue("Dedup:PollSeconds", 5.0), 0.5, 3600),
            WarmAtStart = configuration.GetValue("Dedup:WarmAtStart", true),
        };
        services.AddSingleton(settings);
        services.AddSingleton<DedupIndexCache>();
        services.AddSingleton<DedupRunner>();
        services.AddSingleton<IDedupRunLauncher, DedupRunLauncher>();
        if (settings.RunWorker)
        {
            services.AddHostedService<DedupWorker>();
        }
    }
}
