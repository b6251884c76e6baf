using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AutomotiveCrm.Tests.EndToEnd;

/// <summary>What a dealer-desk user does, in a real browser against the real app and its demo data.</summary>
[Collection(BrowserApp.CollectionName)]
public sealed class CustomerJourneyTests(BrowserApp app)
{
    [Fact]
    public async Task SalesUser_SearchOpenEdit_ChangeAppearsInHistory()
    {
        var customer = await CustomerOfGroupAsync("NEWSTAR");
        var middle = "Middle" + Guid.NewGuid().ToString("N")[..6];
        var page = await app.NewPageAsync();

        await SignInAsync(page, "sales@newstar.demo", DemoUsers.DefaultPassword, screenshot: "01-sign-in");
        await BrowserApp.ScreenshotAsync(page, "02-overview");
        await page.GotoAsync("/customers");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.Locator("input[data-testid='quick-search'], [data-testid='quick-search'] input").First.FillAsync(customer.LastName!);
        // The search is debounced and then written to the address bar, which re-renders the grid: click only after that.
        await page.WaitForURLAsync(url => url.Contains("q=", StringComparison.Ordinal));
        var link = page.Locator($"[data-testid='customer-link'][href='/customers/{customer.Id}']");
        await link.WaitForAsync();
        await BrowserApp.ScreenshotAsync(page, "03-customers");
        await link.ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == $"/customers/{customer.Id}");
        await page.Locator("[data-testid='customer-name']").WaitForAsync();
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.Locator("[data-testid='edit-profile']").ClickAsync();
        await page.GetByLabel("Middle name").FillAsync(middle);
        await page.Locator("[data-testid='save-profile']").ClickAsync();
        await page.Locator("[data-testid='profile-view']", new PageLocatorOptions { HasText = middle }).WaitForAsync();
        await BrowserApp.ScreenshotAsync(page, "04-customer");
        await page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "History" }).ClickAsync();
        await page.Locator("[data-testid='history']", new PageLocatorOptions { HasText = middle }).WaitForAsync();
        await BrowserApp.ScreenshotAsync(page, "05-customer-history");

        Assert.EndsWith($"/customers/{customer.Id}", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await using var db = app.Factory.Services.GetRequiredService<ISystemDbContextFactory>().CreateDbContext();
        var audit = await db.AuditEntries.Where(a => a.CustomerId == customer.Id && a.Action == AuditAction.Update).ToListAsync();
        Assert.Contains(audit, a => a.UserName == "sales@newstar.demo" && a.Source == AuditSource.UI && a.Changes.Contains(middle, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DealerUser_OtherGroupsCustomerUrl_SeesNotFound()
    {
        var foreign = await CustomerOfGroupAsync("PENNINE");
        var page = await app.NewPageAsync();
        await SignInAsync(page, "sales@nsa-01.demo", DemoUsers.DefaultPassword);

        var other = await page.GotoAsync($"/customers/{foreign.Id}");

        await page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Not found" }).WaitForAsync();
        await BrowserApp.ScreenshotAsync(page, "06-other-group-not-found");
        Assert.Equal(0, await page.GetByText(foreign.LastName!).CountAsync());
        var otherBody = await page.Locator(".mud-main-content").InnerTextAsync();
        var missing = await page.GotoAsync("/customers/999999999");
        await page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Not found" }).WaitForAsync();
        Assert.Equal((404, 404), (other!.Status, missing!.Status));
        Assert.Equal(await page.Locator(".mud-main-content").InnerTextAsync(), otherBody);
    }

    [Fact]
    public async Task AgencyUser_CustomersPage_IsNotAllowed()
    {
        var page = await app.NewPageAsync();
        await SignInAsync(page, "agency@newstar.demo", DemoUsers.DefaultPassword);

        await page.GotoAsync("/customers");

        await page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Not allowed" }).WaitForAsync();
        Assert.Equal(0, await page.Locator("[data-testid='customer-link']").CountAsync());
    }

    [Fact]
    public async Task FiveWrongPasswords_AccountLockedEvenForTheRightOne()
    {
        var page = await app.NewPageAsync();

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await page.GotoAsync("/Account/Login");
            await page.Locator("#email").FillAsync("service@thames.demo");
            await page.Locator("#password").FillAsync("wrong-password-" + attempt);
            await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }

        await page.GotoAsync("/Account/Login");
        await page.Locator("#email").FillAsync("service@thames.demo");
        await page.Locator("#password").FillAsync(DemoUsers.DefaultPassword);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();

        await page.WaitForURLAsync(url => url.Contains("/Account/Lockout", StringComparison.OrdinalIgnoreCase));
        await BrowserApp.ScreenshotAsync(page, "07-locked-out");
        var response = await page.GotoAsync("/customers");
        Assert.Contains("/Account/Login", page.Url, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(response);
    }

    private static async Task SignInAsync(IPage page, string email, string password, string? screenshot = null)
    {
        await page.GotoAsync("/");
        await page.WaitForURLAsync(url => url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        if (screenshot is not null)
        {
            await BrowserApp.ScreenshotAsync(page, screenshot);
        }

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
        await BrowserApp.WaitForInteractiveAsync(page);
    }

    private async Task<Customer> CustomerOfGroupAsync(string groupCode)
    {
        await using var db = app.Factory.Services.GetRequiredService<ISystemDbContextFactory>().CreateDbContext();
        // A person with a last name no other customer shares, so the search finds exactly them.
        var unique = await db.Customers
            .Where(c => c.DealerGroup!.Code == groupCode && c.BuyerType == BuyerType.Person && c.LastName != null)
            .GroupBy(c => c.LastName)
            .Where(g => g.Count() == 1)
            .Select(g => g.Key)
            .FirstAsync();
        return await db.Customers.FirstAsync(c => c.LastName == unique && c.DealerGroup!.Code == groupCode);
    }
}
