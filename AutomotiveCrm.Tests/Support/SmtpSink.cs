using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace AutomotiveCrm.Tests.Support;

/// <summary>One message as the sink received it: the envelope and the parsed MIME message.</summary>
public sealed record SmtpDelivery(string MailFrom, IReadOnlyList<string> RcptTo, MimeMessage Message);

/// <summary>
/// A real SMTP server on a loopback port, in process, for tests of code that sends mail through MailKit: it speaks
/// enough of RFC 5321 (EHLO/HELO, MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT; no TLS, no AUTH) and parses
/// each message with MimeKit. Point <c>Email:Smtp:Host</c> at 127.0.0.1 and <c>Email:Smtp:Port</c> at
/// <see cref="Port"/>, with <c>UseStartTls</c> false.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<SmtpDelivery> received = new();
    private readonly SemaphoreSlim arrived = new(0);
    private readonly List<Task> sessions = [];
    private readonly Task accepting;

    public SmtpSink()
    {
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = AcceptAsync();
    }

    public int Port { get; }

    public IReadOnlyCollection<SmtpDelivery> Received => received.ToArray();

    /// <summary>How many client connections the sink has accepted so far.</summary>
    public int ConnectionsAccepted
    {
        get
        {
            lock (sessions)
            {
                return sessions.Count;
            }
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> messages have arrived in total (or fails after <paramref name="timeout"/>).</summary>
    public async Task<IReadOnlyList<SmtpDelivery>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        while (received.Count < count)
        {
            try
            {
                await arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The SMTP sink received {received.Count} of {count} messages.");
            }
        }

        return received.ToArray();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            lock (sessions)
            {
                sessions.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.Latin1, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        await using var writer = new StreamWriter(stream, Encoding.ASCII, leaveOpen: true) { NewLine = "\r\n", AutoFlush = true };
        string? from = null;
        var to = new List<string>();
        try
        {
            await writer.WriteLineAsync("220 smtp-sink.test ESMTP ready");
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                var verb = (line.Length >= 4 ? line[..4] : line).ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-smtp-sink.test");
                        await writer.WriteLineAsync("250-8BITMIME");
                        await writer.WriteLineAsync("250 SIZE 104857600");
                        break;
                    case "HELO":
                        await writer.WriteLineAsync("250 smtp-sink.test");
                        break;
                    case "MAIL":
                        from = Address(line);
                        to.Clear();
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RCPT":
                        to.Add(Address(line));
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var message = await ReadDataAsync(reader);
                        received.Enqueue(new SmtpDelivery(from ?? "", to.ToList(), message));
                        arrived.Release();
                        await writer.WriteLineAsync("250 OK: queued");
                        from = null;
                        to.Clear();
                        break;
                    case "RSET":
                        from = null;
                        to.Clear();
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "NOOP":
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 Command not implemented");
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the sink is stopping.
        }
    }

    /// <summary>The DATA section up to the lone dot, with leading dots unstuffed, parsed as a MIME message.</summary>
    private async Task<MimeMessage> ReadDataAsync(StreamReader reader)
    {
        // Latin-1 maps every byte to one char and back, so 8-bit content survives the round trip unchanged.
        using var buffer = new MemoryStream();
        while (true)
        {
            // A client that goes away before the lone dot has not submitted anything: a server discards the part.
            var line = await reader.ReadLineAsync(stop.Token) ?? throw new IOException("The client closed the connection in the middle of DATA.");
            if (line == ".")
            {
                break;
            }

            var text = line.StartsWith("..", StringComparison.Ordinal) ? line[1..] : line;
            var bytes = Encoding.Latin1.GetBytes(text + "\r\n");
            buffer.Write(bytes);
        }

        buffer.Position = 0;
        return await MimeMessage.LoadAsync(buffer, stop.Token);
    }

    private static string Address(string line)
    {
        var start = line.IndexOf('<', StringComparison.Ordinal);
        var end = line.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? line[(start + 1)..end] : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
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
        arrived.Dispose();
        listener.Dispose();
    }
}
