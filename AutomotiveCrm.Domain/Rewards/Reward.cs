using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Rewards;

/// <summary>
/// Something a member can have: a benefit (money or percentage discount, points credited, a physical item, or any
/// combination) behind conditions that must all hold (see <see cref="RewardEligibility"/>). Network rewards target
/// customers nationally, group rewards are redeemable at every dealer of the group, dealer rewards at that dealer;
/// the owner may narrow that to participating groups or dealers (<see cref="Participants"/>).
/// </summary>
public class Reward : Entity, ITimestamped
{
    public long NetworkId { get; set; }
    public RewardOwnerLevel OwnerLevel { get; set; }
    public long? DealerGroupId { get; set; }
    public DealerGroup? DealerGroup { get; set; }
    public long? DealerId { get; set; }
    public Dealer? Dealer { get; set; }

    public required string Code { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    /// <summary>Listed rewards are grouped by category at the desk.</summary>
    public required string Category { get; set; }
    /// <summary>Issued as soon as the customer is eligible (milestone gifts) instead of being listed.</summary>
    public bool AutoRedeem { get; set; }
    public bool IsActive { get; set; } = true;

    // Cost and benefit.
    public long CostPoints { get; set; }
    public decimal CostMoney { get; set; }
    public decimal? DiscountAmount { get; set; }
    public decimal? DiscountPercent { get; set; }
    public long PointsCredited { get; set; }
    public string? ItemName { get; set; }
    /// <summary>Items left to hand out; null: not limited by stock.</summary>
    public int? Stock { get; set; }

    // Conditions.
    /// <summary>Members of this scheme only; null: a member of any scheme visible here.</summary>
    public long? SchemeId { get; set; }
    public RewardScheme? Scheme { get; set; }
    public DateTime? ValidFrom { get; set; }
    public DateTime? ValidUntil { get; set; }
    /// <summary>Available only after the customer redeemed this other reward (and kept it: a reversed one does not count).</summary>
    public long? RequiresRewardId { get; set; }
    public Reward? RequiresReward { get; set; }
    /// <summary>The customer currently owns a vehicle of this make (brand name or free make, case-insensitive).</summary>
    public string? RequiredMake { get; set; }
    public string? RequiredModel { get; set; }
    public RewardPromoMode PromoMode { get; set; }
    /// <summary>The shared code when <see cref="PromoMode"/> is SingleCode.</summary>
    public string? PromoCode { get; set; }
    public int? PerCustomerLimit { get; set; }
    public int? TotalLimit { get; set; }
    /// <summary>Redemptions not reversed; moved in the redemption's transaction by a conditional update.</summary>
    public int RedeemedCount { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<RewardParticipant> Participants { get; set; } = [];

    public bool HasBenefit => DiscountAmount is > 0 || DiscountPercent is > 0 || PointsCredited > 0 || !string.IsNullOrWhiteSpace(ItemName);

    /// <summary>The benefit in words, for the desk and the voucher.</summary>
    public string BenefitText(string currency)
    {
        var parts = new List<string>();
        if (DiscountAmount is > 0)
        {
            parts.Add(FormattableString.Invariant($"{DiscountAmount:0.00} {currency} off"));
        }

        if (DiscountPercent is > 0)
        {
            parts.Add(FormattableString.Invariant($"{DiscountPercent:0.##}% off"));
        }

        if (PointsCredited > 0)
        {
            parts.Add(FormattableString.Invariant($"{PointsCredited} points credited"));
        }

        if (!string.IsNullOrWhiteSpace(ItemName))
        {
            parts.Add(ItemName);
        }

        return parts.Count == 0 ? "No benefit" : string.Join(" + ", parts);
    }
}

/// <summary>A group or dealer the owner selected; with none, every dealer under the owner takes part.</summary>
public class RewardParticipant : Entity
{
    public long RewardId { get; set; }
    public Reward? Reward { get; set; }
    public long? DealerGroupId { get; set; }
    public long? DealerId { get; set; }
}

/// <summary>One single-use code of a reward's pool; claimed by a redemption with a conditional update.</summary>
public class RewardPromoCode : Entity
{
    public long RewardId { get; set; }
    public Reward? Reward { get; set; }
    public required string Code { get; set; }
    public DateTime? UsedAt { get; set; }
    public long? UsedByRedemptionId { get; set; }
}

internal sealed class RewardConfiguration : IEntityTypeConfiguration<Reward>
{
    public void Configure(EntityTypeBuilder<Reward> builder)
    {
        builder.Property(r => r.OwnerLevel).HasConversion<string>().HasMaxLength(8);
        builder.Property(r => r.PromoMode).HasConversion<string>().HasMaxLength(12);
        builder.Property(r => r.Code).HasMaxLength(32);
        builder.Property(r => r.Name).HasMaxLength(120);
        builder.Property(r => r.Description).HasMaxLength(2000);
        builder.Property(r => r.Category).HasMaxLength(60);
        builder.Property(r => r.CostMoney).HasPrecision(18, 2);
        builder.Property(r => r.DiscountAmount).HasPrecision(18, 2);
        builder.Property(r => r.DiscountPercent).HasPrecision(5, 2);
        builder.Property(r => r.ItemName).HasMaxLength(120);
        builder.Property(r => r.RequiredMake).HasMaxLength(100);
        builder.Property(r => r.RequiredModel).HasMaxLength(100);
        builder.Property(r => r.PromoCode).HasMaxLength(40);
        builder.Ignore(r => r.HasBenefit);
        builder.HasIndex(r => new { r.NetworkId, r.Code }).IsUnique();
        builder.HasIndex(r => r.DealerGroupId);
        builder.HasOne<Network>().WithMany().HasForeignKey(r => r.NetworkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.DealerGroup).WithMany().HasForeignKey(r => r.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.Dealer).WithMany().HasForeignKey(r => r.DealerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.Scheme).WithMany().HasForeignKey(r => r.SchemeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.RequiresReward).WithMany().HasForeignKey(r => r.RequiresRewardId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(r => r.Participants).WithOne(p => p.Reward).HasForeignKey(p => p.RewardId).OnDelete(DeleteBehavior.Cascade);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("CK_Rewards_StockNotNegative", "\"Stock\" IS NULL OR \"Stock\" >= 0");
            t.HasCheckConstraint("CK_Rewards_WithinTotalLimit", "\"TotalLimit\" IS NULL OR \"RedeemedCount\" <= \"TotalLimit\"");
        });
    }
}

internal sealed class RewardParticipantConfiguration : IEntityTypeConfiguration<RewardParticipant>
{
    public void Configure(EntityTypeBuilder<RewardParticipant> builder)
    {
        builder.HasOne<DealerGroup>().WithMany().HasForeignKey(p => p.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Dealer>().WithMany().HasForeignKey(p => p.DealerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => p.RewardId);
    }
}

internal sealed class RewardPromoCodeConfiguration : IEntityTypeConfiguration<RewardPromoCode>
{
    public void Configure(EntityTypeBuilder<RewardPromoCode> builder)
    {
        builder.Property(c => c.Code).HasMaxLength(40);
        builder.HasOne(c => c.Reward).WithMany().HasForeignKey(c => c.RewardId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => new { c.RewardId, c.Code }).IsUnique();
    }
}
