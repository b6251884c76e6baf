using System.Globalization;
using System.Security.Claims;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Web.Account;
using AutomotiveCrm.Web.Identity;

namespace AutomotiveCrm.Tests.Identity;

/// <summary>The circuit's revalidation rule (every minute): what ends a signed-in session.</summary>
public sealed class SessionCheckTests
{
    private const string StampClaim = "AspNet.Identity.SecurityStamp";
    private static readonly DateTime Now = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    private static CrmUser User() => new() { Id = "u1", DisplayName = "Test", SecurityStamp = "STAMP", TwoFactorEnabled = false };

    private static ClaimsPrincipal Principal(string stamp = "STAMP", DateTime? signedIn = null) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, "u1"),
        new Claim(StampClaim, stamp),
        new Claim(CrmClaims.SignedInAt, (signedIn ?? Now.AddMinutes(-5)).ToString("O", CultureInfo.InvariantCulture)),
    ], "test"));

    [Fact]
    public void IsValid_CurrentSession_True() =>
        Assert.True(SessionCheck.IsValid(Principal(), User(), isAdministrator: false, StampClaim, Now));

    [Fact]
    public void IsValid_StampChanged_False() =>
        Assert.False(SessionCheck.IsValid(Principal(stamp: "OLD"), User(), false, StampClaim, Now));

    [Fact]
    public void IsValid_UserDeleted_False() =>
        Assert.False(SessionCheck.IsValid(Principal(), null, false, StampClaim, Now));

    [Fact]
    public void IsValid_AccountExpired_False()
    {
        var user = User();
        user.ExpiresAt = Now.AddSeconds(-1);
        Assert.False(SessionCheck.IsValid(Principal(), user, false, StampClaim, Now));
    }

    [Fact]
    public void IsValid_LockedOut_False()
    {
        var user = User();
        user.LockoutEnd = new DateTimeOffset(Now.AddMinutes(10));
        Assert.False(SessionCheck.IsValid(Principal(), user, false, StampClaim, Now));
    }

    [Fact]
    public void IsValid_AdministratorWithoutTwoFactor_False()
    {
        Assert.False(SessionCheck.IsValid(Principal(), User(), isAdministrator: true, StampClaim, Now));
        var enrolled = User();
        enrolled.TwoFactorEnabled = true;
        Assert.True(SessionCheck.IsValid(Principal(), enrolled, isAdministrator: true, StampClaim, Now));
    }

    [Fact]
    public void IsValid_PastAbsoluteLimit_False()
    {
        Assert.True(SessionCheck.IsValid(Principal(signedIn: Now - IdentityRegistration.AbsoluteTimeout + TimeSpan.FromMinutes(1)), User(), false, StampClaim, Now));
        Assert.False(SessionCheck.IsValid(Principal(signedIn: Now - IdentityRegistration.AbsoluteTimeout - TimeSpan.FromMinutes(1)), User(), false, StampClaim, Now));
    }
}
