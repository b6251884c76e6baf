using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Audience;
using AutomotiveCrm.Domain.Campaigns.Editing;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Tests.Campaigns.Audience;
using AutomotiveCrm.Tests.Support;
using static AutomotiveCrm.Tests.Campaigns.Audience.AudienceDataset;

namespace AutomotiveCrm.Tests.Campaigns.Editing;

public sealed class CampaignEditingTests : IAsyncLifetime, IDisposable
{
    private readonly SqliteTestDatabase _database = new();
    private AudienceDataset _data = null!;

    public async Task InitializeAsync() => _data = await SeedAsync(_database);

    public Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _database.Dispose();

    private CampaignAuthor GroupAuthor => new("user-1", "user-1@example.com", ScopeLevel.Group, _data.Org.Network.Id, _data.Org.Group.Id, null);

    [Fact]
    public async Task Save_NewThenEdit_RoundTripsAudienceChannelsAndTimeZone()
    {
        var draft = CampaignEditing.NewDraft(GroupAuthor);
        draft.Name = "Spring service";
        draft.Audience = Where(HasVehicle(Condition("vehicle.bodyType", AudienceOperator.AnyOf, "Suv")));
        draft.Channels.Single(c => c.Channel == CampaignChannelKind.Email).Subject = "Your spring check";
        draft.Channels.Single(c => c.Channel == CampaignChannelKind.Label).Enabled = true;
        draft.TimeZone = "Europe/Berlin";

        long id;
        await using (var db = UserContext(_database, _data))
        {
            (id, _) = await CampaignEditing.SaveAsync(db, GroupAuthor, draft, TestClock.Start.UtcDateTime);
        }

        await using var read = UserContext(_database, _data);
        var loaded = await CampaignEditing.LoadAsync(read, id);
        Assert.Equal(CampaignOwnerLevel.Group, loaded.OwnerLevel);
        Assert.Equal(_data.Org.Group.Id, loaded.DealerGroupId);
        Assert.Equal(draft.Audience.ToJson(), loaded.Audience.ToJson());
        Assert.Equal("Your spring check", loaded.Channels.Single(c => c.Channel == CampaignChannelKind.Email).Subject);
        Assert.Equal([CampaignChannelKind.Email, CampaignChannelKind.Label], loaded.Channels.Where(c => c.Enabled).Select(c => c.Channel));
        Assert.Equal("Europe/Berlin", loaded.TimeZone);
        Assert.Single(await CampaignEditing.ListAsync(read, "SPRING"));
    }

    [Fact]
    public async Task Save_StaleVersion_IsRefused()
    {
        var draft = CampaignEditing.NewDraft(GroupAuthor);
        draft.Name = "First";
        await using var db = UserContext(_database, _data);
        var (id, _) = await CampaignEditing.SaveAsync(db, GroupAuthor, draft, TestClock.Start.UtcDateTime);
        await using var first = UserContext(_database, _data);
        await using var second = UserContext(_database, _data);
        var mine = await CampaignEditing.LoadAsync(first, id);
        var theirs = await CampaignEditing.LoadAsync(second, id);

        mine.Name = "Mine";
        await CampaignEditing.SaveAsync(first, GroupAuthor, mine, TestClock.Start.UtcDateTime);
        theirs.Name = "Theirs";

        await Assert.ThrowsAsync<CampaignConcurrencyException>(() => CampaignEditing.SaveAsync(second, GroupAuthor, theirs, TestClock.Start.UtcDateTime));
    }

    [Fact]
    public async Task Save_GroupUserClaimsNetworkCampaign_IsRefused()
    {
        var draft = CampaignEditing.NewDraft(GroupAuthor);
        draft.Name = "Sneaky";
        draft.OwnerLevel = CampaignOwnerLevel.NetworkWholesale;
        await using var db = UserContext(_database, _data);

        var refused = await Assert.ThrowsAsync<DomainException>(() => CampaignEditing.SaveAsync(db, GroupAuthor, draft, TestClock.Start.UtcDateTime));

        Assert.Contains("cannot own", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_OtherGroupsCampaign_IsNotFound()
    {
        var other = new CampaignAuthor("user-9", "u9", ScopeLevel.Group, _data.Org.Network.Id, _data.Org.OtherGroup.Id, null);
        var draft = CampaignEditing.NewDraft(other);
        draft.Name = "Theirs";
        long id;
        await using (var system = _database.CreateContext())
        {
            (id, _) = await CampaignEditing.SaveAsync(system, other, draft, TestClock.Start.UtcDateTime);
        }

        await using var db = UserContext(_database, _data);

        await Assert.ThrowsAsync<RecordNotFoundException>(() => CampaignEditing.LoadAsync(db, id));
    }
}
