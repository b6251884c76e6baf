using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Audience;
using AutomotiveCrm.Domain.Campaigns.Content;
using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AutomotiveCrm.Tests.EndToEnd;

/// <summary>
/// A group marketer designs a campaign e-mail in a real browser: types bold text in the quill editor, inserts a merge
/// field, switches to the HTML source and back, saves, previews the e-mail as a real customer of the audience, and
/// test-sends it to an address; the app's loopback SMTP server receives it.
/// </summary>
[Collection(BrowserApp.CollectionName)]
public sealed class CampaignContentJourneyTests(BrowserApp app)
{
    private const string Marketer = "marketer@thames.demo";
    private const string TestAddress = "qa-desk@example.com";

    [Fact]
    public async Task Marketer_DesignsPreviewsAndTestSendsAnEmail()
    {
        var (campaignId, customer) = await CampaignWithAudienceAsync();
        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, Marketer);

        await page.GotoAsync($"/campaigns/{campaignId}");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "Channels" }).ClickAsync();
        await page.Locator("[data-testid=design-Email]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == $"/campaigns/{campaignId}/email");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.Locator("[data-testid=email-editor][data-ready=true]").WaitForAsync();

        await page.Locator("[data-testid=email-subject]").FillAsync("Service offer for {{ customer.first_name | default: \"you\" }}");
        var quill = page.Locator(".ql-editor");
        await quill.ClickAsync();
        await page.Keyboard.PressAsync("Control+b");
        await page.Keyboard.TypeAsync("Big news");
        await page.Keyboard.PressAsync("Control+b");
        await page.Keyboard.TypeAsync(" for you, ");
        await page.Locator("[data-field='customer.first_name']").ClickAsync();
        await page.Locator("[data-testid=insert-merge-field]").ClickAsync();
        await Assertions.Expect(quill).ToContainTextAsync("{{ customer.first_name | default: \"Customer\" }}");
        await Assertions.Expect(quill.Locator("strong")).ToHaveTextAsync("Big news");
        await BrowserApp.ScreenshotAsync(page, "60-campaign-email-visual");

        await page.Locator("[data-testid=view-source]").ClickAsync();
        var source = page.Locator("textarea[data-testid=html-source]");
        await Assertions.Expect(source).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("<strong>Big news</strong>"));
        var html = await source.InputValueAsync();
        Assert.Contains("for you, {{ customer.first_name | default: \"Customer\" }}", html.Replace("&quot;", "\"", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("&nbsp;", html, StringComparison.Ordinal);
        const string handWritten = "<table width=\"100%\"><tr><td style=\"color:#336699\">Hand-written cell</td></tr></table>";
        await source.FillAsync(html + handWritten);
        await BrowserApp.ScreenshotAsync(page, "61-campaign-email-source");
        await page.Locator("[data-testid=view-visual]").ClickAsync();
        await page.Locator("[data-testid=hand-written]").WaitForAsync();

        await page.Locator("[data-testid=save-email]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=email-message]")).ToContainTextAsync("Saved");
        var stored = await StoredEmailAsync(campaignId);
        Assert.Contains("<strong>Big news</strong>", stored.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("{{ customer.first_name | default: \"Customer\" }}", stored.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("<table width=\"100%\">", stored.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("Hand-written cell", stored.BodyHtml, StringComparison.Ordinal);

        var picker = page.Locator("input[data-testid=preview-customer]");
        await picker.FillAsync(customer.LastName);
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = customer.Name }).First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=preview-subject]")).ToHaveTextAsync($"Service offer for {customer.FirstName}");
        await Assertions.Expect(page.FrameLocator("[data-testid=preview-frame]").Locator("body")).ToContainTextAsync($"for you, {customer.FirstName}");
        await BrowserApp.ScreenshotAsync(page, "62-campaign-email-preview");

        var before = app.Mail.Received.Count;
        await page.Locator("input[data-testid=test-address]").FillAsync(TestAddress);
        await page.Locator("[data-testid=test-send]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=email-message]")).ToContainTextAsync($"Test sent to {TestAddress}");
        var delivery = (await app.Mail.WaitForAsync(before + 1)).Last(d => d.RcptTo.Contains(TestAddress));
        Assert.Equal($"[Test] Service offer for {customer.FirstName}", delivery.Message.Subject);
        Assert.Equal("true", delivery.Message.Headers[ContentPreview.TestHeader]);
        Assert.Contains("<strong>Big news</strong>", delivery.Message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"for you, {customer.FirstName}", delivery.Message.TextBody, StringComparison.Ordinal);
        await using var db = SystemContext();
        Assert.False(await db.CampaignRuns.AnyAsync(r => r.CampaignId == campaignId));
    }

    private sealed record Recipient(long Id, string FirstName, string LastName)
    {
        public string Name => $"{FirstName} {LastName}";
    }

    private Domain.Persistence.CrmDbContext SystemContext() =>
        app.Factory.Services.GetRequiredService<ISystemDbContextFactory>().CreateDbContext();

    /// <summary>A Thames group campaign to everyone with e-mail consent, and a customer of its audience with a last name nobody else in it has.</summary>
    private async Task<(long CampaignId, Recipient Customer)> CampaignWithAudienceAsync()
    {
        await using var db = SystemContext();
        var group = await db.DealerGroups.SingleAsync(g => g.Code == "THAMES");
        var now = DateTime.UtcNow;
        var campaign = new Campaign
        {
            NetworkId = group.NetworkId,
            DealerGroupId = group.Id,
            OwnerLevel = CampaignOwnerLevel.Group,
            Name = "Winter service offer " + Guid.NewGuid().ToString("N")[..6],
            AudienceJson = AudienceDefinition.Everyone().ToJson(),
            TimeZone = "Europe/London",
            CreatedBy = Marketer,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        campaign.Contents.Add(new CampaignContent { Channel = CampaignChannelKind.Email, Subject = "Draft", UpdatedAt = now });
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();

        db.Scope = AccessScope.ForUser(ScopeLevel.Group, group.NetworkId, group.Id, [CrmRole.Marketer]);
        var audience = await AudienceQuery.BuildAsync(db, campaign, CampaignChannelKind.Email, DateOnly.FromDateTime(now));
        var people = await audience.Where(c => c.FirstName != null && c.LastName != null)
            .Select(c => new Recipient(c.Id, c.FirstName!, c.LastName!)).ToListAsync();
        var unique = people.GroupBy(p => p.LastName).Where(g => g.Count() == 1).Select(g => g.Single())
            .FirstOrDefault(p => people.Count(o => o.Name.Contains(p.LastName, StringComparison.OrdinalIgnoreCase)) == 1)
            ?? throw new InvalidOperationException("The demo data has no Thames customer with e-mail consent and a unique last name.");
        return (campaign.Id, unique);
    }

    private async Task<CampaignContent> StoredEmailAsync(long campaignId)
    {
        await using var db = SystemContext();
        return await db.CampaignContents.AsNoTracking().SingleAsync(c => c.CampaignId == campaignId && c.Channel == CampaignChannelKind.Email);
    }
}
