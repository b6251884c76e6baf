using System.Net;
using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AutomotiveCrm.Tests.Identity;

/// <summary>TOTP two-factor sign-in, required for administrators.</summary>
public sealed class TwoFactorTests(AccountWebFactory factory) : IClassFixture<AccountWebFactory>
{
    private const string Password = DemoUsers.DefaultPassword;

    [Fact]
    public async Task SignIn_DemoAdministrator_AsksForCodeThenOpensOverview()
    {
        using var client = factory.CreateAccountClient();

        var (response, _) = await client.SignInAsync("admin@network.demo", Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var next = response.Headers.Location!.ToString();
        Assert.Contains("Account/LoginWith2fa", next, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).Response.StatusCode);

        var key = DemoUsers.AuthenticatorKey("admin@network.demo", Password);
        var (verified, _) = await client.SubmitAsync(Relative(next), "login-with-2fa",
            new Dictionary<string, string> { ["Input.TwoFactorCode"] = Totp.Now(key) });

        Assert.Equal(HttpStatusCode.Redirect, verified.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).Response.StatusCode);
    }

    [Fact]
    public async Task SignIn_AdministratorWrongCode_StaysOutside()
    {
        using var client = factory.CreateAccountClient();
        var (response, _) = await client.SignInAsync("admin@thames.demo", Password);

        var right = Totp.Now(DemoUsers.AuthenticatorKey("admin@thames.demo", Password));
        var wrong = right == "000000" ? "111111" : "000000";

        var (refused, html) = await client.SubmitAsync(Relative(response.Headers.Location!.ToString()), "login-with-2fa",
            new Dictionary<string, string> { ["Input.TwoFactorCode"] = wrong });

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("That code is not right", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).Response.StatusCode);
    }

    [Fact]
    public async Task Administrator_WithoutTwoFactor_ForcedToEnrolThenReachesOverview()
    {
        const string email = "admin@pennine.demo";
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<CrmUser>>();
            var user = await users.FindByEmailAsync(email);
            await users.SetTwoFactorEnabledAsync(user!, false);
            await users.ResetAuthenticatorKeyAsync(user!);
        }

        using var client = factory.CreateAccountClient();
        var (signIn, _) = await client.SignInAsync(email, Password);
        Assert.Equal("/", signIn.Headers.Location!.AbsolutePath);

        // Every page but the two-factor ones sends the administrator to enrol; the circuit cannot start.
        foreach (var path in new[] { "/", "/Account/Manage/ChangePassword", "/not-found" })
        {
            var (page, _) = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Equal("/Account/Manage/EnableAuthenticator", page.Headers.Location!.ToString());
        }

        using (var empty = new StringContent(""))
        {
            var negotiate = await client.Http.PostAsync(new Uri("/_blazor/negotiate?negotiateVersion=1", UriKind.Relative), empty);
            Assert.Equal(HttpStatusCode.Forbidden, negotiate.StatusCode);
        }

        var (enrol, html) = await client.GetAsync("/Account/Manage/EnableAuthenticator");
        Assert.Equal(HttpStatusCode.OK, enrol.StatusCode);
        Assert.Contains("Administrators must sign in with two-factor authentication", html, StringComparison.Ordinal);
        var key = System.Text.RegularExpressions.Regex.Match(html, "data-shared-key=\"([A-Z2-7]+)\"").Groups[1].Value;
        Assert.Equal(32, key.Length);
        Assert.Contains("otpauth://totp/AutomotiveCrm:admin%40pennine.demo?secret=" + key, System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Contains("data:image/png;base64,", html, StringComparison.Ordinal);

        var (verified, codes) = await client.SubmitAsync("/Account/Manage/EnableAuthenticator", "send-code",
            new Dictionary<string, string> { ["Input.Code"] = Totp.Now(key) });

        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Contains("data-recovery-codes", codes, StringComparison.Ordinal);
        var (overview, _) = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
    }

    [Fact]
    public async Task NonAdministrator_WithoutTwoFactor_NotForced()
    {
        using var client = factory.CreateAccountClient();
        await client.SignInAsync("manager@pennine.demo", Password);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).Response.StatusCode);
    }

    private static string Relative(string location) =>
        Uri.TryCreate(location, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : "/" + location.TrimStart('/');
}
