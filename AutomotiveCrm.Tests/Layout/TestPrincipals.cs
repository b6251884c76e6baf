using System.Globalization;
using System.Security.Claims;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Web.Identity;
using Microsoft.AspNetCore.Components.Authorization;

namespace AutomotiveCrm.Tests.Layout;

/// <summary>Signed-in principals carrying the claims the app issues (see <c>CrmClaimsPrincipalFactory</c>), for component tests.</summary>
public static class TestPrincipals
{
    public static ClaimsPrincipal Create(ScopeLevel level, long networkId, long? groupId, long? dealerId, params CrmRole[] roles)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, "user-1"),
            new(ClaimTypes.Name, "pat@example.com"),
            new(CrmClaims.DisplayName, "Pat Example"),
            new(CrmClaims.ScopeLevel, level.ToString()),
            new(CrmClaims.NetworkId, networkId.ToString(CultureInfo.InvariantCulture)),
        };
        if (groupId is { } group)
        {
            claims.Add(new Claim(CrmClaims.GroupId, group.ToString(CultureInfo.InvariantCulture)));
        }

        if (dealerId is { } dealer)
        {
            claims.Add(new Claim(CrmClaims.DealerId, dealer.ToString(CultureInfo.InvariantCulture)));
        }

        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r.ToString())));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "Test"));
    }

    public static Task<AuthenticationState> State(ClaimsPrincipal principal) => Task.FromResult(new AuthenticationState(principal));
}
