using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Audience;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Hosting;

/// <summary>The audience benchmark: <c>bench segment</c>.</summary>
public static partial class CommandLine
{
    /// <summary>
    /// Times audience counts and the first preview page on the database <c>bench seed</c> made: as a user of the
    /// largest dealer group (group campaigns, the everyday case) and as a network user over every group (network
    /// retail and wholesale). Each case runs warm (two untimed runs first), through the same compiler and user-scoped
    /// query filters as the app. One JSON line last: per case the count and p50/p95 in milliseconds.
    /// </summary>
    private static async Task<int> BenchSegmentAsync(ParsedArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(parsed.Value("--database") ?? Path.Combine("data", "bench", "bench.db"));
        var runs = parsed.Int("--runs", 15, min: 3, max: 1000);
        var only = parsed.Value("--case");
        var showSql = parsed.Flag("--sql");
        parsed.EnsureOnly(positionals: 1);
        if (!File.Exists(path))
        {
            throw new UsageException($"the database '{path}' does not exist: create it with 'dotnet run --project AutomotiveCrm.Web -c Release -- bench seed' (about 80 s for 1,000,000 customers).");
        }

        var settings = new DatabaseSettings
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = path }.ToString(),
        };
        long networkId, groupId, dealerId;
        int customers, groupCustomers;
        await using (var system = CrmDatabase.CreateContext(settings))
        {
            customers = await system.Customers.CountAsync(cancellationToken);
            var largest = await system.Customers.GroupBy(c => c.DealerGroupId).Select(g => new { Group = g.Key, Count = g.Count() })
                .OrderByDescending(g => g.Count).FirstAsync(cancellationToken);
            groupId = largest.Group;
            groupCustomers = largest.Count;
            networkId = await system.DealerGroups.Where(g => g.Id == groupId).Select(g => g.NetworkId).FirstAsync(cancellationToken);
            dealerId = await system.Customers.Where(c => c.DealerGroupId == groupId && c.ResponsibleDealerId != null)
                .GroupBy(c => c.ResponsibleDealerId!.Value).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync(cancellationToken);
        }

        await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{customers:N0} customers; group {groupId} has {groupCustomers:N0}; {runs} timed runs per case."));
        var group = new AudienceTarget(CampaignOwnerLevel.Group, networkId, groupId);
        var dealer = new AudienceTarget(CampaignOwnerLevel.Dealer, networkId, groupId, dealerId);
        var retail = new AudienceTarget(CampaignOwnerLevel.NetworkRetail, networkId);
        var wholesale = new AudienceTarget(CampaignOwnerLevel.NetworkWholesale, networkId);
        var groupScope = new AccessScope(networkId, groupId, PersonalData: true, Wholesale: false);
        var networkScope = new AccessScope(networkId, null, PersonalData: true, Wholesale: true);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var threeConditions = Audience(
            Cond("customer.age", AudienceOperator.Between, "30", "60"),
            new VehicleBlock { Conditions = [Cond("vehicle.bodyType", AudienceOperator.AnyOf, "Suv", "Estate")] },
            Cond("consent.email", AudienceOperator.IsTrue));
        var cases = new List<(string Name, AccessScope Scope, AudienceTarget Target, AudienceDefinition Audience, CampaignChannelKind? Channel, int? PreviewPage)>
        {
            ("group: age + vehicle body + e-mail consent", groupScope, group, threeConditions, null, null),
            ("group: same, e-mail channel (consent + suppression)", groupScope, group, threeConditions, CampaignChannelKind.Email, null),
            ("group: payment cash + SUV/MPV", groupScope, group,
                Audience(Cond("customer.paymentMethod", AudienceOperator.AnyOf, "Cash"), new VehicleBlock { Conditions = [Cond("vehicle.bodyType", AudienceOperator.AnyOf, "Suv", "Mpv")] }), null, null),
            ("group: company + insured accidents >= 1", groupScope, group,
                Audience(Cond("customer.buyerType", AudienceOperator.AnyOf, "Company"), Cond("customer.insuredAccidents", AudienceOperator.AtLeast, "1")), null, null),
            ("group: postcode starts with + created in 24 months", groupScope, group,
                Audience(Cond("customer.postcode", AudienceOperator.StartsWith, "L"), Cond("customer.createdAt", AudienceOperator.InLastMonths, "24")), null, null),
            ("group: nested OR + servicing electric under 4 years", groupScope, group,
                Audience(
                    new AudienceGroup { Join = AudienceJoin.Any, Items = [Cond("customer.lastName", AudienceOperator.StartsWith, "S"), Cond("customer.age", AudienceOperator.AtMost, "35")] },
                    new VehicleBlock { Conditions = [Cond("vehicle.fuel", AudienceOperator.AnyOf, "Electric", "PluginHybrid"), Cond("vehicle.age", AudienceOperator.AtMost, "3"), Cond("relationship.type", AudienceOperator.AnyOf, "Servicing")] }),
                null, null),
            ("group: mileage >= 60000 + ended relationship in 12 months", groupScope, group,
                Audience(
                    new VehicleBlock { Ownership = VehicleOwnership.Any, Conditions = [Cond("vehicle.mileage", AudienceOperator.AtLeast, "60000")] },
                    new VehicleBlock { Ownership = VehicleOwnership.Ended, Conditions = [Cond("relationship.endDate", AudienceOperator.InLastMonths, "12")] }),
                null, null),
            ("dealer: 3 conditions, e-mail channel", groupScope, dealer, threeConditions, CampaignChannelKind.Email, null),
            ("group: everyone, call list channel", groupScope, group, AudienceDefinition.Everyone(), CampaignChannelKind.CallList, null),
            ("group: first preview page, 3 conditions", groupScope, group, threeConditions, CampaignChannelKind.Email, 0),
            ("network retail: 3 conditions, e-mail channel", networkScope, retail, threeConditions, CampaignChannelKind.Email, null),
            ("network wholesale: company + SUV", networkScope, wholesale,
                Audience(Cond("customer.buyerType", AudienceOperator.AnyOf, "Company"), new VehicleBlock { Conditions = [Cond("vehicle.bodyType", AudienceOperator.AnyOf, "Suv")] }), null, null),
            ("network retail: first preview page, 3 conditions", networkScope, retail, threeConditions, CampaignChannelKind.Email, 0),
            ("network wholesale: first preview page, company + SUV", networkScope, wholesale,
                Audience(Cond("customer.buyerType", AudienceOperator.AnyOf, "Company"), new VehicleBlock { Conditions = [Cond("vehicle.bodyType", AudienceOperator.AnyOf, "Suv")] }), null, 0),
            ("group: preview page 40, everyone, call list", groupScope, group, AudienceDefinition.Everyone(), CampaignChannelKind.CallList, 40),
        };

        var results = new List<object>();
        foreach (var (name, scope, target, audience, channel, previewPage) in cases)
        {
            var preview = previewPage is not null;
            if (only is not null && !name.Contains(only, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (showSql)
            {
                await using var sqlDb = CrmDatabase.CreateContext(settings);
                sqlDb.Scope = scope;
                var sqlQuery = await AudienceQuery.BuildAsync(sqlDb, target, audience, channel, today, cancellationToken);
                await stderr.WriteLineAsync($"-- {name}\n{(preview ? AudiencePreview.PageSql(sqlQuery) : sqlQuery.ToQueryString())}");
                // The plan the app's own SQLite library chooses (the sqlite3 shell's version may plan differently).
                await sqlDb.Database.OpenConnectionAsync(cancellationToken);
                await using var plan = preview ? AudiencePreview.PageCommand(sqlQuery) : sqlQuery.Select(c => c.Id).CreateDbCommand();
                plan.CommandText = "EXPLAIN QUERY PLAN " + plan.CommandText;
                await using var reader = await plan.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    await stderr.WriteLineAsync($"--   plan {reader.GetValue(0)} {reader.GetValue(1)} {reader.GetValue(3)}");
                }
            }

            var timings = new List<double>();
            long count = 0;
            for (var i = 0; i < runs + 2; i++)
            {
                await using var db = CrmDatabase.CreateContext(settings);
                db.Scope = scope;
                var clock = Stopwatch.StartNew();
                var query = await AudienceQuery.BuildAsync(db, target, audience, channel, today, cancellationToken);
                count = preview
                    ? (await AudiencePreview.PageAsync(query, previewPage ?? 0, AudiencePreview.DefaultPageSize, cancellationToken)).Count
                    : await AudiencePreview.CountAsync(query, cancellationToken);
                if (i >= 2)
                {
                    timings.Add(clock.Elapsed.TotalMilliseconds);
                }
            }

            timings.Sort();
            var p50 = Percentile(timings, 0.50);
            var p95 = Percentile(timings, 0.95);
            await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {name}: {(preview ? "rows" : "count")} {count:N0}, p50 {p50:F1} ms, p95 {p95:F1} ms"));
            results.Add(new { name, rows = count, preview, p50_ms = Math.Round(p50, 1), p95_ms = Math.Round(p95, 1) });
        }

        await stdout.WriteLineAsync(JsonSerializer.Serialize(new { customers, group_customers = groupCustomers, runs, cases = results }));
        return Ok;

        static AudienceDefinition Audience(params AudienceNode[] items) => new() { Root = new AudienceGroup { Items = [.. items] } };
        static AudienceCondition Cond(string field, AudienceOperator op, params string[] values) => new() { Field = field, Operator = op, Values = [.. values] };
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
