using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Campaigns.Tracking;

namespace AutomotiveCrm.Tests.Campaigns.Tracking;

public sealed class TrackingTokensTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly TrackingTokens Tokens = TrackingTokens.FromUnsubscribeLinks("https://crm.example.test/", new UnsubscribeLinks("https://crm.example.test", Key));

    [Fact]
    public void Verify_TokenOfAClick_GivesMessageAndPosition()
    {
        var url = Tokens.ClickUrl(4711, 3);

        var target = Tokens.Verify(url[(url.LastIndexOf('/') + 1)..], click: true);

        Assert.StartsWith("https://crm.example.test/t/c/", url, StringComparison.Ordinal);
        Assert.Equal(new TrackingTarget(true, 4711, 3), target);
    }

    [Fact]
    public void Verify_TamperedOrOtherKindOrOtherKey_IsRefused()
    {
        var token = Tokens.Token(new TrackingTarget(true, 42, 0));
        var chars = token.ToCharArray();
        chars[3] = chars[3] == 'A' ? 'B' : 'A';
        var otherKey = TrackingTokens.FromUnsubscribeLinks("https://x", new UnsubscribeLinks("https://x", [.. Enumerable.Repeat((byte)9, 32)]));

        Assert.Null(Tokens.Verify(new string(chars), click: true));
        Assert.Null(Tokens.Verify(token, click: false));
        Assert.Null(otherKey.Verify(token, click: true));
        Assert.Null(Tokens.Verify("", click: true));
        Assert.Null(Tokens.Verify("not-a-token", click: true));
        Assert.NotNull(Tokens.Verify(token, click: true));
    }

    [Fact]
    public void Verify_UnsubscribeTokenOfTheSameMessage_IsNotATrackingToken()
    {
        var unsubscribe = new UnsubscribeLinks("https://crm.example.test", Key).TokenFor(42);

        Assert.Null(Tokens.Verify(unsubscribe, click: true));
        Assert.Null(Tokens.Verify(unsubscribe, click: false));
    }

    [Fact]
    public void Rewrite_TracksWebLinksOnly_KeepsUnsubscribeAndMailto_AddsPixelBeforeBodyEnd()
    {
        const string unsubscribe = "https://crm.example.test/u/abc";
        var html = "<html><body><p><a href=\"https://dealer.example/offer?a=1&amp;b=2\">Offer</a> <a class='x' href='http://dealer.example/book'>Book</a> "
            + $"<a href=\"mailto:service@dealer.example\">Mail</a> <a href=\"{unsubscribe}\">Unsubscribe</a> <a href=\"#top\">Top</a>"
            + "<a href=\"https://dealer.example/offer?a=1&amp;b=2\">Again</a></p></body></html>";

        var tracked = TrackedEmailRewriter.Rewrite(html, 7, Tokens, unsubscribe);

        Assert.Equal(["https://dealer.example/offer?a=1&b=2", "http://dealer.example/book", "https://dealer.example/offer?a=1&b=2"], tracked.Links);
        Assert.Contains($"href=\"{Tokens.ClickUrl(7, 0)}\"", tracked.Html, StringComparison.Ordinal);
        Assert.Contains($"href='{Tokens.ClickUrl(7, 1)}'", tracked.Html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{Tokens.ClickUrl(7, 2)}\"", tracked.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"mailto:service@dealer.example\"", tracked.Html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{unsubscribe}\"", tracked.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"#top\"", tracked.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("dealer.example/offer", tracked.Html, StringComparison.Ordinal);
        Assert.Contains($"<img src=\"{Tokens.OpenUrl(7)}\"", tracked.Html, StringComparison.Ordinal);
        Assert.EndsWith("</p></body></html>", tracked.Html.Replace(tracked.Html[tracked.Html.IndexOf("<img", StringComparison.Ordinal)..tracked.Html.IndexOf("</body>", StringComparison.Ordinal)], "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, 30, false)]
    [InlineData("Mozilla/5.0", null, 3600, true)]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0", null, 3600, false)]
    [InlineData("Mozilla/5.0 (Windows NT 10.0) Thunderbird/128.0", "17.58.101.7", 3600, true)]
    [InlineData("Mozilla/5.0 (Windows NT 10.0) Thunderbird/128.0", "::ffff:17.1.2.3", 3600, true)]
    [InlineData("Mozilla/5.0 (Windows NT 10.0) Thunderbird/128.0", "81.2.69.160", 3600, false)]
    [InlineData("Mozilla/5.0 (Windows NT 10.0) Thunderbird/128.0", "81.2.69.160", 2, true)]
    [InlineData("Barracuda Sentinel link scan", null, 3600, true)]
    public void IsMachineOpen_PrivacyProxiesScannersAndInstantOpens(string? agent, string? ip, int secondsAfterDelivery, bool machine)
    {
        var delivered = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);

        Assert.Equal(machine, new TrackingSettings().IsMachineOpen(agent, ip, delivered.AddSeconds(secondsAfterDelivery), delivered));
    }
}
