using System.Globalization;
using System.Security.Claims;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Identity;

public static class IdentityRegistration
{
    /// <summary>Sessions end after this much inactivity.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);
    /// <summary>Sessions end this long after sign-in, active or not.</summary>
    public static readonly TimeSpan AbsoluteTimeout = TimeSpan.FromHours(12);
    /// <summary>How often a session's security stamp is compared with the database (a password change signs out everywhere).</summary>
    public static readonly TimeSpan StampValidationInterval = TimeSpan.FromMinutes(1);

    /// <summary>ASP.NET Core Identity with its EF stores in the CRM database, the scope claims, the permission policies.</summary>
    public static IServiceCollection AddCrmIdentity(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<ScopeSelection>();
        services.AddScoped<CurrentAccess>();
        services.AddScoped<ICurrentAccess>(sp => sp.GetRequiredService<CurrentAccess>());

        // Identity's stores want a context from DI: a scoped one with the current user's scope and audit name
        // (user tables carry no tenant filter, so sign-in works before anyone is known).
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContext());

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();

        services.AddIdentityCore<CrmUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.SignIn.RequireConfirmedAccount = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Password.RequiredLength = 12;
                options.Password.RequireNonAlphanumeric = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<CrmDbContext>()
            .AddSignInManager<CrmSignInManager>()
            .AddClaimsPrincipalFactory<CrmClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();

        // OWASP's figure for PBKDF2-HMAC-SHA512, the PRF of Identity's v3 hash format (Identity's default is 100,000).
        services.Configure<PasswordHasherOptions>(options => options.IterationCount = 210_000);
        services.Configure<SecurityStampValidatorOptions>(options =>
        {
            options.ValidationInterval = StampValidationInterval;
            // A refreshed principal keeps the original sign-in time, or the absolute limit would never be reached.
            options.OnRefreshingPrincipal = context =>
            {
                var signedIn = context.CurrentPrincipal?.FindFirst(CrmClaims.SignedInAt);
                if (signedIn is not null && context.NewPrincipal?.Identity is ClaimsIdentity identity)
                {
                    foreach (var claim in identity.FindAll(CrmClaims.SignedInAt).ToList())
                    {
                        identity.RemoveClaim(claim);
                    }

                    identity.AddClaim(new Claim(CrmClaims.SignedInAt, signedIn.Value));
                }

                return Task.CompletedTask;
            };
        });
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/Account/Login";
            options.LogoutPath = "/Account/Logout";
            options.AccessDeniedPath = "/Account/AccessDenied";
            options.ExpireTimeSpan = IdleTimeout;
            options.SlidingExpiration = true;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            var validateStamp = options.Events.OnValidatePrincipal;
            options.Events.OnValidatePrincipal = async context =>
            {
                await EnforceAbsoluteTimeoutAsync(context);
                if (context.Principal is not null)
                {
                    await validateStamp(context);
                }
            };
        });

        services.AddAuthorization(options => options.AddPermissionPolicies());
        services.AddSingleton<IAuthorizationHandler, PermissionHandler>();
        services.AddCascadingAuthenticationState();
        return services;
    }

    /// <summary>Rejects a session older than <see cref="AbsoluteTimeout"/>, however active.</summary>
    private static async Task EnforceAbsoluteTimeoutAsync(CookieValidatePrincipalContext context)
    {
        var signedIn = context.Principal?.FindFirst(CrmClaims.SignedInAt)?.Value;
        var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        if (signedIn is null
            || !DateTime.TryParse(signedIn, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            || clock.GetUtcNow().UtcDateTime - at > AbsoluteTimeout)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }
}
