using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Wholesale;

/// <summary>
/// Keeps wholesale records in step with their retail records inside <see cref="CrmDbContext.SaveChangesAsync(bool, CancellationToken)"/>.
/// Before the save it gives every new retail record its own wholesale record (until dedup links it to another
/// person's) and notes which wholesale records are touched; after the retail rows are written, in the same
/// transaction, it recomputes those from the database. The recompute reads every linked retail record, in every
/// group, whatever the writer may see: the wholesale record is the network's.
/// </summary>
internal static class WholesaleSync
{
    public static async Task<HashSet<long>> PrepareAsync(CrmDbContext context, CancellationToken cancellationToken)
    {
        var affected = new HashSet<long>();
        var newWholesale = new List<Customer>();
        foreach (var entry in context.ChangeTracker.Entries<Customer>())
        {
            switch (entry.State)
            {
                case EntityState.Added:
                    if (entry.Entity.WholesaleCustomer is null && entry.Entity.WholesaleCustomerId == 0)
                    {
                        newWholesale.Add(entry.Entity);
                    }
                    else
                    {
                        affected.Add(0); // Linked to an existing or new wholesale record: resolved after the save.
                    }

                    break;
                case EntityState.Modified:
                case EntityState.Deleted:
                    affected.Add(entry.Entity.WholesaleCustomerId);
                    var original = entry.Property(c => c.WholesaleCustomerId).OriginalValue;
                    if (original != 0)
                    {
                        affected.Add(original);
                    }

                    break;
            }
        }

        if (newWholesale.Count > 0)
        {
            var groupIds = newWholesale.Select(c => c.DealerGroup?.Id ?? c.DealerGroupId).Distinct().ToList();
            var networks = await context.DealerGroups.IgnoreQueryFilters().AsNoTracking()
                .Where(g => groupIds.Contains(g.Id))
                .ToDictionaryAsync(g => g.Id, g => g.NetworkId, cancellationToken);
            foreach (var customer in newWholesale)
            {
                var networkId = customer.DealerGroup?.NetworkId is > 0
                    ? customer.DealerGroup.NetworkId
                    : networks.GetValueOrDefault(customer.DealerGroup?.Id ?? customer.DealerGroupId);
                var wholesale = new WholesaleCustomer { NetworkId = networkId, Network = customer.DealerGroup?.Network };
                customer.WholesaleCustomer = wholesale;
                context.WholesaleCustomers.Add(wholesale);
            }

            affected.Add(0);
        }

        return affected;
    }

    public static async Task RecomputeAsync(CrmDbContext context, HashSet<long> affected, CancellationToken cancellationToken)
    {
        if (affected.Remove(0))
        {
            // Newly added customers now have keys: include the wholesale records they point at.
            foreach (var entry in context.ChangeTracker.Entries<Customer>())
            {
                affected.Add(entry.Entity.WholesaleCustomerId);
            }
        }

        affected.Remove(0);
        var ids = affected.ToList();
        // Every group's records (the tenant filter off), but not tombstones: a merged-away record no longer speaks.
        var retail = await context.Customers.IgnoreQueryFilters([CrmDbContext.TenantFilter]).AsNoTracking()
            .Where(c => ids.Contains(c.WholesaleCustomerId))
            .Include(c => c.Emails)
            .Include(c => c.Phones)
            .Include(c => c.Addresses)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        var byWholesale = retail.ToLookup(c => c.WholesaleCustomerId);
        var wholesaleRecords = await context.WholesaleCustomers.IgnoreQueryFilters()
            .Where(w => ids.Contains(w.Id))
            .ToListAsync(cancellationToken);

        foreach (var wholesale in wholesaleRecords)
        {
            var linked = byWholesale[wholesale.Id].ToList();
            if (linked.Count == 0)
            {
                context.WholesaleCustomers.Remove(wholesale);
                continue;
            }

            WholesaleComposer.Compose(wholesale, linked);
        }
    }
}
