using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Rewards;

/// <summary>
/// A reward handed over at a dealer (or issued automatically). <see cref="IdempotencyKey"/> is unique: a request sent
/// twice (double click, retry, a second app instance) finds the first redemption instead of making another. The
/// ledger rows it caused carry its id; a reversal adds rows, it never removes them.
/// </summary>
public class Redemption : Entity
{
    public long RewardId { get; set; }
    public Reward? Reward { get; set; }
    public long AccountId { get; set; }
    public RewardAccount? Account { get; set; }
    public long CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public long DealerGroupId { get; set; }
    public DealerGroup? DealerGroup { get; set; }
    public long? DealerId { get; set; }
    public Dealer? Dealer { get; set; }

    public required string IdempotencyKey { get; set; }
    /// <summary>Printed on the voucher and encoded in its barcode.</summary>
    public required string VoucherNumber { get; set; }
    public long PointsSpent { get; set; }
    public decimal MoneySpent { get; set; }
    public long PointsCredited { get; set; }
    public string? PromoCode { get; set; }
    /// <summary>The benefit as it was when redeemed (the reward may change later).</summary>
    public required string BenefitText { get; set; }

    public RedemptionStatus Status { get; set; }
    public DateTime RedeemedAt { get; set; }
    public required string RedeemedBy { get; set; }
    public DateTime? ReversedAt { get; set; }
    public string? ReversedBy { get; set; }
    public string? ReversalReason { get; set; }
}

internal sealed class RedemptionConfiguration : IEntityTypeConfiguration<Redemption>
{
    public void Configure(EntityTypeBuilder<Redemption> builder)
    {
        builder.ToTable("RewardRedemptions");
        builder.Property(r => r.IdempotencyKey).HasMaxLength(100);
        builder.Property(r => r.VoucherNumber).HasMaxLength(24);
        builder.Property(r => r.MoneySpent).HasPrecision(18, 2);
        builder.Property(r => r.PromoCode).HasMaxLength(40);
        builder.Property(r => r.BenefitText).HasMaxLength(300);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(r => r.RedeemedBy).HasMaxLength(256);
        builder.Property(r => r.ReversedBy).HasMaxLength(256);
        builder.Property(r => r.ReversalReason).HasMaxLength(500);
        builder.HasIndex(r => r.IdempotencyKey).IsUnique();
        builder.HasIndex(r => r.VoucherNumber).IsUnique();
        builder.HasIndex(r => new { r.AccountId, r.RewardId });
        builder.HasIndex(r => new { r.DealerGroupId, r.RedeemedAt });
        builder.HasIndex(r => r.RewardId);
        builder.HasOne(r => r.Reward).WithMany().HasForeignKey(r => r.RewardId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.Account).WithMany().HasForeignKey(r => r.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.Customer).WithMany().HasForeignKey(r => r.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.DealerGroup).WithMany().HasForeignKey(r => r.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.Dealer).WithMany().HasForeignKey(r => r.DealerId).OnDelete(DeleteBehavior.Restrict);
    }
}
