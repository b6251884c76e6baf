using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Rewards;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Rewards;

/// <summary>Creating and changing rewards through <see cref="RewardEditing"/> on real SQLite, as group and network managers.</summary>
public sealed class RewardEditingTests : IAsyncLifetime, IDisposable
{
    private readonly SqliteTestDatabase _database = new();
    private RewardsWorld _world = null!;

    private TestOrganisation Org => _world.Org;

    private RewardEditor GroupManager => new(ScopeLevel.Group, Org.Network.Id, Org.Group.Id, null);

    private RewardEditor NetworkManager => new(ScopeLevel.Network, Org.Network.Id, null, null);

    public async Task InitializeAsync() => _world = await RewardsWorld.CreateAsync(_database);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _database.Dispose();

    private CrmDbContext ContextFor(RewardEditor editor)
    {
        var db = _database.CreateContext();
        db.Scope = AccessScope.ForUser(editor.Level, editor.NetworkId, editor.GroupId, [CrmRole.Manager]);
        db.Actor = new AuditActor("u-manager", "manager@example.com", AuditSource.UI);
        return db;
    }

    private RewardDraft ValidDraft(Action<RewardDraft>? configure = null)
    {
        var draft = RewardEditing.NewDraft(GroupManager);
        draft.Code = "WASH-2";
        draft.Name = "Free valet";
        draft.Category = "Service";
        draft.CostPoints = 300;
        draft.ItemName = "Valet";
        configure?.Invoke(draft);
        return draft;
    }

    private async Task<long> SaveAsync(RewardDraft draft, RewardEditor? editor = null)
    {
        await using var db = ContextFor(editor ?? GroupManager);
        return await RewardEditing.SaveAsync(db, editor ?? GroupManager, draft);
    }

    private async Task<IReadOnlyDictionary<string, string>> RefusalAsync(RewardDraft draft, RewardEditor? editor = null)
    {
        var refusal = await Assert.ThrowsAsync<RewardValidationException>(() => SaveAsync(draft, editor));
        return refusal.Errors;
    }

    [Fact]
    public async Task Save_NewGroupReward_StoresEveryFieldWithParticipantsAndAudit()
    {
        var draft = ValidDraft(d =>
        {
            d.Description = "Inside and out";
            d.CostMoney = 5.5m;
            d.DiscountPercent = 10;
            d.Stock = 12;
            d.SchemeId = _world.Scheme.Id;
            d.ValidFrom = new DateOnly(2026, 1, 1);
            d.ValidUntil = new DateOnly(2026, 3, 31);
            d.RequiredMake = "Alder";
            d.PromoMode = RewardPromoMode.SingleCode;
            d.PromoCode = "SHINE";
            d.PerCustomerLimit = 2;
            d.TotalLimit = 100;
            d.ParticipantDealerIds = [Org.SecondDealer.Id];
        });

        var id = await SaveAsync(draft);

        await using var db = _database.CreateContext();
        var reward = await db.Rewards.Include(r => r.Participants).SingleAsync(r => r.Id == id);
        Assert.Equal(("WASH-2", "Free valet", "Service", RewardOwnerLevel.Group, Org.Group.Id), (reward.Code, reward.Name, reward.Category, reward.OwnerLevel, reward.DealerGroupId));
        Assert.Equal((300L, 5.5m, 10m, 12, "Valet"), (reward.CostPoints, reward.CostMoney, reward.DiscountPercent!.Value, reward.Stock!.Value, reward.ItemName));
        Assert.Equal(new DateTime(2026, 3, 31, 23, 59, 59, DateTimeKind.Utc), reward.ValidUntil);
        Assert.Equal(("SHINE", 2, 100), (reward.PromoCode, reward.PerCustomerLimit!.Value, reward.TotalLimit!.Value));
        var participant = Assert.Single(reward.Participants);
        Assert.Equal((Org.Group.Id, Org.SecondDealer.Id), (participant.DealerGroupId!.Value, participant.DealerId!.Value));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == nameof(Reward) && a.EntityKey == id.ToString(System.Globalization.CultureInfo.InvariantCulture)
            && a.UserName == "manager@example.com"));
    }

    [Fact]
    public async Task Save_EditedReward_ChangesFieldsAndReplacesParticipants()
    {
        var id = await SaveAsync(ValidDraft(d => d.ParticipantDealerIds = [Org.Dealer.Id]));
        RewardDraft draft;
        await using (var db = ContextFor(GroupManager))
        {
            draft = await RewardEditing.LoadAsync(db, GroupManager, id);
        }

        draft.Name = "Free full valet";
        draft.CostPoints = 450;
        draft.ParticipantDealerIds = [Org.SecondDealer.Id];
        await SaveAsync(draft);

        await using var check = _database.CreateContext();
        var reward = await check.Rewards.Include(r => r.Participants).SingleAsync(r => r.Id == id);
        Assert.Equal(("Free full valet", 450L), (reward.Name, reward.CostPoints));
        Assert.Equal([Org.SecondDealer.Id], reward.Participants.Select(p => p.DealerId!.Value));
    }

    [Fact]
    public async Task Save_StockUntouchedWhileRedeemed_KeepsTheRedemptionsDecrement()
    {
        var id = await SaveAsync(ValidDraft(d => d.Stock = 5));
        RewardDraft draft;
        await using (var db = ContextFor(GroupManager))
        {
            draft = await RewardEditing.LoadAsync(db, GroupManager, id);
        }

        var outcome = await _world.RedeemAsync(id);
        draft.Name = "Free valet (spring)";
        await SaveAsync(draft);

        await using var check = _database.CreateContext();
        Assert.NotNull(outcome);
        Assert.Equal(4, (await check.Rewards.SingleAsync(r => r.Id == id)).Stock);
    }

    [Fact]
    public async Task Load_OtherGroupsReward_IsNotFoundLikeAMissingOne()
    {
        var other = await _world.AddRewardAsync(r => r.DealerGroupId = Org.OtherGroup.Id);
        await using var db = ContextFor(GroupManager);

        var hidden = await Assert.ThrowsAsync<RecordNotFoundException>(() => RewardEditing.LoadAsync(db, GroupManager, other.Id));
        var missing = await Assert.ThrowsAsync<RecordNotFoundException>(() => RewardEditing.LoadAsync(db, GroupManager, 987_654));

        Assert.Equal(missing.Message.Replace("987654", "", StringComparison.Ordinal), hidden.Message.Replace(other.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Save_OtherGroupsRewardById_IsNotFoundAndUnchanged()
    {
        var other = await _world.AddRewardAsync(r => r.DealerGroupId = Org.OtherGroup.Id);

        await Assert.ThrowsAsync<RecordNotFoundException>(() => SaveAsync(ValidDraft(d => d.Id = other.Id)));

        await using var db = _database.CreateContext();
        Assert.Equal("Free car wash", (await db.Rewards.SingleAsync(r => r.Id == other.Id)).Name);
    }

    [Fact]
    public async Task Save_NetworkRewardByGroupManager_IsRefused()
    {
        var network = await _world.AddRewardAsync(r => { r.OwnerLevel = RewardOwnerLevel.Network; r.DealerGroupId = null; });

        var refusal = await Assert.ThrowsAsync<DomainException>(() => SaveAsync(ValidDraft(d => d.Id = network.Id)));

        Assert.Contains("network", refusal.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Save_ParticipantOfAnotherGroup_IsRefusedAndNothingWritten()
    {
        var errors = await RefusalAsync(ValidDraft(d => d.ParticipantDealerIds = [Org.Dealer.Id, Org.OtherGroupDealer.Id]));

        Assert.Contains("not a dealer of the owning group", errors[nameof(RewardDraft.ParticipantDealerIds)], StringComparison.Ordinal);
        await using var db = _database.CreateContext();
        Assert.False(await db.Rewards.AnyAsync(r => r.Code == "WASH-2"));
    }

    [Fact]
    public async Task Save_NetworkManagerGroupRewardWithOtherGroupsDealer_IsRefused()
    {
        var draft = ValidDraft(d => d.ParticipantDealerIds = [Org.OtherGroupDealer.Id]);

        var errors = await RefusalAsync(draft, NetworkManager);

        Assert.True(errors.ContainsKey(nameof(RewardDraft.ParticipantDealerIds)));
    }

    [Fact]
    public async Task Save_DealerRewardWithParticipants_IsRefused()
    {
        var draft = ValidDraft(d => { d.OwnerLevel = RewardOwnerLevel.Dealer; d.DealerId = Org.Dealer.Id; d.ParticipantDealerIds = [Org.SecondDealer.Id]; });

        var errors = await RefusalAsync(draft);

        Assert.Contains("that dealer only", errors[nameof(RewardDraft.ParticipantDealerIds)], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_DealerReward_TakesTheDealersGroupSoTheGroupSeesIt()
    {
        var id = await SaveAsync(ValidDraft(d => { d.OwnerLevel = RewardOwnerLevel.Dealer; d.DealerId = Org.SecondDealer.Id; d.DealerGroupId = null; }));

        await using var db = ContextFor(GroupManager);
        var reward = await db.Rewards.SingleAsync(r => r.Id == id);
        Assert.Equal((Org.Group.Id, Org.SecondDealer.Id), (reward.DealerGroupId!.Value, reward.DealerId!.Value));
    }

    [Fact]
    public async Task Save_NetworkRewardWithGroupsAndDealers_ByNetworkManager()
    {
        var draft = ValidDraft(d =>
        {
            d.OwnerLevel = RewardOwnerLevel.Network;
            d.DealerGroupId = null;
            d.ParticipantGroupIds = [Org.OtherGroup.Id];
            d.ParticipantDealerIds = [Org.Dealer.Id];
        });

        var id = await SaveAsync(draft, NetworkManager);

        await using var db = _database.CreateContext();
        var reward = await db.Rewards.Include(r => r.Participants).SingleAsync(r => r.Id == id);
        Assert.Null(reward.DealerGroupId);
        Assert.Equal(2, reward.Participants.Count);
        Assert.True(RewardEligibility.TakesPartAt(reward, new RedemptionPlace(Org.OtherGroupDealer.Id, Org.OtherGroup.Id, "S1")));
        Assert.False(RewardEligibility.TakesPartAt(reward, new RedemptionPlace(Org.SecondDealer.Id, Org.Group.Id, "N2")));
    }

    [Fact]
    public async Task Save_NetworkOwnerByGroupManager_IsRefused()
    {
        var errors = await RefusalAsync(ValidDraft(d => { d.OwnerLevel = RewardOwnerLevel.Network; d.DealerGroupId = null; }));

        Assert.True(errors.ContainsKey(nameof(RewardDraft.OwnerLevel)));
    }

    [Fact]
    public async Task Save_OtherGroupAsOwnerByGroupManager_IsRefused()
    {
        var errors = await RefusalAsync(ValidDraft(d => d.DealerGroupId = Org.OtherGroup.Id));

        Assert.True(errors.ContainsKey(nameof(RewardDraft.DealerGroupId)));
    }

    public static TheoryData<string, string> InvalidDrafts => new()
    {
        { "no-name", nameof(RewardDraft.Name) },
        { "long-name", nameof(RewardDraft.Name) },
        { "no-code", nameof(RewardDraft.Code) },
        { "long-code", nameof(RewardDraft.Code) },
        { "no-category", nameof(RewardDraft.Category) },
        { "negative-points", nameof(RewardDraft.CostPoints) },
        { "negative-money", nameof(RewardDraft.CostMoney) },
        { "three-decimals", nameof(RewardDraft.CostMoney) },
        { "negative-discount", nameof(RewardDraft.DiscountAmount) },
        { "percent-over-100", nameof(RewardDraft.DiscountPercent) },
        { "no-benefit", "Benefit" },
        { "window-reversed", nameof(RewardDraft.ValidUntil) },
        { "zero-per-customer", nameof(RewardDraft.PerCustomerLimit) },
        { "zero-total", nameof(RewardDraft.TotalLimit) },
        { "negative-stock", nameof(RewardDraft.Stock) },
        { "stock-without-item", nameof(RewardDraft.Stock) },
        { "single-code-missing", nameof(RewardDraft.PromoCode) },
        { "empty-pool", nameof(RewardDraft.NewPoolCodes) },
        { "missing-scheme", nameof(RewardDraft.SchemeId) },
        { "missing-required-reward", nameof(RewardDraft.RequiresRewardId) },
    };

    [Theory]
    [MemberData(nameof(InvalidDrafts))]
    public async Task Save_InvalidField_IsRefusedWithTheFieldsMessage(string mistake, string field)
    {
        var draft = ValidDraft(d =>
        {
            switch (mistake)
            {
                case "no-name": d.Name = "  "; break;
                case "long-name": d.Name = new string('n', 121); break;
                case "no-code": d.Code = ""; break;
                case "long-code": d.Code = new string('C', 33); break;
                case "no-category": d.Category = ""; break;
                case "negative-points": d.CostPoints = -1; break;
                case "negative-money": d.CostMoney = -0.01m; break;
                case "three-decimals": d.CostMoney = 1.005m; break;
                case "negative-discount": d.DiscountAmount = -5; break;
                case "percent-over-100": d.DiscountPercent = 101; break;
                case "no-benefit": d.ItemName = null; break;
                case "window-reversed": d.ValidFrom = new DateOnly(2026, 5, 2); d.ValidUntil = new DateOnly(2026, 5, 1); break;
                case "zero-per-customer": d.PerCustomerLimit = 0; break;
                case "zero-total": d.TotalLimit = 0; break;
                case "negative-stock": d.Stock = -1; break;
                case "stock-without-item": d.ItemName = null; d.DiscountAmount = 5; d.Stock = 3; break;
                case "single-code-missing": d.PromoMode = RewardPromoMode.SingleCode; break;
                case "empty-pool": d.PromoMode = RewardPromoMode.CodePool; d.NewPoolCodes = " \n "; break;
                case "missing-scheme": d.SchemeId = 987_654; break;
                case "missing-required-reward": d.RequiresRewardId = 987_654; break;
                default: throw new ArgumentOutOfRangeException(nameof(mistake), mistake, null);
            }
        });

        var errors = await RefusalAsync(draft);

        Assert.Equal([field], errors.Keys);
        Assert.False(string.IsNullOrWhiteSpace(errors[field]));
        await using var db = _database.CreateContext();
        Assert.False(await db.Rewards.AnyAsync(r => r.Name == draft.Name && r.Code == draft.Code));
    }

    [Fact]
    public async Task Save_CodeOfAnotherReward_IsRefused()
    {
        var existing = await _world.AddRewardAsync();

        var errors = await RefusalAsync(ValidDraft(d => d.Code = existing.Code));

        Assert.Equal("Code is already used by another reward of the network.", errors[nameof(RewardDraft.Code)]);
    }

    [Fact]
    public async Task Save_EditKeepingItsOwnCode_IsAccepted()
    {
        var id = await SaveAsync(ValidDraft());
        RewardDraft draft;
        await using (var db = ContextFor(GroupManager))
        {
            draft = await RewardEditing.LoadAsync(db, GroupManager, id);
        }

        draft.CostPoints = 10;

        Assert.Equal(id, await SaveAsync(draft));
    }

    [Fact]
    public async Task Save_OtherGroupsSchemeByNetworkManager_IsRefused()
    {
        long otherScheme;
        await using (var db = _database.CreateContext())
        {
            var scheme = RewardsWorld.NewScheme(Org, "SOUTH-GOLD", "South Gold");
            scheme.DealerGroupId = Org.OtherGroup.Id;
            scheme.CardPrefix = "7002";
            db.RewardSchemes.Add(scheme);
            await db.SaveChangesAsync();
            otherScheme = scheme.Id;
        }

        var errors = await RefusalAsync(ValidDraft(d => d.SchemeId = otherScheme), NetworkManager);

        Assert.Contains("owning dealer group", errors[nameof(RewardDraft.SchemeId)], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_OtherGroupsSchemeByGroupManager_IsNotFound()
    {
        long otherScheme;
        await using (var db = _database.CreateContext())
        {
            var scheme = RewardsWorld.NewScheme(Org, "SOUTH-GOLD", "South Gold");
            scheme.DealerGroupId = Org.OtherGroup.Id;
            db.RewardSchemes.Add(scheme);
            await db.SaveChangesAsync();
            otherScheme = scheme.Id;
        }

        var errors = await RefusalAsync(ValidDraft(d => d.SchemeId = otherScheme));

        Assert.Equal("Scheme was not found.", errors[nameof(RewardDraft.SchemeId)]);
    }

    [Fact]
    public async Task Save_RequiredRewardChainedBackToItself_IsRefused()
    {
        var first = await SaveAsync(ValidDraft(d => d.Code = "FIRST"));
        var second = await SaveAsync(ValidDraft(d => { d.Code = "SECOND"; d.RequiresRewardId = first; }));
        RewardDraft draft;
        await using (var db = ContextFor(GroupManager))
        {
            draft = await RewardEditing.LoadAsync(db, GroupManager, first);
        }

        draft.RequiresRewardId = second;
        var errors = await RefusalAsync(draft);

        Assert.Contains("circle", errors[nameof(RewardDraft.RequiresRewardId)], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_TotalLimitBelowRedeemed_IsRefused()
    {
        var id = await SaveAsync(ValidDraft(d => d.CostPoints = 10));
        await _world.RedeemAsync(id);
        await _world.RedeemAsync(id);
        RewardDraft draft;
        await using (var db = ContextFor(GroupManager))
        {
            draft = await RewardEditing.LoadAsync(db, GroupManager, id);
        }

        draft.TotalLimit = 1;
        var errors = await RefusalAsync(draft);

        Assert.Contains("2 already redeemed", errors[nameof(RewardDraft.TotalLimit)], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_CodePool_AddsOnlyNewCodes()
    {
        var id = await SaveAsync(ValidDraft(d => { d.PromoMode = RewardPromoMode.CodePool; d.NewPoolCodes = "A1\nA2\nA1\n"; }));
        RewardDraft draft;
        await using (var db = ContextFor(GroupManager))
        {
            draft = await RewardEditing.LoadAsync(db, GroupManager, id);
        }

        draft.NewPoolCodes = "A2\nA3";
        await SaveAsync(draft);

        await using var check = _database.CreateContext();
        Assert.Equal(["A1", "A2", "A3"], await check.RewardPromoCodes.Where(c => c.RewardId == id).OrderBy(c => c.Code).Select(c => c.Code).ToListAsync());
        Assert.Equal(2, draft.PoolCodeCount);
    }

    [Fact]
    public async Task Choices_GroupManager_OffersOwnGroupsDealersOnly()
    {
        await using var db = ContextFor(GroupManager);

        var choices = await RewardEditing.ChoicesAsync(db, GroupManager);

        Assert.Equal([RewardOwnerLevel.Group, RewardOwnerLevel.Dealer], choices.OwnerLevels);
        Assert.Equal([Org.Group.Id], choices.Groups.Select(g => g.Id));
        var participants = choices.ParticipantDealersFor(RewardEditing.NewDraft(GroupManager)).Select(d => d.Id).Order().ToList();
        Assert.Equal(new[] { Org.Dealer.Id, Org.SecondDealer.Id }.Order(), participants);
    }
    [Fact]
    public async Task Save_DealerManagerOwningAnotherDealer_IsRefused()
    {
        var dealerManager = new RewardEditor(ScopeLevel.Dealer, Org.Network.Id, Org.Group.Id, Org.Dealer.Id);
        var draft = ValidDraft(d => { d.OwnerLevel = RewardOwnerLevel.Dealer; d.DealerId = Org.SecondDealer.Id; });

        var errors = await RefusalAsync(draft, dealerManager);

        Assert.True(errors.ContainsKey(nameof(RewardDraft.DealerId)));
    }

    [Fact]
    public async Task Save_DealerManagerGroupReward_IsRefusedByOwnerLevel()
    {
        var dealerManager = new RewardEditor(ScopeLevel.Dealer, Org.Network.Id, Org.Group.Id, Org.Dealer.Id);

        var errors = await RefusalAsync(ValidDraft(), dealerManager);

        Assert.Equal("Owner: a dealer manager cannot create a group reward.", errors[nameof(RewardDraft.OwnerLevel)]);
    }

    [Fact]
    public async Task Load_NetworkRewardByGroupManager_IsRefusedButNetworkManagerLoadsIt()
    {
        var network = await _world.AddRewardAsync(r => { r.OwnerLevel = RewardOwnerLevel.Network; r.DealerGroupId = null; });
        await using var groupDb = ContextFor(GroupManager);
        await using var networkDb = ContextFor(NetworkManager);

        var refusal = await Assert.ThrowsAsync<DomainException>(() => RewardEditing.LoadAsync(groupDb, GroupManager, network.Id));
        var draft = await RewardEditing.LoadAsync(networkDb, NetworkManager, network.Id);

        Assert.IsNotType<RecordNotFoundException>(refusal);
        Assert.Equal((RewardOwnerLevel.Network, network.Code), (draft.OwnerLevel, draft.Code));
    }
}
