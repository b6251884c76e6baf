using System.Globalization;
using System.Text.Encodings.Web;
using AutomotiveCrm.Domain.Identity;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AutomotiveCrm.Web.Account;

/// <summary>
/// Identity's account mail (password reset) through the app's SMTP settings with MailKit, or into the pickup folder
/// as .eml files when <see cref="EmailSettings.PickupDirectory"/> is set.
/// </summary>
internal sealed partial class CrmEmailSender(
    IOptions<EmailSettings> options,
    IWebHostEnvironment environment,
    TimeProvider clock,
    ILogger<CrmEmailSender> logger) : IEmailSender<CrmUser>
{
    public Task SendConfirmationLinkAsync(CrmUser user, string email, string confirmationLink) =>
        SendAsync(user, email, "Confirm your e-mail address",
            "Confirm your e-mail address for AutomotiveCrm by opening this link:", confirmationLink);

    public Task SendPasswordResetLinkAsync(CrmUser user, string email, string resetLink) =>
        SendAsync(user, email, "Reset your AutomotiveCrm password",
            "Someone (hopefully you) asked to reset your AutomotiveCrm password. Open this link to choose a new one; if it was not you, ignore this message:",
            resetLink);

    public Task SendPasswordResetCodeAsync(CrmUser user, string email, string resetCode) =>
        SendAsync(user, email, "Your AutomotiveCrm password reset code",
            "Your password reset code is:", null, resetCode);

    private async Task SendAsync(CrmUser user, string email, string subject, string intro, string? link, string? code = null)
    {
        var settings = options.Value;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(new MailboxAddress(user.DisplayName, email));
        message.Subject = subject;
        message.Date = clock.GetUtcNow();
        var detail = link ?? code ?? "";
        var body = new BodyBuilder
        {
            TextBody = $"Hello {user.DisplayName},\n\n{intro}\n\n{detail}\n\nAutomotiveCrm",
            // Everything inserted into the HTML part is encoded: the name is user data and the link carries a token.
            HtmlBody = link is not null
                ? $"<p>Hello {HtmlEncoder.Default.Encode(user.DisplayName)},</p><p>{HtmlEncoder.Default.Encode(intro)}</p>" +
                  $"<p><a href=\"{HtmlEncoder.Default.Encode(link)}\">{HtmlEncoder.Default.Encode(link)}</a></p><p>AutomotiveCrm</p>"
                : $"<p>Hello {HtmlEncoder.Default.Encode(user.DisplayName)},</p><p>{HtmlEncoder.Default.Encode(intro)}</p>" +
                  $"<p><strong>{HtmlEncoder.Default.Encode(detail)}</strong></p><p>AutomotiveCrm</p>",
        };
        message.Body = body.ToMessageBody();

        if (!string.IsNullOrWhiteSpace(settings.PickupDirectory))
        {
            var folder = Path.GetFullPath(settings.PickupDirectory, environment.ContentRootPath);
            Directory.CreateDirectory(folder);
            var name = string.Create(CultureInfo.InvariantCulture, $"{clock.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid():N}.eml");
            await message.WriteToAsync(Path.Combine(folder, name));
            LogPickedUp(logger, subject, folder);
            return;
        }

        if (string.IsNullOrWhiteSpace(settings.Smtp.Host))
        {
            // No way to deliver: say so loudly, but never tell the requester (forgot-password must not reveal anything).
            LogNotConfigured(logger, subject);
            return;
        }

        using var client = new SmtpClient();
        await client.ConnectAsync(settings.Smtp.Host, settings.Smtp.Port,
            settings.Smtp.UseStartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.Auto);
        if (!string.IsNullOrEmpty(settings.Smtp.UserName))
        {
            await client.AuthenticateAsync(settings.Smtp.UserName, settings.Smtp.Password ?? "");
        }

        await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
        LogSent(logger, subject, settings.Smtp.Host);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail '{Subject}' written to the pickup folder {Folder}.")]
    private static partial void LogPickedUp(ILogger logger, string subject, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail '{Subject}' sent through {Host}.")]
    private static partial void LogSent(ILogger logger, string subject, string host);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail '{Subject}' not sent: configure Email:Smtp:Host or Email:PickupDirectory.")]
    private static partial void LogNotConfigured(ILogger logger, string subject);
}
