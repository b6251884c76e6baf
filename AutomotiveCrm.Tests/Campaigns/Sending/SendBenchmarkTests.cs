using AutomotiveCrm.Domain.Campaigns.Sending.Bench;

namespace AutomotiveCrm.Tests.Campaigns.Sending;

/// <summary>The bench's work is real: every recipient is enqueued, rendered and accepted by the loopback server. No timing here.</summary>
public sealed class SendBenchmarkTests
{
    [Fact]
    public async Task Bench_SendsEveryRecipientOnce()
    {
        using var progress = new StringWriter();

        var result = await SendBenchmark.RunAsync(300, progress, CancellationToken.None);

        Assert.Equal((300, 300, 300), (result.Recipients, result.Sent, result.ServerAccepted));
        Assert.Contains("\"bench\":\"send\"", result.ToJson(), StringComparison.Ordinal);
        Assert.Contains("Dispatching", progress.ToString(), StringComparison.Ordinal);
    }
}
