using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Web.Identity;
using Microsoft.AspNetCore.Components.Authorization;

namespace AutomotiveCrm.Web.Imports;

/// <summary>The import screens' authorization policies (one per <see cref="Permission"/>, see <see cref="PermissionPolicies"/>).</summary>
public static class ImportPolicies
{
    public const string ManageImports = PermissionPolicies.Prefix + nameof(Permission.ManageImports);
    public const string EditImportProfiles = PermissionPolicies.Prefix + nameof(Permission.EditImportProfiles);

    public static async Task<CrmPrincipal?> ReadUserAsync(Task<AuthenticationState>? state) =>
        state is null ? null : CrmClaims.Read((await state).User);
}
