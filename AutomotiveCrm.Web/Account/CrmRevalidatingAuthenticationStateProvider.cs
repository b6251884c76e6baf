using System.Globalization;
using System.Security.Claims;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Web.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AutomotiveCrm.Web.Account;

/// <summary>
/// The interactive circuit's authentication state, checked against the database every
/// <see cref="IdentityRegistration.StampValidationInterval"/>: a changed security stamp (password change, 2FA
/// change, sign-out everywhere), an expired or locked account, an administrator without two-factor, or a session past
/// the absolute <see cref="IdentityRegistration.AbsoluteTimeout"/> makes the circuit lose its user.
/// </summary>
internal sealed class CrmRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopes,
    IOptions<IdentityOptions> options,
    TimeProvider clock)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => IdentityRegistration.StampValidationInterval;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        IsStillValidAsync(authenticationState.User);

    /// <summary>Whether the session of <paramref name="principal"/> may go on, by the account as stored now.</summary>
    internal async Task<bool> IsStillValidAsync(ClaimsPrincipal principal)
    {
        // A fresh scope so the user manager reads current data, not the circuit's cached entities.
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CrmUser>>();
        var user = await users.GetUserAsync(principal);
        var isAdministrator = user is not null && await users.IsInRoleAsync(user, nameof(CrmRole.Administrator));
        return SessionCheck.IsValid(principal, user, isAdministrator, options.Value.ClaimsIdentity.SecurityStampClaimType, clock.GetUtcNow().UtcDateTime);
    }
}

/// <summary>Whether a signed-in session may go on, given the account as stored now.</summary>
public static class SessionCheck
{
    public static bool IsValid(ClaimsPrincipal principal, CrmUser? user, bool isAdministrator, string stampClaimType, DateTime utcNow)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (user is null)
        {
            return false;
        }

        var signedInAt = principal.FindFirstValue(CrmClaims.SignedInAt);
        return string.Equals(principal.FindFirstValue(stampClaimType), user.SecurityStamp, StringComparison.Ordinal)
            && !user.IsExpired(utcNow)
            && !(user.LockoutEnd is { } lockout && lockout.UtcDateTime > utcNow)
            && !AdministratorTwoFactor.MustEnrol(isAdministrator, user.TwoFactorEnabled)
            && DateTime.TryParse(signedInAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            && utcNow - at.ToUniversalTime() <= IdentityRegistration.AbsoluteTimeout;
    }
}
