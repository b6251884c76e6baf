using System.Text.Json;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Audit;

/// <summary>Whose history to show: a customer's (its own rows and its contacts, consents, relationships) or a vehicle's.</summary>
public enum HistorySubject
{
    Customer,
    Vehicle,
}

/// <summary>Filters of the History tab; all optional.</summary>
public sealed record HistoryFilter(string? Text = null, AuditSource? Source = null, AuditAction? Action = null, DateTime? FromUtc = null, DateTime? ToUtc = null);

/// <summary>One changed field of an audit row.</summary>
public sealed record FieldChange(string Field, string? Old, string? New);

public sealed record HistoryRow(
    long Id,
    DateTime At,
    string UserName,
    AuditSource Source,
    string? CorrelationId,
    string EntityType,
    string EntityKey,
    AuditAction Action,
    IReadOnlyList<FieldChange> Changes);

public sealed record HistoryPage(IReadOnlyList<HistoryRow> Rows, int Total);

/// <summary>
/// Reads a record's history, newest first. The context's tenant filters apply: a user who cannot see the record's
/// group sees no history either.
/// </summary>
public static class AuditHistory
{
    public static async Task<HistoryPage> LoadAsync(CrmDbContext db, HistorySubject subject, long id, HistoryFilter filter,
        int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        var query = subject == HistorySubject.Customer
            ? db.AuditEntries.Where(a => a.CustomerId == id)
            : db.AuditEntries.Where(a => a.VehicleId == id);
        if (filter.Source is { } source)
        {
            query = query.Where(a => a.Source == source);
        }

        if (filter.Action is { } action)
        {
            query = query.Where(a => a.Action == action);
        }

        if (filter.FromUtc is { } from)
        {
            query = query.Where(a => a.At >= from);
        }

        if (filter.ToUtc is { } to)
        {
            query = query.Where(a => a.At < to);
        }

        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            var text = filter.Text.Trim();
            query = query.Where(a => a.UserName.Contains(text) || a.EntityType.Contains(text) || a.Changes.Contains(text));
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip(skip).Take(take)
            .ToListAsync(cancellationToken);
        return new HistoryPage(rows.Select(ToRow).ToList(), total);
    }

    public static HistoryRow ToRow(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var changes = JsonSerializer.Deserialize<Dictionary<string, string?[]>>(entry.Changes) ?? [];
        return new HistoryRow(entry.Id, entry.At, entry.UserName, entry.Source, entry.CorrelationId, entry.EntityType, entry.EntityKey,
            entry.Action, changes.Select(kv => new FieldChange(kv.Key, kv.Value.ElementAtOrDefault(0), kv.Value.ElementAtOrDefault(1))).ToList());
    }
}
