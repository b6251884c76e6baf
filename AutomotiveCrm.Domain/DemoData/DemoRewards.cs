using System.Globalization;
using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Rewards;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>
/// The rewards part of the demo (deterministic for a seed): per dealer group a Gold/Silver tier ladder with an
/// earning rule, a programme (referral credit, buyer discounts, tenure milestones), an owner's club plan and a
/// partner; a catalogue of rewards (one of them for owners of a model the first demo member does not own, so the desk
/// shows a clear reason); and members with a year of ledger history, redemptions and club memberships.
/// </summary>
public static class DemoRewards
{
    private const int MembersPerGroup = 40;
    private static readonly AuditActor Seeder = new(null, "demo seeder", AuditSource.System);

    /// <summary>Seeds the rewards demo; returns the rows written (rewards tables and their audit rows).</summary>
    public static async Task<long> SeedAsync(DatabaseSettings settings, DemoOrganisation organisation, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(organisation);
        long before;
        await using (var counter = CrmDatabase.CreateContext(settings))
        {
            before = await CountAsync(counter, cancellationToken);
        }

        await SeedGroupsAsync(settings, organisation, seed, cancellationToken);
        await using (var counter = CrmDatabase.CreateContext(settings))
        {
            return await CountAsync(counter, cancellationToken) - before;
        }
    }

    private static async Task<long> CountAsync(CrmDbContext db, CancellationToken cancellationToken)
    {
        long rows = await db.AuditEntries.IgnoreQueryFilters().LongCountAsync(cancellationToken);
        rows += await db.RewardSchemes.IgnoreQueryFilters().LongCountAsync(cancellationToken);
        rows += await db.EarningRules.IgnoreQueryFilters().LongCountAsync(cancellationToken);
        rows += await db.RewardAccounts.IgnoreQueryFilters().LongCountAsync(cancellationToken);
        rows += await db.RewardLedger.IgnoreQueryFilters().LongCountAsync(cancellationToken);
        rows += await db.Rewards.IgnoreQueryFilters().LongCountAsync(cancellationToken);
        rows += await db.RewardParticipants.IgnoreQueryFilters().LongCountAsync(cancellationToken);
        rows += await db.RewardPromoCodes.IgnoreQueryFilters().LongCountAsync(cancellationToken);
        rows += await db.RewardRedemptions.IgnoreQueryFilters().LongCountAsync(cancellationToken);
        rows += await db.GroupProgrammes.IgnoreQueryFilters().LongCountAsync(cancellationToken);
        rows += await db.ReferralDiscounts.IgnoreQueryFilters().LongCountAsync(cancellationToken);
        rows += await db.TenureMilestones.IgnoreQueryFilters().LongCountAsync(cancellationToken);
        rows += await db.Referrals.IgnoreQueryFilters().LongCountAsync(cancellationToken);
        rows += await db.ClubPlans.IgnoreQueryFilters().LongCountAsync(cancellationToken);
        rows += await db.ClubBenefits.IgnoreQueryFilters().LongCountAsync(cancellationToken);
        rows += await db.ClubMemberships.IgnoreQueryFilters().LongCountAsync(cancellationToken);
        rows += await db.ClubBenefitUses.IgnoreQueryFilters().LongCountAsync(cancellationToken);
        rows += await db.Partners.IgnoreQueryFilters().LongCountAsync(cancellationToken);
        rows += await db.PartnerOffers.IgnoreQueryFilters().LongCountAsync(cancellationToken);
        rows += await db.PartnerOfferRedemptions.IgnoreQueryFilters().LongCountAsync(cancellationToken);
        rows += await db.ConsentRecords.IgnoreQueryFilters().LongCountAsync(cancellationToken);
        return rows;
    }

    private static async Task SeedGroupsAsync(DatabaseSettings settings, DemoOrganisation organisation, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var clock = new DemoClock(DateTime.UtcNow.Date.AddDays(-365));
        var ledger = new RewardsLedger(clock);
        var enrolment = new RewardEnrolment(ledger);
        var redemptions = new RedemptionService(ledger, new RedemptionPolicy());
        CrmDbContext Context()
        {
            var db = CrmDatabase.CreateContext(settings, clock);
            db.Actor = Seeder;
            return db;
        }

        var prefixes = 0;
        foreach (var group in organisation.Groups)
        {
            var dealers = organisation.DealersOf(group.Id);
            long goldId, silverId;
            string silverPrefix;
            List<Reward> rewards;
            await using (var db = Context())
            {
                if (await db.RewardSchemes.AnyAsync(s => s.DealerGroupId == group.Id, cancellationToken))
                {
                    continue;
                }

                prefixes++;
                var prefix = string.Create(CultureInfo.InvariantCulture, $"70{prefixes:D2}");
                var silver = Scheme(organisation, group.Id, $"{group.Code}-SILVER", $"{group.Name} Silver", prefix + "1", 0, 200);
                var gold = Scheme(organisation, group.Id, $"{group.Code}-GOLD", $"{group.Name} Gold", prefix + "2", 2500, 0);
                silver.EarningRules.Add(new EarningRule { Name = "1 point per unit spent on servicing", Basis = EarningBasis.ServiceVisit, PointsPerCurrencyUnit = 1 });
                gold.EarningRules.Add(new EarningRule { Name = "2 points per unit spent on servicing", Basis = EarningBasis.ServiceVisit, PointsPerCurrencyUnit = 2 });
                db.RewardSchemes.AddRange(silver, gold);
                await db.SaveChangesAsync(cancellationToken);
                (goldId, silverId, silverPrefix) = (gold.Id, silver.Id, silver.CardPrefix);

                var programme = new GroupProgramme { DealerGroupId = group.Id, SchemeId = silver.Id, ReferrerCredit = 100 };
                programme.BuyerDiscounts.Add(new ReferralDiscount { IsNew = true, Amount = 500 });
                programme.BuyerDiscounts.Add(new ReferralDiscount { IsNew = false, Amount = 250 });
                foreach (var (years, name, points) in new[] { (3, "Three years with us", 300L), (5, "Five years with us", 750L), (10, "Ten years with us", 2000L) })
                {
                    programme.Milestones.Add(new TenureMilestone { Years = years, Name = name, Points = points });
                }

                db.GroupProgrammes.Add(programme);
                var plan = new ClubPlan { DealerGroupId = group.Id, Name = $"{group.Name} Owners' Club", AnnualFee = 149 };
                plan.Benefits.Add(new ClubBenefit { Name = "Detailing", Allowance = 1, Period = AllowancePeriod.Year });
                plan.Benefits.Add(new ClubBenefit { Name = "Car wash", Allowance = 2, Period = AllowancePeriod.Week });
                plan.Benefits.Add(new ClubBenefit { Name = "Event invitation", Period = AllowancePeriod.Year });
                plan.Benefits.Add(new ClubBenefit { Name = "10% off merchandise", Period = AllowancePeriod.Year });
                db.ClubPlans.Add(plan);
                var partner = new Partner { DealerGroupId = group.Id, Name = "Lone Star Car Care", ContactName = "Partnership desk", ContactEmail = "partners@example.com" };
                partner.Offers.Add(new PartnerOffer { DealerGroupId = group.Id, Title = "15% off ceramic coating", Code = $"{group.Code}15" });
                partner.Offers.Add(new PartnerOffer { DealerGroupId = group.Id, Title = "Free tyre check", Code = $"{group.Code}TYRE" });
                db.Partners.Add(partner);

                var wash = Reward(organisation, group.Id, $"{group.Code}-WASH", "Free car wash", "Service", 150, r => r.ItemName = "Car wash");
                var service = Reward(organisation, group.Id, $"{group.Code}-SVC20", "20 off your next service", "Service", 600, r => r.DiscountAmount = 20);
                var loyal = Reward(organisation, group.Id, $"{group.Code}-SVC40", "40 off a second service", "Service", 900, r => r.DiscountAmount = 40);
                var umbrella = Reward(organisation, group.Id, $"{group.Code}-UMB", "Branded umbrella", "Merchandise", 400, r => { r.ItemName = "Umbrella"; r.Stock = 25; });
                var model = Reward(organisation, group.Id, $"{group.Code}-CLUB", "Owners' track day", "Experiences", 300, r =>
                {
                    r.RequiredMake = organisation.Brands[^1].Name;
                    r.RequiredModel = "Roadster";
                    r.PerCustomerLimit = 1;
                });
                var spring = Reward(organisation, group.Id, $"{group.Code}-SPRING", "Spring check-up", "Service", 0, r =>
                {
                    r.PromoMode = RewardPromoMode.SingleCode;
                    r.PromoCode = "SPRING";
                    r.DiscountPercent = 15;
                    r.PerCustomerLimit = 1;
                });
                var goldOnly = Reward(organisation, group.Id, $"{group.Code}-LOUNGE", "Gold lounge access", "Experiences", 200, r => r.ItemName = "Lounge pass");
                db.Rewards.AddRange(wash, service, umbrella, model, spring, goldOnly);
                await db.SaveChangesAsync(cancellationToken);
                loyal.RequiresRewardId = service.Id;
                goldOnly.SchemeId = gold.Id;
                db.Rewards.Add(loyal);
                await db.SaveChangesAsync(cancellationToken);
                rewards = [wash, service, umbrella];
            }

            // The group's first customers by id become members, with a year of history.
            List<long> customers;
            await using (var db = Context())
            {
                customers = await db.Customers.Where(c => c.DealerGroupId == group.Id && c.MergedIntoId == null)
                    .OrderBy(c => c.Id).Select(c => c.Id).Take(MembersPerGroup).ToListAsync(cancellationToken);
            }

            clock.Set(DateTime.UtcNow.Date.AddDays(-365));
            var accounts = new List<long>();
            foreach (var customerId in customers)
            {
                clock.Advance(TimeSpan.FromMinutes(random.Next(30, 600)));
                await using var db = Context();
                var dealer = dealers[random.Next(dealers.Count)];
                // Pre-printed physical cards: numbers from the seeded random, so a reseed issues the same cards.
                var body = silverPrefix + string.Concat(Enumerable.Range(0, CardNumbers.Length - 1 - silverPrefix.Length).Select(_ => (char)('0' + random.Next(10))));
                var account = await enrolment.EnrolAsync(db, new EnrolmentRequest(customerId, silverId, dealer.Id, EnrolmentSource.Desk,
                    "Signed the scheme terms at the desk (demo)", PrintedCardNumber: body + CardNumbers.CheckDigit(body)), cancellationToken);
                accounts.Add(account.Id);
            }

            for (var month = 0; month < 11; month++)
            {
                clock.Advance(TimeSpan.FromDays(30));
                foreach (var accountId in accounts)
                {
                    if (random.Next(3) != 0)
                    {
                        continue;
                    }

                    await using var db = Context();
                    var dealer = dealers[random.Next(dealers.Count)];
                    var amount = random.Next(80, 900);
                    await ledger.PostAsync(db, new LedgerMovement(accountId, LedgerEntryKind.Earn, amount, 0,
                        string.Create(CultureInfo.InvariantCulture, $"Service visit, {amount} spent"), dealer.Id, LedgerSource.Desk), cancellationToken);
                    if (random.Next(4) == 0)
                    {
                        var reward = rewards[random.Next(rewards.Count)];
                        try
                        {
                            await redemptions.RedeemAsync(db, new RedemptionRequest(accountId, reward.Id,
                                new RedemptionPlace(dealer.Id, group.Id, dealer.Name), $"demo-{accountId}-{month}"), cancellationToken);
                        }
                        catch (Common.DomainException)
                        {
                            // Not enough points yet, or out of stock: a demo member simply did not redeem.
                        }
                    }
                }
            }

            await using (var db = Context())
            {
                var plan = await db.ClubPlans.Include(p => p.Benefits).FirstAsync(p => p.DealerGroupId == group.Id, cancellationToken);
                foreach (var customerId in customers.Take(8))
                {
                    await GroupProgrammes.SellMembershipAsync(db, plan.Id, customerId, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-random.Next(10, 200)), cancellationToken);
                }
            }

            clock.Set(DateTime.UtcNow);
            var automation = new RewardsAutomation(ledger, redemptions);
            await automation.ApplyTierMovesAsync(Context, cancellationToken);
        }
    }

    /// <summary>Deletes every rewards row (children first), for the demo's reset; bypasses the ledger's append-only rule on purpose.</summary>
    public static async Task DeleteAllAsync(CrmDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.PartnerOfferRedemptions.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.PartnerOffers.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.Partners.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.ClubBenefitUses.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.ClubMemberships.IgnoreQueryFilters().OrderByDescending(m => m.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.RenewsMembershipId, (long?)null), cancellationToken);
        await db.ClubMemberships.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.ClubBenefits.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.ClubPlans.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.Referrals.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.ReferralDiscounts.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.TenureMilestones.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.GroupProgrammes.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.RewardLedger.IgnoreQueryFilters().Where(e => e.ReversesEntryId != null).ExecuteDeleteAsync(cancellationToken);
        await db.RewardLedger.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.RewardRedemptions.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.RewardPromoCodes.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.RewardParticipants.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.Rewards.IgnoreQueryFilters().Where(r => r.RequiresRewardId != null).ExecuteDeleteAsync(cancellationToken);
        await db.Rewards.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.RewardAccounts.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.EarningRules.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
        await db.RewardSchemes.IgnoreQueryFilters().ExecuteDeleteAsync(cancellationToken);
    }

    private static RewardScheme Scheme(DemoOrganisation organisation, long groupId, string code, string name, string prefix, long threshold, long bonus) => new()
    {
        NetworkId = organisation.Network.Id,
        OwnerLevel = RewardOwnerLevel.Group,
        DealerGroupId = groupId,
        Code = code,
        Name = name,
        CardPrefix = prefix,
        CardType = CardType.Physical,
        PointValue = 0.01m,
        PointsExpireAfterMonths = 24,
        TierLadder = "Tiers",
        TierThresholdPoints = threshold,
        IntroBonusPoints = bonus,
    };

    private static Reward Reward(DemoOrganisation organisation, long groupId, string code, string name, string category, long cost, Action<Reward> configure)
    {
        var reward = new Reward
        {
            NetworkId = organisation.Network.Id,
            OwnerLevel = RewardOwnerLevel.Group,
            DealerGroupId = groupId,
            Code = code,
            Name = name,
            Category = category,
            CostPoints = cost,
        };
        configure(reward);
        return reward;
    }

    /// <summary>A clock the seeder moves forward, so the demo history spreads over the past year.</summary>
    private sealed class DemoClock(DateTime start) : TimeProvider
    {
        private DateTime now = DateTime.SpecifyKind(start, DateTimeKind.Utc);

        public override DateTimeOffset GetUtcNow() => new(now, TimeSpan.Zero);

        public void Advance(TimeSpan by) => now += by;

        public void Set(DateTime value) => now = DateTime.SpecifyKind(value, DateTimeKind.Utc);
    }
}
