using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Rewards;
using AutomotiveCrm.Domain.Sales;
using AutomotiveCrm.Domain.Service;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Rewards;

public sealed class ProgrammeTests : IDisposable
{
    private readonly SqliteTestDatabase database = new();

    public void Dispose() => database.Dispose();

    [Fact]
    public void TenureYears_ContinuousVisitsAcrossBrands_CountFromTheFirst()
    {
        // Two different cars (and brands) in the years: tenure is the customer's, not the vehicle's.
        DateOnly[] visits = [new(2019, 5, 1), new(2020, 4, 20), new(2021, 5, 2), new(2022, 6, 1), new(2023, 5, 30), new(2024, 5, 15), new(2025, 5, 1)];

        Assert.Equal(6, GroupProgrammes.TenureYears(visits, 18, new DateOnly(2026, 3, 2)));
    }

    [Fact]
    public void TenureYears_GapLongerThanAllowed_RestartsTheCount()
    {
        DateOnly[] visits = [new(2015, 1, 1), new(2016, 1, 1), new(2019, 1, 1), new(2020, 1, 1), new(2021, 1, 1), new(2022, 1, 1), new(2023, 1, 1), new(2024, 1, 1), new(2025, 6, 1)];

        Assert.Equal(7, GroupProgrammes.TenureYears(visits, 18, new DateOnly(2026, 3, 2)));
        Assert.Equal(0, GroupProgrammes.TenureYears(visits, 18, new DateOnly(2027, 3, 2)));
    }

    [Fact]
    public async Task Milestones_CustomerChangedBrand_AwardedOnceAcrossBrands()
    {
        var world = await RewardsWorld.CreateAsync(database, balance: 0);
        await using (var db = database.CreateContext())
        {
            var programme = new GroupProgramme { DealerGroupId = world.Org.Group.Id, SchemeId = world.Scheme.Id };
            programme.Milestones.Add(new TenureMilestone { Years = 3, Name = "Three years with us", Points = 300 });
            programme.Milestones.Add(new TenureMilestone { Years = 10, Name = "Ten years with us", Points = 1000 });
            db.GroupProgrammes.Add(programme);
            var alder = await new VehicleBuilder().OfBrand(world.Org.Brand, "Aster").SaveAsync(db);
            var birch = await new VehicleBuilder().OfBrand(world.Org.OtherBrand, "Bolt").SaveAsync(db);
            // 2022-2023 at the Alder dealer, then a Birch serviced at the second dealer of the same group.
            foreach (var (dealer, vehicle, day) in new[]
            {
                (world.Org.Dealer.Id, alder.Id, new DateOnly(2022, 2, 1)), (world.Org.Dealer.Id, alder.Id, new DateOnly(2023, 1, 20)),
                (world.Org.SecondDealer.Id, birch.Id, new DateOnly(2024, 1, 10)), (world.Org.SecondDealer.Id, birch.Id, new DateOnly(2025, 1, 5)),
            })
            {
                db.ServiceVisits.Add(new ServiceVisit { DealerId = dealer, DealerGroupId = world.Org.Group.Id, CustomerId = world.Customer.Id, VehicleId = vehicle, VisitDate = day });
            }

            await db.SaveChangesAsync();
        }

        var programmes = new GroupProgrammes(world.Ledger, new RewardEnrolment(world.Ledger));
        var first = await programmes.AwardMilestonesAsync(() => database.CreateContext());
        var again = await programmes.AwardMilestonesAsync(() => database.CreateContext());

        Assert.Equal(1, first);
        Assert.Equal(0, again);
        var balances = await world.BalancesAsync();
        Assert.Equal(300, balances.StoredPoints);
        Assert.Equal(balances.Points, balances.StoredPoints);
    }

    [Fact]
    public async Task TierMove_ByPointsEarnedNotBalance_MovesUpAndKeepsTheAccount()
    {
        var world = await RewardsWorld.CreateAsync(database, balance: 0);
        long silver, gold;
        await using (var db = database.CreateContext())
        {
            var silverScheme = RewardsWorld.NewScheme(world.Org, "TIER-S", "Silver");
            silverScheme.TierLadder = "Newstar";
            silverScheme.TierThresholdPoints = 0;
            var goldScheme = RewardsWorld.NewScheme(world.Org, "TIER-G", "Gold tier");
            goldScheme.TierLadder = "Newstar";
            goldScheme.TierThresholdPoints = 1000;
            db.RewardSchemes.AddRange(silverScheme, goldScheme);
            await db.SaveChangesAsync();
            (silver, gold) = (silverScheme.Id, goldScheme.Id);
        }

        RewardAccount account;
        await using (var db = database.CreateContext())
        {
            account = await new RewardEnrolment(world.Ledger).EnrolAsync(db, new EnrolmentRequest(world.Customer.Id, silver, null, EnrolmentSource.Desk, "Tier terms"));
            // Earned 1200, then spent 1000: the balance (200) is low, the points earned qualify for gold.
            await world.Ledger.PostAsync(db, new LedgerMovement(account.Id, LedgerEntryKind.Earn, 1200, 0, "Purchases", null, LedgerSource.Desk));
            await world.Ledger.PostAsync(db, new LedgerMovement(account.Id, LedgerEntryKind.Redeem, -1000, 0, "Spent", null, LedgerSource.Desk));
        }

        var automation = new RewardsAutomation(world.Ledger, world.Redemptions);
        var moves = await automation.ApplyTierMovesAsync(() => database.CreateContext());
        await using var check = database.CreateContext();
        var moved = await check.RewardAccounts.SingleAsync(a => a.Id == account.Id);

        Assert.Equal(1, moves);
        Assert.Equal(gold, moved.SchemeId);
        Assert.Equal(200, moved.PointsBalance);
        Assert.Equal(account.CardNumber, moved.CardNumber);
    }

    [Fact]
    public async Task TierMove_EarnedMoreThanTwelveMonthsAgo_DoesNotCount()
    {
        var world = await RewardsWorld.CreateAsync(database, balance: 5000);
        await using (var db = database.CreateContext())
        {
            var gold = await db.RewardSchemes.SingleAsync(s => s.Id == world.Scheme.Id);
            gold.TierLadder = "Ladder";
            gold.TierThresholdPoints = 1000;
            var basic = RewardsWorld.NewScheme(world.Org, "BASIC", "Basic");
            basic.TierLadder = "Ladder";
            db.RewardSchemes.Add(basic);
            await db.SaveChangesAsync();
        }

        database.Clock.Advance(TimeSpan.FromDays(400));
        await new RewardsAutomation(world.Ledger, world.Redemptions).ApplyTierMovesAsync(() => database.CreateContext());

        await using var check = database.CreateContext();
        var account = await check.RewardAccounts.Include(a => a.Scheme).SingleAsync(a => a.Id == world.Account.Id);
        Assert.Equal("Basic", account.Scheme!.Name);
        Assert.Equal(5000, account.PointsBalance);
    }

    [Fact]
    public async Task Expiry_OldUnspentPoints_ExpireOldestFirst()
    {
        var world = await RewardsWorld.CreateAsync(database, balance: 500);
        await using (var db = database.CreateContext())
        {
            await db.RewardSchemes.Where(s => s.Id == world.Scheme.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.PointsExpireAfterMonths, 12));
            await world.Ledger.PostAsync(db, new LedgerMovement(world.Account.Id, LedgerEntryKind.Redeem, -200, 0, "Spent", null, LedgerSource.Desk));
        }

        database.Clock.Advance(TimeSpan.FromDays(200));
        await using (var db = database.CreateContext())
        {
            await world.Ledger.PostAsync(db, new LedgerMovement(world.Account.Id, LedgerEntryKind.Earn, 100, 0, "Newer points", null, LedgerSource.Desk));
        }

        database.Clock.Advance(TimeSpan.FromDays(200));
        var expired = await new RewardsAutomation(world.Ledger, world.Redemptions).ExpirePointsAsync(() => database.CreateContext());

        Assert.Equal(1, expired);
        var balances = await world.BalancesAsync();
        Assert.Equal(100, balances.StoredPoints);
        Assert.Equal(balances.Points, balances.StoredPoints);
    }

    [Fact]
    public async Task Club_AllowanceUsedUp_RefusesOverUseAndShowsRemaining()
    {
        var world = await RewardsWorld.CreateAsync(database);
        long membershipId, washId;
        await using (var db = database.CreateContext())
        {
            var plan = new ClubPlan { DealerGroupId = world.Org.Group.Id, Name = "Owners' Club", AnnualFee = 199 };
            plan.Benefits.Add(new ClubBenefit { Name = "Car wash", Allowance = 2, Period = AllowancePeriod.Week });
            plan.Benefits.Add(new ClubBenefit { Name = "Detailing", Allowance = 1, Period = AllowancePeriod.Year });
            db.ClubPlans.Add(plan);
            await db.SaveChangesAsync();
            washId = plan.Benefits[0].Id;
            var membership = await GroupProgrammes.SellMembershipAsync(db, plan.Id, world.Customer.Id, new DateOnly(2026, 3, 1));
            membershipId = membership.Id;
        }

        var programmes = new GroupProgrammes(world.Ledger, new RewardEnrolment(world.Ledger));
        await using (var db = database.CreateContext())
        {
            await programmes.RecordUseAsync(db, membershipId, washId, world.Org.Dealer.Id, null);
            await programmes.RecordUseAsync(db, membershipId, washId, world.Org.Dealer.Id, null);
        }

        await using var third = database.CreateContext();
        var error = await Assert.ThrowsAsync<DomainException>(() => programmes.RecordUseAsync(third, membershipId, washId, world.Org.Dealer.Id, null));
        var allowances = await GroupProgrammes.AllowancesAsync(third, membershipId, new DateOnly(2026, 3, 2));

        Assert.StartsWith("Car wash: all 2 of this week are used", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, allowances.Single(a => a.Benefit.Name == "Car wash").Remaining);
        Assert.Equal(1, allowances.Single(a => a.Benefit.Name == "Detailing").Remaining);
        Assert.Equal(2, await third.ClubBenefitUses.CountAsync(u => u.MembershipId == membershipId));
    }

    [Fact]
    public async Task Referral_ReferredPersonBuys_CreditsReferrerAndBuyerInTheLedger()
    {
        var world = await RewardsWorld.CreateAsync(database, balance: 0);
        await using (var db = database.CreateContext())
        {
            var programme = new GroupProgramme { DealerGroupId = world.Org.Group.Id, SchemeId = world.Scheme.Id, ReferrerCredit = 100 };
            programme.BuyerDiscounts.Add(new ReferralDiscount { Amount = 250 });
            programme.BuyerDiscounts.Add(new ReferralDiscount { Model = "Sprint", IsNew = true, Amount = 750 });
            db.GroupProgrammes.Add(programme);
            await db.SaveChangesAsync();
            await GroupProgrammes.RecordReferralAsync(db, new ReferralForm(world.Customer.Id, "Sam", "Patel", "sam@example.com", null, "New Sprint", true, world.Org.Dealer.Id));
        }

        long buyerId;
        await using (var db = database.CreateContext())
        {
            var buyer = await new CustomerBuilder().InGroup(world.Org.Group).Named("Sam", "Patel").WithEmail("sam@example.com").SaveAsync(db);
            buyerId = buyer.Id;
            var car = await new VehicleBuilder().OfBrand(world.Org.Brand, "Sprint").SaveAsync(db);
            db.VehicleSales.Add(new VehicleSale { DealerId = world.Org.Dealer.Id, DealerGroupId = world.Org.Group.Id, CustomerId = buyer.Id, VehicleId = car.Id, SaleDate = new DateOnly(2026, 3, 2), IsNew = true, Price = 30000 });
            await db.SaveChangesAsync();
        }

        var programmes = new GroupProgrammes(world.Ledger, new RewardEnrolment(world.Ledger));
        var converted = await programmes.ConvertReferralsAsync(() => database.CreateContext());
        var again = await programmes.ConvertReferralsAsync(() => database.CreateContext());

        Assert.Equal(1, converted);
        Assert.Equal(0, again);
        Assert.Equal(100m, (await world.BalancesAsync()).StoredMoney);
        await using var check = database.CreateContext();
        var buyerAccount = await check.RewardAccounts.SingleAsync(a => a.CustomerId == buyerId);
        Assert.Equal(750m, buyerAccount.MoneyBalance);
        Assert.Equal(EnrolmentSource.Referral, buyerAccount.EnrolmentSource);
        var referral = await check.Referrals.SingleAsync();
        Assert.Equal(ReferralStatus.Converted, referral.Status);
        Assert.Equal(750m, referral.BuyerDiscount);
    }

    [Fact]
    public async Task Referral_WithoutConsentOrContact_IsRefusedNamingTheField()
    {
        var world = await RewardsWorld.CreateAsync(database);
        await using var db = database.CreateContext();

        var noConsent = await Assert.ThrowsAsync<DomainException>(() => GroupProgrammes.RecordReferralAsync(db,
            new ReferralForm(world.Customer.Id, "Sam", "Patel", "sam@example.com", null, null, false, null)));
        var noContact = await Assert.ThrowsAsync<DomainException>(() => GroupProgrammes.RecordReferralAsync(db,
            new ReferralForm(world.Customer.Id, "Sam", "Patel", null, null, null, true, null)));

        Assert.StartsWith("Consent:", noConsent.Message, StringComparison.Ordinal);
        Assert.StartsWith("Contact:", noContact.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartnerReport_CountsOnly_NoPersonalData()
    {
        var world = await RewardsWorld.CreateAsync(database);
        long partnerId, offerId;
        await using (var db = database.CreateContext())
        {
            var partner = new Partner { DealerGroupId = world.Org.Group.Id, Name = "Lone Star Car Care" };
            partner.Offers.Add(new PartnerOffer { DealerGroupId = world.Org.Group.Id, Title = "15% off ceramic coating", Code = "NEWSTAR15" });
            db.Partners.Add(partner);
            await db.SaveChangesAsync();
            (partnerId, offerId) = (partner.Id, partner.Offers[0].Id);
        }

        var programmes = new GroupProgrammes(world.Ledger, new RewardEnrolment(world.Ledger));
        await using (var db = database.CreateContext())
        {
            await programmes.IssuePartnerOfferAsync(db, offerId, world.Customer.Id, world.Org.Dealer.Id);
            await programmes.IssuePartnerOfferAsync(db, offerId, world.Customer.Id, world.Org.Dealer.Id);
        }

        await using var check = database.CreateContext();
        var report = await GroupProgrammes.PartnerReportAsync(check, partnerId);

        var row = Assert.Single(report);
        Assert.Equal(new PartnerReportRow("15% off ceramic coating", "2026-03", 2), row);
        Assert.Equal(3, typeof(PartnerReportRow).GetProperties().Length);
    }

    [Fact]
    public async Task EarningRule_ServiceVisitAfterEnrolment_EarnsOnce()
    {
        var world = await RewardsWorld.CreateAsync(database, balance: 0);
        await using (var db = database.CreateContext())
        {
            db.EarningRules.Add(new EarningRule { SchemeId = world.Scheme.Id, Name = "1 point per pound of servicing", Basis = EarningBasis.ServiceVisit, PointsPerCurrencyUnit = 1 });
            var car = await new VehicleBuilder().OfBrand(world.Org.Brand).SaveAsync(db);
            await RelationshipService.StartAsync(db, world.Org.Dealer.Id, world.Customer.Id, car.Id, RelationshipType.Servicing, new DateOnly(2024, 1, 1));
            database.Clock.Advance(TimeSpan.FromMinutes(5));
            db.ServiceVisits.Add(new ServiceVisit { DealerId = world.Org.Dealer.Id, DealerGroupId = world.Org.Group.Id, CustomerId = world.Customer.Id, VehicleId = car.Id, VisitDate = new DateOnly(2026, 3, 2), TotalAmount = 245.60m });
            await db.SaveChangesAsync();
        }

        var automation = new RewardsAutomation(world.Ledger, world.Redemptions);
        var first = await automation.ApplyEarningRulesAsync(() => database.CreateContext());
        var again = await automation.ApplyEarningRulesAsync(() => database.CreateContext());

        Assert.Equal(1, first);
        Assert.Equal(0, again);
        Assert.Equal(245, (await world.BalancesAsync()).StoredPoints);
    }
}
