using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Sales;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace AutomotiveCrm.Domain.Imports.Merging;

/// <summary>
/// Saves what a merge batch did to the change tracker, with the new rows written by the <see cref="BulkWriter"/>
/// instead of EF Core: a DMS file is mostly new records (visits, vehicles, plates, readings, relationships), and
/// EF Core's per-entity insert and audit cost made a service history file crawl. Changes to existing records (a
/// relationship that ends, a plate that closes, a customer's payment method) still go through SaveChanges, so they
/// are checked by the save rules and audited field by field.
/// </summary>
/// <remarks>
/// Order matters: new rows other than relationships and sales first (they are what changed rows may point at);
/// then SaveChanges (ending a current relationship before its successor is written keeps the unique index on
/// current relationships satisfied); then the new relationships, then the sales that opened them. A batch where a
/// changed row points at a new relationship or sale, or that deletes anything (a corrected sale), cannot be split
/// that way and is saved by EF Core whole. New rows are stamped with the chunk's time and are not audited: their
/// SourceFileId and the key map name the file they came from, as for customers.
/// </remarks>
internal static class TrackedInserts
{
    private static readonly HashSet<Type> Late = [typeof(Relationship), typeof(VehicleSale)];

    public static async Task SaveAsync(CrmDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var tracker = db.ChangeTracker;
        tracker.DetectChanges();
        var added = tracker.Entries().Where(e => e.State == EntityState.Added).ToList();
        if (added.Count == 0 || !CanSplit(tracker))
        {
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        foreach (var entry in added)
        {
            if (entry.Entity is ITimestamped stamped)
            {
                stamped.CreatedAt = stamped.CreatedAt == default ? now : stamped.CreatedAt;
                stamped.UpdatedAt = stamped.UpdatedAt == default ? stamped.CreatedAt : stamped.UpdatedAt;
            }
        }

        // Real ids for every new row; EF Core carries each principal's new key into its tracked dependents' keys.
        var byType = added.GroupBy(e => e.Metadata.ClrType).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var (type, entries) in byType)
        {
            var ids = await MergeSql.ReserveIdsAsync(db, entries[0].Metadata.GetTableName()!, entries.Count, cancellationToken);
            for (var i = 0; i < entries.Count; i++)
            {
                entries[i].Property(nameof(Entity.Id)).CurrentValue = ids[i];
            }
        }

        tracker.DetectChanges();
        var order = InsertOrder(db, byType.Keys);
        foreach (var entry in added)
        {
            entry.State = EntityState.Unchanged;
        }

        await using var writer = BulkWriter.Create(db);
        foreach (var type in order.Where(t => !Late.Contains(t)))
        {
            await WriteAsync(writer, type, byType[type], cancellationToken);
        }

        // Nothing else changed (a first load): no save, whose rules would only walk the rows just written.
        if (tracker.Entries().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        foreach (var type in order.Where(Late.Contains))
        {
            await WriteAsync(writer, type, byType[type], cancellationToken);
        }
    }

    /// <summary>Whether no changed row points at a new row written late, and nothing is deleted.</summary>
    private static bool CanSplit(ChangeTracker tracker)
    {
        foreach (var entry in tracker.Entries())
        {
            if (entry.State == EntityState.Deleted)
            {
                return false;
            }

            if (entry.State == EntityState.Modified
                && entry.References.Any(r => r.TargetEntry is { State: EntityState.Added } target && Late.Contains(target.Metadata.ClrType)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Principals before dependents, by the model's foreign keys among the types at hand.</summary>
    private static List<Type> InsertOrder(CrmDbContext db, IEnumerable<Type> types)
    {
        var pending = types.ToHashSet();
        var order = new List<Type>();
        while (pending.Count > 0)
        {
            var ready = pending
                .Where(t => !db.Model.FindEntityType(t)!.GetForeignKeys()
                    .Any(fk => fk.PrincipalEntityType.ClrType != t && pending.Contains(fk.PrincipalEntityType.ClrType)))
                .OrderBy(t => t.Name, StringComparer.Ordinal)
                .ToList();
            if (ready.Count == 0)
            {
                throw new InvalidOperationException("The new rows' types depend on each other in a cycle: " + string.Join(", ", pending.Select(t => t.Name)));
            }

            order.AddRange(ready);
            pending.ExceptWith(ready);
        }

        return order;
    }

    private static Task WriteAsync(BulkWriter writer, Type type, List<EntityEntry> entries, CancellationToken cancellationToken) =>
        (Task)typeof(TrackedInserts).GetMethod(nameof(WriteTypedAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(type)
            .Invoke(null, [writer, entries, cancellationToken])!;

    private static Task WriteTypedAsync<T>(BulkWriter writer, List<EntityEntry> entries, CancellationToken cancellationToken)
        where T : class =>
        writer.InsertAsync(entries.Select(e => (T)e.Entity).ToArray(), cancellationToken);
}
