using System.Net.Mail;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Imports.Monitoring;

/// <summary>A subscriber of the daily import report, with the scope their report covers.</summary>
public sealed record ImportSubscriptionRow(long Id, string Email, long NetworkId, long? DealerGroupId, string ScopeName, DateTime CreatedAt);

/// <summary>
/// Who receives the daily KPI report. Through a user's context an administrator sees and changes only the
/// subscriptions of their scope (a group user: their group's); the scheduled job reads all through a system context.
/// </summary>
public static class ImportReportSubscriptions
{
    public static async Task<IReadOnlyList<ImportSubscriptionRow>> ListAsync(CrmDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.ImportReportSubscriptions.AsNoTracking()
            .OrderBy(s => s.DealerGroupId).ThenBy(s => s.Email)
            .Select(s => new { s.Id, s.Email, s.NetworkId, s.DealerGroupId, s.CreatedAt })
            .ToListAsync(cancellationToken);
        var groupIds = rows.Where(r => r.DealerGroupId is not null).Select(r => r.DealerGroupId!.Value).Distinct().ToList();
        var names = await db.DealerGroups.AsNoTracking().Where(g => groupIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
        return rows.Select(r => new ImportSubscriptionRow(r.Id, r.Email, r.NetworkId, r.DealerGroupId,
            r.DealerGroupId is { } g ? names.GetValueOrDefault(g, "Dealer group") : "Network", r.CreatedAt)).ToList();
    }

    /// <summary>Subscribes an address to the network's report (<paramref name="groupId"/> null) or one group's.</summary>
    /// <exception cref="DomainException">The address is not valid, the group is not visible, or the address already has that report.</exception>
    public static async Task<long> AddAsync(CrmDbContext db, long networkId, long? groupId, string email, DateTime now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var address = (email ?? "").Trim();
        if (address.Length is 0 or > 254 || !MailAddress.TryCreate(address, out var parsed) || parsed.Address != address)
        {
            throw new DomainException($"'{address}' is not a valid e-mail address.");
        }

        // A user's scope decides what they may subscribe: a group user only to their own group's report.
        if (db.Scope.GroupId is { } scopedGroup && groupId != scopedGroup)
        {
            throw new DomainException("You can subscribe addresses to your dealer group's report only.");
        }

        if (groupId is { } group && !await db.DealerGroups.AnyAsync(g => g.Id == group && g.NetworkId == networkId, cancellationToken))
        {
            throw new DomainException("That dealer group does not exist.");
        }

        var existing = await db.ImportReportSubscriptions.Where(s => s.NetworkId == networkId && s.DealerGroupId == groupId)
            .Select(s => s.Email).ToListAsync(cancellationToken);
        if (existing.Contains(address, StringComparer.OrdinalIgnoreCase))
        {
            throw new DomainException($"{address} already receives this report.");
        }

        var subscription = new ImportReportSubscription { NetworkId = networkId, DealerGroupId = groupId, Email = address, CreatedAt = now };
        db.ImportReportSubscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);
        return subscription.Id;
    }

    /// <summary>Removes a visible subscription; false when it does not exist or is outside the scope.</summary>
    public static async Task<bool> RemoveAsync(CrmDbContext db, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var subscription = await db.ImportReportSubscriptions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return false;
        }

        db.ImportReportSubscriptions.Remove(subscription);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
