using System.Security.Claims;
using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.AspNetCore.Components.Authorization;

namespace AutomotiveCrm.Web.Identity;

/// <summary>
/// The current user's access, for the scoped context factory: from the request's principal during an HTTP request
/// (static pages, file endpoints) and from the circuit's authentication state in interactive components.
/// </summary>
public sealed class CurrentAccess(
    IHttpContextAccessor http,
    AuthenticationStateProvider? authentication,
    ScopeSelection selection) : ICurrentAccess
{
    public CrmPrincipal? Principal => CrmClaims.Read(CurrentPrincipal());

    public AccessScope Scope => Principal is { } user
        ? AccessScope.ForUser(user.Level, user.NetworkId, user.GroupId, user.Roles, selection.PickedGroupId)
        : AccessScope.Nothing;

    public AuditActor Actor => Principal is { } user
        ? new AuditActor(user.UserId, user.UserName, AuditSource.UI, http.HttpContext?.TraceIdentifier)
        : new AuditActor(null, "anonymous", AuditSource.UI, http.HttpContext?.TraceIdentifier);

    private ClaimsPrincipal? CurrentPrincipal()
    {
        if (http.HttpContext?.User is { Identity.IsAuthenticated: true } requestUser)
        {
            return requestUser;
        }

        if (authentication is null)
        {
            return null;
        }

        // On the server the circuit's authentication state is a completed task (set when the circuit starts and
        // on revalidation); waiting on it does not block.
        Task<AuthenticationState> state;
        try
        {
            state = authentication.GetAuthenticationStateAsync();
        }
        catch (InvalidOperationException)
        {
            // A scope that is neither a request nor a circuit (e.g. the circuit's revalidation scope) has no state yet.
            return null;
        }

        return state.IsCompletedSuccessfully ? state.Result.User : null;
    }
}
