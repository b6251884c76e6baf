using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Web.Identity;
using Microsoft.AspNetCore.Components.Authorization;

namespace AutomotiveCrm.Web.Customers;

/// <summary>What the signed-in user may do on the customer screens (pages hide controls; the policies and the domain enforce).</summary>
internal static class CustomerPermissions
{
    public static async Task<CrmPrincipal?> ReadAsync(Task<AuthenticationState>? state) =>
        state is null ? null : CrmClaims.Read((await state).User);

    public static bool May(this CrmPrincipal? user, Permission permission) => user?.Can(permission) == true;
}
