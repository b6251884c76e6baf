using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AutomotiveCrm.Tests.EndToEnd;

/// <summary>A network manager's pages in a real browser: the wholesale picture and a vehicle across groups.</summary>
[Collection(BrowserApp.CollectionName)]
public sealed class NetworkJourneyTests(BrowserApp app)
{
    [Fact]
    public async Task NetworkManager_OpensWholesaleRecordAndVehicle()
    {
        long wholesaleId, vehicleId;
        string vin;
        await using (var db = app.Factory.Services.GetRequiredService<ISystemDbContextFactory>().CreateDbContext())
        {
            wholesaleId = await db.WholesaleCustomers.Where(w => w.LastName != null).OrderBy(w => w.Id).Select(w => w.Id).FirstAsync();
            var vehicle = await db.Vehicles.Where(v => v.Vin != null && v.Relationships.Any()).OrderBy(v => v.Id).FirstAsync();
            (vehicleId, vin) = (vehicle.Id, vehicle.Vin!);
        }

        var page = await app.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.Locator("#email").FillAsync("manager@network.demo");
        await page.Locator("#password").FillAsync(DemoUsers.DefaultPassword);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
        await BrowserApp.WaitForInteractiveAsync(page);

        await page.Locator("[data-testid='scope-picker']").WaitForAsync();
        Assert.Equal("Network", (await page.Locator("[data-testid='scope-label']").InnerTextAsync()).Trim());
        await BrowserApp.ScreenshotAsync(page, "08-network-overview");

        await page.GotoAsync("/wholesale");
        await page.Locator("[data-testid='wholesale-list']").WaitForAsync();
        await BrowserApp.ScreenshotAsync(page, "09-wholesale-list");

        await page.GotoAsync($"/wholesale/{wholesaleId}");
        await page.Locator("[data-testid='wholesale-fields']").WaitForAsync();
        await page.Locator("[data-testid='retail-records'] a[href^='/customers/']").First.WaitForAsync();
        await BrowserApp.ScreenshotAsync(page, "10-wholesale-record");

        await page.GotoAsync($"/vehicles/{vehicleId}");
        await page.Locator("[data-testid='vin']", new PageLocatorOptions { HasText = vin }).WaitForAsync();
        await page.Locator("[data-testid='specification']").WaitForAsync();
        await BrowserApp.ScreenshotAsync(page, "11-vehicle");
    }

    [Fact]
    public async Task NetworkAdministrator_WithTwoFactor_SeesUsersAndDealers()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.Locator("#email").FillAsync("admin@network.demo");
        await page.Locator("#password").FillAsync(DemoUsers.DefaultPassword);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("LoginWith2fa", StringComparison.OrdinalIgnoreCase));
        await page.Locator("input[name='Input.TwoFactorCode']").FillAsync(
            Identity.Totp.Now(DemoUsers.AuthenticatorKey("admin@network.demo", DemoUsers.DefaultPassword)));
        await page.Locator("form button[type='submit']").First.ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Account/", StringComparison.OrdinalIgnoreCase));
        await BrowserApp.WaitForInteractiveAsync(page);

        await page.GotoAsync("/admin/users");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.GetByText("sales@newstar.demo").First.WaitForAsync();
        await BrowserApp.ScreenshotAsync(page, "12-admin-users");

        await page.GotoAsync("/admin/dealers");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.GetByText("NSA-01").First.WaitForAsync();
        await BrowserApp.ScreenshotAsync(page, "13-admin-dealers");
    }
}
