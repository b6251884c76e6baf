using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Content;
using AutomotiveCrm.Domain.Campaigns.Editing;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Campaigns.Sending;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Campaigns.Content;

/// <summary>Saving e-mail and SMS content on a real SQLite database: sanitised, validated, versioned, scoped.</summary>
public sealed class ContentEditingTests : IAsyncLifetime
{
    private SendingHarness harness = null!;

    public async Task InitializeAsync() => harness = await SendingHarness.CreateAsync();

    public Task DisposeAsync()
    {
        harness.Dispose();
        return Task.CompletedTask;
    }

    private Domain.Persistence.CrmDbContext UserContext(long? groupId = null, CrmRole role = CrmRole.Marketer)
    {
        var db = harness.NewContext();
        db.Scope = AccessScope.ForUser(ScopeLevel.Group, harness.Org.Network.Id, groupId ?? harness.Org.Group.Id, [role]);
        return db;
    }

    [Fact]
    public async Task SaveEmail_HostileHtml_IsStoredSanitisedWithLiquidAndAbsoluteImages()
    {
        var campaign = await harness.CreateCampaignAsync();
        await using var db = UserContext();
        var draft = await CampaignContentEditing.LoadEmailAsync(db, campaign.Id);
        draft.Subject = "Service for {{ customer.first_name | default: \"you\" }}";
        draft.BodyHtml = "<p onclick=\"x()\">Dear {{ customer.first_name | default: &quot;Customer&quot; }}</p><script>alert(1)</script>"
            + "<img src=\"/campaign-images/0123456789abcdef0123456789abcdef.png\" alt=\"logo\">";

        var result = await CampaignContentEditing.SaveEmailAsync(db, draft, harness.Database.Clock.GetUtcNow().UtcDateTime, "https://crm.example.test/");

        await using var check = harness.NewContext();
        var stored = await check.CampaignContents.SingleAsync(c => c.CampaignId == campaign.Id && c.Channel == CampaignChannelKind.Email);
        Assert.Equal(result.BodyHtml, stored.BodyHtml);
        Assert.DoesNotContain("script", stored.BodyHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", stored.BodyHtml, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("{{ customer.first_name | default: \"Customer\" }}", stored.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("src=\"https://crm.example.test/campaign-images/0123456789abcdef0123456789abcdef.png\"", stored.BodyHtml, StringComparison.Ordinal);
        Assert.Equal(draft.Version + 1, result.Version);
        Assert.Equal(result.Version, (await check.Campaigns.SingleAsync(c => c.Id == campaign.Id)).Version);
    }

    [Fact]
    public async Task SaveEmail_UnknownFieldAndNoSubject_IsRefusedNamingBothAndNothingWritten()
    {
        var campaign = await harness.CreateCampaignAsync();
        await using var db = UserContext();
        var draft = await CampaignContentEditing.LoadEmailAsync(db, campaign.Id);
        var before = draft.BodyHtml;
        draft.Subject = " ";
        draft.BodyHtml = "<p>Hi {{ customer.firstname | default: \"x\" }}</p>";

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            CampaignContentEditing.SaveEmailAsync(db, draft, harness.Database.Clock.GetUtcNow().UtcDateTime, ""));

        Assert.Contains("Subject: give the e-mail a subject", error.Message, StringComparison.Ordinal);
        Assert.Contains("'customer.firstname' is not a merge field (did you mean 'customer.first_name'?)", error.Message, StringComparison.Ordinal);
        await using var check = harness.NewContext();
        Assert.Equal(before, (await check.CampaignContents.SingleAsync(c => c.CampaignId == campaign.Id)).BodyHtml);
    }

    [Fact]
    public async Task SaveEmail_StaleVersion_IsAConflict()
    {
        var campaign = await harness.CreateCampaignAsync();
        await using var first = UserContext();
        var mine = await CampaignContentEditing.LoadEmailAsync(first, campaign.Id);
        await using var second = UserContext();
        var theirs = await CampaignContentEditing.LoadEmailAsync(second, campaign.Id);
        theirs.Subject = "Theirs";
        await CampaignContentEditing.SaveEmailAsync(second, theirs, DateTime.UtcNow, "");
        mine.Subject = "Mine";

        await Assert.ThrowsAsync<CampaignConcurrencyException>(() => CampaignContentEditing.SaveEmailAsync(first, mine, DateTime.UtcNow, ""));
    }

    [Fact]
    public async Task LoadEmail_AnotherGroupsCampaign_IsNotFound()
    {
        var campaign = await harness.CreateCampaignAsync();
        await using var db = UserContext(harness.Org.OtherGroup.Id);

        await Assert.ThrowsAsync<RecordNotFoundException>(() => CampaignContentEditing.LoadEmailAsync(db, campaign.Id));
    }

    [Fact]
    public async Task SaveSms_CreatesSmsChannelAndRefusesBadSenderAndUnsubscribeLink()
    {
        var campaign = await harness.CreateCampaignAsync();
        await using var db = UserContext();
        var draft = await CampaignContentEditing.LoadSmsAsync(db, campaign.Id);
        draft.Text = "Hi {{ customer.first_name | default: \"there\" }}, your {{ vehicle.make | default: \"car\" }} is due. {{ unsubscribe_url }}";
        draft.SenderId = "Northgate Motors Ltd";

        var error = await Assert.ThrowsAsync<DomainException>(() => CampaignContentEditing.SaveSmsAsync(db, draft, DateTime.UtcNow));
        Assert.Contains("Sender: 'Northgate Motors Ltd' is not a sender ID", error.Message, StringComparison.Ordinal);
        Assert.Contains("reply STOP", error.Message, StringComparison.Ordinal);

        draft.Text = "Hi {{ customer.first_name | default: \"there\" }}, your {{ vehicle.make | default: \"car\" }} is due.";
        draft.SenderId = "Northgate";
        await CampaignContentEditing.SaveSmsAsync(db, draft, DateTime.UtcNow);

        await using var check = harness.NewContext();
        var sms = await check.CampaignContents.SingleAsync(c => c.CampaignId == campaign.Id && c.Channel == CampaignChannelKind.Sms);
        Assert.Equal(draft.Text, sms.BodyText);
        Assert.Equal("Northgate", sms.SmsSenderId);
    }

    [Fact]
    public async Task StartRun_ContentWithUnknownField_IsRefusedBeforeAnythingIsFrozen()
    {
        await harness.AddCustomersAsync(2);
        var campaign = await harness.CreateCampaignAsync(html: "<p>Hi {{ customer.nickname }}</p>");

        var error = await Assert.ThrowsAsync<DomainException>(() => harness.StartRunAsync(campaign.Id));

        Assert.Contains("'customer.nickname' is not a merge field", error.Message, StringComparison.Ordinal);
        await using var check = harness.NewContext();
        Assert.False(await check.CampaignRuns.AnyAsync(r => r.CampaignId == campaign.Id));
    }

    [Theory]
    [InlineData(new[] { CrmRole.Marketer }, true)]
    [InlineData(new[] { CrmRole.Manager }, true)]
    [InlineData(new[] { CrmRole.Agency }, false)]
    [InlineData(new[] { CrmRole.Sales }, false)]
    public void SeesRealCustomers_FollowsThePermissionMatrix(CrmRole[] roles, bool expected)
    {
        Assert.Equal(expected, CampaignContentEditing.SeesRealCustomers(roles, ScopeLevel.Group));
    }
}
