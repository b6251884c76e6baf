using AutomotiveCrm.Domain.Campaigns.Sms;

namespace AutomotiveCrm.Tests.Campaigns.Sms;

/// <summary>The HTTP provider adapter against a real loopback HTTP server.</summary>
public sealed class HttpSmsSenderTests
{
    private static SmsMessage Message => new("+447700900123", "Northgate", "Your Golf is due a service", "campaign-7-42");

    [Fact]
    public async Task Send_Accepted_PostsJsonWithBearerTokenAndReturnsProviderId()
    {
        await using var provider = new LoopbackSmsProvider();
        using var http = new HttpClient();
        var sender = new HttpSmsSender(http, new SmsSettings { Url = provider.Url, Token = "secret-token" });

        var id = await sender.SendAsync(Message, CancellationToken.None);

        Assert.Equal("prov-1", id);
        var request = Assert.Single(provider.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/messages", request.Path);
        Assert.Equal("Bearer secret-token", request.Authorization);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        Assert.Equal("+447700900123", request.Body.GetProperty("to").GetString());
        Assert.Equal("Northgate", request.Body.GetProperty("from").GetString());
        Assert.Equal("Your Golf is due a service", request.Body.GetProperty("text").GetString());
        Assert.Equal("campaign-7-42", request.Body.GetProperty("reference").GetString());
    }

    [Theory]
    [InlineData(400, true)]
    [InlineData(422, true)]
    [InlineData(429, false)]
    [InlineData(500, false)]
    [InlineData(503, false)]
    public async Task Send_Refused_IsPermanentOrTransientByStatus(int status, bool permanent)
    {
        await using var provider = new LoopbackSmsProvider { Answer = _ => (status, "{\"error\":\"invalid number\"}") };
        using var http = new HttpClient();
        var sender = new HttpSmsSender(http, new SmsSettings { Url = provider.Url });

        var error = await Assert.ThrowsAsync<SmsSendException>(() => sender.SendAsync(Message, CancellationToken.None));

        Assert.Equal(permanent, error.Permanent);
        Assert.StartsWith(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_NobodyListening_IsTransient()
    {
        int port;
        await using (var provider = new LoopbackSmsProvider())
        {
            port = provider.Port;
        }

        using var http = new HttpClient();
        var sender = new HttpSmsSender(http, new SmsSettings { Url = $"http://127.0.0.1:{port}/v1/messages" });

        var error = await Assert.ThrowsAsync<SmsSendException>(() => sender.SendAsync(Message, CancellationToken.None));

        Assert.False(error.Permanent);
    }

    [Fact]
    public async Task FolderSender_WritesOneFilePerReference()
    {
        var folder = Path.Combine(Path.GetTempPath(), "sms-outbox-" + Guid.NewGuid().ToString("N"));
        try
        {
            var sender = new FolderSmsSender(folder);

            await sender.SendAsync(Message, CancellationToken.None);
            await sender.SendAsync(Message, CancellationToken.None);

            var file = Assert.Single(Directory.GetFiles(folder));
            Assert.EndsWith("campaign-7-42.json", file, StringComparison.Ordinal);
            Assert.Contains("Your Golf is due a service", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
