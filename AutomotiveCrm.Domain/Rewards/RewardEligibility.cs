using System.Globalization;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Rewards;

/// <summary>A vehicle the customer currently has (a current selling or servicing relationship).</summary>
public sealed record OwnedVehicle(string? Make, string? Model);

/// <summary>What the eligibility rules need to know about one customer, loaded once per desk look-up.</summary>
public sealed record CustomerRewardFacts(
    long CustomerId,
    long DealerGroupId,
    IReadOnlyList<RewardAccount> Accounts,
    IReadOnlyDictionary<long, int> Redeemed,
    IReadOnlyList<OwnedVehicle> Vehicles);

/// <summary>Where a redemption happens: the dealer and its group.</summary>
public sealed record RedemptionPlace(long DealerId, long DealerGroupId, string DealerName);

/// <summary>
/// A reward as one account sees it: available, available once a promotion code is entered, or not available with
/// the reasons (the first is the one to tell the customer).
/// </summary>
public sealed record RewardAvailability(Reward Reward, bool Available, bool NeedsPromoCode, IReadOnlyList<string> Reasons)
{
    public string? Reason => Reasons.Count == 0 ? null : Reasons[0];
}

/// <summary>
/// Decides whether a customer may have a reward now: every condition must hold (balance, validity window, chained
/// reward, current vehicle make / model, promotion code, scheme membership, limits per customer and in total, stock,
/// participation of the dealer). Pure over loaded facts, so the desk evaluates a whole catalogue without queries per
/// reward; the redemption repeats the race-prone checks (balance, limits, stock, codes) inside its transaction.
/// </summary>
public static class RewardEligibility
{
    public static async Task<CustomerRewardFacts> LoadFactsAsync(CrmDbContext db, long customerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var customer = await db.Customers.AsNoTracking().Where(c => c.Id == customerId)
            .Select(c => new { c.Id, c.DealerGroupId }).FirstOrDefaultAsync(cancellationToken)
            ?? throw RecordNotFoundException.For<Customers.Customer>(customerId);
        var accounts = await db.RewardAccounts.AsNoTracking().Include(a => a.Scheme)
            .Where(a => a.CustomerId == customerId).OrderBy(a => a.Scheme!.Name).ToListAsync(cancellationToken);
        var redeemed = await db.RewardRedemptions.AsNoTracking()
            .Where(r => r.CustomerId == customerId && r.Status == RedemptionStatus.Redeemed)
            .GroupBy(r => r.RewardId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var vehicles = await db.Relationships.AsNoTracking()
            .Where(r => r.CustomerId == customerId && r.EndDate == null
                && (r.Type == RelationshipType.Selling || r.Type == RelationshipType.Servicing))
            .Select(r => new OwnedVehicle(r.Vehicle!.Brand != null ? r.Vehicle.Brand.Name : r.Vehicle.Make, r.Vehicle.Model))
            .ToListAsync(cancellationToken);
        return new CustomerRewardFacts(customer.Id, customer.DealerGroupId, accounts, redeemed, vehicles.Distinct().ToList());
    }

    /// <summary>The rewards visible to the context's user that may be listed at <paramref name="place"/> (active, not auto-issued).</summary>
    public static async Task<List<Reward>> CatalogueAsync(CrmDbContext db, bool includeAutomatic = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Rewards.AsNoTracking().Include(r => r.Participants).Include(r => r.Scheme).Include(r => r.RequiresReward)
            .Where(r => r.IsActive && (includeAutomatic || !r.AutoRedeem))
            .OrderBy(r => r.Category).ThenBy(r => r.Name)
            .ToListAsync(cancellationToken);
    }

    public static IReadOnlyList<RewardAvailability> EvaluateAll(IEnumerable<Reward> rewards, CustomerRewardFacts facts, RewardAccount? account,
        RedemptionPlace place, DateTime now) =>
        rewards.Select(r => Evaluate(r, facts, account, place, now)).ToList();

    /// <summary>
    /// Evaluates one reward for the customer's account (null: not a member of any scheme yet). Reasons are written for
    /// the customer at the desk.
    /// </summary>
    public static RewardAvailability Evaluate(Reward reward, CustomerRewardFacts facts, RewardAccount? account, RedemptionPlace place, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(reward);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(place);
        var reasons = new List<string>();
        if (!reward.IsActive)
        {
            reasons.Add("This reward has been withdrawn.");
        }

        if (!TakesPartAt(reward, place))
        {
            reasons.Add($"Not redeemable at {place.DealerName}.");
        }

        if (account is null)
        {
            reasons.Add("The customer is not a member of a rewards scheme yet.");
        }
        else if (reward.SchemeId is { } schemeId && schemeId != account.SchemeId)
        {
            var member = facts.Accounts.Any(a => a.SchemeId == schemeId);
            reasons.Add(member
                ? $"Redeemable from the {reward.Scheme?.Name ?? "other"} membership, not this one."
                : $"For members of {reward.Scheme?.Name ?? "another scheme"} only.");
        }
        else if (account.Status != RewardAccountStatus.Active)
        {
            reasons.Add("The membership is closed.");
        }

        if (reward.ValidFrom is { } from && now < from)
        {
            reasons.Add($"Available from {from.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}.");
        }

        if (reward.ValidUntil is { } until && now > until)
        {
            reasons.Add($"Ended on {until.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}.");
        }

        if (reward.RequiresRewardId is { } required && facts.Redeemed.GetValueOrDefault(required) == 0)
        {
            reasons.Add($"Available after redeeming \"{reward.RequiresReward?.Name ?? "an earlier reward"}\".");
        }

        if (reward.RequiredMake is not null || reward.RequiredModel is not null)
        {
            var matches = facts.Vehicles.Any(v => Same(v.Make, reward.RequiredMake) && Same(v.Model, reward.RequiredModel));
            if (!matches)
            {
                var wanted = string.Join(' ', new[] { reward.RequiredMake, reward.RequiredModel }.Where(p => p is not null));
                reasons.Add($"Only for customers who currently own a {wanted}.");
            }
        }

        var mine = facts.Redeemed.GetValueOrDefault(reward.Id);
        if (reward.PerCustomerLimit is { } perCustomer && mine >= perCustomer)
        {
            reasons.Add(perCustomer == 1 ? "Already redeemed (once per customer)." : $"Already redeemed {mine} of {perCustomer} times allowed.");
        }

        if (reward.TotalLimit is { } total && reward.RedeemedCount >= total)
        {
            reasons.Add($"All {total} have been redeemed.");
        }

        if (reward.Stock is <= 0)
        {
            reasons.Add($"Out of stock ({reward.ItemName}).");
        }

        if (account is not null && (account.PointsBalance < reward.CostPoints || account.MoneyBalance < reward.CostMoney))
        {
            reasons.Add(reward.CostMoney > 0 && account.MoneyBalance < reward.CostMoney
                ? FormattableString.Invariant($"Needs {reward.CostMoney:0.00} in credit; the balance is {account.MoneyBalance:0.00}.")
                : $"Needs {reward.CostPoints:N0} points; the balance is {account.PointsBalance:N0}.");
        }

        return new RewardAvailability(reward, reasons.Count == 0, reward.PromoMode != RewardPromoMode.None, reasons);
    }

    /// <summary>Whether the reward's owner and its selection of participants include the dealer.</summary>
    public static bool TakesPartAt(Reward reward, RedemptionPlace place)
    {
        ArgumentNullException.ThrowIfNull(reward);
        ArgumentNullException.ThrowIfNull(place);
        var underOwner = reward.OwnerLevel switch
        {
            RewardOwnerLevel.Dealer => reward.DealerId == place.DealerId,
            RewardOwnerLevel.Group => reward.DealerGroupId == place.DealerGroupId,
            _ => true,
        };
        if (!underOwner)
        {
            return false;
        }

        return reward.Participants.Count == 0
            || reward.Participants.Any(p => p.DealerId == place.DealerId || (p.DealerId is null && p.DealerGroupId == place.DealerGroupId));
    }

    private static bool Same(string? actual, string? wanted) =>
        wanted is null || string.Equals(actual?.Trim(), wanted.Trim(), StringComparison.OrdinalIgnoreCase);
}
