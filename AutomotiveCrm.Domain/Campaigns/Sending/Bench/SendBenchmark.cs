using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Campaigns.Sending.Bench;

/// <summary>The figures of one <c>bench send</c>.</summary>
public sealed record SendBenchmarkResult(int Recipients, double SeedSeconds, double EnqueueSeconds, double RenderSeconds, double DispatchSeconds, int Sent,
    int ServerAccepted, int Connections, int LatencyMilliseconds)
{
    public double EnqueuePerSecond => Recipients / EnqueueSeconds;
    public double RenderPerSecond => Recipients / RenderSeconds;
    /// <summary>The issue's first figure: merge-field rendering and enqueueing together, per message.</summary>
    public double RenderAndEnqueuePerSecond => Recipients / (EnqueueSeconds + RenderSeconds);
    public double DispatchPerSecond => Sent / DispatchSeconds;

    public string ToJson() => string.Create(CultureInfo.InvariantCulture,
        $"{{\"bench\":\"send\",\"recipients\":{Recipients},\"seed_s\":{SeedSeconds:F2},\"enqueue_s\":{EnqueueSeconds:F3},\"render_s\":{RenderSeconds:F3},"
        + $"\"render_enqueue_per_s\":{RenderAndEnqueuePerSecond:F0},\"enqueue_per_s\":{EnqueuePerSecond:F0},\"render_per_s\":{RenderPerSecond:F0},"
        + $"\"dispatch_s\":{DispatchSeconds:F3},\"dispatch_per_s\":{DispatchPerSecond:F0},\"sent\":{Sent},\"server_accepted\":{ServerAccepted},\"connections\":{Connections},\"smtp_latency_ms\":{LatencyMilliseconds},"
        + $"\"target_render_enqueue_per_s\":2000,\"target_dispatch_per_s\":300}}");
}

/// <summary>
/// <c>bench send --recipients N</c>: a fresh SQLite database in a temporary folder (migrated like the app's, WAL,
/// synchronous=FULL) with N consenting customers; then (1) a run is started, which freezes the audience and enqueues
/// N messages, (2) every message is rendered with the campaign's merge fields (the dispatcher's work minus SMTP), and
/// (3) the dispatcher sends them all, unthrottled, to an in-process SMTP server on loopback with the full per-message
/// protocol (claim commit, submission, Sent commit).
/// </summary>
public static class SendBenchmark
{

    public static async Task<SendBenchmarkResult> RunAsync(int recipients, TextWriter progress, CancellationToken cancellationToken, int? connections = null,
        int latencyMilliseconds = 0)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var folder = Directory.CreateTempSubdirectory("crm-bench-send-").FullName;
        var settings = new DatabaseSettings
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "bench.db") }.ToString(),
        };
        try
        {
            var clock = TimeProvider.System;
            await using (var db = CrmDatabase.CreateContext(settings, clock))
            {
                await CrmDatabase.MigrateAsync(db, cancellationToken);
            }

            var watch = Stopwatch.StartNew();
            var campaignId = await SeedAsync(settings, recipients, progress, cancellationToken);
            var seedSeconds = watch.Elapsed.TotalSeconds;

            await progress.WriteLineAsync("Starting the run (freeze + enqueue) ...");
            watch.Restart();
            CampaignRun run;
            await using (var db = CrmDatabase.CreateContext(settings, clock))
            {
                run = await CampaignRuns.StartAsync(db, clock, campaignId, CampaignRunTrigger.Manual, "bench", null, cancellationToken);
            }

            var enqueueSeconds = watch.Elapsed.TotalSeconds;
            var links = new UnsubscribeLinks("https://crm.example.test", RandomNumberGenerator.GetBytes(32));
            var renderSeconds = await RenderAllAsync(settings, clock, run.Id, links, progress, cancellationToken);

            await progress.WriteLineAsync("Dispatching to a loopback SMTP server ...");
            await using var server = new BenchSmtpServer(TimeSpan.FromMilliseconds(latencyMilliseconds));
            var sending = new CampaignSendingSettings { SendRatePerSecond = 0, BatchSize = 100, PublicBaseUrl = "https://crm.example.test" };
            sending.Connections = Math.Max(1, connections ?? sending.Connections);
            var factory = CrmDatabase.ContextFactory(settings, clock);
            var dispatcher = new CampaignDispatcher(() => System(factory()),
                new SmtpCampaignTransportFactory(new CampaignSmtpEndpoint("127.0.0.1", server.Port, false)), sending, links, clock);
            watch.Restart();
            var result = await dispatcher.DispatchDueAsync(cancellationToken);
            var dispatchSeconds = watch.Elapsed.TotalSeconds;
            return new SendBenchmarkResult(recipients, seedSeconds, enqueueSeconds, renderSeconds, dispatchSeconds, result.Sent, server.Accepted, sending.Connections, latencyMilliseconds);
        }
        finally
        {
            using (var connection = new SqliteConnection(settings.ConnectionString))
            {
                SqliteConnection.ClearPool(connection);
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    private static CrmDbContext System(CrmDbContext context)
    {
        context.Scope = AccessScope.System;
        return context;
    }

    private static async Task<double> RenderAllAsync(DatabaseSettings settings, TimeProvider clock, long runId, UnsubscribeLinks links, TextWriter progress,
        CancellationToken cancellationToken)
    {
        await progress.WriteLineAsync("Rendering every message ...");
        await using var db = CrmDatabase.CreateContext(settings, clock);
        var watch = Stopwatch.StartNew();
        var content = await db.CampaignRuns.Where(r => r.Id == runId)
            .Join(db.CampaignContents, r => r.CampaignId, c => c.CampaignId, (r, c) => c)
            .FirstAsync(c => c.Channel == CampaignChannelKind.Email, cancellationToken);
        var template = CampaignEmailTemplate.Compile(content);
        var rows = await db.CampaignMessages.AsNoTracking().Where(m => m.RunId == runId)
            .Join(db.Customers, m => m.CustomerId, c => c.Id, (m, c) => new { m.Id, m.Address, c.Title, c.FirstName, c.LastName, c.CompanyName })
            .ToListAsync(cancellationToken);
        var dealer = new MergeDealer("Bench Motors", "0113 496 0000", "bench@example.com", "1 Bench Street", "Leeds", "LS1 1AA");
        var length = 0L;
        foreach (var row in rows)
        {
            var email = template.Render(new MergeData(new MergeCustomer(row.Title, row.FirstName, row.LastName, row.CompanyName, row.Address), null, dealer),
                links.UrlFor(row.Id));
            length += email.Html.Length + email.Text.Length;
        }

        GC.KeepAlive(length);
        return watch.Elapsed.TotalSeconds;
    }

    private static async Task<long> SeedAsync(DatabaseSettings settings, int recipients, TextWriter progress, CancellationToken cancellationToken)
    {
        await progress.WriteLineAsync($"Seeding {recipients:N0} customers with e-mail consent ...");
        long networkId, groupId, dealerId;
        await using (var db = CrmDatabase.CreateContext(settings))
        {
            var network = new Network { Code = "BENCH", Name = "Bench Network", CountryCode = "GB", Currency = "GBP", TimeZone = "Europe/London" };
            var group = new DealerGroup { Network = network, Code = "BENCH-G", Name = "Bench Group" };
            var dealer = new Dealer { DealerGroup = group, Code = "BENCH-D", Name = "Bench Motors", CountryCode = "GB" };
            group.Dealers.Add(dealer);
            db.Networks.Add(network);
            db.Dealers.Add(dealer);
            await db.SaveChangesAsync(cancellationToken);
            (networkId, groupId, dealerId) = (network.Id, group.Id, dealer.Id);
        }

        string[] firstNames = ["Ann", "Bob", "Chloé", "Dev", "Eilidh", "Farid", "<Grace>", ""];
        const int chunk = 2000;
        for (var start = 0; start < recipients; start += chunk)
        {
            await using var db = CrmDatabase.CreateContext(settings);
            var customers = new List<Customer>();
            for (var i = start; i < Math.Min(recipients, start + chunk); i++)
            {
                var customer = new Customer
                {
                    DealerGroupId = groupId,
                    ResponsibleDealerId = dealerId,
                    BuyerType = BuyerType.Person,
                    FirstName = firstNames[i % firstNames.Length],
                    LastName = string.Create(CultureInfo.InvariantCulture, $"Bench{i}"),
                    Source = CustomerSource.Manual,
                };
                var address = string.Create(CultureInfo.InvariantCulture, $"bench{i}@example.com");
                customer.Emails.Add(new CustomerEmail { Address = address, NormalisedAddress = address, IsPrimary = true });
                customers.Add(customer);
            }

            db.Customers.AddRange(customers);
            await db.SaveChangesAsync(cancellationToken);
            var at = DateTime.UtcNow.AddDays(-30);
            db.ConsentRecords.AddRange(customers.Select(c =>
                ConsentState.Create(c.Id, ConsentChannel.Email, ConsentPurpose.Marketing, null, dealerId, ConsentStatus.OptIn, at, ConsentSource.Form, "bench")));
            await db.SaveChangesAsync(cancellationToken);
        }

        await using (var db = CrmDatabase.CreateContext(settings))
        {
            var now = DateTime.UtcNow;
            var campaign = new Campaign
            {
                NetworkId = networkId,
                DealerGroupId = groupId,
                OwnerLevel = CampaignOwnerLevel.Group,
                Name = "Bench",
                AudienceJson = "",
                TimeZone = "Europe/London",
                CreatedBy = "bench",
                Status = CampaignStatus.Scheduled,
            };
            campaign.Contents.Add(new CampaignContent
            {
                Channel = CampaignChannelKind.Email,
                Subject = "Your service, {{ customer.first_name | default: \"valued customer\" }}",
                SenderName = "{{ dealer.name | default: \"Bench Motors\" }}",
                SenderEmail = "news@bench.example",
                BodyHtml = "<h1>Hello {{ customer.first_name | default: \"Customer\" }} {{ customer.last_name }}</h1>"
                    + "<p>Your {{ vehicle.make | default: \"car\" }} is due a service at {{ dealer.name }}, {{ dealer.city }}.</p>"
                    + "<p><a href=\"https://bench.example/book\">Book now</a> or call {{ dealer.phone }}.</p>",
                UpdatedAt = now,
            });
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync(cancellationToken);
            return campaign.Id;
        }
    }
}
