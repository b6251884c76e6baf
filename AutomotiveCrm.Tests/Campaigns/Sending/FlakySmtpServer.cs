using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AutomotiveCrm.Tests.Campaigns.Sending;

/// <summary>
/// A loopback SMTP server whose answer to each RCPT TO is decided by the test (<c>reply(address, timesSeen)</c>,
/// null for "250 OK"), so transient (4xx) and permanent (5xx) refusals reach MailKit exactly as a real server sends
/// them. Accepted messages are counted per recipient; the content is not parsed (the SmtpSink tests do that).
/// </summary>
internal sealed class FlakySmtpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Func<string, int, string?> reply;
    private readonly ConcurrentDictionary<string, int> seen = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string> accepted = new();
    private readonly List<Task> sessions = [];
    private readonly Task accepting;

    public FlakySmtpServer(Func<string, int, string?> reply)
    {
        this.reply = reply;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Recipients of the messages accepted (one entry per accepted message).</summary>
    public IReadOnlyCollection<string> Accepted => accepted.ToArray();

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
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.Latin1, false, leaveOpen: true);
        await using var writer = new StreamWriter(stream, Encoding.ASCII, leaveOpen: true) { NewLine = "\r\n", AutoFlush = true };
        var recipients = new List<string>();
        try
        {
            await writer.WriteLineAsync("220 flaky.test ESMTP");
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                switch ((line.Length >= 4 ? line[..4] : line).ToUpperInvariant())
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-flaky.test");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "MAIL":
                    case "RSET":
                        recipients.Clear();
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RCPT":
                        var address = line[(line.IndexOf('<', StringComparison.Ordinal) + 1)..line.IndexOf('>', StringComparison.Ordinal)];
                        var times = seen.AddOrUpdate(address, 1, (_, n) => n + 1);
                        var answer = reply(address, times);
                        if (answer is null)
                        {
                            recipients.Add(address);
                        }

                        await writer.WriteLineAsync(answer ?? "250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 go ahead");
                        while (await reader.ReadLineAsync(stop.Token) is { } data && data != ".")
                        {
                        }

                        foreach (var recipient in recipients)
                        {
                            accepted.Enqueue(recipient);
                        }

                        recipients.Clear();
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
            // The client went away or the server is stopping.
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
