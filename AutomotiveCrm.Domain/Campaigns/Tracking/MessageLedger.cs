using System.Globalization;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Notifications;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Campaigns.Tracking;

/// <summary>
/// One event about one message, from a delivery webhook or our own tracking. The message is named by its row id (our
/// tokens) or by its Message-ID header (providers). <see cref="EventId"/> is the provider's id of the event, the key
/// that makes a replay harmless; our own observations have none.
/// </summary>
public sealed record DeliveryEventInput(
    string Source,
    string? EventId,
    MessageEventType Type,
    DateTime OccurredAt,
    long? MessageRowId = null,
    string? MessageIdHeader = null,
    string? Url = null,
    string? Detail = null,
    string? UserAgent = null,
    string? IpAddress = null,
    long? LinkId = null);

public enum RecordOutcome
{
    Recorded,
    /// <summary>The event id was recorded before: nothing changed.</summary>
    Duplicate,
    /// <summary>No campaign message has that id: nothing to attach the event to.</summary>
    UnknownMessage,
}

/// <summary>
/// Writes delivery and tracking events into the message ledger, with what they cause, in one transaction: a hard
/// bounce suppresses the address at once; soft bounces suppress it once <see cref="TrackingSettings.SoftBounceLimit"/>
/// of them fall within <see cref="TrackingSettings.SoftBounceWindowDays"/>; a complaint suppresses it at once (as a
/// complaint, apart from bounces) and may raise the complaint-rate alert; an unsubscribe records an e-mail marketing
/// opt-out for the dealer or brands the message spoke for. Bounce and complaint suppressions are network-wide: the
/// address is dead, or its owner called us spam, whoever writes next. Use a system context.
/// </summary>
public sealed class MessageLedger(TrackingSettings settings, TimeProvider clock)
{
    public const string ComplaintCategory = "complaint-rate";

    private sealed record Target(long Id, long RunId, long CampaignId, long NetworkId, long DealerGroupId, long CustomerId, long MemberId,
        CampaignChannelKind Channel, string? Address, DateTime? SentAt);

    public async Task<RecordOutcome> RecordAsync(CrmDbContext db, DeliveryEventInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(input);
        var key = string.IsNullOrWhiteSpace(input.EventId) ? null : Truncate($"{input.Source}:{input.EventId.Trim()}", 240);
        if (key is not null && await db.MessageEvents.AnyAsync(e => e.EventKey == key, cancellationToken))
        {
            return RecordOutcome.Duplicate;
        }

        var target = await FindAsync(db, input, cancellationToken);
        if (target is null)
        {
            return RecordOutcome.UnknownMessage;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var occurred = input.OccurredAt == default ? now : input.OccurredAt;
        var entry = new MessageEvent
        {
            MessageId = target.Id,
            RunId = target.RunId,
            CampaignId = target.CampaignId,
            NetworkId = target.NetworkId,
            DealerGroupId = target.DealerGroupId,
            CustomerId = target.CustomerId,
            Channel = target.Channel,
            Type = input.Type,
            OccurredAt = occurred,
            ReceivedAt = now,
            Source = Truncate(input.Source, 40),
            EventKey = key,
            LinkId = input.LinkId,
            Detail = Detail(input),
        };

        if (input.Type == MessageEventType.Open)
        {
            var delivered = await db.MessageEvents.Where(e => e.MessageId == target.Id && e.Type == MessageEventType.Delivered)
                .MinAsync(e => (DateTime?)e.OccurredAt, cancellationToken) ?? target.SentAt;
            entry.Machine = settings.IsMachineOpen(input.UserAgent, input.IpAddress, occurred, delivered);
        }
        else if (input.Type == MessageEventType.Click && entry.LinkId is null && !string.IsNullOrWhiteSpace(input.Url))
        {
            var url = input.Url.Trim();
            entry.LinkId = await db.TrackedLinks.Where(l => l.MessageId == target.Id && l.Url == url).Select(l => (long?)l.Id).FirstOrDefaultAsync(cancellationToken);
        }

        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            db.MessageEvents.Add(entry);
            await ApplyEffectsAsync(db, target, entry, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }
        catch (DbUpdateException) when (key is not null)
        {
            // Another request recorded the same event meanwhile (the unique key refused this one): a replay.
            if (transaction is not null)
            {
                await transaction.RollbackAsync(CancellationToken.None);
            }

            db.ChangeTracker.Clear();
            if (await db.MessageEvents.AnyAsync(e => e.EventKey == key, CancellationToken.None))
            {
                return RecordOutcome.Duplicate;
            }

            throw;
        }

        db.ChangeTracker.Clear();
        if (input.Type == MessageEventType.Complaint)
        {
            await AlertOnComplaintRateAsync(db, target, cancellationToken);
        }

        return RecordOutcome.Recorded;
    }

    private static async Task<Target?> FindAsync(CrmDbContext db, DeliveryEventInput input, CancellationToken cancellationToken)
    {
        IQueryable<CampaignMessage> messages = db.CampaignMessages;
        if (input.MessageRowId is { } id)
        {
            messages = messages.Where(m => m.Id == id);
        }
        else if (!string.IsNullOrWhiteSpace(input.MessageIdHeader))
        {
            var header = input.MessageIdHeader.Trim();
            if (!header.StartsWith('<'))
            {
                header = "<" + header + ">";
            }

            messages = messages.Where(m => m.MessageId == header);
        }
        else
        {
            return null;
        }

        return await messages
            .Join(db.CampaignRuns, m => m.RunId, r => r.Id, (m, r) => new Target(m.Id, m.RunId, r.CampaignId, r.NetworkId, m.DealerGroupId, m.CustomerId,
                m.MemberId, m.Channel, m.Address, m.SentAt))
            .FirstOrDefaultAsync(cancellationToken);
    }

    private async Task ApplyEffectsAsync(CrmDbContext db, Target target, MessageEvent entry, CancellationToken cancellationToken)
    {
        var address = target.Address?.Trim().ToLowerInvariant();
        var source = $"{entry.Source} event on message {target.Id.ToString(CultureInfo.InvariantCulture)}";
        switch (entry.Type)
        {
            case MessageEventType.HardBounce when address is { Length: > 0 }:
                await SuppressAsync(db, target, address, SuppressionReason.HardBounce, source, cancellationToken);
                break;
            case MessageEventType.SoftBounce when address is { Length: > 0 }:
                var since = entry.OccurredAt.AddDays(-settings.SoftBounceWindowDays);
                var earlier = await db.MessageEvents
                    .Where(e => e.NetworkId == target.NetworkId && e.Type == MessageEventType.SoftBounce && e.OccurredAt > since && e.OccurredAt <= entry.OccurredAt)
                    .Join(db.CampaignMessages, e => e.MessageId, m => m.Id, (e, m) => m.Address)
#pragma warning disable CA1862 // Translated to SQL LOWER(): string.Equals with a comparison has no translation.
                    .CountAsync(a => a != null && a.ToLower() == address, cancellationToken);
#pragma warning restore CA1862
                if (earlier + 1 >= settings.SoftBounceLimit)
                {
                    await SuppressAsync(db, target, address, SuppressionReason.SoftBounces, source, cancellationToken);
                }

                break;
            case MessageEventType.Complaint when address is { Length: > 0 }:
                await SuppressAsync(db, target, address, SuppressionReason.Complaint, source, cancellationToken);
                break;
            case MessageEventType.Unsubscribe:
                await Unsubscribes.OptOutAsync(db, target.MemberId, target.CustomerId, target.CampaignId, entry.OccurredAt,
                    $"Unsubscribed from campaign message {target.Id.ToString(CultureInfo.InvariantCulture)} ({entry.Source})", cancellationToken);
                break;
        }
    }

    private async Task SuppressAsync(CrmDbContext db, Target target, string address, SuppressionReason reason, string source,
        CancellationToken cancellationToken)
    {
        var channel = target.Channel == CampaignChannelKind.Sms ? CampaignChannelKind.Sms : CampaignChannelKind.Email;
        if (await db.Suppressions.AnyAsync(s => s.NetworkId == target.NetworkId && s.Channel == channel && s.Address == address
                && s.DealerGroupId == null && s.Reason == reason, cancellationToken))
        {
            return;
        }

        db.Suppressions.Add(new Suppression
        {
            NetworkId = target.NetworkId,
            Channel = channel,
            Address = address,
            Reason = reason,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Source = Truncate(source, 300),
        });
    }

    /// <summary>Complaints over sent e-mails of the run above the threshold: one unacknowledged notice per run, for its group's administrators.</summary>
    private async Task AlertOnComplaintRateAsync(CrmDbContext db, Target target, CancellationToken cancellationToken)
    {
        var sent = await db.CampaignMessages.CountAsync(m => m.RunId == target.RunId && m.Channel == CampaignChannelKind.Email && m.State == MessageState.Sent,
            cancellationToken);
        var complaints = await db.MessageEvents.Where(e => e.RunId == target.RunId && e.Type == MessageEventType.Complaint)
            .Select(e => e.MessageId).Distinct().CountAsync(cancellationToken);
        if (sent == 0 || (double)complaints / sent <= settings.ComplaintRateAlert)
        {
            return;
        }

        var run = await db.CampaignRuns.Where(r => r.Id == target.RunId)
            .Select(r => new { r.Number, r.DealerGroupId, r.NetworkId, Name = db.Campaigns.Where(c => c.Id == r.CampaignId).Select(c => c.Name).FirstOrDefault() })
            .FirstAsync(cancellationToken);
        var link = ResultsLink(target.CampaignId, target.RunId);
        var title = Truncate(string.Create(CultureInfo.InvariantCulture, $"Complaint rate {(double)complaints / sent:P2}: {run.Name} run {run.Number}"), 200);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{complaints} of {sent} recipients marked the e-mail as spam (alert above {settings.ComplaintRateAlert:P1}). Complainants are suppressed; review the audience and content before the next run.");
        // One open notice per run, kept up to date while complaints keep coming, rather than a notice per complaint.
        var open = await db.SystemNotifications.FirstOrDefaultAsync(n => n.Category == ComplaintCategory && n.Link == link && n.AcknowledgedAt == null, cancellationToken);
        if (open is not null)
        {
            open.Title = title;
            open.Message = text;
        }
        else
        {
            db.SystemNotifications.Add(new SystemNotification
            {
                NetworkId = run.NetworkId,
                DealerGroupId = run.DealerGroupId,
                Category = ComplaintCategory,
                Severity = NotificationSeverity.Warning,
                Title = title,
                Message = text,
                Link = link,
                CreatedAt = clock.GetUtcNow().UtcDateTime,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    public static string ResultsLink(long campaignId, long runId) =>
        string.Create(CultureInfo.InvariantCulture, $"/campaigns/{campaignId}/results?run={runId}");

    private static string? Detail(DeliveryEventInput input)
    {
        var parts = new[] { input.Detail, input.Type is MessageEventType.Open or MessageEventType.Click ? input.UserAgent : null }
            .Where(p => !string.IsNullOrWhiteSpace(p));
        var text = string.Join(" | ", parts);
        return text.Length == 0 ? null : Truncate(text.ReplaceLineEndings(" "), 1000);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
