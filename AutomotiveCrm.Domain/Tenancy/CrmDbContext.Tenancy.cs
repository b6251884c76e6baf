using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Notifications;
using AutomotiveCrm.Domain.Sales;
using AutomotiveCrm.Domain.Service;
using AutomotiveCrm.Domain.Stock;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Domain.Wholesale;
using Microsoft.EntityFrameworkCore;

// The filters live with the context (they must read `this`), in the Tenancy feature folder.
#pragma warning disable IDE0130
namespace AutomotiveCrm.Domain.Persistence;
#pragma warning restore IDE0130

public abstract partial class CrmDbContext
{
    /// <summary>The name of the query filter every tenant-owned entity carries.</summary>
    public const string TenantFilter = "Tenant";

    /// <summary>
    /// The name of the filter that hides tombstones (customers and vehicles merged into a survivor) from every query,
    /// system ones included. Code that resolves an old id to its survivor, or undoes a merge, turns it off by name.
    /// </summary>
    public const string LiveFilter = "Live";

    private AccessScope scope = AccessScope.Nothing;

    /// <summary>
    /// What this context may read. A new context sees nothing until it is given a scope: the application's
    /// factory sets the signed-in user's, system tasks set <see cref="AccessScope.System"/>.
    /// </summary>
    public AccessScope Scope
    {
        get => scope;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            scope = value;
            // Flattened for the filters: EF turns these context properties into query parameters.
            ScopeAll = value.IsSystem;
            ScopeNetworkId = value.NetworkId ?? 0;
            ScopeAnyNetwork = value.NetworkId is null;
            ScopeGroupId = value.GroupId ?? 0;
            ScopeAllGroups = value.GroupId is null;
            ScopePersonalData = value.PersonalData;
            ScopeWholesale = value.Wholesale;
        }
    }

    internal bool ScopeAll { get; private set; }
    internal long ScopeNetworkId { get; private set; } = -1;
    internal bool ScopeAnyNetwork { get; private set; }
    internal long ScopeGroupId { get; private set; } = -1;
    internal bool ScopeAllGroups { get; private set; }
    internal bool ScopePersonalData { get; private set; }
    internal bool ScopeWholesale { get; private set; }

    /// <summary>
    /// One named filter per tenant-owned entity. A dealer group's records are visible to its own users and to
    /// network users (all groups, or the one picked); a record of another group behaves exactly as a missing one.
    /// Child rows repeat their parent's rule so that a child is never visible without its parent.
    /// </summary>
    private void ApplyTenantFilters(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DealerGroup>().HasQueryFilter(TenantFilter, g =>
            ScopeAll || ((ScopeAnyNetwork || g.NetworkId == ScopeNetworkId) && (ScopeAllGroups || g.Id == ScopeGroupId)));
        modelBuilder.Entity<Dealer>().HasQueryFilter(TenantFilter, d =>
            ScopeAll || ((ScopeAnyNetwork || d.DealerGroup!.NetworkId == ScopeNetworkId) && (ScopeAllGroups || d.DealerGroupId == ScopeGroupId)));
        modelBuilder.Entity<DealerBrand>().HasQueryFilter(TenantFilter, db =>
            ScopeAll || ((ScopeAnyNetwork || db.Dealer!.DealerGroup!.NetworkId == ScopeNetworkId) && (ScopeAllGroups || db.Dealer!.DealerGroupId == ScopeGroupId)));

        modelBuilder.Entity<Customer>().HasQueryFilter(TenantFilter, c =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || c.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || c.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<CustomerAddress>().HasQueryFilter(TenantFilter, a =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || a.Customer!.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || a.Customer!.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<CustomerEmail>().HasQueryFilter(TenantFilter, e =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || e.Customer!.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || e.Customer!.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<CustomerPhone>().HasQueryFilter(TenantFilter, p =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || p.Customer!.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || p.Customer!.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<ConsentRecord>().HasQueryFilter(TenantFilter, c =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || c.Customer!.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || c.Customer!.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<Relationship>().HasQueryFilter(TenantFilter, r =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || r.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || r.Customer!.DealerGroup!.NetworkId == ScopeNetworkId)));

        modelBuilder.Entity<WholesaleCustomer>().HasQueryFilter(TenantFilter, w =>
            ScopeAll || (ScopeWholesale && ScopePersonalData && (ScopeAnyNetwork || w.NetworkId == ScopeNetworkId)));

        // A vehicle belongs to no group: a group sees the vehicles its customers have (or had) relationships with.
        modelBuilder.Entity<Vehicle>().HasQueryFilter(TenantFilter, v =>
            ScopeAll || (ScopePersonalData && (ScopeAnyNetwork || v.NetworkId == ScopeNetworkId)
                && (ScopeAllGroups || v.Relationships.Any(r => r.DealerGroupId == ScopeGroupId))));
        modelBuilder.Entity<PlateRegistration>().HasQueryFilter(TenantFilter, p =>
            ScopeAll || (ScopePersonalData && (ScopeAnyNetwork || p.Vehicle!.NetworkId == ScopeNetworkId)
                && (ScopeAllGroups || p.Vehicle!.Relationships.Any(r => r.DealerGroupId == ScopeGroupId))));
        modelBuilder.Entity<MileageReading>().HasQueryFilter(TenantFilter, m =>
            ScopeAll || (ScopePersonalData && (ScopeAnyNetwork || m.Vehicle!.NetworkId == ScopeNetworkId)
                && (ScopeAllGroups || m.Vehicle!.Relationships.Any(r => r.DealerGroupId == ScopeGroupId))));

        // Group-owned operational records (imports, workshop, sales, stock): the group's own users, and network users
        // of that network. Import files carry no personal data themselves, but their rejects hold raw rows: same rule.
        modelBuilder.Entity<ImportFile>().HasQueryFilter(TenantFilter, f =>
            ScopeAll || ((ScopeAnyNetwork || f.NetworkId == ScopeNetworkId) && (ScopeAllGroups || f.DealerGroupId == ScopeGroupId)));
        modelBuilder.Entity<ImportReject>().HasQueryFilter(TenantFilter, r =>
            ScopeAll || (ScopePersonalData && (ScopeAnyNetwork || r.ImportFile!.NetworkId == ScopeNetworkId)
                && (ScopeAllGroups || r.ImportFile!.DealerGroupId == ScopeGroupId)));
        modelBuilder.Entity<ImportDuplicate>().HasQueryFilter(TenantFilter, d =>
            ScopeAll || (ScopePersonalData && (ScopeAnyNetwork || d.ImportFile!.NetworkId == ScopeNetworkId)
                && (ScopeAllGroups || d.ImportFile!.DealerGroupId == ScopeGroupId)));
        // Staging rows and the key map are the pipeline's own: only system contexts see them.
        modelBuilder.Entity<ImportStagingRow>().HasQueryFilter(TenantFilter, _ => ScopeAll);
        modelBuilder.Entity<DmsRecord>().HasQueryFilter(TenantFilter, _ => ScopeAll);
        modelBuilder.Entity<ImportProfile>().HasQueryFilter(TenantFilter, p => ScopeAll || ScopeAnyNetwork || p.NetworkId == ScopeNetworkId);
        modelBuilder.Entity<ImportReportSubscription>().HasQueryFilter(TenantFilter, s =>
            ScopeAll || ((ScopeAnyNetwork || s.NetworkId == ScopeNetworkId) && (ScopeAllGroups || s.DealerGroupId == ScopeGroupId)));
        modelBuilder.Entity<SystemNotification>().HasQueryFilter(TenantFilter, n =>
            ScopeAll || ((ScopeAnyNetwork || n.NetworkId == ScopeNetworkId) && (ScopeAllGroups || n.DealerGroupId == ScopeGroupId)));

        modelBuilder.Entity<ServiceVisit>().HasQueryFilter(TenantFilter, v =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || v.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || v.Dealer!.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<ServiceLabourLine>().HasQueryFilter(TenantFilter, l =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || l.ServiceVisit!.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || l.ServiceVisit!.Dealer!.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<ServicePartLine>().HasQueryFilter(TenantFilter, l =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || l.ServiceVisit!.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || l.ServiceVisit!.Dealer!.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<WorkshopBooking>().HasQueryFilter(TenantFilter, b =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || b.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || b.Dealer!.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<WorkshopTransaction>().HasQueryFilter(TenantFilter, t =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || t.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || t.Dealer!.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<VehicleSale>().HasQueryFilter(TenantFilter, s =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || s.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || s.Dealer!.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<StockVehicle>().HasQueryFilter(TenantFilter, s =>
            ScopeAll || ((ScopeAllGroups || s.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || s.Dealer!.DealerGroup!.NetworkId == ScopeNetworkId)));

        // Dedup: a group's candidates and merges to its own stewards (and the network's); wholesale pairs span
        // groups, so only users who see the wholesale picture see them. Runs and rule sets are the network's.
        modelBuilder.Entity<MatchCandidate>().HasQueryFilter(TenantFilter, c =>
            ScopeAll || (ScopePersonalData && (ScopeAnyNetwork || c.NetworkId == ScopeNetworkId)
                && (c.DealerGroupId == null ? ScopeWholesale : (ScopeAllGroups || c.DealerGroupId == ScopeGroupId))));
        modelBuilder.Entity<RecordMerge>().HasQueryFilter(TenantFilter, m =>
            ScopeAll || (ScopePersonalData && (ScopeAnyNetwork || m.NetworkId == ScopeNetworkId)
                && (m.DealerGroupId == null ? ScopeWholesale : (ScopeAllGroups || m.DealerGroupId == ScopeGroupId))));
        modelBuilder.Entity<DedupRun>().HasQueryFilter(TenantFilter, r => ScopeAll || ScopeAnyNetwork || r.NetworkId == ScopeNetworkId);
        modelBuilder.Entity<DedupRuleSet>().HasQueryFilter(TenantFilter, r => ScopeAll || ScopeAnyNetwork || r.NetworkId == ScopeNetworkId);

        // Campaigns: a group's (and its dealers') campaigns to the group and the network; network campaigns to network
        // users only. Members and messages name customers: personal data, and the member's group decides.
        modelBuilder.Entity<Campaign>().HasQueryFilter(TenantFilter, c =>
            ScopeAll || ((ScopeAnyNetwork || c.NetworkId == ScopeNetworkId)
                && (ScopeAllGroups || (c.DealerGroupId != null && c.DealerGroupId == ScopeGroupId))));
        modelBuilder.Entity<CampaignContent>().HasQueryFilter(TenantFilter, c =>
            ScopeAll || ((ScopeAnyNetwork || c.Campaign!.NetworkId == ScopeNetworkId)
                && (ScopeAllGroups || (c.Campaign!.DealerGroupId != null && c.Campaign!.DealerGroupId == ScopeGroupId))));
        modelBuilder.Entity<AudienceTemplate>().HasQueryFilter(TenantFilter, t =>
            ScopeAll || ((ScopeAnyNetwork || t.NetworkId == ScopeNetworkId)
                && (ScopeAllGroups || (t.DealerGroupId != null && t.DealerGroupId == ScopeGroupId))));
        modelBuilder.Entity<CampaignRun>().HasQueryFilter(TenantFilter, r =>
            ScopeAll || ((ScopeAnyNetwork || r.NetworkId == ScopeNetworkId)
                && (ScopeAllGroups || (r.DealerGroupId != null && r.DealerGroupId == ScopeGroupId))));
        modelBuilder.Entity<CampaignRunMember>().HasQueryFilter(TenantFilter, m =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || m.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || m.Customer!.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<CampaignMessage>().HasQueryFilter(TenantFilter, m =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || m.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || m.Customer!.DealerGroup!.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<Campaigns.Scheduling.CampaignSchedule>().HasQueryFilter(TenantFilter, s =>
            ScopeAll || ((ScopeAnyNetwork || s.NetworkId == ScopeNetworkId)
                && (ScopeAllGroups || (s.DealerGroupId != null && s.DealerGroupId == ScopeGroupId))));
        // A network-wide suppression binds every group's marketing: visible to the network's groups too.
        modelBuilder.Entity<Suppression>().HasQueryFilter(TenantFilter, s =>
            ScopeAll || (ScopePersonalData && (ScopeAnyNetwork || s.NetworkId == ScopeNetworkId)
                && (ScopeAllGroups || s.DealerGroupId == null || s.DealerGroupId == ScopeGroupId)));

        // Images follow their campaign's owner; the public address is served through a system context.
        modelBuilder.Entity<Campaigns.Content.CampaignImage>().HasQueryFilter(TenantFilter, i =>
            ScopeAll || ((ScopeAnyNetwork || i.NetworkId == ScopeNetworkId)
                && (ScopeAllGroups || (i.DealerGroupId != null && i.DealerGroupId == ScopeGroupId))));
        ApplyTrackingFilters(modelBuilder);

        modelBuilder.Entity<Customer>().HasQueryFilter(LiveFilter, c => c.MergedIntoId == null);
        modelBuilder.Entity<Vehicle>().HasQueryFilter(LiveFilter, v => v.MergedIntoId == null);

        // History follows the record it describes: organisation-level rows (no group) only for network users.
        modelBuilder.Entity<AuditEntry>().HasQueryFilter(TenantFilter, a =>
            ScopeAll || (ScopePersonalData && (ScopeAnyNetwork || a.NetworkId == ScopeNetworkId)
                && (ScopeAllGroups ? true : a.DealerGroupId == ScopeGroupId)));
    }
}
