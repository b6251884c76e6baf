using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Rewards;

/// <summary>Outstanding points of a scheme and what they are worth (points x the scheme's point value), plus credit balances.</summary>
public sealed record LiabilityRow(long SchemeId, string Scheme, string Owner, int Members, long Points, decimal PointValue, decimal Credit)
{
    public decimal Liability => Points * PointValue;
}

/// <summary>Redemptions (not reversed) of one reward at one dealer in the period.</summary>
public sealed record RedemptionCountRow(string Dealer, string Reward, int Count, long Points);

/// <summary>Members per scheme, and how many joined in the period.</summary>
public sealed record MembershipRow(string Scheme, int Members, int Joined, int Active);

/// <summary>The rewards reports, read through the user's context (a group sees its own members and redemptions).</summary>
public static class RewardReports
{
    public static async Task<IReadOnlyList<LiabilityRow>> LiabilityAsync(CrmDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var sums = await db.RewardAccounts.AsNoTracking()
            .GroupBy(a => a.SchemeId)
            .Select(g => new { SchemeId = g.Key, Members = g.Count(), Points = g.Sum(a => a.PointsBalance) })
            .ToListAsync(cancellationToken);
        // Decimal sums are done here: SQLite has no decimal type to add them exactly.
        var credits = (await db.RewardAccounts.AsNoTracking().Where(a => a.MoneyBalance != 0).Select(a => new { a.SchemeId, a.MoneyBalance }).ToListAsync(cancellationToken))
            .GroupBy(a => a.SchemeId).ToDictionary(g => g.Key, g => g.Sum(a => a.MoneyBalance));
        var schemes = await db.RewardSchemes.AsNoTracking().Include(s => s.DealerGroup).Include(s => s.Dealer).ToListAsync(cancellationToken);
        return schemes.Select(s =>
            {
                var sum = sums.FirstOrDefault(x => x.SchemeId == s.Id);
                return new LiabilityRow(s.Id, s.Name, Owner(s), sum?.Members ?? 0, sum?.Points ?? 0, s.PointValue, credits.GetValueOrDefault(s.Id));
            })
            .OrderByDescending(r => r.Liability).ThenBy(r => r.Scheme, StringComparer.Ordinal).ToList();
    }

    public static async Task<IReadOnlyList<RedemptionCountRow>> RedemptionsAsync(CrmDbContext db, DateTime from, DateTime to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.RewardRedemptions.AsNoTracking()
            .Where(r => r.Status == RedemptionStatus.Redeemed && r.RedeemedAt >= from && r.RedeemedAt < to)
            .GroupBy(r => new { Dealer = r.Dealer != null ? r.Dealer.Name : "Automatic", Reward = r.Reward!.Name })
            .Select(g => new RedemptionCountRow(g.Key.Dealer, g.Key.Reward, g.Count(), g.Sum(r => r.PointsSpent)))
            .OrderBy(r => r.Dealer).ThenBy(r => r.Reward)
            .ToListAsync(cancellationToken);
    }

    public static async Task<IReadOnlyList<MembershipRow>> MembershipAsync(CrmDbContext db, DateTime joinedSince, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return (await db.RewardAccounts.AsNoTracking()
            .GroupBy(a => a.Scheme!.Name)
            .Select(g => new MembershipRow(g.Key, g.Count(), g.Count(a => a.EnrolledAt >= joinedSince), g.Count(a => a.Status == RewardAccountStatus.Active)))
            .ToListAsync(cancellationToken))
            .OrderByDescending(r => r.Members).ToList();
    }

    public static string Owner(RewardScheme scheme)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        return scheme.OwnerLevel switch
        {
            RewardOwnerLevel.Dealer => scheme.Dealer?.Name ?? "Dealer",
            RewardOwnerLevel.Group => scheme.DealerGroup?.Name ?? "Dealer group",
            _ => "Network",
        };
    }
}
