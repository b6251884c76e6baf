using System.Globalization;
using System.Security.Claims;
using AutomotiveCrm.Domain.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AutomotiveCrm.Web.Identity;

/// <summary>Adds the scope, display name and sign-in time to the principal Identity builds at sign-in.</summary>
public sealed class CrmClaimsPrincipalFactory(
    UserManager<CrmUser> users,
    RoleManager<IdentityRole> roles,
    IOptions<IdentityOptions> options,
    TimeProvider clock)
    : UserClaimsPrincipalFactory<CrmUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(CrmUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(CrmClaims.ScopeLevel, user.ScopeLevel.ToString()));
        identity.AddClaim(new Claim(CrmClaims.NetworkId, user.NetworkId.ToString(CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim(CrmClaims.DisplayName, user.DisplayName));
        if (user.DealerGroupId is { } group)
        {
            identity.AddClaim(new Claim(CrmClaims.GroupId, group.ToString(CultureInfo.InvariantCulture)));
        }

        if (user.DealerId is { } dealer)
        {
            identity.AddClaim(new Claim(CrmClaims.DealerId, dealer.ToString(CultureInfo.InvariantCulture)));
        }

        if (user.TwoFactorEnabled)
        {
            // Administrators must have two-factor sign-in: the claim lets every request check it without a query.
            identity.AddClaim(new Claim(Account.AdministratorTwoFactor.EnabledClaim, "true"));
        }

        identity.AddClaim(new Claim(CrmClaims.SignedInAt, clock.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture)));
        return identity;
    }
}
