using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Rewards;

/// <summary>
/// A loyalty scheme customers opt into (Gold, Silver, Bronze ...). Owned by the network, a dealer group or a dealer.
/// Schemes that share a <see cref="TierLadder"/> form tiers: an account moves automatically to the highest tier whose
/// <see cref="TierThresholdPoints"/> the customer has EARNED in the last twelve months (spending points never demotes).
/// </summary>
public class RewardScheme : Entity, ITimestamped
{
    public long NetworkId { get; set; }
    public RewardOwnerLevel OwnerLevel { get; set; }
    /// <summary>The owning group (group and dealer schemes); null for a network scheme.</summary>
    public long? DealerGroupId { get; set; }
    public DealerGroup? DealerGroup { get; set; }
    /// <summary>The owning dealer (dealer schemes only).</summary>
    public long? DealerId { get; set; }
    public Dealer? Dealer { get; set; }

    public required string Code { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }

    /// <summary>Points credited once when a customer enrols.</summary>
    public long IntroBonusPoints { get; set; }
    public bool OpenToNewCustomers { get; set; } = true;
    public bool OpenToExistingCustomers { get; set; } = true;
    /// <summary>Enrolment window (inclusive); null ends are open.</summary>
    public DateOnly? AvailableFrom { get; set; }
    public DateOnly? AvailableUntil { get; set; }

    public CardType CardType { get; set; }
    /// <summary>Leading digits of the scheme's card numbers (issuer prefix); the last digit is a Luhn check digit.</summary>
    public required string CardPrefix { get; set; }

    /// <summary>What one point is worth in the network's currency (points and money are interchangeable at this rate).</summary>
    public decimal PointValue { get; set; } = 0.01m;
    /// <summary>Points expire this many months after they were earned (oldest first); null: never.</summary>
    public int? PointsExpireAfterMonths { get; set; }

    /// <summary>Schemes with the same ladder name are tiers of one programme; null: no automatic moves.</summary>
    public string? TierLadder { get; set; }
    /// <summary>Points earned in the last 12 months that qualify for this tier.</summary>
    public long TierThresholdPoints { get; set; }

    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<EarningRule> EarningRules { get; set; } = [];

    /// <summary>Whether the enrolment window holds on <paramref name="day"/>.</summary>
    public bool OpenOn(DateOnly day) => IsActive && (AvailableFrom is null || AvailableFrom <= day) && (AvailableUntil is null || day <= AvailableUntil);
}

/// <summary>
/// Points per currency unit spent at participating dealers, applied to imported sales or service visits of enrolled
/// customers. Each (account, sale or visit, rule) earns once: the ledger's source key is unique per account.
/// </summary>
public class EarningRule : Entity
{
    public long SchemeId { get; set; }
    public RewardScheme? Scheme { get; set; }
    public required string Name { get; set; }
    public EarningBasis Basis { get; set; }
    public decimal PointsPerCurrencyUnit { get; set; }
    /// <summary>Only this dealer's sales or visits count; null: every dealer of the scheme's owner.</summary>
    public long? DealerId { get; set; }
    public bool IsActive { get; set; } = true;
}

internal sealed class RewardSchemeConfiguration : IEntityTypeConfiguration<RewardScheme>
{
    public void Configure(EntityTypeBuilder<RewardScheme> builder)
    {
        builder.Property(s => s.OwnerLevel).HasConversion<string>().HasMaxLength(8);
        builder.Property(s => s.CardType).HasConversion<string>().HasMaxLength(12);
        builder.Property(s => s.Code).HasMaxLength(32);
        builder.Property(s => s.Name).HasMaxLength(100);
        builder.Property(s => s.Description).HasMaxLength(1000);
        builder.Property(s => s.CardPrefix).HasMaxLength(8);
        builder.Property(s => s.TierLadder).HasMaxLength(60);
        builder.Property(s => s.PointValue).HasPrecision(18, 6);
        builder.HasIndex(s => new { s.NetworkId, s.Code }).IsUnique();
        builder.HasIndex(s => s.DealerGroupId);
        builder.HasOne<Network>().WithMany().HasForeignKey(s => s.NetworkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(s => s.DealerGroup).WithMany().HasForeignKey(s => s.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(s => s.Dealer).WithMany().HasForeignKey(s => s.DealerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(s => s.EarningRules).WithOne(r => r.Scheme).HasForeignKey(r => r.SchemeId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EarningRuleConfiguration : IEntityTypeConfiguration<EarningRule>
{
    public void Configure(EntityTypeBuilder<EarningRule> builder)
    {
        builder.Property(r => r.Name).HasMaxLength(100);
        builder.Property(r => r.Basis).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.PointsPerCurrencyUnit).HasPrecision(18, 4);
        builder.HasOne<Dealer>().WithMany().HasForeignKey(r => r.DealerId).OnDelete(DeleteBehavior.Restrict);
    }
}
