using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Tests.Support;

namespace AutomotiveCrm.Tests.Campaigns.Sending;

/// <summary>Starting a run freezes the audience: members, hold-out, earlier contacts left out, per-message skip reasons.</summary>
public sealed class RunStartTests : IAsyncLifetime
{
    private SendingHarness harness = null!;

    public async Task InitializeAsync() => harness = await SendingHarness.CreateAsync();

    public Task DisposeAsync()
    {
        harness.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Start_FreezesTheAudienceOfThatMoment()
    {
        await harness.AddCustomersAsync(3);
        var campaign = await harness.CreateCampaignAsync();

        var first = await harness.StartRunAsync(campaign.Id);
        var later = await harness.AddCustomerAsync("Late");
        var second = await harness.StartRunAsync(campaign.Id);

        Assert.Equal((1, 3), (first.Number, (await harness.MembersAsync(first.Id)).Count));
        Assert.DoesNotContain(await harness.MembersAsync(first.Id), m => m.CustomerId == later.Id);
        Assert.Equal(2, second.Number);
        Assert.Contains(await harness.MembersAsync(second.Id), m => m.CustomerId == later.Id && m.Email == "customer4@example.com");
        Assert.Equal(4, (await harness.RunAsync(second.Id)).MemberCount);
        Assert.All(await harness.MessagesAsync(first.Id), m => Assert.Equal(MessageState.Queued, m.State));
    }

    [Fact]
    public async Task Start_HoldsOutTheShareAndSendsToTheRest()
    {
        await harness.AddCustomersAsync(20);
        var campaign = await harness.CreateCampaignAsync(holdOutPercent: 25);

        var run = await harness.StartRunAsync(campaign.Id);

        var members = await harness.MembersAsync(run.Id);
        var messages = await harness.MessagesAsync(run.Id);
        Assert.Equal(20, members.Count);
        Assert.Equal(5, members.Count(m => m.HoldOut));
        Assert.Equal(5, (await harness.RunAsync(run.Id)).HoldOutCount);
        Assert.Equal(members.Where(m => !m.HoldOut).Select(m => m.CustomerId).Order(), messages.Select(m => m.CustomerId).Order());
        // The draw is fixed by the run id: the same run draws the same members, another run others.
        Assert.Equal(CampaignRuns.HoldOutSet(20, 25, run.Id), CampaignRuns.HoldOutSet(20, 25, run.Id));
        Assert.NotEqual(CampaignRuns.HoldOutSet(1000, 10, 1).Order(), CampaignRuns.HoldOutSet(1000, 10, 2).Order());
    }

    [Fact]
    public async Task Start_WithExcludePreviouslyContacted_LeavesOutThoseAnEarlierRunReached()
    {
        await harness.AddCustomersAsync(3);
        var campaign = await harness.CreateCampaignAsync(excludePreviouslyContacted: true);
        await using var sink = new SmtpSink();
        var first = await harness.StartRunAsync(campaign.Id);
        await harness.Dispatcher(sink.Port).DispatchDueAsync(CancellationToken.None);
        var newcomer = await harness.AddCustomerAsync("New");

        var second = await harness.StartRunAsync(campaign.Id);

        Assert.Equal(3, (await harness.MessagesAsync(first.Id)).Count(m => m.State == MessageState.Sent));
        Assert.Equal([newcomer.Id], (await harness.MembersAsync(second.Id)).Select(m => m.CustomerId));
    }

    [Fact]
    public async Task Start_SkipsMembersThatCannotBeMailed_WithTheReason()
    {
        var ok = await harness.AddCustomerAsync("Ok");
        var noEmail = await harness.AddCustomerAsync("NoMail", email: "");
        var noConsent = await harness.AddCustomerAsync("NoConsent", consent: false);
        var suppressed = await harness.AddCustomerAsync("Gone", email: "Gone@Example.com");
        await using (var db = harness.NewContext())
        {
            db.Suppressions.Add(new Suppression
            {
                NetworkId = harness.Org.Network.Id,
                Channel = CampaignChannelKind.Email,
                Address = "gone@example.com",
                Reason = SuppressionReason.Unsubscribe,
                CreatedAt = TestClock.Start.UtcDateTime,
            });
            await db.SaveChangesAsync();
        }

        var campaign = await harness.CreateCampaignAsync();
        var run = await harness.StartRunAsync(campaign.Id);

        var byCustomer = (await harness.MessagesAsync(run.Id)).ToDictionary(m => m.CustomerId);
        Assert.Equal(4, (await harness.MembersAsync(run.Id)).Count);
        Assert.Equal((MessageState.Queued, (string?)null), (byCustomer[ok.Id].State, byCustomer[ok.Id].SkipReason));
        Assert.Equal((MessageState.Skipped, CampaignRuns.SkipNoEmail), (byCustomer[noEmail.Id].State, byCustomer[noEmail.Id].SkipReason));
        Assert.Equal((MessageState.Skipped, CampaignRuns.SkipNoConsent), (byCustomer[noConsent.Id].State, byCustomer[noConsent.Id].SkipReason));
        Assert.Equal((MessageState.Skipped, CampaignRuns.SkipSuppressed), (byCustomer[suppressed.Id].State, byCustomer[suppressed.Id].SkipReason));
    }

    [Fact]
    public async Task Start_TheSameScheduledOccurrenceTwice_GivesOneRun()
    {
        await harness.AddCustomersAsync(2);
        var campaign = await harness.CreateCampaignAsync();
        var due = new DateTime(2026, 3, 2, 8, 0, 0, DateTimeKind.Utc);

        var first = await harness.StartRunAsync(campaign.Id, due);
        var again = await harness.StartRunAsync(campaign.Id, due);

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(2, (await harness.MessagesAsync(first.Id)).Count);
    }
}
