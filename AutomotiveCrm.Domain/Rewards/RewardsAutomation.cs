using System.Globalization;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Rewards;

/// <summary>What one automation pass did.</summary>
public sealed record AutomationResult(int EarnedRows, int TierMoves, int ExpiredRows, int AutoRedemptions, int Milestones, int Referrals)
{
    public int Total => EarnedRows + TierMoves + ExpiredRows + AutoRedemptions + Milestones + Referrals;
}

/// <summary>
/// The rewards work nobody clicks: points from earning rules on imported sales and service visits, automatic tier
/// moves by points earned in the last 12 months, expiry of old points, and automatically issued rewards. Every step
/// is idempotent through the ledger's unique source keys and the redemptions' idempotency keys, so a pass can run
/// again (or twice at once, from two instances) without paying anything twice.
/// </summary>
public sealed class RewardsAutomation(RewardsLedger ledger, RedemptionService redemptions)
{
    /// <summary>Ledger kinds that count as points EARNED for tiers (not refunds, corrections or rewards' credits).</summary>
    public static readonly LedgerEntryKind[] EarnedKinds =
        [LedgerEntryKind.Earn, LedgerEntryKind.EarnRule, LedgerEntryKind.IntroBonus, LedgerEntryKind.Referral, LedgerEntryKind.Milestone];

    public async Task<AutomationResult> RunAsync(Func<CrmDbContext> systemContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(systemContext);
        var earned = await ApplyEarningRulesAsync(systemContext, cancellationToken);
        var moves = await ApplyTierMovesAsync(systemContext, cancellationToken);
        var expired = await ExpirePointsAsync(systemContext, cancellationToken);
        var auto = await IssueAutomaticRewardsAsync(systemContext, cancellationToken);
        return new AutomationResult(earned, moves, expired, auto, 0, 0);
    }

    /// <summary>Points for sales and service visits of members at the rule's dealers, since they enrolled; once per (account, record, rule).</summary>
    public async Task<int> ApplyEarningRulesAsync(Func<CrmDbContext> systemContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(systemContext);
        var posted = 0;
        List<EarningRule> rules;
        await using (var db = systemContext())
        {
            rules = await db.EarningRules.AsNoTracking().Include(r => r.Scheme).Where(r => r.IsActive && r.Scheme!.IsActive).ToListAsync(cancellationToken);
        }

        foreach (var rule in rules)
        {
            List<(long AccountId, string Key, decimal Amount, long DealerId, string What)> due;
            await using (var db = systemContext())
            {
                var accounts = db.RewardAccounts.AsNoTracking().Where(a => a.SchemeId == rule.SchemeId && a.Status == RewardAccountStatus.Active);
                var prefix = rule.Basis == EarningBasis.VehicleSale ? "sale:" : "visit:";
                var keys = db.RewardLedger.AsNoTracking().Where(e => e.Kind == LedgerEntryKind.EarnRule && e.SourceKey != null && e.SourceKey.StartsWith(prefix));
                if (rule.Basis == EarningBasis.VehicleSale)
                {
                    var rows = await (from a in accounts
                                      join s in db.VehicleSales.AsNoTracking() on a.CustomerId equals s.CustomerId
                                      where s.Price != null && s.Price > 0 && s.CreatedAt >= a.EnrolledAt
                                          && (rule.DealerId == null ? (rule.Scheme!.DealerGroupId == null || s.DealerGroupId == rule.Scheme.DealerGroupId) : s.DealerId == rule.DealerId)
                                          && (rule.Scheme!.OwnerLevel != RewardOwnerLevel.Dealer || s.DealerId == rule.Scheme.DealerId)
                                      select new { AccountId = a.Id, s.Id, Amount = s.Price!.Value, s.DealerId, s.SaleDate }).ToListAsync(cancellationToken);
                    due = rows.Select(r => (r.AccountId, $"sale:{r.Id}:rule:{rule.Id}", r.Amount, r.DealerId, $"vehicle purchase on {r.SaleDate:yyyy-MM-dd}")).ToList();
                }
                else
                {
                    var rows = await (from a in accounts
                                      join v in db.ServiceVisits.AsNoTracking() on a.CustomerId equals v.CustomerId
                                      where v.TotalAmount != null && v.TotalAmount > 0 && v.CreatedAt >= a.EnrolledAt
                                          && (rule.DealerId == null ? (rule.Scheme!.DealerGroupId == null || v.DealerGroupId == rule.Scheme.DealerGroupId) : v.DealerId == rule.DealerId)
                                          && (rule.Scheme!.OwnerLevel != RewardOwnerLevel.Dealer || v.DealerId == rule.Scheme.DealerId)
                                      select new { AccountId = a.Id, v.Id, Amount = v.TotalAmount!.Value, v.DealerId, v.VisitDate }).ToListAsync(cancellationToken);
                    due = rows.Select(r => (r.AccountId, $"visit:{r.Id}:rule:{rule.Id}", r.Amount, r.DealerId, $"service visit on {r.VisitDate:yyyy-MM-dd}")).ToList();
                }

                var done = (await keys.Select(e => new { e.AccountId, e.SourceKey }).ToListAsync(cancellationToken))
                    .Select(k => (k.AccountId, k.SourceKey!)).ToHashSet();
                due = due.Where(d => !done.Contains((d.AccountId, d.Key))).ToList();
            }

            foreach (var (accountId, key, amount, dealerId, what) in due)
            {
                var points = (long)Math.Floor(amount * rule.PointsPerCurrencyUnit);
                if (points <= 0)
                {
                    continue;
                }

                await using var db = systemContext();
                await ledger.PostAsync(db, new LedgerMovement(accountId, LedgerEntryKind.EarnRule, points, 0,
                    $"{rule.Name}: {what}", dealerId, LedgerSource.Import, key), cancellationToken);
                posted++;
            }
        }

        return posted;
    }

    /// <summary>Points EARNED by the account in the twelve months up to now (spending does not reduce it).</summary>
    public static async Task<long> EarnedLastYearAsync(CrmDbContext db, long accountId, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var since = now.AddMonths(-12);
        var rows = await db.RewardLedger.AsNoTracking()
            .Where(e => e.AccountId == accountId && e.At >= since && e.Points > 0 && EarnedKinds.Contains(e.Kind))
            .Select(e => e.Points).ToListAsync(cancellationToken);
        return rows.Sum();
    }

    /// <summary>
    /// Moves each account of a tier ladder to the highest tier whose threshold its earned points reach (up or down).
    /// The move keeps the account, its card and its ledger; the change is audited like any change of the account.
    /// </summary>
    public async Task<int> ApplyTierMovesAsync(Func<CrmDbContext> systemContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(systemContext);
        var now = ledger.Clock.GetUtcNow().UtcDateTime;
        var moves = 0;
        await using var db = systemContext();
        var ladders = (await db.RewardSchemes.AsNoTracking().Where(s => s.TierLadder != null && s.IsActive).ToListAsync(cancellationToken))
            .GroupBy(s => (s.NetworkId, s.DealerGroupId, s.DealerId, s.TierLadder))
            .Where(g => g.Count() > 1)
            .ToList();
        foreach (var ladder in ladders)
        {
            var tiers = ladder.OrderByDescending(s => s.TierThresholdPoints).ToList();
            var schemeIds = tiers.Select(t => t.Id).ToList();
            var accounts = await db.RewardAccounts.Where(a => schemeIds.Contains(a.SchemeId) && a.Status == RewardAccountStatus.Active).ToListAsync(cancellationToken);
            foreach (var account in accounts)
            {
                var earned = await EarnedLastYearAsync(db, account.Id, now, cancellationToken);
                var target = tiers.First(t => t.TierThresholdPoints <= earned || t == tiers[^1]);
                if (target.Id == account.SchemeId
                    || await db.RewardAccounts.AnyAsync(a => a.CustomerId == account.CustomerId && a.SchemeId == target.Id, cancellationToken))
                {
                    continue;
                }

                account.SchemeId = target.Id;
                moves++;
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return moves;
    }

    /// <summary>
    /// Expires points older than the scheme's policy, oldest first: of the points credited before the cut-off, what
    /// later debits (spending, earlier expiries, corrections) have not used up expires now. Once per account and day.
    /// </summary>
    public async Task<int> ExpirePointsAsync(Func<CrmDbContext> systemContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(systemContext);
        var now = ledger.Clock.GetUtcNow().UtcDateTime;
        var expired = 0;
        List<(long AccountId, int Months)> accounts;
        await using (var db = systemContext())
        {
            accounts = (await db.RewardAccounts.AsNoTracking()
                .Where(a => a.Status == RewardAccountStatus.Active && a.PointsBalance > 0 && a.Scheme!.PointsExpireAfterMonths != null)
                .Select(a => new { a.Id, Months = a.Scheme!.PointsExpireAfterMonths!.Value }).ToListAsync(cancellationToken))
                .Select(a => (a.Id, a.Months)).ToList();
        }

        foreach (var (accountId, months) in accounts)
        {
            await using var db = systemContext();
            var due = await ExpiringPointsAsync(db, accountId, now.AddMonths(-months), cancellationToken);
            if (due <= 0)
            {
                continue;
            }

            try
            {
                await ledger.PostAsync(db, new LedgerMovement(accountId, LedgerEntryKind.Expire, -due, 0,
                    $"Points older than {months} months expired", null, LedgerSource.System,
                    "expire:" + now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), cancellationToken);
                expired++;
            }
            catch (InsufficientBalanceException)
            {
                // Spent between the look-up and the posting: the next pass recomputes.
            }
        }

        return expired;
    }

    /// <summary>Credits before the cut-off not yet consumed by the account's debits (first in, first out).</summary>
    public static async Task<long> ExpiringPointsAsync(CrmDbContext db, long accountId, DateTime cutOff, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.RewardLedger.AsNoTracking().Where(e => e.AccountId == accountId)
            .Select(e => new { e.Points, e.At }).ToListAsync(cancellationToken);
        var oldCredits = rows.Where(r => r.Points > 0 && r.At < cutOff).Sum(r => r.Points);
        var debits = -rows.Where(r => r.Points < 0).Sum(r => r.Points);
        var balance = rows.Sum(r => r.Points);
        return Math.Min(balance, Math.Max(0, oldCredits - debits));
    }

    /// <summary>Issues automatic rewards to every member they have become available to (e.g. milestone gifts).</summary>
    public async Task<int> IssueAutomaticRewardsAsync(Func<CrmDbContext> systemContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(systemContext);
        var issued = 0;
        var now = ledger.Clock.GetUtcNow().UtcDateTime;
        List<Reward> rewards;
        List<RewardAccount> accounts;
        await using (var db = systemContext())
        {
            rewards = await db.Rewards.AsNoTracking().Include(r => r.Participants).Include(r => r.Scheme).Include(r => r.RequiresReward)
                .Where(r => r.AutoRedeem && r.IsActive).ToListAsync(cancellationToken);
            if (rewards.Count == 0)
            {
                return 0;
            }

            accounts = await db.RewardAccounts.AsNoTracking().Include(a => a.Scheme).Where(a => a.Status == RewardAccountStatus.Active).ToListAsync(cancellationToken);
        }

        foreach (var account in accounts)
        {
            await using var db = systemContext();
            var facts = await RewardEligibility.LoadFactsAsync(db, account.CustomerId, cancellationToken);
            var dealer = await db.Dealers.AsNoTracking().Where(d => d.DealerGroupId == account.DealerGroupId).OrderBy(d => d.Id)
                .Select(d => new RedemptionPlace(d.Id, d.DealerGroupId, d.Name)).FirstOrDefaultAsync(cancellationToken);
            if (dealer is null)
            {
                continue;
            }

            foreach (var reward in rewards)
            {
                var place = reward.DealerId is { } owner ? dealer with { DealerId = owner } : dealer;
                if (!RewardEligibility.Evaluate(reward, facts, account, place, now).Available)
                {
                    continue;
                }

                var key = FormattableString.Invariant($"auto:{reward.Id}:{account.Id}:{facts.Redeemed.GetValueOrDefault(reward.Id)}");
                try
                {
                    var outcome = await redemptions.RedeemAsync(db, new RedemptionRequest(account.Id, reward.Id, place, key, null, LedgerSource.System), cancellationToken);
                    issued += outcome.Repeated ? 0 : 1;
                }
                catch (DomainException)
                {
                    // Lost a race for the last item, or the balance moved: the next pass looks again.
                }

                db.ChangeTracker.Clear();
            }
        }

        return issued;
    }
}
