namespace AutomotiveCrm.Web.Dedup;

/// <summary>
/// Registers the dedup feature: the matching runs and their background worker, the merge and review services, and
/// the stewards' screens. Each part registers itself in its own file (partial methods), so the parts stay apart.
/// </summary>
public static partial class DedupRegistration
{
    public static IServiceCollection AddCrmDedup(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        AddRuns(services, configuration);
        AddReview(services, configuration);
        AddScreens(services, configuration);
        return services;
    }

    /// <summary>Matching runs (full and incremental) and the worker that picks up new and changed records.</summary>
    static partial void AddRuns(IServiceCollection services, IConfiguration configuration);

    /// <summary>Merge, undo, wholesale linking and the steward's decisions.</summary>
    static partial void AddReview(IServiceCollection services, IConfiguration configuration);

    /// <summary>Screen state and endpoints of the review queue.</summary>
    static partial void AddScreens(IServiceCollection services, IConfiguration configuration);
}
