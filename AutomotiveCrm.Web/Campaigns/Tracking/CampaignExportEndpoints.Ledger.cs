using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Tracking;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

// Part of the exports' endpoint class, kept with the tracking feature that owns the ledger.
#pragma warning disable IDE0130
namespace AutomotiveCrm.Web.Campaigns.Exports;
#pragma warning restore IDE0130

public static partial class CampaignExportEndpoints
{
    /// <summary>
    /// A run's labels or call list went out: one ledger row per person exported (<see cref="ExportLedger"/>). Exports of
    /// a campaign's current audience belong to no run and are not messages yet.
    /// </summary>
    private static async Task RecordLedgerAsync(CrmDbContext db, Resolved resolved, CampaignChannelKind channel, IEnumerable<long>? customerIds,
        HttpContext http, ExportContext context)
    {
        if (resolved.Run is null)
        {
            return;
        }

        var ids = customerIds?.ToList() ?? await resolved.Customers.Select(c => c.Id).ToListAsync(http.RequestAborted);
        await ExportLedger.RecordAsync(db, resolved.Run.Id, channel, ids, context.Clock.GetUtcNow().UtcDateTime,
            "exported by " + (http.User.Identity?.Name ?? "unknown"), http.RequestAborted);
    }
}
