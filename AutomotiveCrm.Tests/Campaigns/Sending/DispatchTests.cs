using System.Diagnostics;
using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Tests.Support;

namespace AutomotiveCrm.Tests.Campaigns.Sending;

/// <summary>The dispatcher over real SMTP on loopback and a real SQLite database.</summary>
public sealed class DispatchTests : IAsyncLifetime
{
    private SendingHarness harness = null!;

    public async Task InitializeAsync() => harness = await SendingHarness.CreateAsync();

    public Task DisposeAsync()
    {
        harness.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Dispatch_SendsEachRecipientOneRenderedMessage_WithUnsubscribeHeaders()
    {
        var ann = await harness.AddCustomerAsync("Ann");
        await harness.AddCustomerAsync("<b>Bold</b>");
        var campaign = await harness.CreateCampaignAsync();
        var run = await harness.StartRunAsync(campaign.Id);
        await using var sink = new SmtpSink();

        var result = await harness.Dispatcher(sink.Port).DispatchDueAsync(CancellationToken.None);

        Assert.Equal((2, 0, 0, 1), (result.Sent, result.Failed, result.Skipped, result.RunsCompleted));
        var messages = await harness.MessagesAsync(run.Id);
        Assert.All(messages, m => Assert.Equal((MessageState.Sent, 1), (m.State, m.Attempts)));
        var delivered = sink.Received.ToDictionary(d => d.RcptTo.Single());
        Assert.Equal(2, delivered.Count);
        var annRow = messages.Single(m => m.CustomerId == ann.Id);
        var annMail = delivered[annRow.Address!].Message;
        Assert.Equal($"<campaign-{run.Id}-{annRow.Id}@crm.example.test>", annRow.MessageId);
        Assert.Equal(annRow.MessageId, "<" + annMail.MessageId + ">");
        Assert.Equal("News for Ann", annMail.Subject);
        Assert.Equal("Northgate Alder Leeds", annMail.From.Mailboxes.Single().Name);
        Assert.Equal("news@northgate.example", annMail.From.Mailboxes.Single().Address);
        var url = SendingHarness.Links.UrlFor(annRow.Id);
        Assert.Equal($"<{url}>", annMail.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", annMail.Headers["List-Unsubscribe-Post"]);
        Assert.Contains("Hello Ann", annMail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(url, annMail.HtmlBody, StringComparison.Ordinal);
        Assert.StartsWith("Hello Ann\n", (annMail.TextBody ?? "").ReplaceLineEndings("\n"), StringComparison.Ordinal);
        var boldMail = delivered.Values.Single(d => d.RcptTo.Single() != annRow.Address).Message;
        Assert.Contains("Hello &lt;b&gt;Bold&lt;/b&gt;", boldMail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(CampaignRunStatus.Completed, (await harness.RunAsync(run.Id)).Status);

        var again = await harness.Dispatcher(sink.Port).DispatchDueAsync(CancellationToken.None);
        Assert.Equal(0, again.Handled);
        Assert.Equal(2, sink.Received.Count);
    }

    /// <summary>
    /// THE guarantee. The first dispatcher "dies" right after the server accepted the 13th message and before its
    /// Sent commit (the cancellation that stops it propagates from that point; nothing after it runs), leaving its
    /// claimed batch in Sending. A new dispatcher sends the untouched rows at once, leaves the orphaned Sending rows
    /// alone while their lease runs, then resends them with their own Message-IDs.
    /// </summary>
    [Fact]
    public async Task Dispatch_InterruptedBetweenAcceptanceAndCommit_EveryoneGetsOneMessage_AtMostOneDuplicateWithTheSameMessageId()
    {
        const int recipients = 30;
        await harness.AddCustomersAsync(recipients);
        var campaign = await harness.CreateCampaignAsync();
        var run = await harness.StartRunAsync(campaign.Id);
        await using var sink = new SmtpSink();
        using var crash = new CancellationTokenSource();
        var first = harness.Dispatcher(sink.Port);
        var accepted = 0;
        first.AfterAccepted = (_, _) =>
        {
            if (++accepted == 13)
            {
                crash.Cancel();
                crash.Token.ThrowIfCancellationRequested();
            }

            return Task.CompletedTask;
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.DispatchDueAsync(crash.Token));

        var afterCrash = await harness.MessagesAsync(run.Id);
        Assert.Equal(12, afterCrash.Count(m => m.State == MessageState.Sent));
        Assert.Equal(8, afterCrash.Count(m => m.State == MessageState.Sending));
        Assert.Equal(10, afterCrash.Count(m => m.State == MessageState.Queued));
        Assert.Equal(13, sink.Received.Count);

        var restarted = harness.Dispatcher(sink.Port);
        var beforeLease = await restarted.DispatchDueAsync(CancellationToken.None);
        Assert.Equal(10, beforeLease.Sent);
        Assert.Equal(8, (await harness.MessagesAsync(run.Id)).Count(m => m.State == MessageState.Sending));

        harness.Database.Clock.Advance(TimeSpan.FromSeconds(121));
        var afterLease = await restarted.DispatchDueAsync(CancellationToken.None);
        Assert.Equal(8, afterLease.Sent);

        var final = await harness.MessagesAsync(run.Id);
        Assert.All(final, m => Assert.Equal(MessageState.Sent, m.State));
        Assert.Equal(recipients, final.Count);
        var received = await sink.WaitForAsync(recipients + 1);
        Assert.Equal(recipients + 1, received.Count);
        var byMessageId = received.GroupBy(d => d.Message.MessageId).ToList();
        Assert.Equal(recipients, byMessageId.Count);
        var duplicate = Assert.Single(byMessageId, g => g.Count() > 1);
        Assert.Equal(2, duplicate.Count());
        Assert.Equal(final.Select(m => m.Address).Order(), received.DistinctBy(d => d.Message.MessageId).Select(d => d.RcptTo.Single()).Order());
        Assert.Equal(final.Select(m => m.MessageId).Order(), byMessageId.Select(g => "<" + g.Key + ">").Order());
        Assert.All(final.Where(m => m.Attempts == 2), m => Assert.Contains("interrupted", m.LastError, StringComparison.Ordinal));
        Assert.Equal(8, final.Count(m => m.Attempts == 2));
        Assert.Equal(CampaignRunStatus.Completed, (await harness.RunAsync(run.Id)).Status);
    }

    [Fact]
    public async Task Dispatch_TransientRefusal_RetriesWithBackoffThenSends()
    {
        await harness.AddCustomerAsync("Ann", "ann@example.com");
        await harness.AddCustomerAsync("Bob", "bob@example.com");
        var campaign = await harness.CreateCampaignAsync();
        var run = await harness.StartRunAsync(campaign.Id);
        await using var server = new FlakySmtpServer((address, times) => address == "ann@example.com" && times <= 2 ? "451 4.3.0 Try again later" : null);
        var dispatcher = harness.Dispatcher(server.Port);

        var first = await dispatcher.DispatchDueAsync(CancellationToken.None);
        var ann = (await harness.MessagesAsync(run.Id)).Single(m => m.Address == "ann@example.com");
        Assert.Equal((1, 1), (first.Sent, first.Retrying));
        Assert.Equal((MessageState.Queued, 1), (ann.State, ann.Attempts));
        Assert.Equal(TestClock.Start.UtcDateTime.AddSeconds(60), ann.NextAttemptAt);
        Assert.Contains("451", ann.LastError, StringComparison.Ordinal);

        Assert.Equal(0, (await dispatcher.DispatchDueAsync(CancellationToken.None)).Handled);
        harness.Database.Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(1, (await dispatcher.DispatchDueAsync(CancellationToken.None)).Retrying);
        ann = (await harness.MessagesAsync(run.Id)).Single(m => m.Address == "ann@example.com");
        Assert.Equal(TestClock.Start.UtcDateTime.AddSeconds(60 + 120), ann.NextAttemptAt);

        harness.Database.Clock.Advance(TimeSpan.FromSeconds(120));
        var third = await dispatcher.DispatchDueAsync(CancellationToken.None);

        ann = (await harness.MessagesAsync(run.Id)).Single(m => m.Address == "ann@example.com");
        Assert.Equal((1, 1), (third.Sent, third.RunsCompleted));
        Assert.Equal((MessageState.Sent, 3), (ann.State, ann.Attempts));
        Assert.Equal(["ann@example.com", "bob@example.com"], server.Accepted.Order());
    }

    [Fact]
    public async Task Dispatch_PermanentRefusal_FailsAtOnceWithTheReason()
    {
        await harness.AddCustomerAsync("Ann", "nobody@example.com");
        await harness.AddCustomerAsync("Bob", "bob@example.com");
        var campaign = await harness.CreateCampaignAsync();
        var run = await harness.StartRunAsync(campaign.Id);
        await using var server = new FlakySmtpServer((address, _) => address == "nobody@example.com" ? "550 5.1.1 User unknown" : null);

        var result = await harness.Dispatcher(server.Port).DispatchDueAsync(CancellationToken.None);

        var failed = (await harness.MessagesAsync(run.Id)).Single(m => m.Address == "nobody@example.com");
        Assert.Equal((1, 1, 1), (result.Sent, result.Failed, result.RunsCompleted));
        Assert.Equal((MessageState.Failed, 1, (DateTime?)null), (failed.State, failed.Attempts, failed.NextAttemptAt));
        Assert.StartsWith("550", failed.LastError, StringComparison.Ordinal);
        Assert.Contains("User unknown", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(["bob@example.com"], server.Accepted);
    }

    [Fact]
    public async Task Dispatch_TransientRefusalBeyondMaxAttempts_Fails()
    {
        await harness.AddCustomerAsync("Ann", "ann@example.com");
        var campaign = await harness.CreateCampaignAsync();
        var run = await harness.StartRunAsync(campaign.Id);
        await using var server = new FlakySmtpServer((_, _) => "421 4.7.0 Busy");
        var dispatcher = harness.Dispatcher(server.Port);

        for (var i = 0; i < 3; i++)
        {
            await dispatcher.DispatchDueAsync(CancellationToken.None);
            harness.Database.Clock.Advance(TimeSpan.FromHours(1));
        }

        var row = Assert.Single(await harness.MessagesAsync(run.Id));
        Assert.Equal((MessageState.Failed, 3), (row.State, row.Attempts));
        Assert.StartsWith("421", row.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_IsThrottledToTheConfiguredRate()
    {
        await harness.AddCustomersAsync(21);
        var campaign = await harness.CreateCampaignAsync();
        await harness.StartRunAsync(campaign.Id);
        await using var sink = new SmtpSink();
        var dispatcher = harness.Dispatcher(sink.Port, SendingHarness.Settings(batchSize: 25, rate: 20));

        var watch = Stopwatch.StartNew();
        var result = await dispatcher.DispatchDueAsync(CancellationToken.None);
        watch.Stop();

        // 21 messages at 20/s with a burst of one: the first goes at once, 20 more need at least 20 x 50 ms. Only the
        // lower bound is asserted; a slow machine may take longer.
        Assert.Equal(21, result.Sent);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(950), $"21 messages at 20/s took {watch.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Cancel_StopsTheRun_RemainingMessagesSkippedAsRunCancelled()
    {
        await harness.AddCustomersAsync(5);
        var campaign = await harness.CreateCampaignAsync();
        var run = await harness.StartRunAsync(campaign.Id);
        await using var sink = new SmtpSink();
        await using (var db = harness.NewContext())
        {
            Assert.True(await CampaignRuns.CancelAsync(db, harness.Database.Clock, run.Id, "manager@example.com"));
            Assert.False(await CampaignRuns.CancelAsync(db, harness.Database.Clock, run.Id, "manager@example.com"));
        }

        var result = await harness.Dispatcher(sink.Port).DispatchDueAsync(CancellationToken.None);

        Assert.Equal(0, result.Handled);
        Assert.Empty(sink.Received);
        Assert.All(await harness.MessagesAsync(run.Id), m => Assert.Equal((MessageState.Skipped, CampaignRuns.SkipRunCancelled), (m.State, m.SkipReason)));
        var cancelled = await harness.RunAsync(run.Id);
        Assert.Equal(CampaignRunStatus.Cancelled, cancelled.Status);
        Assert.Contains("manager@example.com", cancelled.StatusReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_AddressSuppressedAfterTheRunStarted_IsSkipped()
    {
        await harness.AddCustomerAsync("Ann", "ann@example.com");
        var campaign = await harness.CreateCampaignAsync();
        var run = await harness.StartRunAsync(campaign.Id);
        await using (var db = harness.NewContext())
        {
            db.Suppressions.Add(new Suppression
            {
                NetworkId = harness.Org.Network.Id,
                Channel = CampaignChannelKind.Email,
                Address = "ann@example.com",
                Reason = SuppressionReason.Unsubscribe,
                CreatedAt = TestClock.Start.UtcDateTime,
            });
            await db.SaveChangesAsync();
        }

        await using var sink = new SmtpSink();
        await harness.Dispatcher(sink.Port).DispatchDueAsync(CancellationToken.None);

        var row = Assert.Single(await harness.MessagesAsync(run.Id));
        Assert.Equal((MessageState.Skipped, CampaignRuns.SkipSuppressed), (row.State, row.SkipReason));
        Assert.Empty(sink.Received);
    }
}
