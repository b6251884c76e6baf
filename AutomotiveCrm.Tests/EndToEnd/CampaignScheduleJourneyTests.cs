using System.Globalization;
using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AutomotiveCrm.Tests.EndToEnd;

/// <summary>
/// A group manager (the role allowed to send) schedules a campaign weekly and sees the next five fire times, starts a
/// run by hand and watches the monitor until it completes, then cancels another run that is still sending. A marketer
/// of the same group sees the schedule but cannot change it.
/// </summary>
[Collection(BrowserApp.CollectionName)]
public sealed class CampaignScheduleJourneyTests(BrowserApp app)
{
    private const string Manager = "manager@newstar.demo";
    private const string Marketer = "marketer@newstar.demo";

    private CrmDbContext SystemContext() => app.Factory.Services.GetRequiredService<ISystemDbContextFactory>().CreateDbContext();

    [Fact]
    public async Task Manager_SchedulesWeekly_RunsNowToCompletion_CancelsAnotherRun()
    {
        var campaignId = await CreateCampaignAsync("Winter tyres " + Guid.NewGuid().ToString("N")[..6]);
        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, Manager);

        await page.GotoAsync($"/campaigns/{campaignId}");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "Schedule" }).ClickAsync();
        await page.Locator("[data-testid=schedule-kind]").ClickAsync();
        await page.Locator(".mud-popover-open").GetByText("Every week, on chosen days").ClickAsync();
        await page.Locator("[data-testid=schedule-days]").GetByText("Thu", new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        var time = page.Locator("input[data-testid=schedule-time], [data-testid=schedule-time] input").First;
        await time.FillAsync("08:15");
        await time.PressAsync("Tab");
        await Assertions.Expect(page.Locator("[data-testid=fire-time]")).ToHaveCountAsync(5);
        await page.Locator("[data-testid=save-schedule]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=schedule-message]")).ToHaveTextAsync("Schedule saved.");
        var fireTimes = await page.Locator("[data-testid=fire-time]").AllInnerTextsAsync();
        Assert.All(fireTimes, t => Assert.Contains("08:15", t, StringComparison.Ordinal));
        Assert.All(fireTimes, t => Assert.True(t.StartsWith("Mon", StringComparison.Ordinal) || t.StartsWith("Thu", StringComparison.Ordinal), t));
        await BrowserApp.ScreenshotAsync(page, "60-campaign-schedule");
        await using (var db = SystemContext())
        {
            var schedule = await db.CampaignSchedules.AsNoTracking().SingleAsync(s => s.CampaignId == campaignId);
            Assert.Equal((CampaignScheduleKind.Weekly, new TimeSpan(8, 15, 0)), (schedule.Kind, schedule.StartsAt.TimeOfDay));
        }

        await page.Locator("[data-testid=run-now]").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Start run" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/campaigns/runs/", StringComparison.Ordinal));
        await BrowserApp.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=run-status]")).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 60_000 });
        var sent = int.Parse(await page.Locator("[data-testid=count-sent]").InnerTextAsync(), NumberStyles.AllowThousands, CultureInfo.CurrentCulture);
        Assert.True(sent > 0, "The run sent nothing.");
        await Assertions.Expect(page.Locator("[data-testid=run-percent]")).ToHaveTextAsync("100 %");
        await BrowserApp.ScreenshotAsync(page, "61-campaign-run-completed");

        var stuckRun = await StartRunThatWaitsAsync(campaignId);
        await page.GotoAsync($"/campaigns/runs/{stuckRun}");
        await BrowserApp.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=run-status]")).ToHaveAttributeAsync("data-status", "Running");
        await page.Locator("[data-testid=cancel-run]").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Cancel run" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=run-status]")).ToHaveAttributeAsync("data-status", "Cancelled");
        await Assertions.Expect(page.Locator("[data-testid=skip-reasons]")).ToContainTextAsync(CampaignRuns.SkipRunCancelled);
        await BrowserApp.ScreenshotAsync(page, "62-campaign-run-cancelled");

        await page.GotoAsync($"/campaigns/monitor?campaign={campaignId}");
        await BrowserApp.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=run-link]")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task Marketer_SeesTheScheduleButCannotChangeIt()
    {
        var campaignId = await CreateCampaignAsync("Marketer view " + Guid.NewGuid().ToString("N")[..6]);
        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, Marketer);

        await page.GotoAsync($"/campaigns/{campaignId}");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "Schedule" }).ClickAsync();

        await page.Locator("[data-testid=schedule-not-allowed]").WaitForAsync();
        await Assertions.Expect(page.Locator("[data-testid=save-schedule]")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("[data-testid=run-now]")).ToBeDisabledAsync();
    }

    /// <summary>A group campaign of NEWSTAR with e-mail content, audience: everyone the group may e-mail.</summary>
    private async Task<long> CreateCampaignAsync(string name)
    {
        await using var db = SystemContext();
        var group = await db.DealerGroups.AsNoTracking().SingleAsync(g => g.Code == "NEWSTAR");
        var now = DateTime.UtcNow;
        var campaign = new Campaign
        {
            NetworkId = group.NetworkId,
            DealerGroupId = group.Id,
            OwnerLevel = CampaignOwnerLevel.Group,
            Name = name,
            AudienceJson = "",
            TimeZone = "Europe/London",
            CreatedBy = Manager,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        campaign.Contents.Add(new CampaignContent
        {
            Channel = CampaignChannelKind.Email,
            Subject = "Winter tyres for {{ customer.first_name | default: \"you\" }}",
            SenderEmail = "service@newstar.example",
            BodyHtml = "<p>Hello {{ customer.first_name | default: \"there\" }}, book your winter tyres.</p>",
            UpdatedAt = now,
        });
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();
        return campaign.Id;
    }

    /// <summary>A run whose messages wait (their next attempt is a day away), so it is still sending when the manager looks.</summary>
    private async Task<long> StartRunThatWaitsAsync(long campaignId)
    {
        await using var db = SystemContext();
        var run = await CampaignRuns.StartAsync(db, TimeProvider.System, campaignId, CampaignRunTrigger.Manual, Manager, null);
        await db.CampaignMessages.Where(m => m.RunId == run.Id && m.State == MessageState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, DateTime.UtcNow.AddDays(1)));
        return run.Id;
    }
}
