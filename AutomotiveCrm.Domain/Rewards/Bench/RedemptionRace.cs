using System.Globalization;
using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AutomotiveCrm.Domain.Rewards.Bench;

/// <summary>The outcome of a race: how many requests succeeded, how low the balance was ever seen, and the invariant.</summary>
public sealed record RedemptionRaceResult(int Tasks, int Hosts, int Successes, int Refused, int Repeated, int Failed, long MinBalance,
    long FinalBalance, long LedgerSum, int Redemptions, double Seconds)
{
    public bool LedgerConsistent => FinalBalance == LedgerSum;

    public string ToJson() => string.Create(CultureInfo.InvariantCulture,
        $"{{\"bench\":\"redeem-race\",\"tasks\":{Tasks},\"hosts\":{Hosts},\"successes\":{Successes},\"refused\":{Refused},\"repeated\":{Repeated},"
        + $"\"errors\":{Failed},\"redemptions\":{Redemptions},\"min_balance\":{MinBalance},\"final_balance\":{FinalBalance},"
        + $"\"ledger_sum\":{LedgerSum},\"ledger_consistent\":{(LedgerConsistent ? "true" : "false")},\"seconds\":{Seconds:F3}}}");
}

/// <summary>
/// Fires <c>tasks</c> redemptions of one reward on one account at the same instant, spread over <c>hosts</c>
/// independent "application instances" (each its own context factory, services and connection pool, as two web
/// servers on one database would have), while a sampler watches the stored balance. Each request has its own
/// idempotency key unless <c>sameKey</c> is set (one request retried by everyone).
/// </summary>
public static class RedemptionRace
{
    public static async Task<RedemptionRaceResult> RunAsync(DatabaseSettings settings, long accountId, long rewardId, RedemptionPlace place,
        int tasks, int hosts, bool sameKey, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(tasks, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hosts, 1);
        var instances = Enumerable.Range(0, hosts).Select(h =>
        {
            var create = CrmDatabase.ContextFactory(InstanceSettings(settings, h), clock);
            var ledger = new RewardsLedger(clock);
            return (Create: create, Service: new RedemptionService(ledger, new RedemptionPolicy()));
        }).ToList();

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var minBalance = long.MaxValue;
        using var stopSampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            await using var db = instances[0].Create();
            db.Scope = Tenancy.AccessScope.System;
            while (!stopSampling.IsCancellationRequested)
            {
                var balance = await db.RewardAccounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.PointsBalance).FirstAsync(CancellationToken.None);
                minBalance = Math.Min(minBalance, balance);
                await Task.Delay(1, CancellationToken.None);
            }
        }, CancellationToken.None);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var runs = Enumerable.Range(0, tasks).Select(i => Task.Run(async () =>
        {
            var instance = instances[i % hosts];
            await start.Task;
            await using var db = instance.Create();
            db.Scope = Tenancy.AccessScope.System;
            db.Actor = new AuditActor(null, $"race-host-{i % hosts}", AuditSource.System);
            try
            {
                var key = sameKey ? "race-key" : $"race-{i}";
                var outcome = await instance.Service.RedeemAsync(db, new RedemptionRequest(accountId, rewardId, place, key), cancellationToken);
                return outcome.Repeated ? 'R' : 'S';
            }
            catch (DomainException)
            {
                return 'X';
            }
            catch (Exception ex) when (ex is DbUpdateException or SqliteException or NpgsqlException or InvalidOperationException)
            {
                return 'E';
            }
        }, cancellationToken)).ToList();
        start.SetResult();
        var results = await Task.WhenAll(runs);
        var seconds = watch.Elapsed.TotalSeconds;
        await stopSampling.CancelAsync();
        await sampler;

        await using var check = instances[0].Create();
        check.Scope = Tenancy.AccessScope.System;
        var final = await check.RewardAccounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.PointsBalance).FirstAsync(cancellationToken);
        var (sum, _) = await RewardsLedger.SumAsync(check, accountId, cancellationToken);
        var redemptions = await check.RewardRedemptions.CountAsync(r => r.AccountId == accountId && r.RewardId == rewardId, cancellationToken);
        return new RedemptionRaceResult(tasks, hosts, results.Count(r => r == 'S'), results.Count(r => r == 'X'), results.Count(r => r == 'R'),
            results.Count(r => r == 'E'), Math.Min(minBalance, final), final, sum, redemptions, seconds);
    }

    /// <summary>A connection string of its own per instance, so instances share no connection pool.</summary>
    private static DatabaseSettings InstanceSettings(DatabaseSettings settings, int host)
    {
        var connection = settings.Provider switch
        {
            DatabaseProvider.Sqlite => new SqliteConnectionStringBuilder(settings.ConnectionString) { DefaultTimeout = 30 + host }.ToString(),
            DatabaseProvider.PostgreSql => // Ten connections per instance, as a web server's pool would cap it: requests beyond that queue for one.
            new NpgsqlConnectionStringBuilder(settings.ConnectionString) { ApplicationName = $"crm-race-{host}", MaxPoolSize = 10 }.ToString(),
            _ => settings.ConnectionString,
        };
        return new DatabaseSettings { Provider = settings.Provider, ConnectionString = connection };
    }
}
