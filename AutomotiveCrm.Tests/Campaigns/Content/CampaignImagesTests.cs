using AutomotiveCrm.Domain.Campaigns.Content;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Campaigns.Sending;

namespace AutomotiveCrm.Tests.Campaigns.Content;

/// <summary>Campaign images: raster types recognised by their bytes, size-limited, owned like their campaign, found by token.</summary>
public sealed class CampaignImagesTests : IAsyncLifetime
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];
    private SendingHarness harness = null!;

    public async Task InitializeAsync() => harness = await SendingHarness.CreateAsync();

    public Task DisposeAsync()
    {
        harness.Dispose();
        return Task.CompletedTask;
    }

    private Domain.Persistence.CrmDbContext UserContext(long groupId)
    {
        var db = harness.NewContext();
        db.Scope = AccessScope.ForUser(ScopeLevel.Group, harness.Org.Network.Id, groupId, [CrmRole.Agency]);
        return db;
    }

    [Fact]
    public async Task Store_Png_IsFoundByItsTokenAndExtensionOnly()
    {
        var campaign = await harness.CreateCampaignAsync();
        await using var db = UserContext(harness.Org.Group.Id);

        var image = await CampaignImages.StoreAsync(db, campaign.Id, "../../logo.png", Png, "designer@agency.example", DateTime.UtcNow);

        Assert.Equal("logo.png", image.FileName);
        Assert.Matches("^/campaign-images/[0-9a-f]{32}\\.png$", image.Path);
        await using var system = harness.NewContext();
        Assert.Equal("image/png", (await CampaignImages.FindAsync(system, image.Token, "png"))?.ContentType);
        Assert.Null(await CampaignImages.FindAsync(system, image.Token, "svg"));
        // Another token one character off (never the same character: a token ending in '0' would find itself).
        var other = image.Token[..31] + (image.Token[31] == '0' ? "1" : "0");
        Assert.Null(await CampaignImages.FindAsync(system, other, "png"));
    }

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>", "only PNG, JPEG, GIF and WebP")]
    [InlineData("<html><script>alert(1)</script></html>", "only PNG, JPEG, GIF and WebP")]
    [InlineData("", "the file is empty")]
    public async Task Store_NotARasterImage_IsRefusedNamingTheFile(string content, string reason)
    {
        var campaign = await harness.CreateCampaignAsync();
        await using var db = UserContext(harness.Org.Group.Id);

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            CampaignImages.StoreAsync(db, campaign.Id, "logo.png", System.Text.Encoding.UTF8.GetBytes(content), "x", DateTime.UtcNow));

        Assert.Contains("Image 'logo.png'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_TooLarge_IsRefused()
    {
        var campaign = await harness.CreateCampaignAsync();
        await using var db = UserContext(harness.Org.Group.Id);
        var big = new byte[CampaignImages.DefaultMaxBytes + 1];
        Png.CopyTo(big, 0);

        var error = await Assert.ThrowsAsync<DomainException>(() => CampaignImages.StoreAsync(db, campaign.Id, "huge.png", big, "x", DateTime.UtcNow));

        Assert.Contains("allowed for e-mail images", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_AnotherGroupsCampaign_IsNotFound()
    {
        var campaign = await harness.CreateCampaignAsync();
        await using var db = UserContext(harness.Org.OtherGroup.Id);

        await Assert.ThrowsAsync<RecordNotFoundException>(() => CampaignImages.StoreAsync(db, campaign.Id, "logo.png", Png, "x", DateTime.UtcNow));
    }
}
