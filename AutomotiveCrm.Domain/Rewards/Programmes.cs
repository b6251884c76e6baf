using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Sales;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AutomotiveCrm.Domain.Rewards;

public enum ReferralStatus
{
    Open,
    Converted,
    Closed,
}

/// <summary>
/// A dealer group's loyalty settings (seed 002): the scheme that carries referral and milestone credits, the
/// referrer's service credit, and the years of the tenure milestones.
/// </summary>
public class GroupProgramme : Entity, ITimestamped
{
    public long DealerGroupId { get; set; }
    public DealerGroup? DealerGroup { get; set; }
    /// <summary>Referral credits, buyer discounts and milestone rewards are booked on accounts of this scheme.</summary>
    public long SchemeId { get; set; }
    public RewardScheme? Scheme { get; set; }
    /// <summary>Service credit (money) for the referrer when the referred person buys; 100 in the group's currency by default.</summary>
    public decimal ReferrerCredit { get; set; } = 100m;
    /// <summary>Servicing gaps longer than this break continuous tenure.</summary>
    public int TenureMaxGapMonths { get; set; } = 18;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<ReferralDiscount> BuyerDiscounts { get; set; } = [];
    public List<TenureMilestone> Milestones { get; set; } = [];
}

/// <summary>The referred buyer's discount by model and condition; the most specific row wins.</summary>
public class ReferralDiscount : Entity
{
    public long ProgrammeId { get; set; }
    public GroupProgramme? Programme { get; set; }
    /// <summary>Null: any model.</summary>
    public string? Model { get; set; }
    /// <summary>Null: new or used.</summary>
    public bool? IsNew { get; set; }
    public decimal Amount { get; set; }
}

/// <summary>Years of continuous servicing with the group (any brand) and what they earn; awarded once per account.</summary>
public class TenureMilestone : Entity
{
    public long ProgrammeId { get; set; }
    public GroupProgramme? Programme { get; set; }
    public int Years { get; set; }
    public required string Name { get; set; }
    public long Points { get; set; }
    public decimal Money { get; set; }
}

/// <summary>
/// A customer's referral of a contact who wants a vehicle (desk form; later the portal). The contact's details are
/// personal data of the group, kept with the consent the referrer confirmed. Converted once the referred person buys.
/// </summary>
public class Referral : Entity, ITimestamped
{
    public long DealerGroupId { get; set; }
    public DealerGroup? DealerGroup { get; set; }
    public long ReferrerCustomerId { get; set; }
    public Customer? ReferrerCustomer { get; set; }
    public required string FirstName { get; set; }
    public required string LastName { get; set; }
    public string? Email { get; set; }
    /// <summary>E.164.</summary>
    public string? Phone { get; set; }
    public string? VehicleInterest { get; set; }
    public required string ConsentEvidence { get; set; }
    public long? RecordedAtDealerId { get; set; }
    public required string RecordedBy { get; set; }
    public ReferralStatus Status { get; set; }
    public long? ReferredCustomerId { get; set; }
    public long? VehicleSaleId { get; set; }
    public VehicleSale? VehicleSale { get; set; }
    public decimal? ReferrerCredit { get; set; }
    public decimal? BuyerDiscount { get; set; }
    public DateTime? ConvertedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public string DisplayName => $"{FirstName} {LastName}";
}

public enum AllowancePeriod
{
    Week,
    Month,
    Year,
}

/// <summary>An owner's club plan: an annual fee and benefit allowances.</summary>
public class ClubPlan : Entity, ITimestamped
{
    public long DealerGroupId { get; set; }
    public DealerGroup? DealerGroup { get; set; }
    public required string Name { get; set; }
    public decimal AnnualFee { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<ClubBenefit> Benefits { get; set; } = [];
}

/// <summary>One benefit of a plan: e.g. 1 detailing per year, 2 car washes per week, 10 % off merchandise (unlimited).</summary>
public class ClubBenefit : Entity
{
    public long PlanId { get; set; }
    public ClubPlan? Plan { get; set; }
    public required string Name { get; set; }
    /// <summary>Uses per period; null: unlimited (a standing discount, invitations).</summary>
    public int? Allowance { get; set; }
    public AllowancePeriod Period { get; set; }
}

/// <summary>A paid membership period. A renewal is a new row that follows the previous one.</summary>
public class ClubMembership : Entity, ITimestamped
{
    public long PlanId { get; set; }
    public ClubPlan? Plan { get; set; }
    public long CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public long DealerGroupId { get; set; }
    public DealerGroup? DealerGroup { get; set; }
    public DateOnly StartDate { get; set; }
    /// <summary>Last day covered (inclusive).</summary>
    public DateOnly EndDate { get; set; }
    public decimal FeePaid { get; set; }
    public long? RenewsMembershipId { get; set; }
    public required string SoldBy { get; set; }
    /// <summary>Bumped by every recorded use: the conditional update that serialises concurrent uses of one membership.</summary>
    public int UseCount { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public bool CoversDay(DateOnly day) => StartDate <= day && day <= EndDate;
}

/// <summary>One use of a club benefit, recorded at the desk: history, never changed.</summary>
public class ClubBenefitUse : Entity, IAppendOnly
{
    public long MembershipId { get; set; }
    public ClubMembership? Membership { get; set; }
    public long BenefitId { get; set; }
    public ClubBenefit? Benefit { get; set; }
    public long DealerGroupId { get; set; }
    public DealerGroup? DealerGroup { get; set; }
    public long? DealerId { get; set; }
    public DateTime UsedAt { get; set; }
    public required string RecordedBy { get; set; }
    public string? Note { get; set; }
}

/// <summary>A partner business whose offers the group passes on to its customers (co-branded offers).</summary>
public class Partner : Entity, ITimestamped
{
    public long DealerGroupId { get; set; }
    public DealerGroup? DealerGroup { get; set; }
    public required string Name { get; set; }
    public string? ContactName { get; set; }
    public string? ContactEmail { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<PartnerOffer> Offers { get; set; } = [];
}

public class PartnerOffer : Entity, ITimestamped
{
    public long PartnerId { get; set; }
    public Partner? Partner { get; set; }
    public long DealerGroupId { get; set; }
    public DealerGroup? DealerGroup { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    /// <summary>The discount code the customer shows the partner.</summary>
    public required string Code { get; set; }
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidUntil { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>An offer given to a customer at the desk. The partner's report counts these; it never names anyone.</summary>
public class PartnerOfferRedemption : Entity, IAppendOnly
{
    public long OfferId { get; set; }
    public PartnerOffer? Offer { get; set; }
    public long CustomerId { get; set; }
    public long DealerGroupId { get; set; }
    public DealerGroup? DealerGroup { get; set; }
    public long? DealerId { get; set; }
    public DateTime At { get; set; }
    public required string RecordedBy { get; set; }
}

internal sealed class GroupProgrammeConfiguration : IEntityTypeConfiguration<GroupProgramme>
{
    public void Configure(EntityTypeBuilder<GroupProgramme> builder)
    {
        builder.Property(p => p.ReferrerCredit).HasPrecision(18, 2);
        builder.HasIndex(p => p.DealerGroupId).IsUnique();
        builder.HasOne(p => p.DealerGroup).WithMany().HasForeignKey(p => p.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(p => p.Scheme).WithMany().HasForeignKey(p => p.SchemeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(p => p.BuyerDiscounts).WithOne(d => d.Programme).HasForeignKey(d => d.ProgrammeId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(p => p.Milestones).WithOne(m => m.Programme).HasForeignKey(m => m.ProgrammeId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReferralDiscountConfiguration : IEntityTypeConfiguration<ReferralDiscount>
{
    public void Configure(EntityTypeBuilder<ReferralDiscount> builder)
    {
        builder.Property(d => d.Model).HasMaxLength(100);
        builder.Property(d => d.Amount).HasPrecision(18, 2);
    }
}

internal sealed class TenureMilestoneConfiguration : IEntityTypeConfiguration<TenureMilestone>
{
    public void Configure(EntityTypeBuilder<TenureMilestone> builder)
    {
        builder.Property(m => m.Name).HasMaxLength(100);
        builder.Property(m => m.Money).HasPrecision(18, 2);
        builder.HasIndex(m => new { m.ProgrammeId, m.Years }).IsUnique();
    }
}

internal sealed class ReferralConfiguration : IEntityTypeConfiguration<Referral>
{
    public void Configure(EntityTypeBuilder<Referral> builder)
    {
        builder.Property(r => r.FirstName).HasMaxLength(100);
        builder.Property(r => r.LastName).HasMaxLength(100);
        builder.Property(r => r.Email).HasMaxLength(254);
        builder.Property(r => r.Phone).HasMaxLength(20);
        builder.Property(r => r.VehicleInterest).HasMaxLength(200);
        builder.Property(r => r.ConsentEvidence).HasMaxLength(1000);
        builder.Property(r => r.RecordedBy).HasMaxLength(256);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(r => r.ReferrerCredit).HasPrecision(18, 2);
        builder.Property(r => r.BuyerDiscount).HasPrecision(18, 2);
        builder.Ignore(r => r.DisplayName);
        builder.HasOne(r => r.DealerGroup).WithMany().HasForeignKey(r => r.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.ReferrerCustomer).WithMany().HasForeignKey(r => r.ReferrerCustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Customer>().WithMany().HasForeignKey(r => r.ReferredCustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Dealer>().WithMany().HasForeignKey(r => r.RecordedAtDealerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.VehicleSale).WithMany().HasForeignKey(r => r.VehicleSaleId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => new { r.DealerGroupId, r.Status });
        builder.HasIndex(r => r.ReferrerCustomerId);
        builder.HasIndex(r => r.VehicleSaleId).IsUnique().HasFilter("\"VehicleSaleId\" IS NOT NULL");
    }
}

internal sealed class ClubPlanConfiguration : IEntityTypeConfiguration<ClubPlan>
{
    public void Configure(EntityTypeBuilder<ClubPlan> builder)
    {
        builder.Property(p => p.Name).HasMaxLength(100);
        builder.Property(p => p.AnnualFee).HasPrecision(18, 2);
        builder.HasOne(p => p.DealerGroup).WithMany().HasForeignKey(p => p.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(p => p.Benefits).WithOne(b => b.Plan).HasForeignKey(b => b.PlanId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(p => p.DealerGroupId);
    }
}

internal sealed class ClubBenefitConfiguration : IEntityTypeConfiguration<ClubBenefit>
{
    public void Configure(EntityTypeBuilder<ClubBenefit> builder)
    {
        builder.Property(b => b.Name).HasMaxLength(100);
        builder.Property(b => b.Period).HasConversion<string>().HasMaxLength(8);
    }
}

internal sealed class ClubMembershipConfiguration : IEntityTypeConfiguration<ClubMembership>
{
    public void Configure(EntityTypeBuilder<ClubMembership> builder)
    {
        builder.Property(m => m.FeePaid).HasPrecision(18, 2);
        builder.Property(m => m.SoldBy).HasMaxLength(256);
        builder.HasOne(m => m.Plan).WithMany().HasForeignKey(m => m.PlanId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(m => m.Customer).WithMany().HasForeignKey(m => m.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(m => m.DealerGroup).WithMany().HasForeignKey(m => m.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ClubMembership>().WithMany().HasForeignKey(m => m.RenewsMembershipId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => new { m.CustomerId, m.EndDate });
        builder.HasIndex(m => m.DealerGroupId);
        builder.HasIndex(m => m.RenewsMembershipId).IsUnique().HasFilter("\"RenewsMembershipId\" IS NOT NULL");
    }
}

internal sealed class ClubBenefitUseConfiguration : IEntityTypeConfiguration<ClubBenefitUse>
{
    public void Configure(EntityTypeBuilder<ClubBenefitUse> builder)
    {
        builder.Property(u => u.RecordedBy).HasMaxLength(256);
        builder.Property(u => u.Note).HasMaxLength(500);
        builder.HasOne(u => u.Membership).WithMany().HasForeignKey(u => u.MembershipId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(u => u.Benefit).WithMany().HasForeignKey(u => u.BenefitId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Dealer>().WithMany().HasForeignKey(u => u.DealerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(u => u.DealerGroup).WithMany().HasForeignKey(u => u.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(u => new { u.MembershipId, u.BenefitId, u.UsedAt });
    }
}

internal sealed class PartnerConfiguration : IEntityTypeConfiguration<Partner>
{
    public void Configure(EntityTypeBuilder<Partner> builder)
    {
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.ContactName).HasMaxLength(200);
        builder.Property(p => p.ContactEmail).HasMaxLength(254);
        builder.HasOne(p => p.DealerGroup).WithMany().HasForeignKey(p => p.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(p => p.Offers).WithOne(o => o.Partner).HasForeignKey(o => o.PartnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => p.DealerGroupId);
    }
}

internal sealed class PartnerOfferConfiguration : IEntityTypeConfiguration<PartnerOffer>
{
    public void Configure(EntityTypeBuilder<PartnerOffer> builder)
    {
        builder.Property(o => o.Title).HasMaxLength(200);
        builder.Property(o => o.Description).HasMaxLength(2000);
        builder.Property(o => o.Code).HasMaxLength(40);
        builder.HasOne(o => o.DealerGroup).WithMany().HasForeignKey(o => o.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(o => o.DealerGroupId);
    }
}

internal sealed class PartnerOfferRedemptionConfiguration : IEntityTypeConfiguration<PartnerOfferRedemption>
{
    public void Configure(EntityTypeBuilder<PartnerOfferRedemption> builder)
    {
        builder.ToTable("PartnerOfferRedemptions");
        builder.Property(r => r.RecordedBy).HasMaxLength(256);
        builder.HasOne(r => r.Offer).WithMany().HasForeignKey(r => r.OfferId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Customer>().WithMany().HasForeignKey(r => r.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => new { r.OfferId, r.At });
        builder.HasOne(r => r.DealerGroup).WithMany().HasForeignKey(r => r.DealerGroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => r.DealerGroupId);
    }
}
