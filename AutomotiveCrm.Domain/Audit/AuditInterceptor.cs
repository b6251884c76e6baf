using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Domain.Wholesale;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace AutomotiveCrm.Domain.Audit;

/// <summary>
/// Records every insert, update and delete of domain data: who (the context's <see cref="CrmDbContext.Actor"/>),
/// when (the clock), which row, each changed field old -> new, source and correlation id. Changes are captured
/// before the save (original values are still known) and written after it (generated keys are known), on the same
/// connection and inside the transaction <see cref="CrmDbContext"/> always opens around a save, so a change and its
/// audit rows commit or roll back together. Secrets of Identity (password hashes, stamps, tokens) are never written.
/// </summary>
public sealed class AuditInterceptor(TimeProvider clock) : SaveChangesInterceptor
{
    // Timestamps and the version move with every save: history shows what a person would call a change.
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal)
    {
        nameof(ITimestamped.UpdatedAt), nameof(ITimestamped.CreatedAt), nameof(Customer.Version),
        nameof(IdentityUser.PasswordHash), nameof(IdentityUser.SecurityStamp), nameof(IdentityUser.ConcurrencyStamp),
        nameof(IdentityUser.NormalizedEmail), nameof(IdentityUser.NormalizedUserName),
    };

    private readonly ConditionalWeakTable<DbContext, List<PendingAudit>> pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Capture(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Capture(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        WriteAsync(eventData.Context, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await WriteAsync(eventData.Context, cancellationToken);
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            pending.Remove(context);
        }
    }

    private void Capture(DbContext? context)
    {
        if (context is not CrmDbContext)
        {
            return;
        }

        var list = new List<PendingAudit>();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted) || !IsAudited(entry.Entity))
            {
                continue;
            }

            var action = entry.State switch
            {
                EntityState.Added => AuditAction.Insert,
                EntityState.Modified => AuditAction.Update,
                _ => AuditAction.Delete,
            };
            var changes = new SortedDictionary<string, string?[]>(StringComparer.Ordinal);
            foreach (var property in entry.Properties)
            {
                var name = property.Metadata.Name;
                if (Skipped.Contains(name) || property.Metadata.IsPrimaryKey() && action == AuditAction.Insert)
                {
                    continue;
                }

                switch (action)
                {
                    case AuditAction.Insert when property.CurrentValue is not null:
                        changes[name] = [null, Format(property.CurrentValue)];
                        break;
                    case AuditAction.Update when property.IsModified && !Equals(property.OriginalValue, property.CurrentValue):
                        changes[name] = [Format(property.OriginalValue), Format(property.CurrentValue)];
                        break;
                    case AuditAction.Delete when property.OriginalValue is not null:
                        changes[name] = [Format(property.OriginalValue), null];
                        break;
                }
            }

            if (action == AuditAction.Update && changes.Count == 0)
            {
                continue; // Touched (version or time only): nothing a person would call a change.
            }

            list.Add(new PendingAudit(entry, action, changes));
        }

        if (list.Count > 0)
        {
            pending.AddOrUpdate(context, list);
        }
        else
        {
            pending.Remove(context);
        }
    }

    private async Task WriteAsync(DbContext? context, CancellationToken cancellationToken)
    {
        if (context is not CrmDbContext db || !pending.TryGetValue(context, out var list))
        {
            return;
        }

        pending.Remove(context);
        var now = clock.GetUtcNow().UtcDateTime;
        var actor = db.Actor;
        var rows = new List<AuditEntry>(list.Count);
        var groupNetworks = new Dictionary<long, long>();
        foreach (var item in list)
        {
            var links = Links(item.Entry);
            rows.Add(new AuditEntry
            {
                At = now,
                UserId = actor.UserId,
                UserName = actor.UserName,
                Source = actor.Source,
                CorrelationId = actor.CorrelationId,
                EntityType = item.Entry.Metadata.ClrType.Name,
                EntityKey = KeyOf(item.Entry),
                Action = item.Action,
                Changes = JsonSerializer.Serialize(item.Changes),
                NetworkId = links.NetworkId,
                DealerGroupId = links.GroupId,
                CustomerId = links.CustomerId,
                VehicleId = links.VehicleId,
            });
        }

        await ResolveGroupsAsync(db, rows, groupNetworks, cancellationToken);
        await InsertAsync(db, rows, cancellationToken);
    }

    /// <summary>Rows that name a customer but not its group (contacts, consents) get the group and network from the database.</summary>
    private static async Task ResolveGroupsAsync(CrmDbContext db, List<AuditEntry> rows, Dictionary<long, long> groupNetworks, CancellationToken cancellationToken)
    {
        var customerIds = rows.Where(r => r.DealerGroupId is null && r.CustomerId is not null).Select(r => r.CustomerId!.Value).Distinct().ToList();
        var customerGroups = customerIds.Count == 0
            ? []
            : await db.Customers.IgnoreQueryFilters().AsNoTracking().Where(c => customerIds.Contains(c.Id))
                .Select(c => new { c.Id, c.DealerGroupId }).ToDictionaryAsync(c => c.Id, c => c.DealerGroupId, cancellationToken);
        foreach (var row in rows.Where(r => r.DealerGroupId is null && r.CustomerId is not null))
        {
            if (customerGroups.TryGetValue(row.CustomerId!.Value, out var group))
            {
                row.DealerGroupId = group;
            }
        }

        var groupIds = rows.Where(r => r.NetworkId is null && r.DealerGroupId is not null).Select(r => r.DealerGroupId!.Value).Distinct().ToList();
        if (groupIds.Count > 0)
        {
            foreach (var g in await db.DealerGroups.IgnoreQueryFilters().AsNoTracking().Where(g => groupIds.Contains(g.Id))
                .Select(g => new { g.Id, g.NetworkId }).ToListAsync(cancellationToken))
            {
                groupNetworks[g.Id] = g.NetworkId;
            }

            foreach (var row in rows.Where(r => r.NetworkId is null && r.DealerGroupId is not null))
            {
                if (groupNetworks.TryGetValue(row.DealerGroupId!.Value, out var network))
                {
                    row.NetworkId = network;
                }
            }
        }
    }

    private static async Task InsertAsync(CrmDbContext db, List<AuditEntry> rows, CancellationToken cancellationToken)
    {
        var entity = db.Model.FindEntityType(typeof(AuditEntry))!;
        var table = entity.GetTableName()!;
        var columns = entity.GetProperties().Where(p => !p.IsPrimaryKey()).ToList();
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        const int RowsPerCommand = 100;
        for (var offset = 0; offset < rows.Count; offset += RowsPerCommand)
        {
            var chunk = rows.Skip(offset).Take(RowsPerCommand).ToList();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var values = new List<string>(chunk.Count);
            for (var i = 0; i < chunk.Count; i++)
            {
                var names = new List<string>(columns.Count);
                for (var c = 0; c < columns.Count; c++)
                {
                    var column = columns[c];
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = string.Create(CultureInfo.InvariantCulture, $"@a{i}_{c}");
                    var raw = column.PropertyInfo!.GetValue(chunk[i]);
                    var converter = column.GetTypeMapping().Converter;
                    parameter.Value = (converter is null || raw is null ? raw : converter.ConvertToProvider(raw)) ?? DBNull.Value;
                    command.Parameters.Add(parameter);
                    names.Add(parameter.ParameterName);
                }

                values.Add("(" + string.Join(", ", names) + ")");
            }

            command.CommandText = $"INSERT INTO {Quote(table)} ({string.Join(", ", columns.Select(c => Quote(c.GetColumnName())))}) VALUES {string.Join(", ", values)}";
            await ExecuteAsync(db, command, cancellationToken);
        }
    }

    private static async Task ExecuteAsync(CrmDbContext db, DbCommand command, CancellationToken cancellationToken)
    {
        var opened = false;
        if (command.Connection!.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            opened = true;
        }

        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    // Double quotes are standard SQL and accepted by all three providers (SQL Server with QUOTED_IDENTIFIER on).
    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static bool IsAudited(object entity) => entity switch
    {
        AuditEntry => false,
        IdentityUserToken<string> or IdentityUserLogin<string> or IdentityUserClaim<string> or IdentityRoleClaim<string> => false,
        _ => true,
    };

    private static string KeyOf(EntityEntry entry)
    {
        var key = entry.Metadata.FindPrimaryKey()!;
        return string.Join("|", key.Properties.Select(p => Format(entry.Property(p.Name).CurrentValue) ?? ""));
    }

    private static (long? NetworkId, long? GroupId, long? CustomerId, long? VehicleId) Links(EntityEntry entry) => entry.Entity switch
    {
        Customer c => (c.DealerGroup?.NetworkId, c.DealerGroupId, c.Id, null),
        CustomerAddress a => (null, a.Customer?.DealerGroupId, a.CustomerId, null),
        CustomerEmail e => (null, e.Customer?.DealerGroupId, e.CustomerId, null),
        CustomerPhone p => (null, p.Customer?.DealerGroupId, p.CustomerId, null),
        ConsentRecord c => (null, c.Customer?.DealerGroupId, c.CustomerId, null),
        Relationship r => (null, r.DealerGroupId, r.CustomerId, r.VehicleId),
        Vehicle v => (v.NetworkId, null, null, v.Id),
        PlateRegistration p => (null, null, null, p.VehicleId),
        MileageReading m => (null, null, null, m.VehicleId),
        WholesaleCustomer w => (w.NetworkId, null, null, null),
        DealerGroup g => (g.NetworkId, g.Id, null, null),
        Dealer d => (null, d.DealerGroupId, null, null),
        CrmUser u => (u.NetworkId, u.DealerGroupId, null, null),
        Network n => (n.Id, null, null, null),
        Brand b => (b.NetworkId, null, null, null),
        _ => (null, null, null, null),
    };

    private static string? Format(object? value) => value switch
    {
        null => null,
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Dictionary<string, long> map => JsonSerializer.Serialize(map),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private sealed record PendingAudit(EntityEntry Entry, AuditAction Action, SortedDictionary<string, string?[]> Changes);
}
