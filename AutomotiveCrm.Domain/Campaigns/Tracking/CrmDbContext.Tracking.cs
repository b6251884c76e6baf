using AutomotiveCrm.Domain.Campaigns.Tracking;
using Microsoft.EntityFrameworkCore;

// The sets and filters live with the context (the filters must read `this`), in the tracking feature folder.
#pragma warning disable IDE0130
namespace AutomotiveCrm.Domain.Persistence;
#pragma warning restore IDE0130

public abstract partial class CrmDbContext
{
    public DbSet<MessageEvent> MessageEvents => Set<MessageEvent>();
    public DbSet<TrackedLink> TrackedLinks => Set<TrackedLink>();

    /// <summary>Events and links name customers: personal data, and the message's group decides, as for the messages.</summary>
    private void ApplyTrackingFilters(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<MessageEvent>().HasQueryFilter(TenantFilter, e =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || e.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || e.NetworkId == ScopeNetworkId)));
        modelBuilder.Entity<TrackedLink>().HasQueryFilter(TenantFilter, l =>
            ScopeAll || (ScopePersonalData && (ScopeAllGroups || l.Message!.DealerGroupId == ScopeGroupId)
                && (ScopeAnyNetwork || l.Message!.Customer!.DealerGroup!.NetworkId == ScopeNetworkId)));
    }
}
