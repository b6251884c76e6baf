using System.Security.Cryptography;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Rewards;

/// <summary>
/// A redemption request. <see cref="IdempotencyKey"/> identifies the request (the desk makes one per confirmation
/// dialog; a retry or a double click sends the same key) and makes it count once.
/// </summary>
public sealed record RedemptionRequest(
    long AccountId,
    long RewardId,
    RedemptionPlace Place,
    string IdempotencyKey,
    string? PromoCode = null,
    LedgerSource Source = LedgerSource.Desk);

/// <summary>The redemption made, or found again: <see cref="Repeated"/> when the key had already been redeemed.</summary>
public sealed record RedemptionOutcome(Redemption Redemption, bool Repeated);

/// <summary>The reward cannot be had now; the message says why, for the customer.</summary>
public sealed class RewardUnavailableException(string message) : DomainException(message);

/// <summary>How long after a redemption the desk may still reverse it.</summary>
public sealed class RedemptionPolicy
{
    public int ReversalWindowDays { get; set; } = 30;
}

/// <summary>
/// Redeems and reverses rewards, exactly once. The eligibility rules are checked on the loaded facts first (fast, and
/// with the customer-facing reason); then one short write transaction repeats every check another request could race:
/// it debits the balance with a conditional UPDATE (which also queues concurrent requests of the account behind each
/// other: SQLite's BEGIN IMMEDIATE, PostgreSQL's row lock), looks for the idempotency key again, counts the customer's
/// redemptions, takes one from the reward's total and stock with another conditional UPDATE, claims a pool code, and
/// writes the redemption and its ledger rows. Any refusal rolls everything back.
/// </summary>
public sealed class RedemptionService(RewardsLedger ledger, RedemptionPolicy policy)
{
    public async Task<RedemptionOutcome> RedeemAsync(CrmDbContext db, RedemptionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(request);
        var key = Text.Clean(request.IdempotencyKey);
        if (key is null || key.Length > 100)
        {
            throw new DomainException("Request key: each redemption request carries a key of 1 to 100 characters.");
        }

        if (await FindByKeyAsync(db, key, request, cancellationToken) is { } done)
        {
            return new RedemptionOutcome(done, Repeated: true);
        }

        var account = await db.RewardAccounts.AsNoTracking().Include(a => a.Scheme).FirstOrDefaultAsync(a => a.Id == request.AccountId, cancellationToken)
            ?? throw RecordNotFoundException.For<RewardAccount>(request.AccountId);
        var reward = await db.Rewards.AsNoTracking().Include(r => r.Participants).Include(r => r.Scheme).Include(r => r.RequiresReward)
            .FirstOrDefaultAsync(r => r.Id == request.RewardId, cancellationToken)
            ?? throw RecordNotFoundException.For<Reward>(request.RewardId);
        var facts = await RewardEligibility.LoadFactsAsync(db, account.CustomerId, cancellationToken);
        var now = ledger.Clock.GetUtcNow().UtcDateTime;
        var availability = RewardEligibility.Evaluate(reward, facts, account, request.Place, now);
        if (!availability.Available)
        {
            throw new RewardUnavailableException(availability.Reason!);
        }

        var promo = CheckPromoCode(reward, request.PromoCode);
        var currency = await db.Networks.Where(n => n.Id == reward.NetworkId).Select(n => n.Currency).FirstOrDefaultAsync(cancellationToken) ?? "";

        using var gate = await SqliteWriteGate.EnterAsync(db, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var redemption = new Redemption
            {
                RewardId = reward.Id,
                AccountId = account.Id,
                CustomerId = account.CustomerId,
                DealerGroupId = account.DealerGroupId,
                DealerId = request.Place.DealerId,
                IdempotencyKey = key,
                VoucherNumber = NewVoucherNumber(now),
                PointsSpent = reward.CostPoints,
                MoneySpent = reward.CostMoney,
                PointsCredited = reward.PointsCredited,
                PromoCode = promo,
                BenefitText = reward.BenefitText(currency),
                Status = RedemptionStatus.Redeemed,
                RedeemedAt = now,
                RedeemedBy = db.Actor.UserName,
            };

            // First statement: the debit (or, for a free reward, a touch) of the account row. From here on the
            // account's other requests wait for this transaction.
            if (reward.CostPoints > 0 || reward.CostMoney > 0)
            {
                var debit = await ledger.AppendAsync(db, new LedgerMovement(account.Id, LedgerEntryKind.Redeem, -reward.CostPoints, -reward.CostMoney,
                    $"Redeemed \"{reward.Name}\"", request.Place.DealerId, request.Source, "redeem:" + key), cancellationToken);
                debit.Redemption = redemption;
            }
            else
            {
                await db.RewardAccounts.IgnoreQueryFilters().Where(a => a.Id == account.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.UpdatedAt, now), cancellationToken);
            }

            if (await db.RewardRedemptions.IgnoreQueryFilters().AsNoTracking().AnyAsync(r => r.IdempotencyKey == key, cancellationToken))
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return new RedemptionOutcome((await FindByKeyAsync(db, key, request, cancellationToken))!, Repeated: true);
            }

            await RecheckCustomerLimitsAsync(db, reward, account.CustomerId, cancellationToken);
            var taken = await db.Rewards.IgnoreQueryFilters()
                .Where(r => r.Id == reward.Id && r.IsActive
                    && (r.TotalLimit == null || r.RedeemedCount < r.TotalLimit)
                    && (r.Stock == null || r.Stock > 0))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.RedeemedCount, r => r.RedeemedCount + 1)
                    .SetProperty(r => r.Stock, r => r.Stock - 1), cancellationToken);
            if (taken == 0)
            {
                throw new RewardUnavailableException(reward.Stock is not null ? $"Out of stock ({reward.ItemName})." : "All of this reward have been redeemed.");
            }

            if (reward.PromoMode == RewardPromoMode.CodePool)
            {
                var claimed = await db.RewardPromoCodes.IgnoreQueryFilters()
                    .Where(c => c.RewardId == reward.Id && c.Code == promo && c.UsedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), cancellationToken);
                if (claimed == 0)
                {
                    throw new RewardUnavailableException("Promotion code: this code is not valid for the reward or has been used already.");
                }
            }

            db.RewardRedemptions.Add(redemption);
            if (reward.PointsCredited > 0)
            {
                var credit = await ledger.AppendAsync(db, new LedgerMovement(account.Id, LedgerEntryKind.Benefit, reward.PointsCredited, 0,
                    $"Points from \"{reward.Name}\"", request.Place.DealerId, request.Source, "benefit:" + key), cancellationToken);
                credit.Redemption = redemption;
            }

            await db.SaveChangesAsync(cancellationToken);
            if (reward.PromoMode == RewardPromoMode.CodePool)
            {
                await db.RewardPromoCodes.IgnoreQueryFilters().Where(c => c.RewardId == reward.Id && c.Code == promo)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedByRedemptionId, redemption.Id), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return new RedemptionOutcome(redemption, Repeated: false);
        }
        catch (DbUpdateException)
        {
            // The same key committed by another request between our look-up and our insert: theirs stands.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            if (await FindByKeyAsync(db, key, request, cancellationToken) is { } other)
            {
                return new RedemptionOutcome(other, Repeated: true);
            }

            throw;
        }
    }

    /// <summary>
    /// Reverses a redemption within the policy's window: gives back what was spent, takes back points the reward
    /// credited (refused if they were spent meanwhile), returns the item to stock and the code to the pool. The
    /// original ledger rows stay; the reversal rows point at them.
    /// </summary>
    public async Task<Redemption> ReverseAsync(CrmDbContext db, long redemptionId, string reason, long? dealerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var why = Text.Clean(reason) ?? throw new DomainException("Reason: say why the redemption is reversed.");
        var now = ledger.Clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var redemption = await db.RewardRedemptions.Include(r => r.Reward).FirstOrDefaultAsync(r => r.Id == redemptionId, cancellationToken)
            ?? throw RecordNotFoundException.For<Redemption>(redemptionId);
        if (redemption.Status == RedemptionStatus.Reversed)
        {
            throw new DomainException($"Voucher {redemption.VoucherNumber} was already reversed on {redemption.ReversedAt:d MMM yyyy}.");
        }

        if (now - redemption.RedeemedAt > TimeSpan.FromDays(policy.ReversalWindowDays))
        {
            throw new DomainException($"Voucher {redemption.VoucherNumber} is older than {policy.ReversalWindowDays} days: it can no longer be reversed at the desk.");
        }

        // Mark first (a conditional update): two reversals of one voucher cannot both pass.
        var marked = await db.RewardRedemptions.IgnoreQueryFilters()
            .Where(r => r.Id == redemptionId && r.Status == RedemptionStatus.Redeemed)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RedemptionStatus.Reversed)
                .SetProperty(r => r.ReversedAt, now)
                .SetProperty(r => r.ReversedBy, db.Actor.UserName)
                .SetProperty(r => r.ReversalReason, why), cancellationToken);
        if (marked == 0)
        {
            throw new DomainException($"Voucher {redemption.VoucherNumber} was already reversed.");
        }

        var originals = await db.RewardLedger.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.RedemptionId == redemptionId && e.ReversesEntryId == null && e.Kind != LedgerEntryKind.Reverse)
            .ToListAsync(cancellationToken);
        // Take back credited points before refunding, so the refund cannot pay for them.
        foreach (var original in originals.OrderByDescending(e => e.Points))
        {
            try
            {
                var back = await ledger.AppendAsync(db, new LedgerMovement(original.AccountId, LedgerEntryKind.Reverse, -original.Points, -original.Money,
                    $"Reversal of voucher {redemption.VoucherNumber}: {why}", dealerId, LedgerSource.Desk, $"reverse:{original.Id}", original.Id, redemptionId), cancellationToken);
            }
            catch (InsufficientBalanceException)
            {
                throw new DomainException($"The {original.Points} points this reward credited have been spent since: the redemption cannot be reversed.");
            }
        }

        await db.Rewards.IgnoreQueryFilters().Where(r => r.Id == redemption.RewardId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.RedeemedCount, r => r.RedeemedCount - 1)
                .SetProperty(r => r.Stock, r => r.Stock + 1), cancellationToken);
        if (redemption.PromoCode is not null && redemption.Reward!.PromoMode == RewardPromoMode.CodePool)
        {
            await db.RewardPromoCodes.IgnoreQueryFilters().Where(c => c.RewardId == redemption.RewardId && c.UsedByRedemptionId == redemptionId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, (DateTime?)null).SetProperty(c => c.UsedByRedemptionId, (long?)null), cancellationToken);
        }

        db.Entry(redemption).State = EntityState.Detached;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await db.RewardRedemptions.AsNoTracking().Include(r => r.Reward).FirstAsync(r => r.Id == redemptionId, cancellationToken);
    }

    private static async Task RecheckCustomerLimitsAsync(CrmDbContext db, Reward reward, long customerId, CancellationToken cancellationToken)
    {
        if (reward.PerCustomerLimit is { } limit)
        {
            var mine = await db.RewardRedemptions.IgnoreQueryFilters()
                .CountAsync(r => r.CustomerId == customerId && r.RewardId == reward.Id && r.Status == RedemptionStatus.Redeemed, cancellationToken);
            if (mine >= limit)
            {
                throw new RewardUnavailableException(limit == 1 ? "Already redeemed (once per customer)." : $"Already redeemed {mine} of {limit} times allowed.");
            }
        }

        if (reward.RequiresRewardId is { } required
            && !await db.RewardRedemptions.IgnoreQueryFilters().AnyAsync(r => r.CustomerId == customerId && r.RewardId == required && r.Status == RedemptionStatus.Redeemed, cancellationToken))
        {
            throw new RewardUnavailableException($"Available after redeeming \"{reward.RequiresReward?.Name ?? "an earlier reward"}\".");
        }
    }

    private static string? CheckPromoCode(Reward reward, string? entered)
    {
        var code = Text.Clean(entered)?.ToUpperInvariant();
        switch (reward.PromoMode)
        {
            case RewardPromoMode.None:
                return null;
            case RewardPromoMode.SingleCode:
                return code is not null && string.Equals(code, reward.PromoCode?.Trim(), StringComparison.OrdinalIgnoreCase)
                    ? code
                    : throw new RewardUnavailableException(code is null ? "Promotion code: this reward needs the customer's promotion code." : "Promotion code: not valid for this reward.");
            default:
                return code ?? throw new RewardUnavailableException("Promotion code: this reward needs the customer's promotion code.");
        }
    }

    private static async Task<Redemption?> FindByKeyAsync(CrmDbContext db, string key, RedemptionRequest request, CancellationToken cancellationToken)
    {
        var found = await db.RewardRedemptions.IgnoreQueryFilters().AsNoTracking().Include(r => r.Reward)
            .FirstOrDefaultAsync(r => r.IdempotencyKey == key, cancellationToken);
        if (found is not null && (found.AccountId != request.AccountId || found.RewardId != request.RewardId))
        {
            throw new DomainException("Request key: this key belongs to another redemption; start a new request.");
        }

        return found;
    }

    private const string VoucherAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private static string NewVoucherNumber(DateTime now)
    {
        Span<char> random = stackalloc char[8];
        for (var i = 0; i < random.Length; i++)
        {
            random[i] = VoucherAlphabet[RandomNumberGenerator.GetInt32(VoucherAlphabet.Length)];
        }

        return $"V{now:yyMMdd}-{random}";
    }
}
