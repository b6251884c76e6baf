using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Content;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Campaigns.Sending;
using AutomotiveCrm.Tests.Support;
using MailKit.Net.Smtp;

namespace AutomotiveCrm.Tests.Campaigns.Content;

/// <summary>Previews as a real customer of the audience (within the user's scope) or the sample, and test sends to a loopback SMTP sink.</summary>
public sealed class ContentPreviewTests : IAsyncLifetime
{
    private SendingHarness harness = null!;

    public async Task InitializeAsync() => harness = await SendingHarness.CreateAsync();

    public Task DisposeAsync()
    {
        harness.Dispose();
        return Task.CompletedTask;
    }

    private Domain.Persistence.CrmDbContext UserContext(CrmRole role = CrmRole.Marketer)
    {
        var db = harness.NewContext();
        db.Scope = AccessScope.ForUser(ScopeLevel.Group, harness.Org.Network.Id, harness.Org.Group.Id, [role]);
        return db;
    }

    private DateOnly Today => DateOnly.FromDateTime(harness.Database.Clock.GetUtcNow().UtcDateTime);

    private static EmailContentDraft Draft(long campaignId) => new()
    {
        CampaignId = campaignId,
        Subject = "Hello {{ customer.first_name | default: \"there\" }}",
        SenderName = "{{ dealer.name | default: \"Northgate\" }}",
        BodyHtml = "<p>Dear <strong>{{ customer.first_name | default: \"Customer\" }} {{ customer.last_name | default: \"\" }}</strong></p>",
    };

    [Fact]
    public async Task Candidates_AudienceOnly_SearchByName()
    {
        var wanted = await harness.AddCustomerAsync("Imogen", lastName: "Ashcroft");
        await harness.AddCustomerAsync("Bartholomew", lastName: "Quist");
        await harness.AddCustomerAsync("Noconsent", lastName: "Person", consent: false);
        var campaign = await harness.CreateCampaignAsync();
        await using var db = UserContext();

        var all = await ContentPreview.CandidatesAsync(db, campaign.Id, CampaignChannelKind.Email, null, Today);
        var found = await ContentPreview.CandidatesAsync(db, campaign.Id, CampaignChannelKind.Email, "ashcr", Today);

        Assert.Equal(2, all.Count);
        Assert.DoesNotContain(all, c => c.Name.Contains("Noconsent", StringComparison.Ordinal));
        Assert.Equal(wanted.Id, Assert.Single(found).CustomerId);
    }

    [Fact]
    public async Task RenderEmail_AsRealCustomer_ShowsTheirNameAndDealer()
    {
        var customer = await harness.AddCustomerAsync("Imogen", lastName: "Ashcroft");
        var campaign = await harness.CreateCampaignAsync();
        await using var db = UserContext();

        var data = await ContentPreview.MergeDataAsync(db, campaign.Id, CampaignChannelKind.Email, customer.Id, Today);
        var rendered = ContentPreview.RenderEmail(Draft(campaign.Id), data);

        Assert.Equal("Hello Imogen", rendered.Subject);
        Assert.Contains("<strong>Imogen Ashcroft</strong>", rendered.Html, StringComparison.Ordinal);
        Assert.Equal(harness.Org.Dealer.Name, rendered.SenderName);
    }

    [Fact]
    public async Task MergeData_CustomerOutsideAudienceOrScope_IsNotFound()
    {
        var noConsent = await harness.AddCustomerAsync("Noconsent", consent: false);
        var campaign = await harness.CreateCampaignAsync();
        Domain.Customers.Customer otherGroups;
        await using (var seed = harness.NewContext())
        {
            otherGroups = await new CustomerBuilder().InGroup(harness.Org.OtherGroup).Named("Secret", "Southern").WithEmail("secret@example.com").SaveAsync(seed);
        }

        await using var db = UserContext();

        await Assert.ThrowsAsync<RecordNotFoundException>(() => ContentPreview.MergeDataAsync(db, campaign.Id, CampaignChannelKind.Email, noConsent.Id, Today));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => ContentPreview.MergeDataAsync(db, campaign.Id, CampaignChannelKind.Email, otherGroups.Id, Today));
    }

    [Fact]
    public async Task Candidates_AgencyContext_SeesNoCustomers()
    {
        await harness.AddCustomerAsync("Imogen");
        var campaign = await harness.CreateCampaignAsync();
        await using var db = UserContext(CrmRole.Agency);

        var candidates = await ContentPreview.CandidatesAsync(db, campaign.Id, CampaignChannelKind.Email, null, Today);

        Assert.Empty(candidates);
    }

    [Fact]
    public async Task TestSend_ThroughSmtp_ArrivesMarkedAsTestAndNoMessageRowIsWritten()
    {
        var campaign = await harness.CreateCampaignAsync();
        await using var sink = new SmtpSink();
        var rendered = ContentPreview.RenderEmail(Draft(campaign.Id), MergeFields.Sample);
        var message = ContentPreview.TestMessage(rendered, "designer@agency.example", SendingHarness.Settings(), harness.Database.Clock.GetUtcNow());

        await using (var transport = new SmtpCampaignTransport(new CampaignSmtpEndpoint("127.0.0.1", sink.Port, false)))
        {
            await transport.SendAsync(message, CancellationToken.None);
        }

        var delivery = Assert.Single(await sink.WaitForAsync(1));
        Assert.Equal(["designer@agency.example"], delivery.RcptTo);
        Assert.Equal("[Test] Hello Jordan", delivery.Message.Subject);
        Assert.Equal("true", delivery.Message.Headers[ContentPreview.TestHeader]);
        Assert.Contains("Jordan Sample", delivery.Message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Jordan Sample", delivery.Message.TextBody, StringComparison.Ordinal);
        await using var check = harness.NewContext();
        Assert.Empty(check.CampaignMessages);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-address")]
    [InlineData("a@example.com, b@example.com")]
    [InlineData("a@")]
    public void ParseTestAddress_NotOneAddress_IsRefused(string to)
    {
        var error = Assert.Throws<DomainException>(() => ContentPreview.ParseTestAddress(to));

        Assert.StartsWith("Test address:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderEmail_SenderPerDealer_UsesTheDealersAddress()
    {
        var draft = Draft(1);
        draft.SenderEmail = "news@network.example";
        draft.SenderPerDealer = true;

        var perDealer = ContentPreview.RenderEmail(draft, MergeFields.Sample);
        var noDealerAddress = ContentPreview.RenderEmail(draft, MergeFields.Sample with { Dealer = MergeFields.Sample.Dealer! with { Email = null } });

        Assert.Equal("service@northgate.example", perDealer.SenderEmail);
        Assert.Equal("news@network.example", noDealerAddress.SenderEmail);
    }
}
