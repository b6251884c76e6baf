using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Audience;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Campaigns.Tracking;

/// <summary>One sent campaign message in a running app's database, as the dispatcher leaves it.</summary>
public sealed record SentMessage(long Id, long RunId, long CampaignId, long CustomerId, string Header, string Address);

/// <summary>Seeds sent campaign messages into a real app's database (demo data), for the HTTP and browser tests.</summary>
internal static class TrackingApp
{
    /// <summary>
    /// A group campaign of the group and one run with a sent e-mail to each of <paramref name="count"/> new customers who
    /// are in the group's e-mail audience today (so an opt-out or suppression visibly changes the next count).
    /// </summary>
    public static async Task<(Campaign Campaign, List<SentMessage> Messages)> SendAsync(CrmDbContext db, string groupCode, int count, DateTime now)
    {
        var group = await db.DealerGroups.SingleAsync(g => g.Code == groupCode);
        var campaign = new Campaign
        {
            NetworkId = group.NetworkId, DealerGroupId = group.Id, OwnerLevel = CampaignOwnerLevel.Group, Name = "Tracking test " + Guid.NewGuid().ToString("N")[..6],
            AudienceJson = AudienceDefinition.Everyone().ToJson(), TimeZone = "Europe/London", CreatedBy = "test", Status = CampaignStatus.Completed,
            CreatedAt = now, UpdatedAt = now,
        };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();
        // Fresh customers with an e-mail opt-in for the group's first dealer: in the audience today whatever the demo data holds.
        var dealer = await db.Dealers.Where(d => d.DealerGroupId == group.Id).OrderBy(d => d.Id).FirstAsync();
        var people = new List<(long Id, long DealerGroupId, string Email)>();
        for (var i = 0; i < count; i++)
        {
            var email = $"tracking-{Guid.NewGuid():N}@example.com";
            var customer = await new CustomerBuilder().InGroup(group.Id).Named("Robin", "Tracker" + i).WithEmail(email).SaveAsync(db);
            db.ConsentRecords.Add(ConsentState.Create(customer.Id, ConsentChannel.Email, ConsentPurpose.Marketing, null, dealer.Id, ConsentStatus.OptIn,
                now.AddDays(-10), ConsentSource.Form, "tracking test"));
            await db.SaveChangesAsync();
            people.Add((customer.Id, customer.DealerGroupId, email));
        }

        var audience = await AudienceAsync(db, campaign, now);
        Assert.All(people, p => Assert.Contains(p.Id, audience));

        var run = new CampaignRun
        {
            CampaignId = campaign.Id, NetworkId = campaign.NetworkId, DealerGroupId = group.Id, Number = 1, Status = CampaignRunStatus.Completed, StartedAt = now,
            StartedBy = "test",
        };
        db.CampaignRuns.Add(run);
        await db.SaveChangesAsync();
        var messages = new List<SentMessage>();
        foreach (var p in people)
        {
            var member = new CampaignRunMember { RunId = run.Id, CustomerId = p.Id, DealerGroupId = p.DealerGroupId, Email = p.Email };
            db.CampaignRunMembers.Add(member);
            await db.SaveChangesAsync();
            var message = new CampaignMessage
            {
                RunId = run.Id, MemberId = member.Id, CustomerId = p.Id, DealerGroupId = p.DealerGroupId, Channel = CampaignChannelKind.Email,
                State = MessageState.Sent, Address = p.Email, Attempts = 1, QueuedAt = now, SentAt = now.AddMinutes(-30),
            };
            db.CampaignMessages.Add(message);
            await db.SaveChangesAsync();
            message.MessageId = "<" + CampaignDispatcher.MessageIdFor(run.Id, message.Id, "crm.test") + ">";
            await db.SaveChangesAsync();
            messages.Add(new SentMessage(message.Id, run.Id, campaign.Id, p.Id, message.MessageId, p.Email));
        }

        db.ChangeTracker.Clear();
        return (campaign, messages);
    }

    public static async Task<List<long>> AudienceAsync(CrmDbContext db, Campaign campaign, DateTime now)
    {
        var audience = await AudienceQuery.BuildAsync(db, campaign, CampaignChannelKind.Email, DateOnly.FromDateTime(now));
        return await audience.Select(c => c.Id).ToListAsync();
    }
}
