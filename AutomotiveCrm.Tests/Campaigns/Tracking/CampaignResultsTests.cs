using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Campaigns.Tracking;
using AutomotiveCrm.Domain.Sales;
using AutomotiveCrm.Domain.Service;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Tests.Campaigns.Sending;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Campaigns.Tracking;

/// <summary>Results from the ledger and measurement against the hold-out, on a real SQLite database.</summary>
public sealed class CampaignResultsTests : IAsyncLifetime
{
    private TrackingHarness h = null!;

    public async Task InitializeAsync() => h = await TrackingHarness.CreateAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task Figures_CountUniqueAndTotal_MachineOpensApart_AndDrillDownNamesThePeople()
    {
        var (campaign, run, m, _) = await h.SentRunAsync(4);
        await using (var db = h.Sending.NewContext())
        {
            db.TrackedLinks.AddRange(m.Select(x => new TrackedLink { MessageId = x.Id, Position = 0, Url = "https://dealer.example/offer" }));
            db.TrackedLinks.AddRange(m.Select(x => new TrackedLink { MessageId = x.Id, Position = 1, Url = "https://dealer.example/book" }));
            await db.SaveChangesAsync();
        }

        foreach (var x in m.Take(3))
        {
            await h.RecordAsync(x, MessageEventType.Delivered);
        }

        await h.RecordAsync(m[3], MessageEventType.HardBounce);
        var later = h.Now.AddHours(2);
        await h.RecordAsync(m[0], MessageEventType.Open, at: later, userAgent: "Thunderbird");
        await h.RecordAsync(m[0], MessageEventType.Open, at: later.AddHours(1), userAgent: "Thunderbird");
        await h.RecordAsync(m[1], MessageEventType.Open, at: later, userAgent: "Mozilla/5.0");
        await h.RecordAsync(m[0], MessageEventType.Click, at: later, url: "https://dealer.example/offer");
        await h.RecordAsync(m[0], MessageEventType.Click, at: later.AddDays(1), url: "https://dealer.example/book");
        await h.RecordAsync(m[2], MessageEventType.Click, at: later, url: "https://dealer.example/offer");

        await using var read = h.Sending.NewContext();
        var scope = new ResultsScope(campaign.Id, run.Id);
        var (f, channels) = await CampaignResults.FiguresAsync(read, scope);
        var links = await CampaignResults.LinksAsync(read, scope);
        var clicked = await CampaignResults.RecipientsAsync(read, scope, ResultMetric.Clicked, null, null, 0, 50);
        var offer = await CampaignResults.RecipientsAsync(read, scope, ResultMetric.Clicked, "https://dealer.example/offer", null, 0, 50);
        var machine = await CampaignResults.RecipientsAsync(read, scope, ResultMetric.MachineOpened, null, null, 0, 50);
        var timeline = await CampaignResults.TimelineAsync(read, scope);

        Assert.Equal((4, 4, 3, 1), (f.Messages, f.Sent, f.Delivered, f.HardBounced));
        Assert.Equal((1, 2, 1), (f.UniqueOpens, f.TotalOpens, f.MachineOpens));
        Assert.Equal((2, 3), (f.UniqueClicks, f.TotalClicks));
        Assert.Equal(2.0 / 3, f.Rate(f.UniqueClicks), 10);
        Assert.Equal(CampaignChannelKind.Email, Assert.Single(channels).Channel);
        Assert.Equal([new LinkResult("https://dealer.example/offer", 2, 2), new LinkResult("https://dealer.example/book", 1, 1)], links);
        Assert.Equal(new[] { m[0].CustomerId, m[2].CustomerId }.Order(), clicked.Rows.Select(r => r.CustomerId).Order());
        Assert.Equal(2, clicked.Total);
        Assert.Equal(2, clicked.Rows.Single(r => r.CustomerId == m[0].CustomerId).Events);
        Assert.Equal("https://dealer.example/book", clicked.Rows.Single(r => r.CustomerId == m[0].CustomerId).Detail);
        Assert.Equal(2, offer.Total);
        Assert.Equal(m[1].CustomerId, Assert.Single(machine.Rows).CustomerId);
        Assert.Equal(3, timeline.Sum(p => p.Clicks));
        Assert.Equal(2, timeline.Sum(p => p.Opens));
    }

    [Fact]
    public async Task Figures_ThroughAnotherGroupsScope_AreEmpty()
    {
        var (campaign, run, m, _) = await h.SentRunAsync(2);
        await h.RecordAsync(m[0], MessageEventType.Delivered);
        await using var other = h.Sending.Database.CreateContext();
        other.Scope = new AutomotiveCrm.Domain.Tenancy.AccessScope(h.Sending.Org.Network.Id, h.Sending.Org.Group.Id + 1000, PersonalData: true, Wholesale: false);

        var (f, _) = await CampaignResults.FiguresAsync(other, new ResultsScope(campaign.Id, run.Id));

        Assert.Equal(ResultFigures.Empty, f);
    }

    [Fact]
    public async Task Measure_CountsSalesAndVisitsInTheWindow_PerGroup_AndTheUplift()
    {
        var (campaign, run, _, customers) = await h.SentRunAsync(10, holdOutPercent: 30);
        var members = await h.Sending.MembersAsync(run.Id);
        var treated = members.Where(x => !x.HoldOut).Select(x => x.CustomerId).ToList();
        var control = members.Where(x => x.HoldOut).Select(x => x.CustomerId).ToList();
        Assert.Equal((7, 3), (treated.Count, control.Count));
        var day = DateOnly.FromDateTime(run.StartedAt);
        await using (var db = h.Sending.NewContext())
        {
            var vehicle = await new VehicleBuilder().InNetwork(h.Sending.Org.Network).SaveAsync(db);
            void Sale(long customer, DateOnly on, decimal price) => db.VehicleSales.Add(new VehicleSale
            {
                DealerId = h.Sending.Org.Dealer.Id, DealerGroupId = h.Sending.Org.Group.Id, CustomerId = customer, VehicleId = vehicle.Id, SaleDate = on, Price = price,
            });
            void Visit(long customer, DateOnly on, decimal amount) => db.ServiceVisits.Add(new ServiceVisit
            {
                DealerId = h.Sending.Org.Dealer.Id, DealerGroupId = h.Sending.Org.Group.Id, CustomerId = customer, VehicleId = vehicle.Id, VisitDate = on,
                TotalAmount = amount,
            });
            Sale(treated[0], day.AddDays(3), 20_000m);
            Visit(treated[0], day.AddDays(4), 200m);
            Visit(treated[1], day.AddDays(30), 300m);
            Visit(treated[2], day.AddDays(31), 999m);
            Sale(treated[3], day.AddDays(-1), 15_000m);
            Visit(control[0], day.AddDays(10), 150m);
            await db.SaveChangesAsync();
            await CampaignMeasurement.SaveSettingsAsync(db, campaign.Id, 1_000m, trackingEnabled: false);
        }

        await using var read = h.Sending.NewContext();
        var result = await CampaignMeasurement.MeasureAsync(read, campaign.Id, 30);

        var u = result!.Uplift;
        Assert.Equal(new GroupOutcome(7, 2, 1, 2, 20_500m), u.Treated);
        Assert.Equal(new GroupOutcome(3, 1, 0, 1, 150m), u.Control);
        Assert.Equal((2.0 / 7) - (1.0 / 3), u.AbsoluteUplift!.Value, 10);
        Assert.Equal(1_000m, u.Cost);
        Assert.Equal(decimal.Round(((20_500m / 7) - 50m) * 7, 2), u.IncrementalRevenue);
        Assert.Equal(7, Assert.Single(result.Runs).Contacted);
        Assert.False((await read.Campaigns.SingleAsync(c => c.Id == campaign.Id)).TrackingEnabled);
        Assert.Null(await CampaignMeasurement.MeasureAsync(read, campaign.Id + 99, 30));
        await Assert.ThrowsAsync<AutomotiveCrm.Domain.Common.DomainException>(() => CampaignMeasurement.SaveSettingsAsync(read, campaign.Id, -5m, true));
    }

    [Fact]
    public async Task Dispatch_WithTracking_RewritesLinksAddsPixelAndStoresTheLinks_WithoutTracking_LeavesTheMailAlone()
    {
        await h.Sending.AddCustomerAsync("Ann");
        var html = "<p>Hello {{ customer.first_name }}</p><p><a href=\"https://dealer.example/offer\">Offer</a></p>";
        var tracked = await h.Sending.CreateCampaignAsync(html: html);
        var plain = await h.Sending.CreateCampaignAsync(html: html);
        await using (var db = h.Sending.NewContext())
        {
            await CampaignMeasurement.SaveSettingsAsync(db, plain.Id, null, trackingEnabled: false);
        }

        var trackedRun = await h.Sending.StartRunAsync(tracked.Id);
        var plainRun = await h.Sending.StartRunAsync(plain.Id);
        await using var sink = new SmtpSink();
        var tokens = TrackingTokens.FromUnsubscribeLinks("https://crm.example.test", SendingHarness.Links);
        var dispatcher = h.Sending.Dispatcher(sink.Port);
        dispatcher.Decorator = new EmailTracking(() => h.Sending.NewContext(), tokens, SendingHarness.Links);

        var result = await dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.Equal(2, result.Sent);
        var trackedRow = Assert.Single(await h.Sending.MessagesAsync(trackedRun.Id));
        var plainRow = Assert.Single(await h.Sending.MessagesAsync(plainRun.Id));
        var mails = sink.Received.ToDictionary(d => "<" + d.Message.MessageId + ">", d => d.Message.HtmlBody);
        Assert.Contains(tokens.ClickUrl(trackedRow.Id, 0), mails[trackedRow.MessageId!], StringComparison.Ordinal);
        Assert.Contains(tokens.OpenUrl(trackedRow.Id), mails[trackedRow.MessageId!], StringComparison.Ordinal);
        Assert.DoesNotContain("https://dealer.example/offer", mails[trackedRow.MessageId!], StringComparison.Ordinal);
        Assert.Contains(SendingHarness.Links.UrlFor(trackedRow.Id), mails[trackedRow.MessageId!], StringComparison.Ordinal);
        Assert.Contains("https://dealer.example/offer", mails[plainRow.MessageId!], StringComparison.Ordinal);
        Assert.DoesNotContain("/t/", mails[plainRow.MessageId!], StringComparison.Ordinal);
        await using var read = h.Sending.NewContext();
        var link = await read.TrackedLinks.SingleAsync();
        Assert.Equal((trackedRow.Id, 0, "https://dealer.example/offer"), (link.MessageId, link.Position, link.Url));
    }
}
