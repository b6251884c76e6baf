using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Dedup.Merging;
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
        var open = await db.MatchCandidates.AsNoTracking().Where(c => c.Status == CandidateStatus.Open).ToListAsync();
        var retail = open.Where(c => c.EntityKind == DedupEntityKind.Customer && c.Level == DedupLevel.Retail).ToList();
        var wholesale = open.Where(c => c.EntityKind == DedupEntityKind.Customer && c.Level == DedupLevel.Wholesale).ToList();
        var vehicles = open.Where(c => c.EntityKind == DedupEntityKind.Vehicle).ToList();
        var ruleSet = await db.DedupRuleSets.AsNoTracking().SingleAsync(r => r.Level == DedupLevel.Retail && r.IsActive);
        var quarter = (ruleSet.AutoThreshold - ruleSet.ReviewThreshold) / 4;
        var bands = retail.GroupBy(c => (int)Math.Clamp(Math.Floor((c.Score - ruleSet.ReviewThreshold) / quarter), 0, 3)).ToDictionary(g => g.Key, g => g.Count());
        var reasons = retail.GroupBy(c => c.Reasons.Split(',')[0]).ToDictionary(g => g.Key, g => g.Count());
        var planted = (await DemoSourceReference.LoadPlantedDuplicatesAsync(db))
            .Select(p => (Math.Min(p.DuplicateId, p.OriginalId), Math.Max(p.DuplicateId, p.OriginalId))).ToHashSet();
        output.WriteLine($"open: retail {retail.Count} ({retail.Count(c => planted.Contains((c.LeftId, c.RightId)))} planted), wholesale {wholesale.Count}, vehicles {vehicles.Count}");
        output.WriteLine("review band quarters: " + string.Join(", ", bands.OrderBy(b => b.Key).Select(b => $"{b.Key}: {b.Value}")));
        output.WriteLine("leading reasons: " + string.Join("; ", reasons.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value}")));

        // A queue worth working through, not a handful and not a wall.
        Assert.InRange(retail.Count + wholesale.Count, 30, 60);
        Assert.True(retail.Count >= 20, $"Only {retail.Count} retail suggestions.");
        Assert.True(retail.Select(c => c.DealerGroupId).Distinct().Count() >= 2, "Every retail suggestion is in one group.");
        Assert.All(retail, c => Assert.Equal(MatchBand.Review, c.Band));
        Assert.True(bands.Count >= 3, "The suggestions sit in fewer than three quarters of the review band.");
        Assert.True(reasons.Count >= 3, "The suggestions have fewer than three leading reasons.");
        // Most of what the steward sees are the people planted twice, not namesakes.
        Assert.True(retail.Count(c => planted.Contains((c.LeftId, c.RightId))) * 2 > retail.Count, "Most retail suggestions are not planted duplicates.");

        Assert.InRange(vehicles.Count, 3, 40);
        Assert.All(vehicles, c => Assert.NotNull(c.OwnerCustomerId));
        Assert.True(result.VehiclesMerged > 0, "No duplicate vehicle was merged automatically.");

        // Automatic merges in the history, each undoable.
        var automatic = await db.RecordMerges.AsNoTracking()
            .Where(m => m.Automatic && m.EntityKind == DedupEntityKind.Customer && m.Level == DedupLevel.Retail && m.UndoneAt == null).ToListAsync();
        Assert.True(automatic.Count >= 50, $"Only {automatic.Count} automatic merges.");
        Assert.Equal(result.RetailMerged, automatic.Count);

        // People of two groups share one wholesale record.
        var crossGroup = await db.Customers.AsNoTracking().GroupBy(c => c.WholesaleCustomerId)
            .Where(g => g.Select(c => c.DealerGroupId).Distinct().Count() > 1).Select(g => g.Key).ToListAsync();
        output.WriteLine($"wholesale records spanning groups: {crossGroup.Count}");
        Assert.True(crossGroup.Count >= 3, $"Only {crossGroup.Count} wholesale records span two groups.");

        var merge = automatic.OrderByDescending(m => m.Id).First();
        await using (var undoDb = CrmDatabase.CreateContext(settings))
        {
            var undone = await new RecordMerger(TimeProvider.System).UndoAsync(undoDb, merge.Id, CancellationToken.None);
            Assert.True(undone.Succeeded, undone.Error);
        }

        var both = await db.Customers.AsNoTracking().Where(c => c.Id == merge.SurvivorId || c.Id == merge.MergedId).CountAsync();
        Assert.Equal(2, both);
    }
}
