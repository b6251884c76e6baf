using System.Net;
using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Web.Identity;
using MimeKit;

namespace AutomotiveCrm.Tests.Identity;

/// <summary>Password change and reset: the security stamp ends other sessions; reset links arrive by mail.</summary>
public sealed class PasswordChangeTests(AccountWebFactory factory) : IClassFixture<AccountWebFactory>
{
    private const string Password = DemoUsers.DefaultPassword;

    [Fact]
    public async Task ChangePassword_OtherSession_RejectedAfterStampInterval()
    {
        const string email = "manager@newstar.demo";
        using var other = factory.CreateAccountClient();
        using var current = factory.CreateAccountClient();
        await other.SignInAsync(email, Password);
        await current.SignInAsync(email, Password);

        var (changed, html) = await current.SubmitAsync("/Account/Manage/ChangePassword", "change-password", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = Password,
            ["Input.NewPassword"] = "Changed-Password-2027",
            ["Input.ConfirmPassword"] = "Changed-Password-2027",
        });
        Assert.True(changed.StatusCode == HttpStatusCode.Redirect, html);

        // Within the interval the old cookie is not checked yet; after it, the changed stamp rejects it.
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/")).Response.StatusCode);
        factory.Clock.Advance(IdentityRegistration.StampValidationInterval + TimeSpan.FromSeconds(5));

        var (rejected, _) = await other.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, rejected.StatusCode);
        Assert.StartsWith("/Account/Login", rejected.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await current.GetAsync("/")).Response.StatusCode);
        using var again = factory.CreateAccountClient();
        Assert.Equal("/", (await again.SignInAsync(email, "Changed-Password-2027")).Response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task ForgotPassword_KnownEmail_WritesMailWithWorkingResetLink()
    {
        const string email = "marketer@pennine.demo";
        using var client = factory.CreateAccountClient();
        var before = Directory.Exists(factory.MailFolder) ? Directory.GetFiles(factory.MailFolder, "*.eml").Length : 0;

        var (sent, _) = await client.SubmitAsync("/Account/ForgotPassword", "forgot-password",
            new Dictionary<string, string> { ["Input.Email"] = email });

        Assert.Equal("/Account/ForgotPasswordConfirmation", sent.Headers.Location!.AbsolutePath);
        var files = Directory.GetFiles(factory.MailFolder, "*.eml").OrderBy(File.GetCreationTimeUtc).ToList();
        Assert.Equal(before + 1, files.Count);
        using var message = await MimeMessage.LoadAsync(files[^1]);
        Assert.Equal(email, message.To.Mailboxes.Single().Address);
        var link = System.Text.RegularExpressions.Regex.Match(message.TextBody ?? "", @"http://localhost/Account/ResetPassword\?code=\S+").Value;
        Assert.False(string.IsNullOrEmpty(link), message.TextBody);

        var (reset, html) = await client.SubmitAsync(new Uri(link).PathAndQuery, "reset-password", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = "Reset-Password-2027",
            ["Input.ConfirmPassword"] = "Reset-Password-2027",
        });

        Assert.True(reset.StatusCode == HttpStatusCode.Redirect, html);
        Assert.Equal("/Account/ResetPasswordConfirmation", reset.Headers.Location!.AbsolutePath);
        using var fresh = factory.CreateAccountClient();
        Assert.Equal("/", (await fresh.SignInAsync(email, "Reset-Password-2027")).Response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task ForgotPassword_UnknownEmail_SameAnswerNoMail()
    {
        using var client = factory.CreateAccountClient();
        var before = Directory.Exists(factory.MailFolder) ? Directory.GetFiles(factory.MailFolder, "*.eml").Length : 0;

        var (sent, _) = await client.SubmitAsync("/Account/ForgotPassword", "forgot-password",
            new Dictionary<string, string> { ["Input.Email"] = "nobody@nowhere.demo" });

        Assert.Equal("/Account/ForgotPasswordConfirmation", sent.Headers.Location!.AbsolutePath);
        Assert.Equal(before, Directory.Exists(factory.MailFolder) ? Directory.GetFiles(factory.MailFolder, "*.eml").Length : 0);
    }
}
