using System.Globalization;
using AutomotiveCrm.Domain.Campaigns.Tracking;
using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Campaigns.Tracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AutomotiveCrm.Tests.EndToEnd;

/// <summary>
/// Tracking in a real browser: an e-mail's open pixel and a tracked link, as a mail client renders and follows them;
/// and a marketer on the demo data opening a campaign's results, drilling from "clicked" to the people and on to a
/// customer's message history, then comparing the two demo campaigns' uplift.
/// </summary>
[Collection(BrowserApp.CollectionName)]
public sealed class TrackingJourneyTests(BrowserApp app)
{
    private const string Marketer = "marketer@network.demo";

    private CrmDbContext SystemContext() => app.Factory.Services.GetRequiredService<ISystemDbContextFactory>().CreateDbContext();

    [Fact]
    public async Task MailInTheBrowser_LoadsThePixelAndFollowsTheLink_BothRecorded_RedirectOnlyToTheStoredUrl()
    {
        SentMessage message;
        var target = app.BaseUrl + "/health";
        await using (var db = SystemContext())
        {
            var group = await db.DealerGroups.OrderBy(g => g.Code).Skip(1).Select(g => g.Code).FirstAsync();
            message = (await TrackingApp.SendAsync(db, group, 1, DateTime.UtcNow)).Messages[0];
            db.TrackedLinks.Add(new TrackedLink { MessageId = message.Id, Position = 0, Url = target });
            await db.SaveChangesAsync();
        }

        var tokens = app.Factory.Services.GetRequiredService<TrackingTokens>();
        var open = $"{app.BaseUrl}/t/o/{tokens.Token(new TrackingTarget(false, message.Id, 0))}";
        var click = $"{app.BaseUrl}/t/c/{tokens.Token(new TrackingTarget(true, message.Id, 0))}";
        var page = await app.NewPageAsync();

        await page.SetContentAsync($"<html><body><p>Spring offers</p><a id=\"offer\" href=\"{click}\">See the offer</a><img src=\"{open}\" width=\"1\" height=\"1\" alt=\"\"></body></html>",
            new PageSetContentOptions { WaitUntil = WaitUntilState.Load });
        await page.Locator("#offer").ClickAsync();
        await page.WaitForURLAsync(target);

        await using var check = SystemContext();
        var events = await check.MessageEvents.Where(e => e.MessageId == message.Id).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([MessageEventType.Open, MessageEventType.Click], events.Select(e => e.Type));
        Assert.False(events[0].Machine);
        Assert.Contains("Chrome", events[0].Detail, StringComparison.Ordinal);
        Assert.Equal(target, (await check.TrackedLinks.SingleAsync(l => l.Id == events[1].LinkId)).Url);
    }

    [Fact]
    public async Task Marketer_DrillsFromClickedToThePeople_SeesTheLedger_ComparesTwoCampaignsUplift()
    {
        long launch, service;
        int clicked;
        await using (var db = SystemContext())
        {
            launch = await db.Campaigns.Where(c => c.Name == DemoCampaignResults.LaunchCampaign).Select(c => c.Id).SingleAsync();
            service = await db.Campaigns.Where(c => c.Name == DemoCampaignResults.ServiceCampaign).Select(c => c.Id).SingleAsync();
            clicked = await db.MessageEvents.Where(e => e.CampaignId == launch && e.Type == MessageEventType.Click).Select(e => e.MessageId).Distinct().CountAsync();
        }

        Assert.True(clicked > 0, "the demo campaign has clicks");
        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, Marketer);

        await page.GotoAsync($"/campaigns/{launch}/results");
        await BrowserApp.WaitForInteractiveAsync(page);
        var figure = page.Locator("[data-testid=figure-Clicked]");
        await Assertions.Expect(figure).ToHaveAttributeAsync("data-count", clicked.ToString(CultureInfo.InvariantCulture));
        await page.Locator("[data-testid=timeline-chart]").WaitForAsync();
        await BrowserApp.ScreenshotAsync(page, "70-campaign-results");
        await BrowserApp.ClickToNavigateAsync(page, figure, url => url.Contains("metric=Clicked", StringComparison.Ordinal));
        var people = page.Locator("[data-testid=people-table] [data-testid=person]");
        await Assertions.Expect(people).ToHaveCountAsync(Math.Min(clicked, 25));
        await BrowserApp.ScreenshotAsync(page, "71-campaign-results-clicked-people");

        var customerId = await people.First.GetAttributeAsync("data-customer");
        await people.First.ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith($"/customers/{customerId}", StringComparison.Ordinal));
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "Messages" }).ClickAsync();
        var ledger = page.Locator("[data-testid=ledger-message]");
        await ledger.First.WaitForAsync();
        await Assertions.Expect(ledger.First.Locator("[data-testid=ledger-event]", new LocatorLocatorOptions { HasText = "Clicked" })).ToHaveCountAsync(1);
        await BrowserApp.ScreenshotAsync(page, "72-customer-message-ledger");

        await page.GotoAsync($"/campaigns/compare?ids={service},{launch}");
        await BrowserApp.WaitForInteractiveAsync(page);
        var rows = page.Locator("[data-testid=compare-table] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator($"[data-testid=compare-table] tr[data-campaign='{service}'] [data-testid=compare-uplift]")).ToContainTextAsync("pts");
        await page.Locator("[data-testid=compare-chart]").WaitForAsync();
        await BrowserApp.ScreenshotAsync(page, "73-campaign-comparison");
    }
}
