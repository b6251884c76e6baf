using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Rewards;
using Microsoft.EntityFrameworkCore;

// The sets and filters live with the context (the filters must read `this`), in the Rewards feature folder.
#pragma warning disable IDE0130
namespace AutomotiveCrm.Domain.Persistence;
#pragma warning restore IDE0130

public abstract partial class CrmDbContext
{
    public DbSet<RewardScheme> RewardSchemes => Set<RewardScheme>();
    public DbSet<EarningRule> EarningRules => Set<EarningRule>();
    public DbSet<RewardAccount> RewardAccounts => Set<RewardAccount>();
    public DbSet<LedgerEntry> RewardLedger => Set<LedgerEntry>();
    public DbSet<Reward> Rewards => Set<Reward>();
    public DbSet<RewardParticipant> RewardParticipants => Set<RewardParticipant>();
    public DbSet<RewardPromoCode> RewardPromoCodes => Set<RewardPromoCode>();
    public DbSet<Redemption> RewardRedemptions => Set<Redemption>();
    public DbSet<GroupProgramme> GroupProgrammes => Set<GroupProgramme>();
    public DbSet<ReferralDiscount> ReferralDiscounts => Set<ReferralDiscount>();
    public DbSet<TenureMilestone> TenureMilestones => Set<TenureMilestone>();
    public DbSet<Referral> Referrals => Set<Referral>();
    public DbSet<ClubPlan> ClubPlans => Set<ClubPlan>();
    public DbSet<ClubBenefit> ClubBenefits => Set<ClubBenefit>();
    public DbSet<ClubMembership> ClubMemberships => Set<ClubMembership>();
    public DbSet<ClubBenefitUse> ClubBenefitUses => Set<ClubBenefitUse>();
    public DbSet<Partner> Partners => Set<Partner>();
    public DbSet<PartnerOffer> PartnerOffers => Set<PartnerOffer>();
    public DbSet<PartnerOfferRedemption> PartnerOfferRedemptions => Set<PartnerOfferRedemption>();

    /// <summary>
    /// Schemes and rewards of the network are visible to every group of it (they target customers nationally); a
    /// group's or dealer's to that group (and the network's users). Accounts, ledger rows, redemptions and the
    /// programmes' records name customers: personal data, decided by the customer's group like customers themselves.
    /// </summary>
    private void ApplyRewardsTenantFilters(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<RewardScheme>().HasQueryFilter(TenantFilter, s =>
            ScopeAll || ((ScopeAnyNetwork || s.NetworkId == ScopeNetworkId)
                && (ScopeAllGroups || s.DealerGroupId == null || s.DealerGroupId == ScopeGroupId)));
        modelBuilder.Entity<EarningRule>().HasQueryFilter(TenantFilter, r =>
            ScopeAll || ((ScopeAnyNetwork || r.Scheme!.NetworkId == ScopeNetworkId)
                && (ScopeAllGroups || r.Scheme!.DealerGroupId == null || r.Scheme!.DealerGroupId == ScopeGroupId)));
        modelBuilder.Entity<Reward>().HasQueryFilter(TenantFilter, r =>
            ScopeAll || ((ScopeAnyNetwork || r.NetworkId == ScopeNetworkId)
                && (ScopeAllGroups || r.DealerGroupId == null || r.DealerGroupId == ScopeGroupId)));
        modelBuilder.Entity<RewardParticipant>().HasQueryFilter(TenantFilter, p =>
            ScopeAll || ((ScopeAnyNetwork || p.Reward!.NetworkId == ScopeNetworkId)
                && (ScopeAllGroups || p.Reward!.DealerGroupId == null || p.Reward!.DealerGroupId == ScopeGroupId)));
        modelBuilder.Entity<RewardPromoCode>().HasQueryFilter(TenantFilter, c =>
            ScopeAll || ((ScopeAnyNetwork || c.Reward!.NetworkId == ScopeNetworkId)
                && (ScopeAllGroups || c.Reward!.DealerGroupId == null || c.Reward!.DealerGroupId == ScopeGroupId)));

        modelBuilder.Entity<RewardAccount>().HasQueryFilter(TenantFilter, a =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || a.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || a.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<LedgerEntry>().HasQueryFilter(TenantFilter, e =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || e.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || e.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<Redemption>().HasQueryFilter(TenantFilter, r =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || r.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || r.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<Referral>().HasQueryFilter(TenantFilter, r =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || r.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || r.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<ClubMembership>().HasQueryFilter(TenantFilter, m =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || m.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || m.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<ClubBenefitUse>().HasQueryFilter(TenantFilter, u =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || u.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || u.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<PartnerOfferRedemption>().HasQueryFilter(TenantFilter, r =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || r.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || r.DealerGroup!.NetworkId == ScopeNetworkId)));

        // The group's own programme settings, club plans and partners: no personal data, the group and its network.
        modelBuilder.Entity<GroupProgramme>().HasQueryFilter(TenantFilter, p =>
            ScopeAll || ((ScopeAllGroups || p.DealerGroupId == ScopeGroupId) && (ScopeAnyNetwork || p.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<ReferralDiscount>().HasQueryFilter(TenantFilter, d =>
            ScopeAll || ((ScopeAllGroups || d.Programme!.DealerGroupId == ScopeGroupId) && (ScopeAnyNetwork || d.Programme!.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<TenureMilestone>().HasQueryFilter(TenantFilter, m =>
            ScopeAll || ((ScopeAllGroups || m.Programme!.DealerGroupId == ScopeGroupId) && (ScopeAnyNetwork || m.Programme!.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<ClubPlan>().HasQueryFilter(TenantFilter, p =>
            ScopeAll || ((ScopeAllGroups || p.DealerGroupId == ScopeGroupId) && (ScopeAnyNetwork || p.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<ClubBenefit>().HasQueryFilter(TenantFilter, b =>
            ScopeAll || ((ScopeAllGroups || b.Plan!.DealerGroupId == ScopeGroupId) && (ScopeAnyNetwork || b.Plan!.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<Partner>().HasQueryFilter(TenantFilter, p =>
            ScopeAll || ((ScopeAllGroups || p.DealerGroupId == ScopeGroupId) && (ScopeAnyNetwork || p.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<PartnerOffer>().HasQueryFilter(TenantFilter, o =>
            ScopeAll || ((ScopeAllGroups || o.DealerGroupId == ScopeGroupId) && (ScopeAnyNetwork || o.DealerGroup!.NetworkId == ScopeNetworkId)));
    }

    /// <summary>
    /// The ledger's half of the balance rule: a ledger row may only be added by <see cref="RewardsLedger"/>, which moves
    /// the account's stored balance in the same transaction, and a stored balance never changes through the change
    /// tracker. Anything else would let the balance and the sum of the rows drift apart.
    /// </summary>
    private void EnsureLedgerConsistent()
    {
        foreach (var entry in ChangeTracker.Entries<LedgerEntry>())
        {
            if (entry.State == EntityState.Added && !entry.Entity.Posted)
            {
                throw new DomainException("Ledger rows are written by the rewards ledger, which moves the balance with them.");
            }
        }

        foreach (var entry in ChangeTracker.Entries<RewardAccount>())
        {
            var balanceChanged = entry.State == EntityState.Modified
                && (entry.Property(a => a.PointsBalance).IsModified || entry.Property(a => a.MoneyBalance).IsModified);
            var bornWithBalance = entry.State == EntityState.Added && (entry.Entity.PointsBalance != 0 || entry.Entity.MoneyBalance != 0);
            if (balanceChanged || bornWithBalance)
            {
                throw new DomainException("A rewards balance only moves with a ledger row: post a movement instead.");
            }
        }
    }
}
