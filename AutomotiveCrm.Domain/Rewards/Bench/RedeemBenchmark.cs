using System.Diagnostics;
using System.Globalization;
using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Rewards.Bench;

/// <summary>The figures of one <c>bench redeem</c>.</summary>
public sealed record RedeemBenchmarkResult(int Redemptions, int Workers, double Seconds, double P50Ms, double P95Ms, double MaxMs, bool LedgerConsistent, string Synchronous)
{
    public double PerSecond => Redemptions / Seconds;

    public string ToJson() => string.Create(CultureInfo.InvariantCulture,
        $"{{\"bench\":\"redeem\",\"redemptions\":{Redemptions},\"workers\":{Workers},\"seconds\":{Seconds:F3},\"redemptions_per_s\":{PerSecond:F0},"
        + $"\"p50_ms\":{P50Ms:F2},\"p95_ms\":{P95Ms:F2},\"max_ms\":{MaxMs:F2},\"synchronous\":\"{Synchronous}\",\"ledger_consistent\":{(LedgerConsistent ? "true" : "false")},"
        + $"\"target_p95_ms\":50,\"target_per_s\":200}}");
}

/// <summary>
/// <c>bench redeem</c>: a fresh SQLite database (migrated like the app's: WAL, synchronous=FULL, so every redemption's
/// commit is durable) with one member per redemption; then the production <see cref="RedemptionService"/> redeems,
/// from <c>workers</c> concurrent desks, each request in a fresh context as the desk does (eligibility facts loaded,
/// short write transaction, ledger and audit rows). Latency is per request, end to end.
/// </summary>
public static class RedeemBenchmark
{
    public static async Task<RedeemBenchmarkResult> RunAsync(int redemptions, int workers, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var folder = Directory.CreateTempSubdirectory("crm-bench-redeem-").FullName;
        var settings = new DatabaseSettings
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "bench.db") }.ToString(),
        };
        try
        {
            var clock = TimeProvider.System;
            var ledger = new RewardsLedger(clock);
            var service = new RedemptionService(ledger, new RedemptionPolicy());
            var (accounts, rewardId, place) = await SeedAsync(settings, ledger, redemptions, progress, cancellationToken);
            var create = CrmDatabase.ContextFactory(settings, clock);
            string synchronous;
            await using (var probe = create())
            {
                await probe.Database.OpenConnectionAsync(cancellationToken);
                synchronous = await probe.Database.SqlQueryRaw<long>("PRAGMA synchronous").ToListAsync(cancellationToken) is [var s] ? (s == 2 ? "FULL" : s.ToString(CultureInfo.InvariantCulture)) : "?";
            }

            await progress.WriteLineAsync($"redeeming {redemptions} rewards from {workers} desks...");
            var latencies = new double[redemptions];
            var next = -1;
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < redemptions)
                {
                    var started = Stopwatch.GetTimestamp();
                    await using var db = create();
                    db.Scope = Tenancy.AccessScope.System;
                    db.Actor = new AuditActor(null, "bench desk", AuditSource.UI);
                    await service.RedeemAsync(db, new RedemptionRequest(accounts[i], rewardId, place, $"bench-{i}"), cancellationToken);
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
            }, cancellationToken)));
            var seconds = watch.Elapsed.TotalSeconds;

            bool consistent;
            await using (var db = create())
            {
                db.Scope = Tenancy.AccessScope.System;
                var stored = await db.RewardAccounts.SumAsync(a => a.PointsBalance, cancellationToken);
                var rows = await db.RewardLedger.SumAsync(e => e.Points, cancellationToken);
                consistent = stored == rows;
            }

            Array.Sort(latencies);
            return new RedeemBenchmarkResult(redemptions, workers, seconds, Percentile(latencies, 0.50), Percentile(latencies, 0.95), latencies[^1], consistent, synchronous);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary><c>bench redeem-race</c>: a fresh database, one member who can afford one reward, and the race.</summary>
    public static async Task<RedemptionRaceResult> RaceAsync(int tasks, int hosts, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var folder = Directory.CreateTempSubdirectory("crm-bench-race-").FullName;
        var settings = new DatabaseSettings
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "race.db") }.ToString(),
        };
        try
        {
            var ledger = new RewardsLedger(TimeProvider.System);
            var (accounts, rewardId, place) = await SeedAsync(settings, ledger, 1, progress, cancellationToken, balance: 100, cost: 100);
            await progress.WriteLineAsync($"{tasks} concurrent redemptions from {hosts} application instances on one database file...");
            return await RedemptionRace.RunAsync(settings, accounts[0], rewardId, place, tasks, hosts, sameKey: false, TimeProvider.System, cancellationToken);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(long[] Accounts, long RewardId, RedemptionPlace Place)> SeedAsync(DatabaseSettings settings, RewardsLedger ledger, int members,
        TextWriter progress, CancellationToken cancellationToken, long balance = 10_000, long cost = 10)
    {
        await progress.WriteLineAsync($"seeding {members} members...");
        await using var db = CrmDatabase.CreateContext(settings);
        await CrmDatabase.MigrateAsync(db, cancellationToken);
        var network = new Network { Code = "BENCH", Name = "Bench network", CountryCode = "GB", Currency = "GBP", TimeZone = "Europe/London" };
        var group = new DealerGroup { Network = network, Code = "BENCH-G", Name = "Bench group" };
        var dealer = new Dealer { DealerGroup = group, Code = "BENCH-D", Name = "Bench dealer", CountryCode = "GB" };
        db.Dealers.Add(dealer);
        var scheme = new RewardScheme { OwnerLevel = RewardOwnerLevel.Group, DealerGroup = group, Code = "GOLD", Name = "Gold", CardPrefix = "7001" };
        await db.SaveChangesAsync(cancellationToken);
        scheme.NetworkId = network.Id;
        db.RewardSchemes.Add(scheme);
        var reward = new Reward
        {
            NetworkId = network.Id, OwnerLevel = RewardOwnerLevel.Group, DealerGroupId = group.Id, Code = "WASH", Name = "Car wash", Category = "Service",
            CostPoints = cost, ItemName = "Car wash",
        };
        db.Rewards.Add(reward);
        await db.SaveChangesAsync(cancellationToken);
        var enrolment = new RewardEnrolment(ledger);
        var accounts = new long[members];
        for (var i = 0; i < members; i++)
        {
            var customer = new Customer { DealerGroupId = group.Id, FirstName = "Member", LastName = i.ToString(CultureInfo.InvariantCulture), Source = CustomerSource.Manual };
            db.Customers.Add(customer);
            await db.SaveChangesAsync(cancellationToken);
            var account = await enrolment.EnrolAsync(db, new EnrolmentRequest(customer.Id, scheme.Id, dealer.Id, EnrolmentSource.Import, "Bench member"), cancellationToken);
            await ledger.PostAsync(db, new LedgerMovement(account.Id, LedgerEntryKind.Earn, balance, 0, "Opening balance", dealer.Id, LedgerSource.Import), cancellationToken);
            accounts[i] = account.Id;
            db.ChangeTracker.Clear();
        }

        return (accounts, reward.Id, new RedemptionPlace(dealer.Id, group.Id, dealer.Name));
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
