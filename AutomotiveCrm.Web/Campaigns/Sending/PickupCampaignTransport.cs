using System.Globalization;
using AutomotiveCrm.Domain.Campaigns.Sending;
using MimeKit;

namespace AutomotiveCrm.Web.Campaigns.Sending;

/// <summary>
/// Development delivery when <c>Email:PickupDirectory</c> is set: each campaign message becomes an .eml file named
/// after its Message-ID, so a resubmission after a crash overwrites its own file instead of adding a second one.
/// </summary>
public sealed class PickupCampaignTransportFactory(string folder) : ICampaignMailTransportFactory
{
    public ICampaignMailTransport Open() => new PickupCampaignTransport(folder);
}

public sealed class PickupCampaignTransport(string folder) : ICampaignMailTransport
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        Directory.CreateDirectory(folder);
        var name = string.Create(CultureInfo.InvariantCulture, $"{string.Concat((message.MessageId ?? Guid.NewGuid().ToString("N")).Split(Path.GetInvalidFileNameChars()))}.eml");
        var temporary = Path.Combine(folder, name + ".tmp");
        await message.WriteToAsync(temporary, cancellationToken);
        File.Move(temporary, Path.Combine(folder, name), overwrite: true);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
