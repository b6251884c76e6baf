using System.Net;
using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutomotiveCrm.Tests.Identity;

/// <summary>Sign-in over real HTTP against the running application with its seeded demo users.</summary>
public sealed class SignInTests(AccountWebFactory factory) : IClassFixture<AccountWebFactory>
{
    private const string Password = DemoUsers.DefaultPassword;

    [Fact]
    public async Task Overview_Anonymous_RedirectsToLogin()
    {
        using var client = factory.CreateAccountClient();

        var (response, _) = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginPage_Anonymous_RendersStaticFormWithAntiforgery()
    {
        using var client = factory.CreateAccountClient();

        var (response, html) = await client.GetAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fields = AccountClient.HiddenFields(html, "login");
        Assert.False(string.IsNullOrEmpty(fields["__RequestVerificationToken"]));
        Assert.Contains("crm-account-card", html, StringComparison.Ordinal);
        // Static rendering: no interactive component markers on the account pages.
        Assert.DoesNotContain("<!--Blazor:{", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_DemoUserRightPassword_CookieOpensOverview()
    {
        using var client = factory.CreateAccountClient();

        var (response, _) = await client.SignInAsync("sales@thames.demo", Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.AbsolutePath);
        var (overview, html) = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Contains("Group overview", html, StringComparison.Ordinal);
        // Pages other than the account pages run in the interactive server circuit.
        Assert.Contains("<!--Blazor:{", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://evil.example/phish")]
    [InlineData("//evil.example/phish")]
    public async Task SignIn_ForeignReturnUrl_StaysOnSite(string returnUrl)
    {
        using var client = factory.CreateAccountClient();

        var (response, _) = await client.SubmitAsync("/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl), "login",
            new Dictionary<string, string> { ["Input.Email"] = "service@newstar.demo", ["Input.Password"] = Password });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.True(!location.IsAbsoluteUri || location.Host == "localhost", location.ToString());
    }

    [Fact]
    public async Task SignIn_LocalReturnUrl_GoesBackThere()
    {
        using var client = factory.CreateAccountClient();

        var (response, _) = await client.SubmitAsync("/Account/Login?ReturnUrl=%2FAccount%2FManage%2FChangePassword", "login",
            new Dictionary<string, string> { ["Input.Email"] = "marketer@newstar.demo", ["Input.Password"] = Password });

        Assert.Equal("/Account/Manage/ChangePassword", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsErrorAndNoSession()
    {
        using var client = factory.CreateAccountClient();

        var (response, html) = await client.SignInAsync("service@thames.demo", "Wrong-Password-1234");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The e-mail or password is not right", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).Response.StatusCode);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LockedOutAndRightPasswordRefused()
    {
        using var client = factory.CreateAccountClient();
        for (var i = 1; i <= 4; i++)
        {
            var (attempt, html) = await client.SignInAsync("sales@newstar.demo", $"Wrong-Password-{i}00000");
            Assert.Equal(HttpStatusCode.OK, attempt.StatusCode);
            Assert.Contains("not right", html, StringComparison.Ordinal);
        }

        var (fifth, _) = await client.SignInAsync("sales@newstar.demo", "Wrong-Password-500000");
        Assert.Equal("/Account/Lockout", fifth.Headers.Location!.AbsolutePath);

        var (sixth, _) = await client.SignInAsync("sales@newstar.demo", Password);

        Assert.Equal(HttpStatusCode.Redirect, sixth.StatusCode);
        Assert.Equal("/Account/Lockout", sixth.Headers.Location!.AbsolutePath);
        Assert.StartsWith("/Account/Login", (await client.GetAsync("/")).Response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        await using var db = factory.CreateSystemContext();
        var user = await db.Users.SingleAsync(u => u.Email == "sales@newstar.demo");
        Assert.True(user.LockoutEnd > DateTimeOffset.UtcNow.AddMinutes(14), "locked for 15 minutes");
    }

    [Fact]
    public async Task SignIn_ExpiredAccount_RefusedWithExpiryMessage()
    {
        await using (var db = factory.CreateSystemContext())
        {
            var user = await db.Users.SingleAsync(u => u.Email == "agency@thames.demo");
            user.ExpiresAt = factory.Clock.GetUtcNow().UtcDateTime.AddDays(-1);
            await db.SaveChangesAsync();
        }

        using var client = factory.CreateAccountClient();

        var (response, html) = await client.SignInAsync("agency@thames.demo", Password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("This account has expired", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).Response.StatusCode);
        // Without the right password the page does not reveal the account's state.
        var (_, wrong) = await client.SignInAsync("agency@thames.demo", "Wrong-Password-1234");
        Assert.DoesNotContain("expired", wrong, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_PostWithAntiforgery_EndsSession()
    {
        using var client = factory.CreateAccountClient();
        await client.SignInAsync("marketer@thames.demo", Password);
        var (page, html) = await client.GetAsync("/Account/Manage/TwoFactorAuthentication");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var token = SignOutToken(html);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["returnUrl"] = "/Account/Login" });
        var signOut = await client.Http.PostAsync(new Uri("/Account/Logout", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).Response.StatusCode);
    }

    [Fact]
    public async Task SignOut_WithoutAntiforgeryToken_Refused()
    {
        using var client = factory.CreateAccountClient();
        await client.SignInAsync("datasteward@thames.demo", Password);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = "/" });

        var signOut = await client.Http.PostAsync(new Uri("/Account/Logout", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).Response.StatusCode);
    }

    [Fact]
    public async Task PasswordHash_DemoUserAndChangedPassword_Pbkdf2Sha512With210000Iterations()
    {
        await using (var db = factory.CreateSystemContext())
        {
            var demo = await db.Users.SingleAsync(u => u.Email == "manager@thames.demo");
            Assert.Equal(210_000, Pbkdf2Iterations(demo.PasswordHash!));
        }

        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CrmUser>>();
        var user = await users.FindByEmailAsync("service@pennine.demo");
        var changed = await users.ChangePasswordAsync(user!, Password, "Another-Password-2027");
        Assert.True(changed.Succeeded, string.Join(" ", changed.Errors.Select(e => e.Description)));
        await using var after = factory.CreateSystemContext();
        var hash = (await after.Users.SingleAsync(u => u.Email == "service@pennine.demo")).PasswordHash!;
        Assert.Equal(210_000, Pbkdf2Iterations(hash));
    }

    /// <summary>Identity's v3 hash: 0x01, PRF (4 bytes), iteration count (4 bytes, big-endian), salt length, salt, subkey.</summary>
    internal static int Pbkdf2Iterations(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        Assert.Equal(0x01, bytes[0]);
        // KeyDerivationPrf.HMACSHA512 (Identity's v3 default since .NET 7): OWASP's 210,000 is its figure for SHA-512.
        Assert.Equal(2, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4)));
        return System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(5, 4));
    }

    private static string SignOutToken(string html)
    {
        var start = html.IndexOf("action=\"Account/Logout\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "the manage pages have a sign-out form");
        var form = html[start..html.IndexOf("</form>", start, StringComparison.Ordinal)];
        var tag = System.Text.RegularExpressions.Regex.Match(form, "<input[^>]*__RequestVerificationToken[^>]*>").Value;
        return AccountClient.Attribute(tag, "value")!;
    }
}
