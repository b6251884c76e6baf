using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AutomotiveCrm.Tests.EndToEnd;

/// <summary>A group manager creates a reward for one of the group's dealers from the catalogue, in a real browser.</summary>
[Collection(BrowserApp.CollectionName)]
public sealed class RewardEditJourneyTests(BrowserApp app)
{
    private const string Manager = "manager@newstar.demo";
    private const string GroupCode = "NEWSTAR";

    [Fact]
    public async Task GroupManager_CreatesRewardWithParticipant_SeesItListedAndStored()
    {
        var code = "E2E-" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var (dealerId, dealerName) = await FirstDealerAsync();
        var page = await app.NewPageAsync();

        await page.GotoAsync("/");
        await page.WaitForURLAsync(url => url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
        await page.Locator("#email").FillAsync(Manager);
        await page.Locator("#password").FillAsync(DemoUsers.DefaultPassword);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
        await page.GotoAsync("/rewards/catalogue");
        await BrowserApp.WaitForInteractiveAsync(page);

        await page.Locator("[data-testid='reward-new']").ClickAsync();
        var dialog = page.Locator("[data-testid='reward-edit-dialog']");
        await dialog.WaitForAsync();
        // A first save with nothing filled in names the fields at fault.
        await page.Locator("[data-testid='reward-save']").ClickAsync();
        await page.Locator("text=Name is required.").WaitForAsync();
        await Field(page, "reward-name").FillAsync("Sunday valet " + code);
        await Field(page, "reward-code").FillAsync(code);
        await Field(page, "reward-category").FillAsync("Service");
        await Field(page, "reward-cost-points").FillAsync("350");
        await Field(page, "reward-item").FillAsync("Valet voucher");
        await Field(page, "reward-stock").FillAsync("20");
        await Field(page, "reward-stock").PressAsync("Tab");

        await page.Locator("div.mud-input-control.mud-select:has([data-testid='reward-participants'])").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = dealerName }).First.ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        await BrowserApp.ScreenshotAsync(page, "86-rewards-edit-dialog");
        await page.Locator("[data-testid='reward-save']").ClickAsync();

        await dialog.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        await page.Locator(".mud-snackbar", new PageLocatorOptions { HasText = "was created." }).WaitForAsync();
        var row = page.Locator("[data-testid='catalogue-rewards'] tbody tr", new PageLocatorOptions { HasText = code });
        await row.WaitForAsync();
        Assert.Contains("1 selected participants", await row.InnerTextAsync(), StringComparison.Ordinal);
        await BrowserApp.ScreenshotAsync(page, "87-rewards-catalogue-new-reward");

        await using var db = app.Factory.Services.GetRequiredService<ISystemDbContextFactory>().CreateDbContext();
        var saved = await db.Rewards.AsNoTracking().Include(r => r.Participants).Include(r => r.DealerGroup).SingleAsync(r => r.Code == code);
        Assert.Equal((GroupCode, 350L, 20), (saved.DealerGroup!.Code, saved.CostPoints, saved.Stock!.Value));
        Assert.Equal([dealerId], saved.Participants.Select(p => p.DealerId!.Value));
    }

    private static ILocator Field(IPage page, string testId) =>
        page.Locator($"input[data-testid='{testId}'], [data-testid='{testId}'] input, textarea[data-testid='{testId}']").First;

    private async Task<(long Id, string Name)> FirstDealerAsync()
    {
        await using var db = app.Factory.Services.GetRequiredService<ISystemDbContextFactory>().CreateDbContext();
        var dealer = await db.Dealers.AsNoTracking().Where(d => d.DealerGroup!.Code == GroupCode).OrderBy(d => d.Name).FirstAsync();
        return (dealer.Id, dealer.Name);
    }
}
