using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AutomotiveCrm.Web.Dedup;

public static partial class DedupRegistration
{
    /// <summary>
    /// The screens keep their state in plain classes made per page (<see cref="ReviewNavigator"/>, <see cref="ComparisonChoices"/>)
    /// and read through the user-scoped context factory, the review service and the run launcher, all registered
    /// elsewhere. What they need of their own is the clock the runs screen polls with.
    /// </summary>
    static partial void AddScreens(IServiceCollection services, IConfiguration configuration) => services.TryAddSingleton(TimeProvider.System);
}
