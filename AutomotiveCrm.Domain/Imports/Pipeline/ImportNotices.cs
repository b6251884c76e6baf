using System.Globalization;
using AutomotiveCrm.Domain.Notifications;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Imports.Pipeline;

/// <summary>The systems team's notices about files: an in-app notification row, then the optional notifier (e-mail).</summary>
internal static class ImportNotices
{
    public const string FailedCategory = "import-failed";
    public const string RejectedDeliveryCategory = "import-rejected-delivery";

    /// <summary>The in-app notice of a failed file, added to <paramref name="db"/> (saved with the caller's changes).</summary>
    public static SystemNotification ForFailedFile(ImportFile file, string dealerCode, DateTime now) => new()
    {
        NetworkId = file.NetworkId,
        DealerGroupId = file.DealerGroupId,
        Category = FailedCategory,
        Severity = NotificationSeverity.Error,
        Title = Truncate($"Import failed: {file.OriginalName} ({dealerCode})", 200),
        Message = Truncate(string.Create(CultureInfo.InvariantCulture,
            $"Dealer {dealerCode}, {Describe(file.FileType)} file '{file.OriginalName}' (import {file.Id}, received {file.ReceivedAt:yyyy-MM-dd HH:mm} UTC, delivered by {file.DeliveredBy}) failed: {file.StatusReason}"), 4000),
        Link = string.Create(CultureInfo.InvariantCulture, $"/imports/{file.Id}"),
        CreatedAt = now,
    };

    /// <summary>
    /// A delivery the pipeline could not even record as a file (a drop-folder file of an unknown dealer, or a name no
    /// profile recognises): one network-level notice per network (or the dealer's group's when the dealer is known).
    /// </summary>
    public static async Task RecordRejectedDeliveryAsync(CrmDbContext db, long? networkId, long? dealerGroupId, string title, string message,
        DateTime now, CancellationToken cancellationToken)
    {
        var networks = networkId is { } id ? [id] : await db.Networks.AsNoTracking().Select(n => n.Id).ToListAsync(cancellationToken);
        foreach (var network in networks)
        {
            db.SystemNotifications.Add(new SystemNotification
            {
                NetworkId = network,
                DealerGroupId = dealerGroupId,
                Category = RejectedDeliveryCategory,
                Severity = NotificationSeverity.Error,
                Title = Truncate(title, 200),
                Message = Truncate(message, 4000),
                Link = "/imports",
                CreatedAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Tells the notifier (e-mail); its failure never undoes or fails the import.</summary>
    public static async Task TellAsync(IImportNotifier? notifier, ImportFile file, string dealerCode, CancellationToken cancellationToken)
    {
        if (notifier is null)
        {
            return;
        }

        try
        {
            await notifier.FileFailedAsync(file, dealerCode, cancellationToken);
        }
#pragma warning disable CA1031 // The in-app notice is already committed; a mail server problem must not fail the file.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            System.Diagnostics.Trace.TraceWarning($"Import notifier failed for import {file.Id}: {ex.Message}");
        }
    }

    public static string Describe(ImportFileType type) => type switch
    {
        ImportFileType.ServiceHistory => "service history",
        ImportFileType.LabourLines => "labour lines",
        ImportFileType.PartLines => "part lines",
        ImportFileType.NewStock => "new stock",
        ImportFileType.UsedStock => "used stock",
        ImportFileType.FutureBookings => "future bookings",
        ImportFileType.WorkshopTransactions => "workshop transactions",
        _ => type.ToString().ToLowerInvariant(),
    };

    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
