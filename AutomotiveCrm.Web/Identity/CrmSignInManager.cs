using AutomotiveCrm.Domain.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AutomotiveCrm.Web.Identity;

/// <summary>Identity's sign-in manager, plus the account expiry of contractors: an expired account cannot sign in.</summary>
public sealed class CrmSignInManager(
    UserManager<CrmUser> users,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<CrmUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<CrmUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<CrmUser> confirmation,
    TimeProvider clock)
    : SignInManager<CrmUser>(users, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(CrmUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return !user.IsExpired(clock.GetUtcNow().UtcDateTime) && await base.CanSignInAsync(user);
    }
}
