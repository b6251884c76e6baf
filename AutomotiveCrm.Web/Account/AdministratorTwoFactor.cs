using System.Security.Claims;
using AutomotiveCrm.Domain.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;

namespace AutomotiveCrm.Web.Account;

/// <summary>
/// TOTP two-factor sign-in is required for administrators. An administrator whose account has no authenticator
/// enabled may only enrol (and sign out): every other page, endpoint and the interactive circuit's connection are
/// refused, pages by a redirect to <see cref="EnrolPath"/>.
/// </summary>
/// <remarks>
/// How it is enforced: the principal carries <see cref="EnabledClaim"/> when the account has two-factor enabled (added
/// at sign-in by the claims factory and refreshed with the security stamp every minute). <see cref="Middleware"/>
/// runs after authentication on every request; a circuit cannot start because its <c>/_blazor</c> connection is a
/// request too, and a running circuit loses its user at the next revalidation
/// (<see cref="CrmRevalidatingAuthenticationStateProvider"/>) if two-factor is switched off meanwhile.
/// </remarks>
public static class AdministratorTwoFactor
{
    /// <summary>Present ("true") on the principal of a user whose account has two-factor sign-in enabled.</summary>
    public const string EnabledClaim = "crm:2fa";

    public const string EnrolPath = "/Account/Manage/EnableAuthenticator";

    /// <summary>What an administrator without two-factor may still reach: signing in and out, and the 2FA pages.</summary>
    private static readonly string[] AllowedPaths =
    [
        "/Account/Login", "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode", "/Account/Logout", "/Account/Lockout",
        "/Account/AccessDenied", EnrolPath, "/Account/Manage/TwoFactorAuthentication", "/Account/Manage/ResetAuthenticator",
        "/Account/Manage/GenerateRecoveryCodes",
    ];

    /// <summary>Whether <paramref name="user"/> is an administrator who still has to enrol an authenticator.</summary>
    public static bool MustEnrol(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true
        && user.IsInRole(nameof(CrmRole.Administrator))
        && !string.Equals(user.FindFirstValue(EnabledClaim), "true", StringComparison.Ordinal);

    /// <summary>Whether an administrator account (by its stored state) lacks the two-factor sign-in it needs.</summary>
    public static bool MustEnrol(bool isAdministrator, bool twoFactorEnabled) => isAdministrator && !twoFactorEnabled;

    internal static bool IsAllowed(PathString path) =>
        AllowedPaths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>Refuses everything but the allowed paths to administrators who must enrol (see the class remarks).</summary>
    internal sealed class Middleware(RequestDelegate next)
    {
        public Task InvokeAsync(HttpContext context)
        {
            if (!MustEnrol(context.User) || IsAllowed(context.Request.Path) || !Guarded(context))
            {
                return next(context);
            }

            if (HttpMethods.IsGet(context.Request.Method) && !context.Request.Path.StartsWithSegments("/_blazor"))
            {
                context.Response.Redirect(context.Request.PathBase + EnrolPath);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
            }

            return Task.CompletedTask;
        }

        /// <summary>
        /// Pages, the circuit's hub and every endpoint that asks for authorisation; static files and the health check
        /// stay reachable (the enrol page needs its stylesheet).
        /// </summary>
        private static bool Guarded(HttpContext context)
        {
            if (context.Request.Path.StartsWithSegments("/_blazor"))
            {
                return true;
            }

            var endpoint = context.GetEndpoint();
            return endpoint is not null
                && (endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null
                    || (endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null));
        }
    }
}
