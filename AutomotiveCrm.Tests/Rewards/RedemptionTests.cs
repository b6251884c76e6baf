using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Rewards;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Rewards;

public sealed class RedemptionTests : IDisposable
{
    private readonly SqliteTestDatabase database = new();

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task Redeem_SameKeyTwice_RedeemsOnce()
    {
        var world = await RewardsWorld.CreateAsync(database);
        var reward = await world.AddRewardAsync();

        var first = await world.RedeemAsync(reward.Id, key: "desk-1");
        var again = await world.RedeemAsync(reward.Id, key: "desk-1");

        Assert.False(first.Repeated);
        Assert.True(again.Repeated);
        Assert.Equal(first.Redemption.Id, again.Redemption.Id);
        Assert.Equal(900, (await world.BalancesAsync()).StoredPoints);
    }

    [Fact]
    public async Task Redeem_WritesRedemptionAndLinkedLedgerRow()
    {
        var world = await RewardsWorld.CreateAsync(database);
        var reward = await world.AddRewardAsync(r => { r.CostPoints = 250; r.DiscountAmount = 20; r.ItemName = null; });

        var outcome = await world.RedeemAsync(reward.Id);

        await using var db = database.CreateContext();
        var row = await db.RewardLedger.SingleAsync(e => e.RedemptionId == outcome.Redemption.Id);
        Assert.Equal(-250, row.Points);
        Assert.Equal(LedgerEntryKind.Redeem, row.Kind);
        Assert.Equal("desk.user", row.Actor);
        Assert.Equal(world.Org.Dealer.Id, row.DealerId);
        Assert.Equal("20.00 GBP off", outcome.Redemption.BenefitText);
        Assert.Matches("^V\\d{6}-[0-9A-Z]{8}$", outcome.Redemption.VoucherNumber);
    }

    [Fact]
    public async Task Reverse_AddsLinkedRowsAndRestoresTheBalance()
    {
        var world = await RewardsWorld.CreateAsync(database);
        var reward = await world.AddRewardAsync(r => r.CostPoints = 400);
        var outcome = await world.RedeemAsync(reward.Id);

        await using var db = database.CreateContext();
        var reversed = await world.Redemptions.ReverseAsync(db, outcome.Redemption.Id, "Wrong reward chosen", world.Org.Dealer.Id);

        Assert.Equal(RedemptionStatus.Reversed, reversed.Status);
        Assert.Equal("Wrong reward chosen", reversed.ReversalReason);
        var rows = await db.RewardLedger.Where(e => e.RedemptionId == outcome.Redemption.Id).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(2, rows.Count);
        Assert.Equal(rows[0].Id, rows[1].ReversesEntryId);
        Assert.Equal(LedgerEntryKind.Reverse, rows[1].Kind);
        Assert.Equal(1000, (await world.BalancesAsync()).StoredPoints);
    }

    [Fact]
    public async Task Reverse_Twice_IsRefused()
    {
        var world = await RewardsWorld.CreateAsync(database);
        var reward = await world.AddRewardAsync();
        var outcome = await world.RedeemAsync(reward.Id);
        await using var db = database.CreateContext();
        await world.Redemptions.ReverseAsync(db, outcome.Redemption.Id, "Mistake", null);

        await using var again = database.CreateContext();
        var error = await Assert.ThrowsAsync<DomainException>(() => world.Redemptions.ReverseAsync(again, outcome.Redemption.Id, "Mistake", null));

        Assert.Contains("already reversed", error.Message, StringComparison.Ordinal);
        Assert.Equal(1000, (await world.BalancesAsync()).StoredPoints);
    }

    [Fact]
    public async Task Reverse_AfterThePolicyWindow_IsRefused()
    {
        var world = await RewardsWorld.CreateAsync(database);
        var reward = await world.AddRewardAsync();
        var outcome = await world.RedeemAsync(reward.Id);
        database.Clock.Advance(TimeSpan.FromDays(31));

        await using var db = database.CreateContext();
        var error = await Assert.ThrowsAsync<DomainException>(() => world.Redemptions.ReverseAsync(db, outcome.Redemption.Id, "Too late", null));

        Assert.Contains("older than 30 days", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reverse_CreditedPointsSpentMeanwhile_IsRefused()
    {
        var world = await RewardsWorld.CreateAsync(database, balance: 100);
        var bonus = await world.AddRewardAsync(r => { r.CostPoints = 100; r.PointsCredited = 500; r.ItemName = null; });
        var spend = await world.AddRewardAsync(r => r.CostPoints = 500);
        var outcome = await world.RedeemAsync(bonus.Id);
        await world.RedeemAsync(spend.Id);

        await using var db = database.CreateContext();
        var error = await Assert.ThrowsAsync<DomainException>(() => world.Redemptions.ReverseAsync(db, outcome.Redemption.Id, "Undo", null));

        Assert.Contains("spent since", error.Message, StringComparison.Ordinal);
        var balances = await world.BalancesAsync();
        Assert.Equal(0, balances.StoredPoints);
        Assert.Equal(balances.Points, balances.StoredPoints);
    }

    [Fact]
    public async Task Scoping_OtherGroupsUser_FindsNeitherAccountNorReward()
    {
        var world = await RewardsWorld.CreateAsync(database);
        var reward = await world.AddRewardAsync();

        await using var db = database.CreateContext();
        db.Scope = AccessScope.ForUser(ScopeLevel.Group, world.Org.Network.Id, world.Org.OtherGroup.Id, [CrmRole.Sales]);
        var place = new RedemptionPlace(world.Org.OtherGroupDealer.Id, world.Org.OtherGroup.Id, world.Org.OtherGroupDealer.Name);

        Assert.Null(await db.RewardAccounts.FirstOrDefaultAsync(a => a.Id == world.Account.Id));
        Assert.Null(await db.Rewards.FirstOrDefaultAsync(r => r.Id == reward.Id));
        Assert.Empty(await db.RewardLedger.Where(e => e.AccountId == world.Account.Id).ToListAsync());
        await Assert.ThrowsAsync<RecordNotFoundException>(() => world.Redemptions.RedeemAsync(db,
            new RedemptionRequest(world.Account.Id, reward.Id, place, "k1")));
    }

    [Fact]
    public async Task Scoping_OwnGroupsUser_SeesAccountAndReward()
    {
        var world = await RewardsWorld.CreateAsync(database);
        var reward = await world.AddRewardAsync();

        await using var db = database.CreateContext();
        db.Scope = AccessScope.ForUser(ScopeLevel.Dealer, world.Org.Network.Id, world.Org.Group.Id, [CrmRole.Service]);

        Assert.NotNull(await db.RewardAccounts.FirstOrDefaultAsync(a => a.Id == world.Account.Id));
        Assert.NotNull(await db.Rewards.FirstOrDefaultAsync(r => r.Id == reward.Id));
    }
}
