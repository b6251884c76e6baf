using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Audience;
using AutomotiveCrm.Domain.Campaigns.Tracking;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Campaigns.Tracking;

/// <summary>
/// The ledger on a real PostgreSQL server: the same provider event delivered by many requests at once is recorded
/// exactly once (the unique event key decides, the losers answer Duplicate), with exactly one suppression; distinct
/// events arriving at once are all recorded.
/// </summary>
[Collection(PostgreSqlServer.CollectionName)]
public sealed class PostgreSqlLedgerTests(PostgreSqlServer server) : DatabaseTest
{
    private static readonly string[] Kinds = ["delivered", "open"];

    protected override async Task<TestDatabase> CreateDatabaseAsync() => await server.CreateDatabaseAsync();

    private async Task<List<string>> SentMessagesAsync(int count)
    {
        var org = await SeedOrganisationAsync();
        await using var db = NewContext();
        var now = Clock.GetUtcNow().UtcDateTime;
        var campaign = new Campaign
        {
            NetworkId = org.Network.Id, DealerGroupId = org.Group.Id, OwnerLevel = CampaignOwnerLevel.Group, Name = "PG", AudienceJson = AudienceDefinition.Everyone().ToJson(),
            TimeZone = "Europe/London", CreatedBy = "test", CreatedAt = now, UpdatedAt = now,
        };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();
        var run = new CampaignRun { CampaignId = campaign.Id, NetworkId = org.Network.Id, DealerGroupId = org.Group.Id, Number = 1, StartedAt = now, StartedBy = "test" };
        db.CampaignRuns.Add(run);
        await db.SaveChangesAsync();
        var headers = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var customer = await new CustomerBuilder().InGroup(org.Group).Named("Pat", "Lee" + i).WithEmail($"pat{i}@example.com").SaveAsync(db);
            var member = new CampaignRunMember { RunId = run.Id, CustomerId = customer.Id, DealerGroupId = org.Group.Id, Email = $"pat{i}@example.com" };
            db.CampaignRunMembers.Add(member);
            await db.SaveChangesAsync();
            var header = $"<campaign-{run.Id}-{i}@pg.test>";
            db.CampaignMessages.Add(new CampaignMessage
            {
                RunId = run.Id, MemberId = member.Id, CustomerId = customer.Id, DealerGroupId = org.Group.Id, Channel = CampaignChannelKind.Email,
                State = MessageState.Sent, Address = $"pat{i}@example.com", QueuedAt = now, SentAt = now, MessageId = header,
            });
            await db.SaveChangesAsync();
            headers.Add(header);
        }

        return headers;
    }

    [Fact]
    public async Task SameEventId_ConcurrentDeliveries_RecordedOnce_WithOneSuppression()
    {
        var header = (await SentMessagesAsync(1))[0];
        var ledger = new MessageLedger(new TrackingSettings(), Clock);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await using var db = NewContext();
            await db.Database.OpenConnectionAsync();
            await start.Task;
            return await ledger.RecordAsync(db, new DeliveryEventInput("generic", "evt-race", MessageEventType.HardBounce, Clock.GetUtcNow().UtcDateTime,
                MessageIdHeader: header));
        })).ToList();

        await Task.Delay(200);
        start.SetResult();
        var outcomes = await Task.WhenAll(racers);

        Assert.Equal(1, outcomes.Count(o => o == RecordOutcome.Recorded));
        Assert.Equal(7, outcomes.Count(o => o == RecordOutcome.Duplicate));
        await using var check = NewContext();
        Assert.Equal(1, await check.MessageEvents.CountAsync());
        Assert.Equal(1, await check.Suppressions.CountAsync());
    }

    [Fact]
    public async Task DistinctEvents_Concurrently_AllRecorded()
    {
        var headers = await SentMessagesAsync(4);
        var ledger = new MessageLedger(new TrackingSettings(), Clock);

        var outcomes = await Task.WhenAll(headers.SelectMany(h => Kinds.Select(kind => Task.Run(async () =>
        {
            await using var db = NewContext();
            return await ledger.RecordAsync(db, new DeliveryEventInput("generic", kind + h, kind == "open" ? MessageEventType.Open : MessageEventType.Delivered,
                Clock.GetUtcNow().UtcDateTime.AddMinutes(10), MessageIdHeader: h));
        }))));

        Assert.All(outcomes, o => Assert.Equal(RecordOutcome.Recorded, o));
        await using var check = NewContext();
        Assert.Equal(8, await check.MessageEvents.CountAsync());
    }
}
