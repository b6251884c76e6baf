using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Campaigns.Tracking;

public sealed record LedgerEvent(MessageEventType Type, DateTime OccurredAt, string Source, bool Machine, string? Detail, string? Url);

/// <summary>One message of the ledger with its lifecycle: queued, sent (or exported, failed, skipped) and the events after.</summary>
public sealed record LedgerMessage(long Id, long CampaignId, string CampaignName, long RunId, int RunNumber, CampaignChannelKind Channel, MessageState State,
    string? Address, DateTime QueuedAt, DateTime? SentAt, string? Reason, IReadOnlyList<LedgerEvent> Events);

/// <summary>
/// The message ledger as a person's history (customer page) or a message's (drill-down): every campaign message on
/// every channel with its events in time order. Reads through the context given: a user-scoped context shows the
/// user's groups' messages only, and another group's customer shows nothing.
/// </summary>
public static class CustomerLedger
{
    public static async Task<List<LedgerMessage>> ForCustomerAsync(CrmDbContext db, long customerId, int take = 200, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var messages = await db.CampaignMessages.Where(m => m.CustomerId == customerId)
            .OrderByDescending(m => m.QueuedAt).ThenByDescending(m => m.Id).Take(Math.Clamp(take, 1, 1000))
            .Join(db.CampaignRuns, m => m.RunId, r => r.Id, (m, r) => new { m, r.Number, r.CampaignId })
            .Join(db.Campaigns, x => x.CampaignId, c => c.Id, (x, c) => new { x.m, x.Number, x.CampaignId, c.Name })
            .ToListAsync(cancellationToken);
        return await WithEventsAsync(db, messages.Select(x => (x.m, x.Number, x.CampaignId, x.Name)).ToList(), cancellationToken);
    }

    public static async Task<LedgerMessage?> MessageAsync(CrmDbContext db, long messageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var messages = await db.CampaignMessages.Where(m => m.Id == messageId)
            .Join(db.CampaignRuns, m => m.RunId, r => r.Id, (m, r) => new { m, r.Number, r.CampaignId })
            .Join(db.Campaigns, x => x.CampaignId, c => c.Id, (x, c) => new { x.m, x.Number, x.CampaignId, c.Name })
            .ToListAsync(cancellationToken);
        return (await WithEventsAsync(db, messages.Select(x => (x.m, x.Number, x.CampaignId, x.Name)).ToList(), cancellationToken)).FirstOrDefault();
    }

    private static async Task<List<LedgerMessage>> WithEventsAsync(CrmDbContext db, List<(CampaignMessage Message, int Run, long CampaignId, string Name)> messages,
        CancellationToken cancellationToken)
    {
        var ids = messages.Select(m => m.Message.Id).ToList();
        var events = (await db.MessageEvents.Where(e => ids.Contains(e.MessageId))
                .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
                .Select(e => new { e.MessageId, Event = new LedgerEvent(e.Type, e.OccurredAt, e.Source, e.Machine, e.Detail, e.Link != null ? e.Link.Url : null) })
                .ToListAsync(cancellationToken))
            .ToLookup(e => e.MessageId, e => e.Event);
        return messages.Select(x => new LedgerMessage(x.Message.Id, x.CampaignId, x.Name, x.Message.RunId, x.Run, x.Message.Channel, x.Message.State,
                x.Message.Address, x.Message.QueuedAt, x.Message.SentAt, x.Message.SkipReason ?? x.Message.LastError, events[x.Message.Id].ToList()))
            .ToList();
    }
}

/// <summary>
/// Label sheets and call lists are messages too: exporting a run's labels or call list records one ledger row per
/// person exported (channel Label or CallList, state Sent at the export time). A second export of the same run
/// adds nobody twice (one message per run, person and channel).
/// </summary>
public static class ExportLedger
{
    public static async Task<int> RecordAsync(CrmDbContext db, long runId, CampaignChannelKind channel, IEnumerable<long> customerIds, DateTime at,
        string? note = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(customerIds);
        if (channel is not (CampaignChannelKind.Label or CampaignChannelKind.CallList))
        {
            throw new ArgumentOutOfRangeException(nameof(channel), channel, "Only label and call-list exports are recorded this way.");
        }

        var wanted = customerIds.ToHashSet();
        var members = await db.CampaignRunMembers.Where(m => m.RunId == runId && !m.HoldOut)
            .Select(m => new { m.Id, m.CustomerId, m.DealerGroupId, m.Email, m.Phone })
            .ToListAsync(cancellationToken);
        var recorded = (await db.CampaignMessages.Where(m => m.RunId == runId && m.Channel == channel).Select(m => m.CustomerId).ToListAsync(cancellationToken))
            .ToHashSet();
        var added = 0;
        foreach (var member in members.Where(m => wanted.Contains(m.CustomerId) && !recorded.Contains(m.CustomerId)))
        {
            db.CampaignMessages.Add(new CampaignMessage
            {
                RunId = runId,
                MemberId = member.Id,
                CustomerId = member.CustomerId,
                DealerGroupId = member.DealerGroupId,
                Channel = channel,
                State = MessageState.Sent,
                Address = channel == CampaignChannelKind.CallList ? member.Phone : null,
                QueuedAt = at,
                SentAt = at,
                LastError = note,
            });
            added++;
        }

        if (added > 0)
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Two downloads of the same run at once: the other one recorded these people; one row each is what counts.
                db.ChangeTracker.Clear();
                return 0;
            }
        }

        db.ChangeTracker.Clear();
        return added;
    }
}
