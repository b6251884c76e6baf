using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Web.Identity;
using Microsoft.AspNetCore.Components.Authorization;

namespace AutomotiveCrm.Web.Dedup;

/// <summary>The stewards' screens need one permission (see <see cref="PermissionPolicies"/>); the data is scoped by the query filters.</summary>
public static class DedupPolicies
{
    public const string ReviewDuplicates = PermissionPolicies.Prefix + nameof(Permission.ReviewDuplicates);

    public static async Task<CrmPrincipal?> ReadUserAsync(Task<AuthenticationState>? state) =>
        state is null ? null : CrmClaims.Read((await state).User);
}
