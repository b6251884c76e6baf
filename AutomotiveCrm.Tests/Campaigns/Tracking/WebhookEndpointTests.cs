using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Campaigns.Tracking;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Tests.Imports.Screens;
using AutomotiveCrm.Web.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AutomotiveCrm.Tests.Campaigns.Tracking;

/// <summary>
/// Real HTTP calls to the running app (demo data): the signed webhook with valid, forged, stale, unsigned and
/// replayed requests, the form-posting provider, the unsubscribe page and one-click POST, and the tracking links;
/// each change shows in the next audience count.
/// </summary>
public sealed class WebhookEndpointTests(ImportWebFactory app) : IClassFixture<ImportWebFactory>
{
    private const string Group = "NEWSTAR";

    private EmailWebhookSettings Settings => app.Services.GetRequiredService<IOptions<EmailWebhookSettings>>().Value;

    private static DateTime Now => DateTime.UtcNow;

    private async Task<(Campaign Campaign, List<SentMessage> Messages)> SendAsync(int count)
    {
        await using var db = app.CreateSystemContext();
        return await TrackingApp.SendAsync(db, Group, count, Now);
    }

    private HttpRequestMessage Signed(string body, string? secret = null, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/email/generic") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret ?? Settings.Secret!, timestamp, Encoding.UTF8.GetBytes(body)));
        return request;
    }

    private static string Events(params object[] events) => JsonSerializer.Serialize(new { events });

    private async Task<int> EventCountAsync(long messageId)
    {
        await using var db = app.CreateSystemContext();
        return await db.MessageEvents.CountAsync(e => e.MessageId == messageId);
    }

    [Fact]
    public async Task Generic_ValidSignature_RecordsEvents_HardBounceDropsOutOfTheNextCount()
    {
        var (campaign, m) = await SendAsync(2);
        List<long> before;
        await using (var db = app.CreateSystemContext())
        {
            before = await TrackingApp.AudienceAsync(db, campaign, Now);
        }

        var client = app.CreateClient();
        var body = Events(
            new { id = "d-" + m[0].Id, type = "delivered", messageId = m[0].Header, occurredAt = Now.ToString("O") },
            new { id = "b-" + m[1].Id, type = "hard_bounce", messageId = m[1].Header, reason = "550 5.1.1 user unknown" });

        var response = await client.SendAsync(Signed(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, json.RootElement.GetProperty("recorded").GetInt32());
        await using var check = app.CreateSystemContext();
        Assert.Equal(MessageEventType.Delivered, (await check.MessageEvents.SingleAsync(e => e.MessageId == m[0].Id)).Type);
        var address = m[1].Address.ToLowerInvariant();
        var suppression = await check.Suppressions.SingleAsync(s => s.Address == address);
        Assert.Equal(SuppressionReason.HardBounce, suppression.Reason);
        var after = await TrackingApp.AudienceAsync(check, campaign, Now);
        Assert.Contains(m[1].CustomerId, before);
        Assert.DoesNotContain(m[1].CustomerId, after);
        // Planted duplicates may share the address: everyone with it drops out.
        Assert.True(after.Count <= before.Count - 1);
    }

    [Fact]
    public async Task Generic_ForgedStaleOrUnsigned_Gets401_AndChangesNothing()
    {
        var (_, m) = await SendAsync(1);
        var client = app.CreateClient();
        var body = Events(new { id = "c-" + m[0].Id, type = "complaint", messageId = m[0].Header });
        var unsigned = new HttpRequestMessage(HttpMethod.Post, "/webhooks/email/generic") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var tampered = Signed(body);
        tampered.Content = new StringContent(body.Replace("complaint", "open", StringComparison.Ordinal), Encoding.UTF8, "application/json");

        var forged = await client.SendAsync(Signed(body, secret: "not-the-secret"));
        var stale = await client.SendAsync(Signed(body, at: DateTimeOffset.UtcNow.AddSeconds(-301)));
        var future = await client.SendAsync(Signed(body, at: DateTimeOffset.UtcNow.AddSeconds(400)));
        var none = await client.SendAsync(unsigned);
        var changed = await client.SendAsync(tampered);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized],
            new[] { forged.StatusCode, stale.StatusCode, future.StatusCode, none.StatusCode, changed.StatusCode });
        Assert.Equal(0, await EventCountAsync(m[0].Id));
        var fresh = await client.SendAsync(Signed(body, at: DateTimeOffset.UtcNow.AddSeconds(-250)));
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(1, await EventCountAsync(m[0].Id));
    }

    [Fact]
    public async Task Generic_ReplayedEventId_Gets200_AndChangesNothing()
    {
        var (_, m) = await SendAsync(1);
        var client = app.CreateClient();
        var body = Events(new { id = "replay-" + m[0].Id, type = "soft_bounce", messageId = m[0].Header, reason = "452 mailbox full" });

        var first = await client.SendAsync(Signed(body));
        var replay = await client.SendAsync(Signed(body));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, replay.StatusCode));
        using var json = JsonDocument.Parse(await replay.Content.ReadAsStringAsync());
        Assert.Equal((0, 1), (json.RootElement.GetProperty("recorded").GetInt32(), json.RootElement.GetProperty("duplicates").GetInt32()));
        Assert.Equal(1, await EventCountAsync(m[0].Id));
    }

    [Fact]
    public async Task Generic_BadEvent_Gets400NamingTheField_AndRecordsNothingOfTheBody()
    {
        var (_, m) = await SendAsync(1);
        var body = Events(new { id = "ok-" + m[0].Id, type = "delivered", messageId = m[0].Header }, new { id = "bad", type = "exploded", messageId = m[0].Header });

        var response = await app.CreateClient().SendAsync(Signed(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("events[1].type", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await EventCountAsync(m[0].Id));
    }

    [Fact]
    public async Task FormPost_ValidationKeySecretKeyAndFailures()
    {
        var (_, m) = await SendAsync(1);
        var client = app.CreateClient();
        FormUrlEncodedContent Form(params (string Key, string Value)[] fields) => new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));
        var secret = Settings.FormPost.SecretKey!;

        var validation = await client.PostAsync("/webhooks/email/formpost", Form(("Type", "Validation"), ("SecretKey", secret)));
        var wrong = await client.PostAsync("/webhooks/email/formpost", Form(("Type", "Delivered"), ("SecretKey", "guess"), ("MessageId", m[0].Header)));
        var failed = Form(("Type", "Failed"), ("SecretKey", secret), ("MessageId", m[0].Header), ("Address", m[0].Address), ("FailureType", "Hard"),
            ("FailureCode", "5001"), ("Reason", "mailbox does not exist"), ("DateTime", "2026-11-30T10:00:00Z"));
        var recorded = await client.PostAsync("/webhooks/email/formpost", failed);
        var again = await client.PostAsync("/webhooks/email/formpost", Form(("Type", "Failed"), ("SecretKey", secret), ("MessageId", m[0].Header),
            ("Address", m[0].Address), ("FailureType", "Hard"), ("FailureCode", "5001"), ("Reason", "mailbox does not exist"), ("DateTime", "2026-11-30T10:00:00Z")));
        var unknownProvider = await client.PostAsync("/webhooks/email/nobody", Form(("Type", "Validation")));

        Assert.Equal(HttpStatusCode.OK, validation.StatusCode);
        Assert.Equal(Settings.FormPost.ValidationKey, await validation.Content.ReadAsStringAsync());
        Assert.True(wrong.StatusCode == HttpStatusCode.Unauthorized, await wrong.Content.ReadAsStringAsync());
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (recorded.StatusCode, again.StatusCode));
        Assert.Equal(HttpStatusCode.NotFound, unknownProvider.StatusCode);
        await using var db = app.CreateSystemContext();
        var e = await db.MessageEvents.SingleAsync(x => x.MessageId == m[0].Id);
        Assert.Equal((MessageEventType.HardBounce, "formpost"), (e.Type, e.Source));
        Assert.Contains("mailbox does not exist", e.Detail, StringComparison.Ordinal);
        var address = m[0].Address.ToLowerInvariant();
        Assert.True(await db.Suppressions.AnyAsync(s => s.Address == address && s.Reason == SuppressionReason.HardBounce));
    }

    [Fact]
    public async Task Unsubscribe_GetShowsAPageAndChangesNothing_OneClickPostOptsOut_AndTheNextCountDropsThePerson()
    {
        var (campaign, m) = await SendAsync(1);
        var token = app.Services.GetRequiredService<UnsubscribeLinks>().TokenFor(m[0].Id);
        var client = app.CreateClient();
        List<long> before;
        await using (var db = app.CreateSystemContext())
        {
            before = await TrackingApp.AudienceAsync(db, campaign, Now);
        }

        var page = await client.GetAsync("/u/" + token);
        var html = await page.Content.ReadAsStringAsync();
        await using (var db = app.CreateSystemContext())
        {
            Assert.Equal(before, await TrackingApp.AudienceAsync(db, campaign, Now));
        }

        var post = await client.PostAsync("/u/" + token, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        var forged = await client.PostAsync("/u/" + token[..^3] + "abc", new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        var after = await client.GetAsync("/u/" + token);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("confirm-unsubscribe", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Contains("You are unsubscribed", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var check = app.CreateSystemContext();
        var optOut = await check.ConsentRecords.Where(c => c.CustomerId == m[0].CustomerId && c.Status == ConsentStatus.OptOut).ToListAsync();
        Assert.NotEmpty(optOut);
        Assert.All(optOut, c => Assert.Equal((ConsentChannel.Email, ConsentPurpose.Marketing), (c.Channel, c.Purpose)));
        var next = await TrackingApp.AudienceAsync(check, campaign, Now);
        Assert.Contains(m[0].CustomerId, before);
        Assert.DoesNotContain(m[0].CustomerId, next);
        Assert.Equal(before.Count - 1, next.Count);
    }

    [Fact]
    public async Task ClickRedirect_OnlyToTheStoredLink_ForgedOrUnknownGets404_PixelRecordsAnOpen()
    {
        var (_, m) = await SendAsync(1);
        await using (var db = app.CreateSystemContext())
        {
            db.TrackedLinks.Add(new TrackedLink { MessageId = m[0].Id, Position = 0, Url = "https://dealer.example/offer?x=1&y=2" });
            await db.SaveChangesAsync();
        }

        var tokens = app.Services.GetRequiredService<TrackingTokens>();
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var good = tokens.Token(new TrackingTarget(true, m[0].Id, 0));
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("TestBrowser", "1.0"));

        var click = await client.GetAsync("/t/c/" + good);
        var noSuchLink = await client.GetAsync("/t/c/" + tokens.Token(new TrackingTarget(true, m[0].Id, 5)));
        var forged = await client.GetAsync("/t/c/" + good[..^2] + (good.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA"));
        var open = await client.GetAsync("/t/o/" + tokens.Token(new TrackingTarget(false, m[0].Id, 0)));

        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        Assert.Equal("https://dealer.example/offer?x=1&y=2", click.Headers.Location!.AbsoluteUri);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (noSuchLink.StatusCode, forged.StatusCode));
        Assert.Equal("image/gif", open.Content.Headers.ContentType!.MediaType);
        await using var check = app.CreateSystemContext();
        var events = await check.MessageEvents.Where(e => e.MessageId == m[0].Id).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([MessageEventType.Click, MessageEventType.Open], events.Select(e => e.Type));
        Assert.NotNull(events[0].LinkId);
        Assert.False(events[1].Machine);
    }
}
