using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace AutomotiveCrm.Tests.Campaigns.Sms;

/// <summary>One request the fake provider received.</summary>
internal sealed record ProviderRequest(string Method, string Path, string? Authorization, string ContentType, JsonElement Body);

/// <summary>
/// A real HTTP server on a loopback port (HttpListener) standing in for an SMS provider: it records each request and
/// answers with the status the test chose (by default 200 with <c>{"id":"prov-N"}</c>).
/// </summary>
internal sealed class LoopbackSmsProvider : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<ProviderRequest> received = new();
    private readonly Task serving;
    private int count;

    public LoopbackSmsProvider()
    {
        // A free port: bind a socket to port 0, note the port, release it, and listen there.
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        serving = ServeAsync();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/v1/messages";

    /// <summary>The status and body for the next answers (null: 200 with a provider id).</summary>
    public Func<int, (int Status, string Body)>? Answer { get; set; }

    public IReadOnlyList<ProviderRequest> Received => [.. received];

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var text = await reader.ReadToEndAsync();
            using var json = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
            received.Enqueue(new ProviderRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath,
                context.Request.Headers["Authorization"], context.Request.ContentType ?? "", json.RootElement.Clone()));
            var n = Interlocked.Increment(ref count);
            var (status, body) = Answer?.Invoke(n) ?? (200, $"{{\"id\":\"prov-{n}\",\"status\":\"accepted\"}}");
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            var bytes = System.Text.Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await serving;
    }
}
