using AutomotiveCrm.Domain.Dedup.Merging;
using AutomotiveCrm.Domain.Dedup.Review;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Web.Identity;

namespace AutomotiveCrm.Web.Dedup;

public static partial class DedupRegistration
{
    /// <summary>
    /// The merger is stateless (it works in the caller's context) and shared; the review service and the steward's
    /// permission belong to the user's scope (a circuit or a request), like the user-scoped context factory.
    /// </summary>
    static partial void AddReview(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IRecordMerger, RecordMerger>();
        services.AddScoped<IDedupReviewAccess, PrincipalReviewAccess>();
        services.AddScoped<IDedupReviewService, DedupReviewService>();
    }

    /// <summary>The signed-in user's roles at their scope level decide; no user, no review.</summary>
    private sealed class PrincipalReviewAccess(CurrentAccess access) : IDedupReviewAccess
    {
        public bool MayReviewDuplicates => access.Principal?.Can(Permission.ReviewDuplicates) == true;
    }
}
