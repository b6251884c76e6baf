using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Tests.Campaigns.Sending;
using AutomotiveCrm.Tests.Support;

namespace AutomotiveCrm.Tests.Campaigns.Scheduling;

/// <summary>Consent is checked again when each message is sent: an opt-out after the audience was frozen wins.</summary>
public sealed class SendTimeConsentTests : IAsyncLifetime
{
    private SendingHarness harness = null!;

    public async Task InitializeAsync() => harness = await SendingHarness.CreateAsync();

    public Task DisposeAsync()
    {
        harness.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Dispatch_CustomerOptedOutAfterTheRunStarted_IsSkippedWithReason()
    {
        var stays = await harness.AddCustomerAsync("Stays");
        var leaves = await harness.AddCustomerAsync("Leaves");
        var campaign = await harness.CreateCampaignAsync();
        var run = await harness.StartRunAsync(campaign.Id);
        Assert.All(await harness.MessagesAsync(run.Id), m => Assert.Equal(MessageState.Queued, m.State));
        await using (var db = harness.NewContext())
        {
            db.ConsentRecords.Add(ConsentState.Create(leaves.Id, ConsentChannel.Email, ConsentPurpose.Marketing, null, harness.Org.Dealer.Id,
                ConsentStatus.OptOut, harness.Database.Clock.GetUtcNow().UtcDateTime.AddMinutes(-1), ConsentSource.Form, "unsubscribed by phone"));
            await db.SaveChangesAsync();
        }

        await using var sink = new SmtpSink();

        var result = await harness.Dispatcher(sink.Port).DispatchDueAsync(CancellationToken.None);

        Assert.Equal((1, 1), (result.Sent, result.Skipped));
        var rows = (await harness.MessagesAsync(run.Id)).ToDictionary(m => m.CustomerId);
        Assert.Equal(MessageState.Sent, rows[stays.Id].State);
        Assert.Equal((MessageState.Skipped, CampaignRuns.SkipConsentWithdrawn), (rows[leaves.Id].State, rows[leaves.Id].SkipReason));
        Assert.Equal([rows[stays.Id].Address], sink.Received.Select(d => d.RcptTo.Single()));
        Assert.Equal(CampaignRunStatus.Completed, (await harness.RunAsync(run.Id)).Status);
    }
}
