using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace AutomotiveCrm.Tests.DemoData;

/// <summary>
/// The demo data as a steward first meets it: seeded at the default size, then the demo's first dedup pass, on a
/// real SQLite file. The queue must be worth working through: dozens of suggestions of several kinds, duplicate
/// vehicles, automatic merges to undo, and people of two groups on one wholesale record.
/// </summary>
public sealed class DemoDedupTests(ITestOutputHelper output) : IDisposable
{
    private readonly DemoDatabaseFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task DemoSeedThenDedup_LeavesARealisticQueue_MergesToUndo_AndCrossGroupWholesaleLinks()
    {
        var settings = _folder.Settings();
        var seeded = await DemoDataSeeder.SeedAsync(settings, new DemoSeedOptions());
        var result = await DemoDedup.RunAsync(settings);
        output.WriteLine(seeded.Describe());
        output.WriteLine(result.Describe());

        await using var db = CrmDatabase.CreateContext(settings);
        var open = await db.MatchCandidates.IgnoreQueryFilters().AsNoTracking().Where(c => c.Status == CandidateStatus.Open).ToListAsync();
        var customers = open.Where(c => c.EntityKind == DedupEntityKind.Customer && c.Level == DedupLevel.Retail).ToList();
        foreach (var band in customers.GroupBy(c => Math.Floor(c.Score / 2.5) * 2.5).OrderBy(g => g.Key))
        {
            output.WriteLine($"score {band.Key,5}: {band.Count()}");
        }

        foreach (var reason in customers.GroupBy(c => c.Reasons.Split(',')[0]).OrderByDescending(g => g.Count()))
        {
            output.WriteLine($"reason {reason.Key}: {reason.Count()}");
        }

        output.WriteLine($"open retail customers {customers.Count}, wholesale {open.Count(c => c.Level == DedupLevel.Wholesale)}, vehicles {open.Count(c => c.EntityKind == DedupEntityKind.Vehicle)}");
        output.WriteLine($"merges {await db.RecordMerges.CountAsync()}");
    }
}
