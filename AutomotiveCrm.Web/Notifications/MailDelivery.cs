using System.Globalization;
using AutomotiveCrm.Web.Account;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AutomotiveCrm.Web.Notifications;

/// <summary>Sends a finished message: the app's outgoing mail for notices and reports.</summary>
public interface IMailDelivery
{
    /// <summary>The configured sender (<c>Email:From</c>).</summary>
    MailboxAddress Sender { get; }

    /// <summary>Sends the message; false (and a logged error) when mail is not configured at all.</summary>
    Task<bool> SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// Delivery through the same <c>Email:*</c> settings as the account mail: MailKit SMTP (STARTTLS and login when
/// configured), or .eml files in <see cref="EmailSettings.PickupDirectory"/> when that is set (Development).
/// </summary>
public sealed partial class MailDelivery(
    IOptions<EmailSettings> options,
    IHostEnvironment environment,
    TimeProvider clock,
    ILogger<MailDelivery> logger) : IMailDelivery
{
    public MailboxAddress Sender => MailboxAddress.Parse(options.Value.From);

    public async Task<bool> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        if (message.From.Count == 0)
        {
            message.From.Add(Sender);
        }

        if (message.Date == default)
        {
            message.Date = clock.GetUtcNow();
        }

        if (!string.IsNullOrWhiteSpace(settings.PickupDirectory))
        {
            var folder = Path.GetFullPath(settings.PickupDirectory, environment.ContentRootPath);
            Directory.CreateDirectory(folder);
            var name = string.Create(CultureInfo.InvariantCulture, $"{clock.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid():N}.eml");
            await message.WriteToAsync(Path.Combine(folder, name), cancellationToken);
            LogPickedUp(logger, message.Subject ?? "", folder);
            return true;
        }

        if (string.IsNullOrWhiteSpace(settings.Smtp.Host))
        {
            LogNotConfigured(logger, message.Subject ?? "");
            return false;
        }

        using var client = new SmtpClient();
        await client.ConnectAsync(settings.Smtp.Host, settings.Smtp.Port,
            settings.Smtp.UseStartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.Auto, cancellationToken);
        if (!string.IsNullOrEmpty(settings.Smtp.UserName))
        {
            await client.AuthenticateAsync(settings.Smtp.UserName, settings.Smtp.Password ?? "", cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        LogSent(logger, message.Subject ?? "", settings.Smtp.Host);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail '{Subject}' written to the pickup folder {Folder}.")]
    private static partial void LogPickedUp(ILogger logger, string subject, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail '{Subject}' sent through {Host}.")]
    private static partial void LogSent(ILogger logger, string subject, string host);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail '{Subject}' not sent: configure Email:Smtp:Host or Email:PickupDirectory.")]
    private static partial void LogNotConfigured(ILogger logger, string subject);
}
