using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Campaigns.Tracking;

/// <summary>What the unsubscribe page shows about a token: whose message, from whom, and whether it is done already.</summary>
public sealed record UnsubscribeView(long MessageId, string? MaskedAddress, string SenderName, bool AlreadyUnsubscribed);

/// <summary>
/// Unsubscribing from campaign e-mail: the page behind <c>/u/{token}</c> (GET shows, POST acts) and the RFC 8058
/// one-click POST, both ending in <see cref="MessageLedger"/> with an Unsubscribe event whose key is the message,
/// so a second click changes nothing. The opt-out is an e-mail marketing consent record, effective at once: every
/// later audience (they are compiled from current consent) leaves the person out.
/// </summary>
public static class Unsubscribes
{
    public const string Source = "unsubscribe";

    /// <summary>What the confirmation page shows, or null when the token names no message.</summary>
    public static async Task<UnsubscribeView?> ViewAsync(CrmDbContext db, UnsubscribeLinks links, string? token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(links);
        if (links.Verify(token) is not { } id)
        {
            return null;
        }

        var message = await db.CampaignMessages.Where(m => m.Id == id)
            .Select(m => new
            {
                m.Id,
                m.Address,
                Member = db.CampaignRunMembers.Where(x => x.Id == m.MemberId).Select(x => x.OnBehalfOfDealerId).FirstOrDefault(),
                Campaign = db.CampaignRuns.Where(r => r.Id == m.RunId).Join(db.Campaigns, r => r.CampaignId, c => c.Id, (r, c) => new { c.DealerId, c.Name }).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (message is null)
        {
            return null;
        }

        var dealerId = message.Member ?? message.Campaign?.DealerId;
        var sender = dealerId is { } d ? await db.Dealers.Where(x => x.Id == d).Select(x => x.Name).FirstOrDefaultAsync(cancellationToken) : null;
        var done = await db.MessageEvents.AnyAsync(e => e.MessageId == id && e.Type == MessageEventType.Unsubscribe, cancellationToken);
        return new UnsubscribeView(message.Id, Mask(message.Address), sender ?? "our dealers", done);
    }

    /// <summary>Records the opt-out of the message the token names; false when the token names no message.</summary>
    public static async Task<bool> UnsubscribeAsync(CrmDbContext db, MessageLedger ledger, UnsubscribeLinks links, string? token, DateTime at, string how,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(links);
        if (links.Verify(token) is not { } id)
        {
            return false;
        }

        var outcome = await ledger.RecordAsync(db, new DeliveryEventInput(Source, "message-" + id, MessageEventType.Unsubscribe, at, MessageRowId: id, Detail: how),
            cancellationToken);
        return outcome != RecordOutcome.UnknownMessage;
    }

    /// <summary>
    /// Adds (unsaved) e-mail marketing opt-outs for the scopes the message spoke for: the sending dealer (dealer and
    /// network retail campaigns); for group and wholesale campaigns, which speak for every dealer and brand, each scope
    /// the customer is currently opted in to, or else the responsible dealer.
    /// </summary>
    internal static async Task OptOutAsync(CrmDbContext db, long memberId, long customerId, long campaignId, DateTime at, string evidence,
        CancellationToken cancellationToken)
    {
        var sendingDealer = await db.CampaignRunMembers.Where(m => m.Id == memberId).Select(m => m.OnBehalfOfDealerId).FirstOrDefaultAsync(cancellationToken)
            ?? await db.Campaigns.Where(c => c.Id == campaignId).Select(c => c.DealerId).FirstOrDefaultAsync(cancellationToken);
        var scopes = new List<(long? Brand, long? Dealer)>();
        if (sendingDealer is { } dealer)
        {
            scopes.Add((null, dealer));
        }
        else
        {
            var history = await db.ConsentRecords.Where(r => r.CustomerId == customerId && r.Channel == ConsentChannel.Email && r.Purpose == ConsentPurpose.Marketing)
                .ToListAsync(cancellationToken);
            scopes.AddRange(ConsentState.Current(history).Where(c => c.Status == ConsentStatus.OptIn).Select(c => (c.BrandId, c.DealerId)));
            if (scopes.Count == 0)
            {
                var fallback = await db.Customers.Where(c => c.Id == customerId)
                    .Select(c => c.ResponsibleDealerId ?? db.Dealers.Where(d => d.DealerGroupId == c.DealerGroupId).OrderBy(d => d.Id).Select(d => (long?)d.Id).FirstOrDefault())
                    .FirstOrDefaultAsync(cancellationToken);
                if (fallback is { } f)
                {
                    scopes.Add((null, f));
                }
            }
        }

        foreach (var (brand, dealerId) in scopes)
        {
            db.ConsentRecords.Add(ConsentState.Create(customerId, ConsentChannel.Email, ConsentPurpose.Marketing, brand, dealerId, ConsentStatus.OptOut, at,
                ConsentSource.Portal, evidence.Length <= 1000 ? evidence : evidence[..1000]));
        }
    }

    /// <summary>"j***@example.com": enough for the person to recognise the address, too little to harvest it.</summary>
    public static string? Mask(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }

        var at = address.IndexOf('@', StringComparison.Ordinal);
        return at <= 0 ? "***" : address[0] + "***" + address[at..];
    }
}
