using System.Globalization;
using System.Text.RegularExpressions;
using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Rewards;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using UglyToad.PdfPig;

namespace AutomotiveCrm.Tests.EndToEnd;

/// <summary>The rewards redemption desk as a dealer's service desk uses it, in a real browser against the demo data.</summary>
[Collection(BrowserApp.CollectionName)]
public sealed partial class RewardsDeskJourneyTests(BrowserApp app)
{
    private const string DeskUser = "service@nsa-01.demo";
    private const string GroupCode = "NEWSTAR";

    [Fact]
    public async Task ServiceDesk_FindByPlate_SeeWhyUnavailable_RedeemPrintAndReverse()
    {
        var member = await MemberWithPlateAsync();
        var reason = "Customer changed their mind " + Guid.NewGuid().ToString("N")[..6];
        var page = await app.NewPageAsync();

        await SignInAsync(page, DeskUser, DemoUsers.DefaultPassword);
        await page.GotoAsync("/rewards/desk");
        await BrowserApp.WaitForInteractiveAsync(page);

        // Find the customer by the plate of the car they came in with.
        await page.Locator("input[data-testid='desk-search'], [data-testid='desk-search'] input").First.FillAsync(member.Plate);
        await page.Locator("[data-testid='desk-search-button']").ClickAsync();
        var name = page.Locator("[data-testid='desk-customer-name']");
        var result = page.Locator($"[data-testid='desk-result'][href='/rewards/desk/{member.CustomerId}']");
        await name.Or(result).First.WaitForAsync();
        if (await result.CountAsync() > 0)
        {
            // The plate also belonged to someone else once: the desk lists both and the user picks theirs.
            await BrowserApp.ScreenshotAsync(page, "80-rewards-desk-search");
            await result.ClickAsync();
        }

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == $"/rewards/desk/{member.CustomerId}");
        await name.WaitForAsync();
        await BrowserApp.WaitForInteractiveAsync(page);
        Assert.Equal(member.Name, (await name.InnerTextAsync()).Trim());
        Assert.Contains(member.Plate, await page.Locator("[data-testid='desk-customer']").InnerTextAsync(), StringComparison.Ordinal);
        var points = page.Locator("[data-testid='desk-points']");
        Assert.Equal(Points(member.Balance), (await points.InnerTextAsync()).Trim());

        // The track day needs a model this member does not own: the desk says so and will not redeem it.
        var trackDay = page.Locator($"[data-testid='desk-reward'][data-reward='{member.TrackDayCode}']");
        var why = trackDay.Locator("[data-testid='desk-reward-reason']");
        await why.WaitForAsync();
        Assert.Contains($"Only for customers who currently own a {member.TrackDayVehicle}.", await why.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await trackDay.Locator("[data-testid='desk-redeem']").IsDisabledAsync());
        await BrowserApp.ScreenshotAsync(page, "81-rewards-desk-customer");

        // Redeem the car wash, through the confirmation dialog.
        var wash = page.Locator($"[data-testid='desk-reward'][data-reward='{member.WashCode}']");
        Assert.Equal(0, await wash.Locator("[data-testid='desk-reward-reason']").CountAsync());
        await wash.Locator("[data-testid='desk-redeem']").ClickAsync();
        var confirm = page.Locator("[data-testid='redeem-confirm']");
        await confirm.WaitForAsync();
        Assert.Equal(Points(member.WashCost), (await page.Locator("[data-testid='redeem-cost']").InnerTextAsync()).Trim());
        await BrowserApp.ScreenshotAsync(page, "82-rewards-desk-redeem-dialog");
        await confirm.ClickAsync();

        var snackbar = page.Locator(".mud-snackbar", new PageLocatorOptions { HasTextRegex = VoucherMessage() });
        await snackbar.WaitForAsync();
        var voucher = VoucherMessage().Match(await snackbar.InnerTextAsync()).Groups[1].Value;
        Assert.NotEmpty(voucher);
        await confirm.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });

        // The desk moves to the history, where the new voucher is listed and can be printed.
        var row = page.Locator("[data-testid='desk-redemptions'] tbody tr", new PageLocatorOptions { HasText = voucher });
        await row.WaitForAsync();
        Assert.Contains(member.WashName, await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Redeemed", (await row.Locator("[data-testid='desk-status']").InnerTextAsync()).Trim());
        await BrowserApp.ScreenshotAsync(page, "83-rewards-desk-redeemed");

        var download = await page.RunAndWaitForDownloadAsync(() => row.Locator("[data-testid='desk-voucher']").ClickAsync());
        Assert.Equal($"voucher-{voucher}.pdf", download.SuggestedFilename);
        var pdf = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
        using (var document = PdfDocument.Open(pdf))
        {
            var text = string.Join(" ", document.GetPages().Select(p => p.Text));
            Assert.Contains(member.WashName, text, StringComparison.Ordinal);
            Assert.Contains(voucher, text, StringComparison.Ordinal);
        }

        await page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = member.SchemeName }).ClickAsync();
        await points.WaitForAsync();
        Assert.Equal(Points(member.Balance - member.WashCost), (await points.InnerTextAsync()).Trim());

        // Reverse it with a reason: the points come back.
        await page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "History" }).ClickAsync();
        await row.Locator("[data-testid='desk-reverse']").ClickAsync();
        var reasonConfirm = page.Locator("[data-testid='reason-confirm']");
        await reasonConfirm.WaitForAsync();
        await page.Locator("textarea[data-testid='reason-text'], [data-testid='reason-text'] textarea, [data-testid='reason-text'] input").First.FillAsync(reason);
        await BrowserApp.ScreenshotAsync(page, "84-rewards-desk-reverse-dialog");
        await reasonConfirm.ClickAsync();
        await row.Locator("[data-testid='desk-status']", new LocatorLocatorOptions { HasText = "Reversed: " + reason }).WaitForAsync();
        Assert.Equal(0, await row.Locator("[data-testid='desk-reverse']").CountAsync());
        await BrowserApp.ScreenshotAsync(page, "85-rewards-desk-reversed");

        await page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = member.SchemeName }).ClickAsync();
        await points.WaitForAsync();
        Assert.Equal(Points(member.Balance), (await points.InnerTextAsync()).Trim());

        await using var db = app.Factory.Services.GetRequiredService<ISystemDbContextFactory>().CreateDbContext();
        var stored = await db.RewardRedemptions.AsNoTracking().Include(r => r.Dealer).SingleAsync(r => r.VoucherNumber == voucher);
        Assert.Equal((member.CustomerId, member.WashId, RedemptionStatus.Reversed, reason, DeskUser),
            (stored.CustomerId, stored.RewardId, stored.Status, stored.ReversalReason, stored.ReversedBy));
        Assert.Equal("NSA-01", stored.Dealer!.Code);
        Assert.Equal(member.Balance, (await db.RewardAccounts.AsNoTracking().SingleAsync(a => a.Id == member.AccountId)).PointsBalance);
    }

    private static string Points(long points) => points.ToString("N0", CultureInfo.InvariantCulture) + " points";

    [GeneratedRegex(@"Redeemed: voucher (\S+?)\. Print")]
    private static partial Regex VoucherMessage();

    private sealed record Member(
        long CustomerId, string Name, string Plate, long AccountId, string SchemeName, long Balance,
        long WashId, string WashCode, string WashName, long WashCost, string TrackDayCode, string TrackDayVehicle);

    /// <summary>
    /// A Newstar demo member with one membership, enough points for the car wash (and no open redemption blocking
    /// it), no Roadster, and a current plate the desk search recognises as a plate.
    /// </summary>
    private async Task<Member> MemberWithPlateAsync()
    {
        await using var db = app.Factory.Services.GetRequiredService<ISystemDbContextFactory>().CreateDbContext();
        var wash = await db.Rewards.AsNoTracking().SingleAsync(r => r.Code == GroupCode + "-WASH");
        var trackDay = await db.Rewards.AsNoTracking().SingleAsync(r => r.Code == GroupCode + "-CLUB");
        var vehicle = string.Join(' ', new[] { trackDay.RequiredMake, trackDay.RequiredModel }.Where(p => p is not null));
        var accounts = await db.RewardAccounts.AsNoTracking().Include(a => a.Scheme)
            .Where(a => a.Customer!.DealerGroup!.Code == GroupCode && a.Customer.MergedIntoId == null && a.Status == RewardAccountStatus.Active
                && a.PointsBalance >= wash.CostPoints + 50)
            .OrderBy(a => a.CustomerId)
            .ToListAsync();
        foreach (var account in accounts)
        {
            if (await db.RewardAccounts.CountAsync(a => a.CustomerId == account.CustomerId) != 1)
            {
                continue;
            }

            var cars = await db.Relationships.AsNoTracking().Where(r => r.CustomerId == account.CustomerId && r.EndDate == null)
                .Select(r => new { r.Vehicle!.Id, r.Vehicle.CurrentPlate, r.Vehicle.Model }).ToListAsync();
            if (cars.Any(c => string.Equals(c.Model, trackDay.RequiredModel, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            foreach (var car in cars.Where(c => c.CurrentPlate is { Length: >= 5 and <= 10 } p
                && p.Any(char.IsAsciiDigit) && p.Any(char.IsAsciiLetter) && p.All(char.IsAsciiLetterOrDigit)))
            {
                if (!await db.PlateRegistrations.AnyAsync(p => p.VehicleId == car.Id && p.Plate == car.CurrentPlate))
                {
                    continue;
                }

                var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == account.CustomerId);
                return new Member(customer.Id, customer.DisplayName, car.CurrentPlate!, account.Id, account.Scheme!.Name, account.PointsBalance,
                    wash.Id, wash.Code, wash.Name, wash.CostPoints, trackDay.Code, vehicle);
            }
        }

        throw new InvalidOperationException($"No {GroupCode} demo member has a single membership, {wash.CostPoints}+ points and a current plate.");
    }

    private static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/");
        await page.WaitForURLAsync(url => url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
        await BrowserApp.WaitForInteractiveAsync(page);
    }
}
