using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Audience;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Campaigns.Tracking;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Sales;
using AutomotiveCrm.Domain.Service;
using AutomotiveCrm.Domain.Vehicles;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>
/// Two finished e-mail campaigns of the first demo group with their sends, delivery events (deliveries, bounces,
/// opens including machine opens, clicks per link, unsubscribes, one complaint) and, in the weeks after, service
/// visits and vehicle sales, more among the contacted members than among the random hold-out: a marketer opens the
/// results, drills from "clicked" to the people and compares the two campaigns' uplift. Deterministic for a seed
/// (dates are relative to the demo data's last day, so two seedings are identical); a few thousand rows, so the first start stays quick. Returns the rows written.
/// </summary>
public static class DemoCampaignResults
{
    public const string ServiceCampaign = "Spring service reminder";
    public const string LaunchCampaign = "Summer model launch";
    private const int HoldOutPercent = 20;
    private const int PeoplePerCampaign = 320;

    private sealed record Person(long CustomerId, long DealerGroupId, long? ResponsibleDealerId, string Email, long? VehicleId);

    private sealed record Spec(string Name, string Subject, decimal Cost, int StartedDaysAgo, string[] Links, double TreatedRate, double ControlRate,
        bool Sales, int Complaints);

    /// <summary>Seeds the two campaigns unless a campaign of that name exists; returns the rows written (0 when skipped).</summary>
    public static async Task<int> SeedAsync(CrmDbContext db, DemoOrganisation organisation, int seed, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(organisation);
        if (organisation.Groups.Count == 0 || await db.Campaigns.AnyAsync(c => c.Name == ServiceCampaign, cancellationToken))
        {
            return 0;
        }

        var group = organisation.Groups[0];
        var dealer = organisation.DealersOf(group.Id)[0];
        var people = await db.Customers.AsNoTracking()
            .Where(c => c.DealerGroupId == group.Id && c.Emails.Any())
            .OrderBy(c => c.Id)
            .Take(PeoplePerCampaign * 2)
            .Select(c => new Person(c.Id, c.DealerGroupId, c.ResponsibleDealerId,
                c.Emails.OrderByDescending(e => e.IsPrimary).ThenBy(e => e.Id).Select(e => e.Address).First(),
                c.Relationships.Where(r => r.EndDate == null).OrderByDescending(r => r.StartDate).Select(r => (long?)r.VehicleId).FirstOrDefault()))
            .ToListAsync(cancellationToken);
        if (people.Count < 40)
        {
            return 0;
        }

#pragma warning disable CA5394 // Demo data: a seeded, repeatable draw, not security.
        var random = new Random(seed ^ 0x5EED7);
        var half = people.Count / 2;
        // Rows are counted in the tables this writes (audit and wholesale rows the save rules add included), not estimated.
        var before = await CountTouchedRowsAsync(db, cancellationToken);
        await CreateAsync(db, organisation, dealer.Id, random, now, people[..half], new Spec(ServiceCampaign,
            "{{ customer.first_name | default: \"Hello\" }}, your spring service is due", 1_500m, 45,
            ["https://www.arden-motors.example/service/book", "https://www.arden-motors.example/offers/spring-check"], 0.24, 0.11, false, 0), cancellationToken);
        await CreateAsync(db, organisation, dealer.Id, random, now, people[half..], new Spec(LaunchCampaign,
            "The new summer models are here, {{ customer.first_name | default: \"friend\" }}", 6_000m, 35,
            ["https://www.arden-motors.example/models/summer", "https://www.arden-motors.example/test-drive", "https://www.arden-motors.example/finance"],
            0.085, 0.045, true, 1), cancellationToken);
#pragma warning restore CA5394
        return (int)(await CountTouchedRowsAsync(db, cancellationToken) - before);
    }

    private static async Task<long> CountTouchedRowsAsync(CrmDbContext db, CancellationToken cancellationToken) =>
        await db.Campaigns.IgnoreQueryFilters().LongCountAsync(cancellationToken)
        + await db.CampaignContents.IgnoreQueryFilters().LongCountAsync(cancellationToken)
        + await db.CampaignRuns.IgnoreQueryFilters().LongCountAsync(cancellationToken)
        + await db.CampaignRunMembers.IgnoreQueryFilters().LongCountAsync(cancellationToken)
        + await db.CampaignMessages.IgnoreQueryFilters().LongCountAsync(cancellationToken)
        + await db.TrackedLinks.IgnoreQueryFilters().LongCountAsync(cancellationToken)
        + await db.MessageEvents.IgnoreQueryFilters().LongCountAsync(cancellationToken)
        + await db.Suppressions.IgnoreQueryFilters().LongCountAsync(cancellationToken)
        + await db.ConsentRecords.IgnoreQueryFilters().LongCountAsync(cancellationToken)
        + await db.Vehicles.IgnoreQueryFilters().LongCountAsync(cancellationToken)
        + await db.Relationships.IgnoreQueryFilters().LongCountAsync(cancellationToken)
        + await db.VehicleSales.IgnoreQueryFilters().LongCountAsync(cancellationToken)
        + await db.ServiceVisits.IgnoreQueryFilters().LongCountAsync(cancellationToken)
        + await db.WholesaleCustomers.IgnoreQueryFilters().LongCountAsync(cancellationToken)
        + await db.AuditEntries.IgnoreQueryFilters().LongCountAsync(cancellationToken);

#pragma warning disable CA5394
    private static async Task CreateAsync(CrmDbContext db, DemoOrganisation organisation, long dealerId, Random random, DateTime now, List<Person> people,
        Spec spec, CancellationToken cancellationToken)
    {
        var started = now.Date.AddDays(-spec.StartedDaysAgo).AddHours(9);
        var group = organisation.Groups[0];
        var campaign = new Campaign
        {
            NetworkId = organisation.Network.Id,
            DealerGroupId = group.Id,
            OwnerLevel = CampaignOwnerLevel.Group,
            Name = spec.Name,
            Description = "Demo campaign with results: sends, delivery events and later sales and service visits.",
            Status = CampaignStatus.Completed,
            AudienceJson = AudienceDefinition.Everyone().ToJson(),
            TimeZone = "Europe/London",
            TrackingEnabled = true,
            Cost = spec.Cost,
            HoldOutPercent = HoldOutPercent,
            CreatedBy = "marketer@network.demo",
            CreatedAt = started.AddDays(-7),
            UpdatedAt = started,
        };
        campaign.Contents.Add(new CampaignContent
        {
            Channel = CampaignChannelKind.Email,
            Subject = spec.Subject,
            SenderName = "{{ dealer.name | default: \"Arden Motors\" }}",
            SenderEmail = "news@arden-motors.example",
            BodyHtml = "<p>Dear {{ customer.first_name | default: \"customer\" }},</p>" + string.Concat(spec.Links.Select(l => $"<p><a href=\"{l}\">{l}</a></p>")),
            UpdatedAt = started,
        });
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync(cancellationToken);

        var run = new CampaignRun
        {
            CampaignId = campaign.Id, NetworkId = campaign.NetworkId, DealerGroupId = group.Id, Number = 1, Trigger = CampaignRunTrigger.Manual,
            Status = CampaignRunStatus.Completed, StartedAt = started, FinishedAt = started.AddMinutes(40), StartedBy = "marketer@network.demo",
        };
        db.CampaignRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);

        var holdOut = CampaignRuns.HoldOutSet(people.Count, HoldOutPercent, run.Id);
        var members = people.Select((p, i) => new CampaignRunMember
        {
            RunId = run.Id, CustomerId = p.CustomerId, DealerGroupId = p.DealerGroupId, HoldOut = holdOut.Contains(i), Email = p.Email,
        }).ToList();
        db.CampaignRunMembers.AddRange(members);
        run.MemberCount = members.Count;
        run.HoldOutCount = holdOut.Count;
        await db.SaveChangesAsync(cancellationToken);

        var messages = members.Where(m => !m.HoldOut).Select((m, i) => new CampaignMessage
        {
            RunId = run.Id, MemberId = m.Id, CustomerId = m.CustomerId, DealerGroupId = m.DealerGroupId, Channel = CampaignChannelKind.Email,
            State = MessageState.Sent, Address = m.Email, Attempts = 1, QueuedAt = started, SentAt = started.AddSeconds(5 + (i * 3)),
        }).ToList();
        db.CampaignMessages.AddRange(messages);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var m in messages)
        {
            m.MessageId = "<" + CampaignDispatcher.MessageIdFor(run.Id, m.Id, "crm.demo") + ">";
            for (var p = 0; p < spec.Links.Length; p++)
            {
                db.TrackedLinks.Add(new TrackedLink { MessageId = m.Id, Position = p, Url = spec.Links[p] });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        var links = await db.TrackedLinks.Where(l => messages.Select(m => m.Id).Contains(l.MessageId))
            .ToDictionaryAsync(l => (l.MessageId, l.Position), l => l.Id, cancellationToken);

        var events = new List<MessageEvent>();
        var complaints = spec.Complaints;
        foreach (var m in messages)
        {
            MessageEvent Event(MessageEventType type, DateTime at, string source = "generic", long? link = null, bool machine = false, string? detail = null) =>
                new()
                {
                    MessageId = m.Id, RunId = run.Id, CampaignId = campaign.Id, NetworkId = campaign.NetworkId, DealerGroupId = m.DealerGroupId,
                    CustomerId = m.CustomerId, Channel = CampaignChannelKind.Email, Type = type, OccurredAt = at, ReceivedAt = at.AddSeconds(2), Source = source,
                    EventKey = source == "generic" ? $"generic:demo-{m.Id}-{type}-{events.Count}" : null, LinkId = link, Machine = machine, Detail = detail,
                };

            var sent = m.SentAt!.Value;
            var roll = random.NextDouble();
            if (roll < 0.02)
            {
                events.Add(Event(MessageEventType.HardBounce, sent.AddSeconds(20), detail: "550 5.1.1 mailbox unavailable"));
                Suppress(db, campaign.NetworkId, m.Address!, SuppressionReason.HardBounce, sent);
                continue;
            }

            if (roll < 0.035)
            {
                events.Add(Event(MessageEventType.Deferred, sent.AddSeconds(30), detail: "451 4.2.0 try again later"));
                events.Add(Event(MessageEventType.SoftBounce, sent.AddHours(4), detail: "452 4.2.2 mailbox full"));
                continue;
            }

            var delivered = sent.AddSeconds(8 + random.Next(60));
            events.Add(Event(MessageEventType.Delivered, delivered));
            if (random.NextDouble() < 0.12)
            {
                // Mail Privacy Protection: fetched by the proxy seconds after delivery, whether or not anyone reads it.
                events.Add(Event(MessageEventType.Open, delivered.AddSeconds(2), "pixel", machine: true, detail: "Mozilla/5.0"));
            }

            if (random.NextDouble() < 0.42)
            {
                var opened = delivered.AddMinutes(20 + random.Next(60 * 72));
                events.Add(Event(MessageEventType.Open, opened, "pixel", detail: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0"));
                if (random.NextDouble() < 0.3)
                {
                    events.Add(Event(MessageEventType.Open, opened.AddHours(6 + random.Next(48)), "pixel", detail: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)"));
                }

                if (random.NextDouble() < 0.33)
                {
                    var position = random.Next(spec.Links.Length);
                    events.Add(Event(MessageEventType.Click, opened.AddMinutes(1 + random.Next(10)), "redirect", links[(m.Id, position)]));
                    if (random.NextDouble() < 0.25)
                    {
                        events.Add(Event(MessageEventType.Click, opened.AddMinutes(15 + random.Next(60)), "redirect", links[(m.Id, (position + 1) % spec.Links.Length)]));
                    }
                }

                if (random.NextDouble() < 0.02)
                {
                    events.Add(Event(MessageEventType.Unsubscribe, opened.AddMinutes(3), "unsubscribe", detail: "unsubscribe page"));
                    // A group-wide suppression rather than a consent record: consent changes restamp the customer and its
                    // wholesale record with the wall clock, and the demo must come out the same on every seeding.
                    Suppress(db, campaign.NetworkId, m.Address!, SuppressionReason.Unsubscribe, opened.AddMinutes(3), m.DealerGroupId);
                }
                else if (complaints > 0 && random.NextDouble() < 0.05)
                {
                    complaints--;
                    events.Add(Event(MessageEventType.Complaint, opened.AddMinutes(1), detail: "abuse report (feedback loop)"));
                    Suppress(db, campaign.NetworkId, m.Address!, SuppressionReason.Complaint, opened);
                }
            }
        }

        db.MessageEvents.AddRange(events);
        await db.SaveChangesAsync(cancellationToken);
        await ConvertAsync(db, organisation, dealerId, random, people, members, started, spec, cancellationToken);
        db.ChangeTracker.Clear();
    }

    private static void Suppress(CrmDbContext db, long networkId, string address, SuppressionReason reason, DateTime at, long? groupId = null) =>
        db.Suppressions.Add(new Suppression
        {
            NetworkId = networkId, DealerGroupId = groupId, Channel = CampaignChannelKind.Email, Address = address.Trim().ToLowerInvariant(), Reason = reason, CreatedAt = at,
            Source = "demo delivery event",
        });

    /// <summary>Service visits (or vehicle sales) in the 30 days after the run, at the contacted and the hold-out rate.</summary>
    private static async Task ConvertAsync(CrmDbContext db, DemoOrganisation organisation, long dealerId, Random random, List<Person> people,
        List<CampaignRunMember> members, DateTime started, Spec spec, CancellationToken cancellationToken)
    {
        var byCustomer = people.ToDictionary(p => p.CustomerId);
        var brand = organisation.Brands[0];
        foreach (var member in members)
        {
            if (random.NextDouble() >= (member.HoldOut ? spec.ControlRate : spec.TreatedRate))
            {
                continue;
            }

            var person = byCustomer[member.CustomerId];
            var day = DateOnly.FromDateTime(started).AddDays(1 + random.Next(28));
            var sellingDealer = person.ResponsibleDealerId ?? dealerId;
            if (spec.Sales)
            {
                var vehicle = new Vehicle
                {
                    NetworkId = organisation.Network.Id, BrandId = brand.Id, Make = brand.Name, Model = random.Next(2) == 0 ? "Solstice" : "Solstice Estate",
                    ModelYear = day.Year, FirstRegistrationDate = day, Colour = random.Next(2) == 0 ? "Azure" : "Graphite",
                };
                // Stamped with the sale day (not the wall clock) so that seeding is repeatable; no relationship row, as the
                // DMS sales import would add it with its own save rules.
                var stamp = day.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc);
                vehicle.CreatedAt = stamp;
                vehicle.UpdatedAt = stamp;
                db.VehicleSales.Add(new VehicleSale
                {
                    DealerId = sellingDealer, DealerGroupId = person.DealerGroupId, CustomerId = person.CustomerId, Vehicle = vehicle, SaleDate = day, IsNew = true,
                    Price = 21_000m + (random.Next(140) * 100m), CreatedAt = stamp, UpdatedAt = stamp,
                });
            }
            else if (person.VehicleId is { } vehicleId)
            {
                db.ServiceVisits.Add(new ServiceVisit
                {
                    DealerId = sellingDealer, DealerGroupId = person.DealerGroupId, CustomerId = person.CustomerId, VehicleId = vehicleId, VisitDate = day,
                    WorkType = "Service", Description = "Annual service (spring campaign)", TotalAmount = 180m + (random.Next(50) * 5m),
                    CreatedAt = day.ToDateTime(new TimeOnly(17, 0), DateTimeKind.Utc), UpdatedAt = day.ToDateTime(new TimeOnly(17, 0), DateTimeKind.Utc),
                });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }
#pragma warning restore CA5394
}
