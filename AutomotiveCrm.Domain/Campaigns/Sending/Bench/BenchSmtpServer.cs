using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AutomotiveCrm.Domain.Campaigns.Sending.Bench;

/// <summary>
/// The loopback SMTP server of <c>bench send</c>: accepts every message and discards it, counting them. It answers
/// just enough of RFC 5321 for MailKit (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT); it is no server for real use.
/// </summary>
public sealed class BenchSmtpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> sessions = [];
    private readonly Task accepting;
    private int accepted;

    private readonly TimeSpan latency;

    /// <param name="latency">How long the server takes to answer the end of DATA: a remote relay's round trip and
    /// queueing, which a loopback server otherwise hides (zero: answer at once).</param>
    public BenchSmtpServer(TimeSpan latency = default)
    {
        this.latency = latency;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = AcceptAsync();
    }

    public int Port { get; }

    public int Accepted => Volatile.Read(ref accepted);

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                lock (sessions)
                {
                    sessions.Add(ServeAsync(client));
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        // Replies are small writes: without NoDelay, Nagle holds each one back until the client's delayed ACK.
        client.NoDelay = true;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.Latin1, false, 64 * 1024, leaveOpen: true);
        await using var writer = new StreamWriter(stream, Encoding.ASCII, leaveOpen: true) { NewLine = "\r\n", AutoFlush = true };
        try
        {
            await writer.WriteLineAsync("220 bench.local ESMTP");
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                switch ((line.Length >= 4 ? line[..4] : line).ToUpperInvariant())
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-bench.local\r\n250-PIPELINING\r\n250 8BITMIME");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 go ahead");
                        while (await reader.ReadLineAsync(stop.Token) is { } data && data != ".")
                        {
                        }

                        if (latency > TimeSpan.Zero)
                        {
                            await Task.Delay(latency, stop.Token);
                        }

                        Interlocked.Increment(ref accepted);
                        await writer.WriteLineAsync("250 OK queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("250 OK");
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the bench is over.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        Task[] running;
        lock (sessions)
        {
            running = [.. sessions];
        }

        await Task.WhenAll(running);
        stop.Dispose();
        listener.Dispose();
    }
}
