using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Tests.Support;

namespace AutomotiveCrm.Tests.Campaigns.Sending;

/// <summary>The dispatcher submitting over several SMTP connections at once (real SMTP on loopback, real SQLite).</summary>
public sealed class DispatchConnectionsTests : IAsyncLifetime
{
    private SendingHarness harness = null!;

    public async Task InitializeAsync() => harness = await SendingHarness.CreateAsync();

    public Task DisposeAsync()
    {
        harness.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Dispatch_FourConnections_EveryRecipientOnceUnderItsOwnMessageId_OverSeveralConnections()
    {
        const int recipients = 60;
        await harness.AddCustomersAsync(recipients);
        var campaign = await harness.CreateCampaignAsync();
        var run = await harness.StartRunAsync(campaign.Id);
        await using var sink = new SmtpSink();

        var result = await harness.Dispatcher(sink.Port, SendingHarness.Settings(batchSize: 20, connections: 4)).DispatchDueAsync(CancellationToken.None);

        Assert.Equal((recipients, 0, 0, 0, 1), (result.Sent, result.Retrying, result.Failed, result.Skipped, result.RunsCompleted));
        var rows = await harness.MessagesAsync(run.Id);
        Assert.All(rows, r => Assert.Equal((MessageState.Sent, 1), (r.State, r.Attempts)));
        var received = await sink.WaitForAsync(recipients);
        Assert.Equal(recipients, received.Count);
        Assert.Equal(rows.Select(r => r.MessageId!).Order(StringComparer.Ordinal),
            received.Select(d => "<" + d.Message.MessageId + ">").Order(StringComparer.Ordinal));
        Assert.Equal(rows.Select(r => r.Address!).Order(StringComparer.Ordinal), received.Select(d => d.RcptTo.Single()).Order(StringComparer.Ordinal));
        Assert.InRange(sink.ConnectionsAccepted, 2, 4);
    }

    [Fact]
    public async Task Dispatch_FourConnections_RefusalsStayWithTheirOwnRows()
    {
        await harness.AddCustomerAsync("Ann", "nobody@example.com");
        await harness.AddCustomerAsync("Bob", "later@example.com");
        for (var i = 0; i < 10; i++)
        {
            await harness.AddCustomerAsync("Cat" + i, $"cat{i}@example.com");
        }

        var campaign = await harness.CreateCampaignAsync();
        var run = await harness.StartRunAsync(campaign.Id);
        await using var server = new FlakySmtpServer((address, _) => address switch
        {
            "nobody@example.com" => "550 5.1.1 User unknown",
            "later@example.com" => "451 4.3.0 Try again later",
            _ => null,
        });

        var result = await harness.Dispatcher(server.Port, SendingHarness.Settings(connections: 4)).DispatchDueAsync(CancellationToken.None);

        Assert.Equal((10, 1, 1), (result.Sent, result.Retrying, result.Failed));
        var rows = await harness.MessagesAsync(run.Id);
        Assert.Equal(MessageState.Failed, rows.Single(m => m.Address == "nobody@example.com").State);
        var later = rows.Single(m => m.Address == "later@example.com");
        Assert.Equal(MessageState.Queued, later.State);
        Assert.NotNull(later.NextAttemptAt);
        Assert.All(rows.Where(m => m.Address!.StartsWith("cat", StringComparison.Ordinal)), m => Assert.Equal(MessageState.Sent, m.State));
        Assert.Equal(10, server.Accepted.Count);
    }

    /// <summary>
    /// The crash guarantee with four connections: the dispatcher "dies" after the 13th acceptance. Rows are Sent,
    /// left in Sending (claimed, perhaps submitted) or Queued, none lost; a new dispatcher finishes them and every
    /// recipient ends with one Message-ID, repeated at most once per connection.
    /// </summary>
    [Fact]
    public async Task Dispatch_FourConnections_InterruptedAfterAcceptance_NoRowLost_RepeatsAtMostOnePerConnection()
    {
        const int recipients = 40;
        const int connections = 4;
        await harness.AddCustomersAsync(recipients);
        var campaign = await harness.CreateCampaignAsync();
        var run = await harness.StartRunAsync(campaign.Id);
        await using var sink = new SmtpSink();
        using var crash = new CancellationTokenSource();
        var settings = SendingHarness.Settings(batchSize: 20, connections: connections);
        var first = harness.Dispatcher(sink.Port, settings);
        var accepted = 0;
        first.AfterAccepted = (_, _) =>
        {
            if (Interlocked.Increment(ref accepted) == 13)
            {
                crash.Cancel();
                crash.Token.ThrowIfCancellationRequested();
            }

            return Task.CompletedTask;
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.DispatchDueAsync(crash.Token));

        var afterCrash = await harness.MessagesAsync(run.Id);
        Assert.Equal(recipients, afterCrash.Count);
        Assert.InRange(afterCrash.Count(m => m.State == MessageState.Sent), 12, 12 + connections - 1);
        Assert.Equal(20, afterCrash.Count(m => m.State == MessageState.Queued));
        Assert.All(afterCrash.Where(m => m.State == MessageState.Sending), m => Assert.Equal(1, m.Attempts));

        var restarted = harness.Dispatcher(sink.Port, settings);
        await restarted.DispatchDueAsync(CancellationToken.None);
        harness.Database.Clock.Advance(TimeSpan.FromSeconds(121));
        await restarted.DispatchDueAsync(CancellationToken.None);

        var final = await harness.MessagesAsync(run.Id);
        Assert.All(final, m => Assert.Equal(MessageState.Sent, m.State));
        var received = sink.Received.ToList();
        var byMessageId = received.GroupBy(d => "<" + d.Message.MessageId + ">").ToList();
        Assert.Equal(final.Select(m => m.MessageId!).Order(StringComparer.Ordinal), byMessageId.Select(g => g.Key).Order(StringComparer.Ordinal));
        Assert.InRange(received.Count - recipients, 0, connections);
        Assert.All(byMessageId, g => Assert.InRange(g.Count(), 1, 2));
        Assert.Equal(CampaignRunStatus.Completed, (await harness.RunAsync(run.Id)).Status);
    }
}
