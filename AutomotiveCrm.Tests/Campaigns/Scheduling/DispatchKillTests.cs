using System.Diagnostics;
using System.Text.Json;
using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Tests.Campaigns.Sending;
using AutomotiveCrm.Tests.Support;
using Xunit.Abstractions;

namespace AutomotiveCrm.Tests.Campaigns.Scheduling;

/// <summary>
/// THE sending guarantee with a real crash: the web executable's <c>dispatch</c> verb sends a run to a loopback SMTP
/// server as a child process, is killed with SIGKILL half-way, and is started again. Every recipient gets the campaign
/// under exactly one Message-ID (a receiver drops a repeat of it), nobody is skipped, every row ends Sent. The
/// dispatch submits over four connections at once, so up to four submissions can be in flight at the kill.
/// </summary>
public sealed class DispatchKillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Recipients = 150;
    private const int Connections = 4;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    private SendingHarness harness = null!;
    private readonly string folder = Directory.CreateTempSubdirectory("acrm-dispatch-kill-").FullName;

    public async Task InitializeAsync()
    {
        harness = await SendingHarness.CreateAsync();
        await harness.AddCustomersAsync(Recipients);
    }

    public async Task DisposeAsync()
    {
        harness.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Dispatch_KilledMidSendAndRestarted_SendsEveryRecipientExactlyOnce()
    {
        var campaign = await harness.CreateCampaignAsync();
        var run = await harness.StartRunAsync(campaign.Id);
        await using var sink = new SmtpSink();

        var (killedExit, _, killedErr) = await RunAsync(sink, killWhenReceived: Recipients / 3);
        var receivedBeforeRestart = sink.Received.Count;
        var (exitCode, stdout, stderr) = await RunAsync(sink, killWhenReceived: null);

        Assert.True(killedExit == -1, $"The dispatch was meant to be killed, but it exited with {killedExit}: {killedErr}");
        Assert.InRange(receivedBeforeRestart, Recipients / 3, Recipients - 1);
        Assert.True(exitCode == 0, $"exit {exitCode}: {stderr}");
        using var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
        output.WriteLine($"received before the kill: {receivedBeforeRestart}; second process: {json.RootElement}");
        var rows = await harness.MessagesAsync(run.Id);
        Assert.Equal(Recipients, rows.Count);
        Assert.All(rows, r => Assert.Equal(MessageState.Sent, r.State));
        var deliveries = sink.Received.Select(d => (To: d.RcptTo.Single(), MessageId: "<" + d.Message.MessageId + ">")).ToList();
        // One Message-ID per recipient, and it is the one its row recorded.
        var perRecipient = deliveries.GroupBy(d => d.To).ToDictionary(g => g.Key, g => g.Select(d => d.MessageId).Distinct().ToList());
        Assert.Equal(rows.Select(r => r.Address!).Order(StringComparer.Ordinal), perRecipient.Keys.Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal([r.MessageId!], perRecipient[r.Address!]));
        Assert.Equal(Recipients, deliveries.Select(d => d.MessageId).Distinct().Count());
        // At most the submissions in flight at the kill, one per connection, were repeated (same Message-ID).
        Assert.InRange(deliveries.Count - Recipients, 0, Connections);
        Assert.Equal(CampaignRunStatus.Completed, (await harness.RunAsync(run.Id)).Status);
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(SmtpSink sink, int? killWhenReceived)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        foreach (var argument in new[]
        {
            WebAssembly, "dispatch", "--json",
            $"--ConnectionStrings:Crm={harness.Database.Settings.ConnectionString}", "--Database:Provider=Sqlite",
            "--Email:Smtp:Host=127.0.0.1", $"--Email:Smtp:Port={sink.Port}", "--Email:Smtp:UseStartTls=false", "--Email:PickupDirectory=",
            $"--Campaigns:UnsubscribeKey={Convert.ToBase64String(SendingHarness.Key)}", "--Campaigns:PublicBaseUrl=https://crm.example.test",
            "--Campaigns:MessageIdDomain=crm.example.test", "--Campaigns:SendRatePerSecond=150", "--Campaigns:BatchSize=10",
            "--Campaigns:SendingLeaseSeconds=3", $"--Campaigns:Connections={Connections}", "--Logging:LogLevel:Default=Warning",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var deadline = Stopwatch.StartNew();
        while (!process.HasExited)
        {
            Assert.True(deadline.Elapsed < RunTimeout, "The dispatch took too long.");
            if (killWhenReceived is { } count && sink.Received.Count >= count)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                return (-1, await stdout, await stderr);
            }

            await Task.Delay(5);
        }

        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string WebAssembly => Path.Combine(AppContext.BaseDirectory, "AutomotiveCrm.Web.dll");
}
