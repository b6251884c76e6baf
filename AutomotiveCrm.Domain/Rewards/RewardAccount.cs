using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Rewards;

/// <summary>
/// A customer's membership of one scheme (one account per customer per scheme). The balances are the sums of the
/// account's ledger rows; they are stored for fast reads and change only through <see cref="RewardsLedger"/>, in the
/// same transaction as the row that explains them. The database refuses a negative balance.
/// </summary>
public class RewardAccount : Entity, ITimestamped
{
    public long CustomerId { get; set; }
    public Customer? Customer { get; set; }
    /// <summary>The customer's group (the tenant key of the account and everything hanging off it).</summary>
    public long DealerGroupId { get; set; }
    public DealerGroup? DealerGroup { get; set; }
    public long SchemeId { get; set; }
    public RewardScheme? Scheme { get; set; }

    /// <summary>Digits only; the last one is a Luhn check digit (see <see cref="CardNumbers"/>).</summary>
    public required string CardNumber { get; set; }
    public RewardAccountStatus Status { get; set; }

    public DateTime EnrolledAt { get; set; }
    public EnrolmentSource EnrolmentSource { get; set; }
    public long? EnrolledAtDealerId { get; set; }
    public Dealer? EnrolledAtDealer { get; set; }
    /// <summary>Who enrolled the customer.</summary>
    public required string EnrolledBy { get; set; }
    /// <summary>The terms the customer accepted and how (the wording shown at the desk, the import file ...).</summary>
    public required string ConsentEvidence { get; set; }

    public long PointsBalance { get; set; }
    public decimal MoneyBalance { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class RewardAccountConfiguration : IEntityTypeConfiguration<RewardAccount>
{
    public void Configure(EntityTypeBuilder<RewardAccount> builder)
    {
        builder.Property(a => a.CardNumber).HasMaxLength(19);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(8);
        builder.Property(a => a.EnrolmentSource).HasConversion<string>().HasMaxLength(12);
        builder.Property(a => a.EnrolledBy).HasMaxLength(256);
        builder.Property(a => a.ConsentEvidence).HasMaxLength(1000);
        builder.Property(a => a.MoneyBalance).HasPrecision(18, 2);
        builder.HasIndex(a => new { a.CustomerId, a.SchemeId }).IsUnique();
        builder.HasIndex(a => a.CardNumber).IsUnique();
        builder.HasIndex(a => new { a.DealerGroupId, a.SchemeId });
        builder.HasIndex(a => a.SchemeId);
        builder.HasOne(a => a.Customer).WithMany().HasForeignKey(a => a.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(a => a.DealerGroup).WithMany().HasForeignKey(a => a.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(a => a.Scheme).WithMany().HasForeignKey(a => a.SchemeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(a => a.EnrolledAtDealer).WithMany().HasForeignKey(a => a.EnrolledAtDealerId).OnDelete(DeleteBehavior.Restrict);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("CK_RewardAccounts_PointsNotNegative", "\"PointsBalance\" >= 0");
            t.HasCheckConstraint("CK_RewardAccounts_MoneyNotNegative", "\"MoneyBalance\" >= 0");
        });
    }
}

/// <summary>
/// One movement of points and/or money on an account: history, inserted once and never changed or deleted (the
/// context refuses both). Every row says why (<see cref="Reason"/>), who (<see cref="Actor"/>), where
/// (<see cref="DealerId"/>) and from what (<see cref="Source"/>, <see cref="SourceKey"/>).
/// </summary>
public class LedgerEntry : Entity, IAppendOnly
{
    public long AccountId { get; set; }
    public RewardAccount? Account { get; set; }
    public long CustomerId { get; set; }
    public long DealerGroupId { get; set; }
    public DealerGroup? DealerGroup { get; set; }
    public LedgerEntryKind Kind { get; set; }
    /// <summary>Signed: positive credits, negative debits.</summary>
    public long Points { get; set; }
    /// <summary>Signed money movement in the network's currency.</summary>
    public decimal Money { get; set; }
    public required string Reason { get; set; }
    public required string Actor { get; set; }
    public string? ActorUserId { get; set; }
    public long? DealerId { get; set; }
    public LedgerSource Source { get; set; }
    /// <summary>
    /// What caused the row, unique per account when set ("sale:42:rule:3", "tenure:5y", "redemption:KEY"): the same
    /// cause never moves an account twice, whoever processes it and however often.
    /// </summary>
    public string? SourceKey { get; set; }
    /// <summary>For a reversal: the row it undoes.</summary>
    public long? ReversesEntryId { get; set; }
    public long? RedemptionId { get; set; }
    public Redemption? Redemption { get; set; }
    public DateTime At { get; set; }

    /// <summary>Set by <see cref="RewardsLedger"/> when it moved the balance for this row; a row added any other way is refused.</summary>
    internal bool Posted { get; set; }
}

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> builder)
    {
        builder.ToTable("RewardLedger");
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(12);
        builder.Property(e => e.Source).HasConversion<string>().HasMaxLength(8);
        builder.Property(e => e.Money).HasPrecision(18, 2);
        builder.Property(e => e.Reason).HasMaxLength(500);
        builder.Property(e => e.Actor).HasMaxLength(256);
        builder.Property(e => e.ActorUserId).HasMaxLength(450);
        builder.Property(e => e.SourceKey).HasMaxLength(200);
        builder.Ignore(e => e.Posted);
        builder.HasOne(e => e.Account).WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Customer>().WithMany().HasForeignKey(e => e.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(e => e.DealerGroup).WithMany().HasForeignKey(e => e.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Dealer>().WithMany().HasForeignKey(e => e.DealerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LedgerEntry>().WithMany().HasForeignKey(e => e.ReversesEntryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => new { e.AccountId, e.At });
        builder.HasIndex(e => new { e.AccountId, e.SourceKey }).IsUnique().HasFilter("\"SourceKey\" IS NOT NULL");
        builder.HasIndex(e => e.ReversesEntryId).IsUnique().HasFilter("\"ReversesEntryId\" IS NOT NULL");
        builder.HasIndex(e => new { e.DealerGroupId, e.At });
        builder.HasOne(e => e.Redemption).WithMany().HasForeignKey(e => e.RedemptionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => e.RedemptionId);
    }
}
