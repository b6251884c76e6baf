using AutomotiveCrm.Domain.Notifications;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Notifications;

public sealed record NotificationItem(long Id, string Category, NotificationSeverity Severity, string Title, string Message, string? Link, DateTime CreatedAt);

public sealed record NotificationInbox(int Count, IReadOnlyList<NotificationItem> Latest);

/// <summary>
/// The unacknowledged system notifications the user's context sees (the tenant filter: a group's users get their
/// group's notices, network users the network's and every group's) and acknowledging them.
/// </summary>
public static class NotificationQueries
{
    public static async Task<NotificationInbox> UnacknowledgedAsync(CrmDbContext db, int take = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var open = db.SystemNotifications.AsNoTracking().Where(n => n.AcknowledgedAt == null);
        var count = await open.CountAsync(cancellationToken);
        var latest = count == 0
            ? []
            : await open.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(take)
                .Select(n => new NotificationItem(n.Id, n.Category, n.Severity, n.Title, n.Message, n.Link, n.CreatedAt))
                .ToListAsync(cancellationToken);
        return new NotificationInbox(count, latest);
    }

    /// <summary>Marks a visible notice acknowledged by <paramref name="who"/>; false when it is not visible or already acknowledged.</summary>
    public static async Task<bool> AcknowledgeAsync(CrmDbContext db, long id, string who, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var notice = await db.SystemNotifications.FirstOrDefaultAsync(n => n.Id == id && n.AcknowledgedAt == null, cancellationToken);
        if (notice is null)
        {
            return false;
        }

        notice.AcknowledgedAt = now;
        notice.AcknowledgedBy = who.Length <= 256 ? who : who[..256];
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
