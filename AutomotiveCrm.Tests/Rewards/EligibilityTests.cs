using AutomotiveCrm.Domain.Rewards;
using AutomotiveCrm.Tests.Support;

namespace AutomotiveCrm.Tests.Rewards;

public sealed class EligibilityTests : IDisposable
{
    private readonly SqliteTestDatabase database = new();

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task Reward_NoConditionsAndEnoughPoints_IsAvailable()
    {
        var world = await RewardsWorld.CreateAsync(database);
        var reward = await world.AddRewardAsync();

        var result = await world.EvaluateAsync(reward.Id);

        Assert.True(result.Available);
        Assert.Empty(result.Reasons);
    }

    [Fact]
    public async Task Reward_CostAboveBalance_SaysHowManyPointsAreMissing()
    {
        var world = await RewardsWorld.CreateAsync(database, balance: 320);
        var reward = await world.AddRewardAsync(r => r.CostPoints = 500);

        var result = await world.EvaluateAsync(reward.Id);

        Assert.False(result.Available);
        Assert.Equal("Needs 500 points; the balance is 320.", result.Reason);
    }

    [Fact]
    public async Task Reward_BeforeItsWindow_SaysWhenItStarts()
    {
        var world = await RewardsWorld.CreateAsync(database);
        var reward = await world.AddRewardAsync(r => r.ValidFrom = new DateTime(2026, 4, 1, 0, 0, 0, DateTimeKind.Utc));

        var result = await world.EvaluateAsync(reward.Id);

        Assert.Equal("Available from 1 Apr 2026.", result.Reason);
    }

    [Fact]
    public async Task Reward_AfterItsWindow_SaysItEnded()
    {
        var world = await RewardsWorld.CreateAsync(database);
        var reward = await world.AddRewardAsync(r => r.ValidUntil = new DateTime(2026, 1, 31, 0, 0, 0, DateTimeKind.Utc));

        var result = await world.EvaluateAsync(reward.Id);

        Assert.Equal("Ended on 31 Jan 2026.", result.Reason);
    }

    [Fact]
    public async Task ChainedReward_BeforeAndAfterTheFirst_BecomesAvailable()
    {
        var world = await RewardsWorld.CreateAsync(database);
        var first = await world.AddRewardAsync(r => r.Name = "First service voucher");
        var second = await world.AddRewardAsync(r => { r.Name = "Loyal second service"; r.RequiresRewardId = first.Id; });

        var before = await world.EvaluateAsync(second.Id);
        await world.RedeemAsync(first.Id);
        var after = await world.EvaluateAsync(second.Id);

        Assert.Equal("Available after redeeming \"First service voucher\".", before.Reason);
        Assert.True(after.Available);
    }

    [Fact]
    public async Task ChainedReward_FirstReversed_IsUnavailableAgain()
    {
        var world = await RewardsWorld.CreateAsync(database);
        var first = await world.AddRewardAsync();
        var second = await world.AddRewardAsync(r => r.RequiresRewardId = first.Id);
        var outcome = await world.RedeemAsync(first.Id);
        await using (var db = database.CreateContext())
        {
            await world.Redemptions.ReverseAsync(db, outcome.Redemption.Id, "Mistake", null);
        }

        var result = await world.EvaluateAsync(second.Id);

        Assert.False(result.Available);
    }

    [Fact]
    public async Task VehicleCondition_CustomerOwnsThatModel_IsAvailable()
    {
        var world = await RewardsWorld.CreateAsync(database);
        var reward = await world.AddRewardAsync(r => { r.RequiredMake = "Alder"; r.RequiredModel = "Sprint"; });
        var before = await world.EvaluateAsync(reward.Id);

        await world.GiveVehicleAsync("Sprint", new DateOnly(2025, 6, 1));
        var after = await world.EvaluateAsync(reward.Id);

        Assert.Equal("Only for customers who currently own a Alder Sprint.", before.Reason);
        Assert.True(after.Available);
    }

    [Fact]
    public async Task VehicleCondition_OtherModel_IsUnavailable()
    {
        var world = await RewardsWorld.CreateAsync(database);
        var reward = await world.AddRewardAsync(r => { r.RequiredMake = "Alder"; r.RequiredModel = "Sprint"; });
        await world.GiveVehicleAsync("Aster", new DateOnly(2025, 6, 1));

        var result = await world.EvaluateAsync(reward.Id);

        Assert.False(result.Available);
    }

    [Fact]
    public async Task SchemeCondition_OtherSchemesMembersOnly_IsUnavailable()
    {
        var world = await RewardsWorld.CreateAsync(database);
        long platinum;
        await using (var db = database.CreateContext())
        {
            var scheme = RewardsWorld.NewScheme(world.Org, "PLAT", "Platinum");
            db.RewardSchemes.Add(scheme);
            await db.SaveChangesAsync();
            platinum = scheme.Id;
        }

        var reward = await world.AddRewardAsync(r => r.SchemeId = platinum);

        var result = await world.EvaluateAsync(reward.Id);

        Assert.Equal("For members of Platinum only.", result.Reason);
    }

    [Fact]
    public async Task PerCustomerLimit_Reached_SaysAlreadyRedeemed()
    {
        var world = await RewardsWorld.CreateAsync(database);
        var reward = await world.AddRewardAsync(r => r.PerCustomerLimit = 1);
        await world.RedeemAsync(reward.Id);

        var result = await world.EvaluateAsync(reward.Id);
        var error = await Assert.ThrowsAsync<RewardUnavailableException>(() => world.RedeemAsync(reward.Id));

        Assert.Equal("Already redeemed (once per customer).", result.Reason);
        Assert.Equal(result.Reason, error.Message);
    }

    [Fact]
    public async Task TotalLimit_Reached_SaysAllRedeemed()
    {
        var world = await RewardsWorld.CreateAsync(database);
        var reward = await world.AddRewardAsync(r => r.TotalLimit = 2);
        await world.RedeemAsync(reward.Id);
        await world.RedeemAsync(reward.Id);

        var result = await world.EvaluateAsync(reward.Id);

        Assert.Equal("All 2 have been redeemed.", result.Reason);
        await Assert.ThrowsAsync<RewardUnavailableException>(() => world.RedeemAsync(reward.Id));
    }

    [Fact]
    public async Task Stock_LastItemRedeemed_IsOutOfStockAndReversalRestocks()
    {
        var world = await RewardsWorld.CreateAsync(database);
        var reward = await world.AddRewardAsync(r => { r.ItemName = "Umbrella"; r.Stock = 1; });

        var outcome = await world.RedeemAsync(reward.Id);
        var empty = await world.EvaluateAsync(reward.Id);
        await using (var db = database.CreateContext())
        {
            await world.Redemptions.ReverseAsync(db, outcome.Redemption.Id, "Returned", null);
        }

        var restocked = await world.EvaluateAsync(reward.Id);

        Assert.Equal("Out of stock (Umbrella).", empty.Reason);
        Assert.True(restocked.Available);
    }

    [Fact]
    public async Task SinglePromoCode_WrongOrMissing_IsRefusedAndRightCodeRedeems()
    {
        var world = await RewardsWorld.CreateAsync(database);
        var reward = await world.AddRewardAsync(r => { r.PromoMode = RewardPromoMode.SingleCode; r.PromoCode = "SPRING26"; });

        var missing = await Assert.ThrowsAsync<RewardUnavailableException>(() => world.RedeemAsync(reward.Id));
        var wrong = await Assert.ThrowsAsync<RewardUnavailableException>(() => world.RedeemAsync(reward.Id, promo: "SUMMER"));
        var outcome = await world.RedeemAsync(reward.Id, promo: "spring26");

        Assert.StartsWith("Promotion code:", missing.Message, StringComparison.Ordinal);
        Assert.StartsWith("Promotion code:", wrong.Message, StringComparison.Ordinal);
        Assert.Equal("SPRING26", outcome.Redemption.PromoCode);
    }

    [Fact]
    public async Task PromoPool_CodeUsedOnce_IsRefusedTheSecondTime()
    {
        var world = await RewardsWorld.CreateAsync(database);
        var reward = await world.AddRewardAsync(r => r.PromoMode = RewardPromoMode.CodePool);
        await using (var db = database.CreateContext())
        {
            db.RewardPromoCodes.AddRange(new RewardPromoCode { RewardId = reward.Id, Code = "AAA111" }, new RewardPromoCode { RewardId = reward.Id, Code = "BBB222" });
            await db.SaveChangesAsync();
        }

        await world.RedeemAsync(reward.Id, promo: "AAA111");
        var reused = await Assert.ThrowsAsync<RewardUnavailableException>(() => world.RedeemAsync(reward.Id, promo: "AAA111"));
        var other = await world.RedeemAsync(reward.Id, promo: "bbb222");

        Assert.Contains("used already", reused.Message, StringComparison.Ordinal);
        Assert.Equal("BBB222", other.Redemption.PromoCode);
        Assert.Equal(800, (await world.BalancesAsync()).StoredPoints);
    }

    [Fact]
    public async Task DealerReward_AtAnotherDealer_IsNotRedeemableThere()
    {
        var world = await RewardsWorld.CreateAsync(database);
        var reward = await world.AddRewardAsync(r => { r.OwnerLevel = RewardOwnerLevel.Dealer; r.DealerId = world.Org.Dealer.Id; });
        var elsewhere = new RedemptionPlace(world.Org.SecondDealer.Id, world.Org.Group.Id, world.Org.SecondDealer.Name);

        var here = await world.EvaluateAsync(reward.Id);
        var there = await world.EvaluateAsync(reward.Id, elsewhere);

        Assert.True(here.Available);
        Assert.Equal($"Not redeemable at {world.Org.SecondDealer.Name}.", there.Reason);
    }

    [Fact]
    public async Task NetworkReward_WithParticipatingDealer_OnlyThatDealerTakesPart()
    {
        var world = await RewardsWorld.CreateAsync(database);
        var reward = await world.AddRewardAsync(r =>
        {
            r.OwnerLevel = RewardOwnerLevel.Network;
            r.DealerGroupId = null;
            r.Participants.Add(new RewardParticipant { DealerId = world.Org.SecondDealer.Id });
        });
        var second = new RedemptionPlace(world.Org.SecondDealer.Id, world.Org.Group.Id, world.Org.SecondDealer.Name);

        Assert.False((await world.EvaluateAsync(reward.Id)).Available);
        Assert.True((await world.EvaluateAsync(reward.Id, second)).Available);
    }
}
