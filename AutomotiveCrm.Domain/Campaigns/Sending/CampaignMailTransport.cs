using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace AutomotiveCrm.Domain.Campaigns.Sending;

/// <summary>A failed submission: permanent (5xx: do not retry) or transient (4xx, connection trouble: retry later).</summary>
public sealed class CampaignSendException(bool permanent, string reason, Exception? inner = null) : Exception(reason, inner)
{
    public bool Permanent { get; } = permanent;
}

/// <summary>
/// Where campaign messages are submitted. One instance serves one dispatch pass (it may keep a connection open);
/// <see cref="SendAsync"/> returns once the server has accepted the message, and throws
/// <see cref="CampaignSendException"/> when it has not.
/// </summary>
public interface ICampaignMailTransport : IAsyncDisposable
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

public interface ICampaignMailTransportFactory
{
    ICampaignMailTransport Open();
}

/// <summary>MailKit SMTP submission over one connection kept open for the pass; reconnects after a failure.</summary>
public sealed class SmtpCampaignTransportFactory(CampaignSmtpEndpoint endpoint) : ICampaignMailTransportFactory
{
    public ICampaignMailTransport Open() => new SmtpCampaignTransport(endpoint);
}

public sealed class SmtpCampaignTransport(CampaignSmtpEndpoint endpoint) : ICampaignMailTransport
{
    private readonly SmtpClient client = new() { Timeout = 30_000 };

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        try
        {
            if (!client.IsConnected)
            {
                await client.ConnectAsync(endpoint.Host, endpoint.Port,
                    endpoint.UseStartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.Auto, cancellationToken);
                if (!string.IsNullOrEmpty(endpoint.UserName))
                {
                    await client.AuthenticateAsync(endpoint.UserName, endpoint.Password ?? "", cancellationToken);
                }
            }

            await client.SendAsync(message, cancellationToken);
        }
        catch (SmtpCommandException ex)
        {
            // The server answered: 5xx is its final word on this message, 4xx asks to try again later.
            var code = (int)ex.StatusCode;
            throw new CampaignSendException(code >= 500, $"{code} {ex.Message}".Trim(), ex);
        }
        catch (Exception ex) when (ex is SmtpProtocolException or ServiceNotConnectedException or IOException or SocketException or TimeoutException
            or AuthenticationException or SslHandshakeException)
        {
            await DropAsync();
            throw new CampaignSendException(false, $"connection: {ex.Message}", ex);
        }
    }

    private async Task DropAsync()
    {
        try
        {
            await client.DisconnectAsync(quit: false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ServiceNotConnectedException or ObjectDisposedException)
        {
            // Already gone: the next send connects afresh.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (client.IsConnected)
        {
            try
            {
                await client.DisconnectAsync(quit: true);
            }
            catch (Exception ex) when (ex is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException)
            {
                // The messages are accepted already; a failed QUIT changes nothing.
            }
        }

        client.Dispose();
    }
}
