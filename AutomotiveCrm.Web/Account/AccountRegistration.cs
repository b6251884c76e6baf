using AutomotiveCrm.Domain.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace AutomotiveCrm.Web.Account;

/// <summary>The account pages' services (mail, redirects, circuit revalidation) and endpoints (sign-out).</summary>
public static class AccountRegistration
{
    public static IServiceCollection AddCrmAccounts(this IServiceCollection services)
    {
        services.AddOptions<EmailSettings>().BindConfiguration(EmailSettings.Section);
        services.AddSingleton<IEmailSender<CrmUser>, CrmEmailSender>();
        services.AddScoped<AccountRedirects>();
        services.AddScoped<AuthenticationStateProvider, CrmRevalidatingAuthenticationStateProvider>();
        return services;
    }

    /// <summary>Administrators must enrol TOTP before anything else (see <see cref="AdministratorTwoFactor"/>); after authentication.</summary>
    public static IApplicationBuilder UseCrmAdministratorTwoFactor(this IApplicationBuilder app) =>
        app.UseMiddleware<AdministratorTwoFactor.Middleware>();

    public static IEndpointConventionBuilder MapCrmAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/Account");

        // A form POST: minimal APIs that bind forms validate the antiforgery token (UseAntiforgery), so another site
        // cannot sign a user out.
        account.MapPost("/Logout", async ([FromServices] SignInManager<CrmUser> signIn, [FromForm] string? returnUrl) =>
        {
            await signIn.SignOutAsync();
            var target = string.IsNullOrEmpty(returnUrl) || !returnUrl.StartsWith('/') || returnUrl.StartsWith("//", StringComparison.Ordinal)
                || returnUrl.StartsWith("/\\", StringComparison.Ordinal)
                ? "/Account/Login"
                : returnUrl;
            return TypedResults.LocalRedirect("~" + target);
        });
        return account;
    }
}
