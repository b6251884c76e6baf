using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Relationships;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Persistence;

/// <summary>
/// Rules every save obeys, whoever writes: a desk user, an import or a merge. Their look-ups ignore the tenant
/// filters: an integrity rule must see every row, whatever the writer may read.
/// </summary>
internal static class SaveRules
{
    public static void EnsureAppendOnly(CrmDbContext context)
    {
        foreach (var entry in context.ChangeTracker.Entries<IAppendOnly>())
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted)
            {
                // A customer's consents cascade with the customer only through the database (merges keep tombstones).
                throw new DomainException($"{entry.Entity.GetType().Name} rows are history: they can be added, never changed or deleted.");
            }
        }
    }

    /// <summary>
    /// A change to an address, e-mail or phone is a change to the customer (its update time and version, and so its
    /// wholesale record). The customer is loaded when the contact was changed on its own.
    /// </summary>
    public static async Task TouchCustomersOfChangedContactsAsync(CrmDbContext context, CancellationToken cancellationToken)
    {
        var customerIds = new HashSet<long>();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            var customerId = entry.Entity switch
            {
                CustomerAddress a => a.Customer?.Id ?? a.CustomerId,
                CustomerEmail e => e.Customer?.Id ?? e.CustomerId,
                CustomerPhone p => p.Customer?.Id ?? p.CustomerId,
                _ => 0,
            };
            if (customerId != 0)
            {
                customerIds.Add(customerId);
            }
        }

        var tracked = context.ChangeTracker.Entries<Customer>().Select(e => e.Entity.Id).ToHashSet();
        var missing = customerIds.Where(id => !tracked.Contains(id)).ToList();
        if (missing.Count > 0)
        {
            await context.Customers.IgnoreQueryFilters().Where(c => missing.Contains(c.Id)).LoadAsync(cancellationToken);
        }

        foreach (var entry in context.ChangeTracker.Entries<Customer>())
        {
            if (entry.State == EntityState.Unchanged && customerIds.Contains(entry.Entity.Id))
            {
                entry.State = EntityState.Modified;
            }
        }

        foreach (var entry in context.ChangeTracker.Entries<Customer>())
        {
            if (entry.State == EntityState.Modified)
            {
                entry.Entity.Version++;
            }
        }
    }

    /// <summary>
    /// The domain's half of the relationship rule (the database's half is the unique index on the current row):
    /// each new or changed relationship joins a dealer and a customer of the same group, and its period does not
    /// overlap any other period of the same (dealer, customer, vehicle), saved or about to be saved.
    /// </summary>
    public static async Task EnsureRelationshipsValidAsync(CrmDbContext context, CancellationToken cancellationToken)
    {
        var changed = context.ChangeTracker.Entries<Relationship>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified)
            .Select(e => e.Entity)
            .ToList();
        if (changed.Count == 0)
        {
            return;
        }

        foreach (var r in changed)
        {
            SyncKeys(r);
        }

        var dealerIds = changed.Select(r => r.DealerId).Where(id => id != 0).Distinct().ToList();
        var dealerGroups = await context.Dealers.IgnoreQueryFilters().AsNoTracking()
            .Where(d => dealerIds.Contains(d.Id))
            .Select(d => new { d.Id, d.DealerGroupId })
            .ToDictionaryAsync(d => d.Id, d => d.DealerGroupId, cancellationToken);
        var customerIds = changed.Select(r => r.CustomerId).Where(id => id != 0).Distinct().ToList();
        var customerGroups = await context.Customers.IgnoreQueryFilters().AsNoTracking()
            .Where(c => customerIds.Contains(c.Id))
            .Select(c => new { c.Id, c.DealerGroupId })
            .ToDictionaryAsync(c => c.Id, c => c.DealerGroupId, cancellationToken);

        foreach (var r in changed)
        {
            var dealerGroup = r.Dealer?.DealerGroupId is > 0 ? r.Dealer.DealerGroupId : dealerGroups.GetValueOrDefault(r.DealerId);
            var customerGroup = r.Customer?.DealerGroupId is > 0 ? r.Customer.DealerGroupId : customerGroups.GetValueOrDefault(r.CustomerId);
            if (dealerGroup == 0 || customerGroup == 0)
            {
                continue; // New dealer or customer in this save: the foreign keys decide.
            }

            if (dealerGroup != customerGroup)
            {
                throw new DomainException("A relationship joins a dealer and a customer of the same dealer group: the customer record belongs to another group.");
            }

            r.DealerGroupId = dealerGroup;
        }

        // Compare against the saved periods of the same triangles; tracked versions replace their saved rows.
        var triangles = changed.Where(r => r.DealerId != 0 && r.CustomerId != 0 && r.VehicleId != 0)
            .Select(r => (r.DealerId, r.CustomerId, r.VehicleId)).Distinct().ToList();
        var vehicleIds = triangles.Select(t => t.VehicleId).Distinct().ToList();
        var saved = triangles.Count == 0
            ? []
            : await context.Relationships.IgnoreQueryFilters().AsNoTracking()
                .Where(r => vehicleIds.Contains(r.VehicleId) && customerIds.Contains(r.CustomerId))
                .ToListAsync(cancellationToken);
        var tracked = context.ChangeTracker.Entries<Relationship>()
            .Where(e => e.State != EntityState.Deleted)
            .Select(e => e.Entity)
            .ToList();
        var deleted = context.ChangeTracker.Entries<Relationship>()
            .Where(e => e.State == EntityState.Deleted)
            .Select(e => e.Entity.Id)
            .ToHashSet();
        var trackedIds = tracked.Where(r => r.Id != 0).Select(r => r.Id).ToHashSet();
        var all = saved.Where(r => !trackedIds.Contains(r.Id) && !deleted.Contains(r.Id)).Concat(tracked)
            .Where(r => triangles.Contains((r.DealerId, r.CustomerId, r.VehicleId)));
        RelationshipRules.EnsureNoOverlap(all);
    }

    private static void SyncKeys(Relationship r)
    {
        if (r.Dealer is not null && r.Dealer.Id != 0)
        {
            r.DealerId = r.Dealer.Id;
        }

        if (r.Customer is not null && r.Customer.Id != 0)
        {
            r.CustomerId = r.Customer.Id;
        }

        if (r.Vehicle is not null && r.Vehicle.Id != 0)
        {
            r.VehicleId = r.Vehicle.Id;
        }
    }
}
