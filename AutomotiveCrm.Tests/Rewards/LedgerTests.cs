using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Rewards;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Rewards;

public sealed class LedgerTests : IDisposable
{
    private readonly SqliteTestDatabase database = new();

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task Enrol_WithIntroBonus_PostsBonusAndIssuesLuhnCard()
    {
        await using var db = database.CreateContext();
        var org = await new OrganisationBuilder().SaveAsync(db);
        var customer = await new CustomerBuilder().InGroup(org.Group).SaveAsync(db);
        var scheme = RewardsWorld.NewScheme(org, "SILVER", "Silver");
        scheme.IntroBonusPoints = 250;
        db.RewardSchemes.Add(scheme);
        await db.SaveChangesAsync();

        var account = await new RewardEnrolment(new RewardsLedger(database.Clock)).EnrolAsync(db,
            new EnrolmentRequest(customer.Id, scheme.Id, org.Dealer.Id, EnrolmentSource.Desk, "Signed terms v1", MarketingByEmail: true));

        await using var check = database.CreateContext();
        var saved = await check.RewardAccounts.SingleAsync(a => a.Id == account.Id);
        Assert.Equal(250, saved.PointsBalance);
        Assert.True(CardNumbers.IsValid(saved.CardNumber));
        Assert.StartsWith("7001", saved.CardNumber, StringComparison.Ordinal);
        Assert.Equal("Signed terms v1", saved.ConsentEvidence);
        var bonus = await check.RewardLedger.SingleAsync(e => e.AccountId == account.Id);
        Assert.Equal(LedgerEntryKind.IntroBonus, bonus.Kind);
        Assert.Single(await check.ConsentRecords.Where(c => c.CustomerId == customer.Id).ToListAsync());
    }

    [Fact]
    public async Task Enrol_SecondTimeInSameScheme_IsRefused()
    {
        var world = await RewardsWorld.CreateAsync(database);
        await using var db = database.CreateContext();

        var error = await Assert.ThrowsAsync<DomainException>(() => new RewardEnrolment(world.Ledger).EnrolAsync(db,
            new EnrolmentRequest(world.Customer.Id, world.Scheme.Id, null, EnrolmentSource.Desk, "again")));

        Assert.Contains("already a member", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enrol_WithoutConsent_IsRefusedNamingConsent()
    {
        var world = await RewardsWorld.CreateAsync(database);
        await using var db = database.CreateContext();
        var other = RewardsWorld.NewScheme(world.Org, "BRONZE", "Bronze");
        db.RewardSchemes.Add(other);
        await db.SaveChangesAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() => new RewardEnrolment(world.Ledger).EnrolAsync(db,
            new EnrolmentRequest(world.Customer.Id, other.Id, null, EnrolmentSource.Desk, "  ")));

        Assert.StartsWith("Consent:", error.Message, StringComparison.Ordinal);
        Assert.False(await db.RewardAccounts.AnyAsync(a => a.SchemeId == other.Id));
    }

    [Fact]
    public async Task LedgerRow_Updated_IsRefused()
    {
        var world = await RewardsWorld.CreateAsync(database);
        await using var db = database.CreateContext();
        var row = await db.RewardLedger.FirstAsync(e => e.AccountId == world.Account.Id);

        row.Points = 999_999;
        var error = await Assert.ThrowsAsync<DomainException>(() => db.SaveChangesAsync());

        Assert.Contains("history", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LedgerRow_Deleted_IsRefused()
    {
        var world = await RewardsWorld.CreateAsync(database);
        await using var db = database.CreateContext();
        var row = await db.RewardLedger.FirstAsync(e => e.AccountId == world.Account.Id);

        db.RewardLedger.Remove(row);

        await Assert.ThrowsAsync<DomainException>(() => db.SaveChangesAsync());
        await using var check = database.CreateContext();
        Assert.True(await check.RewardLedger.AnyAsync(e => e.Id == row.Id));
    }

    [Fact]
    public async Task LedgerRow_AddedOutsideTheLedger_IsRefused()
    {
        var world = await RewardsWorld.CreateAsync(database);
        await using var db = database.CreateContext();

        db.RewardLedger.Add(new LedgerEntry
        {
            AccountId = world.Account.Id,
            CustomerId = world.Customer.Id,
            DealerGroupId = world.Org.Group.Id,
            Kind = LedgerEntryKind.Adjust,
            Points = 5000,
            Reason = "sneaky",
            Actor = "someone",
            At = DateTime.UtcNow,
        });

        await Assert.ThrowsAsync<DomainException>(() => db.SaveChangesAsync());
        var balances = await world.BalancesAsync();
        Assert.Equal(1000, balances.StoredPoints);
    }

    [Fact]
    public async Task StoredBalance_ChangedThroughTheTracker_IsRefused()
    {
        var world = await RewardsWorld.CreateAsync(database);
        await using var db = database.CreateContext();
        var account = await db.RewardAccounts.SingleAsync(a => a.Id == world.Account.Id);

        account.PointsBalance += 10;

        await Assert.ThrowsAsync<DomainException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Post_DebitBeyondBalance_IsRefusedAndWritesNothing()
    {
        var world = await RewardsWorld.CreateAsync(database, balance: 300);
        await using var db = database.CreateContext();

        await Assert.ThrowsAsync<InsufficientBalanceException>(() => world.Ledger.PostAsync(db,
            new LedgerMovement(world.Account.Id, LedgerEntryKind.Adjust, -301, 0, "Correction", null, LedgerSource.Desk)));

        var balances = await world.BalancesAsync();
        Assert.Equal(300, balances.StoredPoints);
        Assert.Equal(balances.Points, balances.StoredPoints);
    }

    [Fact]
    public async Task Post_WithoutReason_IsRefused()
    {
        var world = await RewardsWorld.CreateAsync(database);
        await using var db = database.CreateContext();

        var error = await Assert.ThrowsAsync<DomainException>(() => world.Ledger.PostAsync(db,
            new LedgerMovement(world.Account.Id, LedgerEntryKind.Earn, 10, 0, " ", null, LedgerSource.Desk)));

        Assert.StartsWith("Reason:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_SameSourceKeyTwice_MovesTheBalanceOnce()
    {
        var world = await RewardsWorld.CreateAsync(database, balance: 0);
        await using var db = database.CreateContext();
        var movement = new LedgerMovement(world.Account.Id, LedgerEntryKind.EarnRule, 40, 0, "Service visit", null, LedgerSource.Import, "visit:1:rule:1");

        var first = await world.Ledger.PostAsync(db, movement);
        var second = await world.Ledger.PostAsync(db, movement);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(40, (await world.BalancesAsync()).StoredPoints);
    }

    [Fact]
    public async Task Balances_AfterMixedMovements_EqualTheLedgerSums()
    {
        var world = await RewardsWorld.CreateAsync(database, balance: 500);
        var reward = await world.AddRewardAsync(r => { r.CostPoints = 120; r.CostMoney = 0; r.PointsCredited = 15; });
        await using (var db = database.CreateContext())
        {
            await world.Ledger.PostAsync(db, new LedgerMovement(world.Account.Id, LedgerEntryKind.Referral, 0, 100m, "Referral credit", null, LedgerSource.System));
            await world.Ledger.PostAsync(db, new LedgerMovement(world.Account.Id, LedgerEntryKind.Adjust, -30, -12.5m, "Correction", null, LedgerSource.Desk));
        }

        var outcome = await world.RedeemAsync(reward.Id);
        await using (var db = database.CreateContext())
        {
            await world.Redemptions.ReverseAsync(db, outcome.Redemption.Id, "Customer changed their mind", world.Org.Dealer.Id);
        }

        await world.RedeemAsync(reward.Id);

        var balances = await world.BalancesAsync();
        Assert.Equal(balances.Points, balances.StoredPoints);
        Assert.Equal(balances.Money, balances.StoredMoney);
        Assert.Equal(500 - 30 - 120 + 15, balances.StoredPoints);
        Assert.Equal(87.5m, balances.StoredMoney);
    }

    [Theory]
    [InlineData("4539578763621486", true)]
    [InlineData("4539 5787 6362 1486", true)]
    [InlineData("4539578763621487", false)]
    [InlineData("4539578763261486", false)]
    [InlineData("12ab", false)]
    public void CardNumbers_Luhn_DetectsTypos(string number, bool valid) =>
        Assert.Equal(valid, CardNumbers.IsValid(number));

    [Fact]
    public void CardNumbers_Create_AlwaysPassesItsOwnCheck()
    {
        for (var i = 0; i < 200; i++)
        {
            var number = CardNumbers.Create("7001");
            Assert.Equal(CardNumbers.Length, number.Length);
            Assert.True(CardNumbers.IsValid(number), number);
        }
    }
}
