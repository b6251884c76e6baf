using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Common;
using MimeKit;

namespace AutomotiveCrm.Web.Campaigns.Content;

/// <summary>Test sends of campaign e-mails through the configured mail transport (SMTP or the pickup folder); null transport: not configured.</summary>
public sealed class CampaignTestSender(ICampaignMailTransportFactory? transports)
{
    public bool Configured => transports is not null;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        if (transports is null)
        {
            throw new DomainException("Test send: no mail delivery is configured (Email:Smtp:Host or Email:PickupDirectory).");
        }

        await using var transport = transports.Open();
        try
        {
            await transport.SendAsync(message, cancellationToken);
        }
        catch (CampaignSendException ex)
        {
            throw new DomainException($"Test send: the mail server did not accept the message ({ex.Message}).");
        }
    }
}
