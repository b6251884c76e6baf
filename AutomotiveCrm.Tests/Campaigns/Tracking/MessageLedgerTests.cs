using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Campaigns.Tracking;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Notifications;
using AutomotiveCrm.Tests.Campaigns.Sending;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Campaigns.Tracking;

/// <summary>The ledger's rules on a real SQLite database: suppression, complaints, replays, unsubscribes and the next audience count.</summary>
public sealed class MessageLedgerTests : IAsyncLifetime
{
    private TrackingHarness h = null!;

    public async Task InitializeAsync() => h = await TrackingHarness.CreateAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task HardBounce_SuppressesTheAddressAtOnce_AndTheNextAudienceLeavesItOut()
    {
        var (campaign, _, messages, _) = await h.SentRunAsync(3);
        Assert.Equal(3, await h.AudienceCountAsync(campaign));

        var outcome = await h.RecordAsync(messages[0], MessageEventType.HardBounce);

        Assert.Equal(RecordOutcome.Recorded, outcome);
        await using var db = h.Sending.NewContext();
        var suppression = await db.Suppressions.SingleAsync();
        Assert.Equal((SuppressionReason.HardBounce, messages[0].Address!.ToLowerInvariant(), (long?)null), (suppression.Reason, suppression.Address, suppression.DealerGroupId));
        Assert.Equal(2, await h.AudienceCountAsync(campaign));
    }

    [Fact]
    public async Task SoftBounces_SuppressOnTheThirdWithinThirtyDays_NotBefore_AndOldOnesDoNotCount()
    {
        var (_, _, messages, _) = await h.SentRunAsync(2);
        var now = h.Now;
        var (first, second) = (messages[0], messages[1]);

        await h.RecordAsync(first, MessageEventType.SoftBounce, at: now.AddDays(-40));
        await h.RecordAsync(first, MessageEventType.SoftBounce, at: now.AddDays(-20));
        await h.RecordAsync(first, MessageEventType.SoftBounce, at: now.AddDays(-1));
        await h.RecordAsync(second, MessageEventType.SoftBounce, at: now.AddDays(-2));
        await h.RecordAsync(second, MessageEventType.SoftBounce, at: now.AddDays(-1));
        await using (var db = h.Sending.NewContext())
        {
            Assert.Empty(await db.Suppressions.ToListAsync());
        }

        await h.RecordAsync(second, MessageEventType.SoftBounce, at: now);

        await using (var db = h.Sending.NewContext())
        {
            var suppression = await db.Suppressions.SingleAsync();
            Assert.Equal((SuppressionReason.SoftBounces, second.Address!.ToLowerInvariant()), (suppression.Reason, suppression.Address));
        }
    }

    [Fact]
    public async Task Complaint_SuppressesAsComplaint_AndAboveTheRateRaisesOneAlert()
    {
        var (campaign, run, messages, _) = await h.SentRunAsync(4);

        await h.RecordAsync(messages[0], MessageEventType.Complaint);
        await h.RecordAsync(messages[1], MessageEventType.Complaint);

        await using var db = h.Sending.NewContext();
        Assert.All(await db.Suppressions.ToListAsync(), s => Assert.Equal(SuppressionReason.Complaint, s.Reason));
        Assert.Equal(2, await db.Suppressions.CountAsync());
        var alert = await db.SystemNotifications.SingleAsync();
        Assert.Equal((MessageLedger.ComplaintCategory, NotificationSeverity.Warning, MessageLedger.ResultsLink(campaign.Id, run.Id)),
            (alert.Category, alert.Severity, alert.Link));
        Assert.Contains("2 of 4", alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complaint_BelowTheRate_RaisesNoAlert()
    {
        var (_, _, messages, _) = await h.SentRunAsync(2);
        h.Settings.ComplaintRateAlert = 0.6;

        await h.RecordAsync(messages[0], MessageEventType.Complaint);

        await using var db = h.Sending.NewContext();
        Assert.Empty(await db.SystemNotifications.ToListAsync());
        Assert.Equal(1, await db.Suppressions.CountAsync());
    }

    [Fact]
    public async Task SameEventIdTwice_SecondIsADuplicate_AndChangesNothing()
    {
        var (_, _, messages, _) = await h.SentRunAsync(1);

        var first = await h.RecordAsync(messages[0], MessageEventType.HardBounce, "evt-1");
        var second = await h.RecordAsync(messages[0], MessageEventType.HardBounce, "evt-1");

        Assert.Equal((RecordOutcome.Recorded, RecordOutcome.Duplicate), (first, second));
        await using var db = h.Sending.NewContext();
        Assert.Equal(1, await db.MessageEvents.CountAsync());
        Assert.Equal(1, await db.Suppressions.CountAsync());
    }

    [Fact]
    public async Task UnknownMessage_IsReportedAndNothingWritten()
    {
        await h.SentRunAsync(1);

        await using var db = h.Sending.NewContext();
        var outcome = await h.Ledger.RecordAsync(db, new DeliveryEventInput("generic", "x", MessageEventType.Delivered, h.Now, MessageIdHeader: "<nobody@else>"));

        Assert.Equal(RecordOutcome.UnknownMessage, outcome);
        Assert.Equal(0, await db.MessageEvents.CountAsync());
    }

    [Fact]
    public async Task OpenSecondsAfterSending_IsAMachineOpen_LaterOneIsAPersons()
    {
        var (_, _, messages, _) = await h.SentRunAsync(1);

        await h.RecordAsync(messages[0], MessageEventType.Open, at: h.Now.AddSeconds(2), userAgent: "Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15");
        await h.RecordAsync(messages[0], MessageEventType.Open, at: h.Now.AddHours(3), userAgent: "Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15");

        await using var db = h.Sending.NewContext();
        Assert.Equal([true, false], await db.MessageEvents.OrderBy(e => e.OccurredAt).Select(e => e.Machine).ToListAsync());
    }

    [Fact]
    public async Task OneClickUnsubscribe_RecordsAnOptOutForTheSendingScope_AndTheNextCountDropsThePerson()
    {
        var (campaign, _, messages, customers) = await h.SentRunAsync(3);
        var links = SendingHarness.Links;
        var token = links.TokenFor(messages[1].Id);
        Assert.Equal(3, await h.AudienceCountAsync(campaign));

        await using (var db = h.Sending.NewContext())
        {
            Assert.True(await Unsubscribes.UnsubscribeAsync(db, h.Ledger, links, token, h.Now, "RFC 8058 one-click unsubscribe"));
        }

        await using (var db = h.Sending.NewContext())
        {
            Assert.True(await Unsubscribes.UnsubscribeAsync(db, h.Ledger, links, token, h.Now, "RFC 8058 one-click unsubscribe"));
            var optOut = await db.ConsentRecords.SingleAsync(c => c.Status == ConsentStatus.OptOut);
            Assert.Equal((messages[1].CustomerId, ConsentChannel.Email, ConsentPurpose.Marketing, (long?)h.Sending.Org.Dealer.Id),
                (optOut.CustomerId, optOut.Channel, optOut.Purpose, optOut.DealerId));
            Assert.Equal(1, await db.MessageEvents.CountAsync(e => e.Type == MessageEventType.Unsubscribe));
            Assert.False(await Unsubscribes.UnsubscribeAsync(db, h.Ledger, links, token[..^2] + "xx", h.Now, "page"));
        }

        Assert.Equal(2, await h.AudienceCountAsync(campaign));
        Assert.Contains(customers, c => c.Id == messages[1].CustomerId);
    }

    [Fact]
    public async Task ExportLedger_RecordsOneRowPerExportedMember_OncePerRun()
    {
        var (_, run, _, customers) = await h.SentRunAsync(3);
        await using var db = h.Sending.NewContext();

        var first = await ExportLedger.RecordAsync(db, run.Id, CampaignChannelKind.Label, customers.Take(2).Select(c => c.Id), h.Now);
        var again = await ExportLedger.RecordAsync(db, run.Id, CampaignChannelKind.Label, customers.Select(c => c.Id), h.Now);

        Assert.Equal((2, 1), (first, again));
        var labels = await db.CampaignMessages.Where(m => m.RunId == run.Id && m.Channel == CampaignChannelKind.Label).ToListAsync();
        Assert.Equal(3, labels.Count);
        Assert.All(labels, l => Assert.Equal(MessageState.Sent, l.State));
    }
}
