using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Audience;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Campaigns.Tracking;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Tests.Campaigns.Sending;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Campaigns.Tracking;

/// <summary>
/// The sending harness (real SQLite, test organisation, e-mail consent) plus a ledger: a run whose e-mails count as
/// sent (as the dispatcher leaves them, Message-ID included) so events can be recorded against them.
/// </summary>
internal sealed class TrackingHarness : IAsyncDisposable
{
    private TrackingHarness(SendingHarness sending)
    {
        Sending = sending;
        Ledger = new MessageLedger(Settings, sending.Database.Clock);
    }

    public SendingHarness Sending { get; }

    public TrackingSettings Settings { get; } = new();

    public MessageLedger Ledger { get; }

    public DateTime Now => Sending.Database.Clock.GetUtcNow().UtcDateTime;

    public static async Task<TrackingHarness> CreateAsync() => new(await SendingHarness.CreateAsync());

    public async Task<(Campaign Campaign, CampaignRun Run, List<CampaignMessage> Messages, List<Customer> Customers)> SentRunAsync(int people,
        int holdOutPercent = 0)
    {
        var customers = new List<Customer>();
        for (var i = 0; i < people; i++)
        {
            customers.Add(await Sending.AddCustomerAsync());
        }

        var campaign = await Sending.CreateCampaignAsync(holdOutPercent: holdOutPercent);
        var run = await Sending.StartRunAsync(campaign.Id);
        await using (var db = Sending.NewContext())
        {
            var now = Now;
            foreach (var m in await db.CampaignMessages.Where(m => m.RunId == run.Id && m.State == MessageState.Queued).ToListAsync())
            {
                m.State = MessageState.Sent;
                m.Attempts = 1;
                m.SentAt = now;
                m.MessageId = "<" + CampaignDispatcher.MessageIdFor(run.Id, m.Id, "crm.example.test") + ">";
            }

            await db.SaveChangesAsync();
        }

        return (campaign, run, await Sending.MessagesAsync(run.Id), customers);
    }

    public async Task<RecordOutcome> RecordAsync(CampaignMessage message, MessageEventType type, string? eventId = null, DateTime? at = null, string? userAgent = null,
        string? url = null)
    {
        await using var db = Sending.NewContext();
        return await Ledger.RecordAsync(db, new DeliveryEventInput("generic", eventId ?? Guid.NewGuid().ToString("N"), type, at ?? Now,
            MessageIdHeader: message.MessageId, UserAgent: userAgent, Url: url));
    }

    public async Task<int> AudienceCountAsync(Campaign campaign)
    {
        await using var db = Sending.NewContext();
        var audience = await AudienceQuery.BuildAsync(db, campaign, CampaignChannelKind.Email, DateOnly.FromDateTime(Now));
        return await audience.CountAsync();
    }

    public ValueTask DisposeAsync()
    {
        Sending.Dispose();
        return ValueTask.CompletedTask;
    }
}
