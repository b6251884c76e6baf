using System.Collections.Concurrent;
using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Sms;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Tests.Campaigns.Sending;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Campaigns.Sms;

/// <summary>An in-memory provider: counts acceptances per reference, can refuse the first attempts transiently.</summary>
internal sealed class RecordingSmsSender : ISmsSender
{
    public ConcurrentDictionary<string, int> Accepted { get; } = new();

    public ConcurrentQueue<SmsMessage> Messages { get; } = new();

    public int TransientFailuresLeft { get; set; }

    public Task<string> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        if (TransientFailuresLeft > 0)
        {
            TransientFailuresLeft--;
            throw new SmsSendException(false, "503 Service Unavailable");
        }

        Accepted.AddOrUpdate(message.Reference, 1, (_, n) => n + 1);
        Messages.Enqueue(message);
        return Task.FromResult("prov-" + message.Reference);
    }
}

/// <summary>SMS of a run: queued per consenting mobile at run start, sent exactly once per (run, recipient), crash-safe.</summary>
public sealed class SmsDispatchTests : IAsyncLifetime
{
    private SendingHarness harness = null!;

    public async Task InitializeAsync() => harness = await SendingHarness.CreateAsync();

    public Task DisposeAsync()
    {
        harness.Dispose();
        return Task.CompletedTask;
    }

    private async Task<Customer> AddMobileCustomerAsync(string firstName, string? mobile, bool consent = true)
    {
        await using var db = harness.NewContext();
        var builder = new CustomerBuilder().InGroup(harness.Org.Group).Named(firstName, "Morgan").WithResponsibleDealer(harness.Org.Dealer);
        if (mobile is not null)
        {
            builder.WithPhone(mobile);
        }

        var customer = await builder.SaveAsync(db);
        if (consent)
        {
            db.ConsentRecords.Add(ConsentState.Create(customer.Id, ConsentChannel.Sms, ConsentPurpose.Marketing, null, harness.Org.Dealer.Id,
                ConsentStatus.OptIn, harness.Database.Clock.GetUtcNow().UtcDateTime.AddDays(-30), ConsentSource.Form, "test"));
            await db.SaveChangesAsync();
        }

        return customer;
    }

    private async Task<CampaignRun> StartSmsRunAsync(string text = "Hi {{ customer.first_name | default: \"there\" }}, your service is due.")
    {
        var campaign = await harness.CreateCampaignAsync();
        await using (var db = harness.NewContext())
        {
            db.CampaignContents.Add(new CampaignContent
            {
                CampaignId = campaign.Id,
                Channel = CampaignChannelKind.Sms,
                BodyText = text,
                SmsSenderId = "Northgate",
                UpdatedAt = harness.Database.Clock.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync();
        }

        return await harness.StartRunAsync(campaign.Id);
    }

    private SmsDispatcher Dispatcher(ISmsSender sender) =>
        new(() => harness.NewContext(), sender, SendingHarness.Settings(batchSize: 2), new SmsSettings { SendRatePerSecond = 0 }, harness.Database.Clock);

    [Fact]
    public async Task StartRun_SmsContent_QueuesConsentingMobilesAndSkipsTheRestWithReasons()
    {
        var reachable = await AddMobileCustomerAsync("Ada", "07700 900101");
        var noConsent = await AddMobileCustomerAsync("Bea", "07700 900102", consent: false);
        var noMobile = await AddMobileCustomerAsync("Cal", null);
        await using (var db = harness.NewContext())
        {
            db.Suppressions.Add(new Suppression
            {
                NetworkId = harness.Org.Network.Id, Channel = CampaignChannelKind.Sms, Address = "+447700900104", Reason = SuppressionReason.Manual,
                CreatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        var suppressed = await AddMobileCustomerAsync("Dee", "07700 900104");

        var run = await StartSmsRunAsync();

        var sms = (await harness.MessagesAsync(run.Id)).Where(m => m.Channel == CampaignChannelKind.Sms).ToDictionary(m => m.CustomerId);
        Assert.Equal(MessageState.Queued, sms[reachable.Id].State);
        Assert.Equal("+447700900101", sms[reachable.Id].Address);
        Assert.Equal(SmsRunQueue.SkipNoConsent, sms[noConsent.Id].SkipReason);
        Assert.Equal(SmsRunQueue.SkipNoMobile, sms[noMobile.Id].SkipReason);
        Assert.Equal(SmsRunQueue.SkipSuppressed, sms[suppressed.Id].SkipReason);
    }

    [Fact]
    public async Task Dispatch_SendsEachRecipientOnceWithMergedTextAndCompletesTheRun()
    {
        for (var i = 0; i < 5; i++)
        {
            await AddMobileCustomerAsync($"Name{i}", $"07700 90020{i}");
        }

        var run = await StartSmsRunAsync();
        var sender = new RecordingSmsSender();

        var first = await Dispatcher(sender).DispatchDueAsync(CancellationToken.None);
        var second = await Dispatcher(sender).DispatchDueAsync(CancellationToken.None);

        Assert.Equal(5, first.Sent);
        Assert.Equal(0, second.Handled);
        Assert.Equal(5, sender.Accepted.Count);
        Assert.All(sender.Accepted.Values, n => Assert.Equal(1, n));
        Assert.Contains(sender.Messages, m => m.Text == "Hi Name3, your service is due." && m.To == "+447700900203" && m.From == "Northgate");
        var rows = (await harness.MessagesAsync(run.Id)).Where(m => m.Channel == CampaignChannelKind.Sms).ToList();
        Assert.All(rows, r => Assert.Equal(MessageState.Sent, r.State));
        Assert.All(rows, r => Assert.Equal("prov-" + SmsDispatcher.ReferenceFor(run.Id, r.Id), r.MessageId));
        Assert.Equal(CampaignRunStatus.Completed, (await harness.RunAsync(run.Id)).Status);
    }

    [Fact]
    public async Task Dispatch_WithoutAProvider_FailsEachMessageWithTheReasonAndCompletesTheRun()
    {
        await AddMobileCustomerAsync("Eve", "07700 900601");
        await AddMobileCustomerAsync("Flo", "07700 900602");
        var run = await StartSmsRunAsync();

        var result = await Dispatcher(new UnconfiguredSmsSender()).DispatchDueAsync(CancellationToken.None);

        Assert.Equal(2, result.Failed);
        var rows = (await harness.MessagesAsync(run.Id)).Where(m => m.Channel == CampaignChannelKind.Sms).ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(MessageState.Failed, r.State));
        Assert.All(rows, r => Assert.Contains(UnconfiguredSmsSender.Reason, r.LastError, StringComparison.Ordinal));
        Assert.Equal(CampaignRunStatus.Completed, (await harness.RunAsync(run.Id)).Status);
    }

    [Fact]
    public async Task Dispatch_CrashAfterAcceptance_ResendsOnlyThatRowAfterTheLeaseWithTheSameReference()
    {
        for (var i = 0; i < 4; i++)
        {
            await AddMobileCustomerAsync($"Name{i}", $"07700 90030{i}");
        }

        var run = await StartSmsRunAsync();
        var sender = new RecordingSmsSender();
        var crashing = Dispatcher(sender);
        crashing.AfterAccepted = (_, _) => throw new SimulatedFailureException("killed after the provider accepted");

        await Assert.ThrowsAsync<SimulatedFailureException>(() => crashing.DispatchDueAsync(CancellationToken.None));
        var early = await Dispatcher(sender).DispatchDueAsync(CancellationToken.None);
        harness.Database.Clock.Advance(TimeSpan.FromSeconds(SendingHarness.Settings().SendingLeaseSeconds + 1));
        var late = await Dispatcher(sender).DispatchDueAsync(CancellationToken.None);

        // The claimed batch (2 rows): the first was accepted, then the process "died"; the second was never submitted.
        Assert.Equal(2, early.Sent);
        Assert.Equal(2, late.Sent);
        Assert.Equal(4, sender.Accepted.Count);
        Assert.Equal(1, sender.Accepted.Values.Count(n => n == 2));
        Assert.Equal(3, sender.Accepted.Values.Count(n => n == 1));
        var rows = (await harness.MessagesAsync(run.Id)).Where(m => m.Channel == CampaignChannelKind.Sms).ToList();
        Assert.All(rows, r => Assert.Equal(MessageState.Sent, r.State));
        // Both rows of the dead dispatcher's batch waited for the lease and say why they were resubmitted.
        Assert.Equal(2, rows.Count(r => r.LastError?.Contains("interrupted", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task Dispatch_TransientFailure_RetriesAfterBackOff()
    {
        await AddMobileCustomerAsync("Ada", "07700 900401");
        var run = await StartSmsRunAsync();
        var sender = new RecordingSmsSender { TransientFailuresLeft = 1 };

        var first = await Dispatcher(sender).DispatchDueAsync(CancellationToken.None);
        var tooEarly = await Dispatcher(sender).DispatchDueAsync(CancellationToken.None);
        harness.Database.Clock.Advance(TimeSpan.FromSeconds(SendingHarness.Settings().RetryBaseSeconds + 1));
        var retried = await Dispatcher(sender).DispatchDueAsync(CancellationToken.None);

        Assert.Equal(1, first.Retrying);
        Assert.Equal(0, tooEarly.Handled);
        Assert.Equal(1, retried.Sent);
        var row = Assert.Single(await harness.MessagesAsync(run.Id), m => m.Channel == CampaignChannelKind.Sms);
        Assert.Equal(2, row.Attempts);
        Assert.Equal("503 Service Unavailable", row.LastError);
    }

    [Fact]
    public async Task Dispatch_ThroughHttpProvider_SendsEveryRecipientOnce()
    {
        for (var i = 0; i < 3; i++)
        {
            await AddMobileCustomerAsync($"Name{i}", $"07700 90050{i}");
        }

        var run = await StartSmsRunAsync();
        await using var provider = new LoopbackSmsProvider();
        using var http = new HttpClient();
        var sender = new HttpSmsSender(http, new SmsSettings { Url = provider.Url, Token = "t" });

        var result = await Dispatcher(sender).DispatchDueAsync(CancellationToken.None);

        Assert.Equal(3, result.Sent);
        Assert.Equal(3, provider.Received.Select(r => r.Body.GetProperty("reference").GetString()).Distinct().Count());
        await using var db = harness.NewContext();
        var ids = await db.CampaignMessages.Where(m => m.RunId == run.Id && m.Channel == CampaignChannelKind.Sms).Select(m => m.MessageId).ToListAsync();
        Assert.All(ids, id => Assert.StartsWith("prov-", id, StringComparison.Ordinal));
    }
}
