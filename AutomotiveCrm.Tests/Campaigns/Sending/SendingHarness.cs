using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Campaigns.Sending;

/// <summary>
/// A real SQLite database with the test organisation, customers with e-mail consent for its first dealer, a group
/// campaign with e-mail content, and dispatchers pointed at a loopback SMTP server.
/// </summary>
internal sealed class SendingHarness : IDisposable
{
    public static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private int customerNumber;

    private SendingHarness(SqliteTestDatabase database, TestOrganisation org)
    {
        Database = database;
        Org = org;
    }

    public SqliteTestDatabase Database { get; }

    public TestOrganisation Org { get; }

    public static async Task<SendingHarness> CreateAsync()
    {
        var database = new SqliteTestDatabase();
        await using var db = database.CreateContext();
        var org = await new OrganisationBuilder().SaveAsync(db);
        return new SendingHarness(database, org);
    }

    public CrmDbContext NewContext() => Database.CreateContext();

    /// <summary>Test settings; one connection by default, so that submissions go out in row order.</summary>
    public static CampaignSendingSettings Settings(int batchSize = 10, double rate = 0, int connections = 1) => new()
    {
        Connections = connections,
        PublicBaseUrl = "https://crm.example.test",
        MessageIdDomain = "crm.example.test",
        SendRatePerSecond = rate,
        BatchSize = batchSize,
        MaxAttempts = 3,
        RetryBaseSeconds = 60,
        SendingLeaseSeconds = 120,
        DefaultFrom = "Northgate <news@northgate.example>",
    };

    public static UnsubscribeLinks Links => new("https://crm.example.test", Key);

    public CampaignDispatcher Dispatcher(int smtpPort, CampaignSendingSettings? settings = null) =>
        new(() => Database.CreateContext(), new SmtpCampaignTransportFactory(new CampaignSmtpEndpoint("127.0.0.1", smtpPort, false)),
            settings ?? Settings(), Links, Database.Clock);

    /// <summary>A customer of the organisation's group with an e-mail address and (unless told) e-mail opt-in for its dealer.</summary>
    public async Task<Customer> AddCustomerAsync(string? firstName = null, string? email = null, bool consent = true, string lastName = "Morgan")
    {
        var n = Interlocked.Increment(ref customerNumber);
        await using var db = Database.CreateContext();
        var builder = new CustomerBuilder().InGroup(Org.Group).Named(firstName ?? $"Alex{n}", lastName).WithResponsibleDealer(Org.Dealer);
        if (email != "")
        {
            builder.WithEmail(email ?? $"customer{n}@example.com");
        }

        var customer = await builder.SaveAsync(db);
        if (consent)
        {
            db.ConsentRecords.Add(ConsentState.Create(customer.Id, ConsentChannel.Email, ConsentPurpose.Marketing, null, Org.Dealer.Id,
                ConsentStatus.OptIn, Database.Clock.GetUtcNow().UtcDateTime.AddDays(-30), ConsentSource.Form, "test"));
            await db.SaveChangesAsync();
        }

        return customer;
    }

    public async Task AddCustomersAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await AddCustomerAsync();
        }
    }

    public async Task<Campaign> CreateCampaignAsync(string html = "<p>Hello {{ customer.first_name | default: \"Customer\" }}</p>", string? text = null,
        string subject = "News for {{ customer.first_name | default: \"you\" }}", int holdOutPercent = 0, bool excludePreviouslyContacted = false)
    {
        await using var db = Database.CreateContext();
        var now = Database.Clock.GetUtcNow().UtcDateTime;
        var campaign = new Campaign
        {
            NetworkId = Org.Network.Id,
            DealerGroupId = Org.Group.Id,
            OwnerLevel = CampaignOwnerLevel.Group,
            Name = "Spring service",
            AudienceJson = "",
            TimeZone = "Europe/London",
            CreatedBy = "marketer@example.com",
            CreatedAt = now,
            UpdatedAt = now,
            HoldOutPercent = holdOutPercent,
            ExcludePreviouslyContacted = excludePreviouslyContacted,
            Status = CampaignStatus.Scheduled,
        };
        campaign.Contents.Add(new CampaignContent
        {
            Channel = CampaignChannelKind.Email,
            Subject = subject,
            SenderName = "{{ dealer.name | default: \"Northgate\" }}",
            SenderEmail = "news@northgate.example",
            BodyHtml = html,
            BodyText = text,
            UpdatedAt = now,
        });
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();
        return campaign;
    }

    public async Task<CampaignRun> StartRunAsync(long campaignId, DateTime? dueAt = null)
    {
        await using var db = Database.CreateContext();
        return await CampaignRuns.StartAsync(db, Database.Clock, campaignId, CampaignRunTrigger.Manual, "marketer@example.com", dueAt);
    }

    public async Task<List<CampaignMessage>> MessagesAsync(long runId)
    {
        await using var db = Database.CreateContext();
        return await db.CampaignMessages.AsNoTracking().Where(m => m.RunId == runId).OrderBy(m => m.Id).ToListAsync();
    }

    public async Task<List<CampaignRunMember>> MembersAsync(long runId)
    {
        await using var db = Database.CreateContext();
        return await db.CampaignRunMembers.AsNoTracking().Where(m => m.RunId == runId).OrderBy(m => m.CustomerId).ToListAsync();
    }

    public async Task<CampaignRun> RunAsync(long runId)
    {
        await using var db = Database.CreateContext();
        return await db.CampaignRuns.AsNoTracking().SingleAsync(r => r.Id == runId);
    }

    public void Dispose() => Database.Dispose();
}
