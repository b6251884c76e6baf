using System.Globalization;
using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AutomotiveCrm.Tests.EndToEnd;

/// <summary>The app as a fresh install starts it: demo data seeded, then the demo's first dedup pass (its queue is real).</summary>
public sealed class DemoDedupBrowserApp() : BrowserApp(new CrmWebFactory { DemoCustomers = 1000, DemoDedup = true })
{
    public new const string CollectionName = "BrowserDemoDedup";
}

/// <summary>Runs alone, after the other collections: a second app and browser on two cores would slow both.</summary>
[CollectionDefinition(DemoDedupBrowserApp.CollectionName, DisableParallelization = true)]
public sealed class DemoDedupBrowserCollection : ICollectionFixture<DemoDedupBrowserApp>;

/// <summary>
/// A data steward new to the product works the queue the demo's own dedup pass left (nothing planted by the test):
/// narrows it to retail suggestions, opens the top one, approves it with the keyboard, sees the wholesale record
/// lose the merged record, undoes the merge from the history, and sees both records and their wholesale records
/// come back.
/// </summary>
[Collection(DemoDedupBrowserApp.CollectionName)]
public sealed class DemoQueueJourneyTests(DemoDedupBrowserApp app)
{
    private const string Steward = "datasteward@network.demo";

    [Fact]
    public async Task NewSteward_WorksTheDemoQueue_ApprovesTheTopSuggestion_UndoesIt_WholesaleRecordFollows()
    {
        int openRetail;
        await using (var db = SystemContext())
        {
            openRetail = await db.MatchCandidates.CountAsync(c => c.Status == CandidateStatus.Open && c.EntityKind == DedupEntityKind.Customer
                && c.Level == DedupLevel.Retail);
        }

        Assert.True(openRetail >= 1, "The demo's dedup pass left no retail suggestion to review.");
        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, Steward);
        await page.Locator("[data-nav=duplicates]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/dedup");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.Locator("[data-testid=filter-level]").ClickAsync();
        await page.Locator(".mud-popover-open").GetByText("Retail (within a group)").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("level=Retail", StringComparison.Ordinal));
        var links = page.Locator("[data-testid=candidate-link]");
        await links.First.WaitForAsync();
        await BrowserApp.ScreenshotAsync(page, "45-dedup-demo-queue");

        // The top of the queue is the best-scoring open retail suggestion of the demo data.
        var candidateId = long.Parse((await links.First.GetAttributeAsync("data-candidate"))!, CultureInfo.InvariantCulture);
        MatchCandidate top;
        await using (var db = SystemContext())
        {
            top = await db.MatchCandidates.AsNoTracking().SingleAsync(c => c.Id == candidateId);
            var best = await db.MatchCandidates.Where(c => c.Status == CandidateStatus.Open && c.EntityKind == DedupEntityKind.Customer
                && c.Level == DedupLevel.Retail).MaxAsync(c => c.Score);
            Assert.Equal((CandidateStatus.Open, DedupLevel.Retail, DedupEntityKind.Customer, best), (top.Status, top.Level, top.EntityKind, top.Score));
        }

        var wholesaleBefore = (Left: await WholesaleIdOfAsync(top.LeftId), Right: await WholesaleIdOfAsync(top.RightId));
        Assert.NotEqual(wholesaleBefore.Left, wholesaleBefore.Right);

        await links.First.ClickAsync();
        var comparison = page.Locator($"[data-testid=comparison][data-candidate='{candidateId}']");
        await comparison.WaitForAsync();
        await BrowserApp.ScreenshotAsync(page, "46-dedup-demo-comparison");
        await comparison.PressAsync("a");
        await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.EndsWith($"/{candidateId}", StringComparison.Ordinal));

        long mergeId, survivorId, mergedId;
        await using (var db = SystemContext())
        {
            var merge = await db.RecordMerges.SingleAsync(m => m.CandidateId == candidateId && m.UndoneAt == null);
            Assert.False(merge.Automatic);
            Assert.Equal(Steward, merge.MergedBy);
            (mergeId, survivorId, mergedId) = (merge.Id, merge.SurvivorId, merge.MergedId);
            Assert.Equal(CandidateStatus.Merged, (await db.MatchCandidates.SingleAsync(c => c.Id == candidateId)).Status);
        }

        var survivorWholesale = await WholesaleIdOfAsync(survivorId);
        Assert.Equal(survivorWholesale, await WholesaleIdOfAsync(mergedId));
        await page.GotoAsync($"/wholesale/{survivorWholesale}");
        await page.Locator($"[data-testid=retail-records] tr[data-customer='{survivorId}']").WaitForAsync();
        Assert.Equal(0, await page.Locator($"[data-testid=retail-records] tr[data-customer='{mergedId}']").CountAsync());
        await BrowserApp.ScreenshotAsync(page, "47-dedup-demo-wholesale-after-merge");

        await page.GotoAsync("/dedup");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.Locator("[data-testid=merges-link]").ClickAsync();
        var undo = page.Locator($"[data-testid=undo][data-merge='{mergeId}']");
        await undo.WaitForAsync();
        await undo.ClickAsync();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Undo merge" }).ClickAsync();
        await undo.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });

        await using (var db = SystemContext())
        {
            var pair = await db.Customers.IgnoreQueryFilters().Where(c => c.Id == survivorId || c.Id == mergedId).ToListAsync();
            Assert.Equal(2, pair.Count);
            Assert.All(pair, c => Assert.Null(c.MergedIntoId));
            Assert.NotNull((await db.RecordMerges.SingleAsync(m => m.Id == mergeId)).UndoneAt);
        }

        var mergedWholesale = await WholesaleIdOfAsync(mergedId);
        Assert.NotEqual(survivorWholesale, mergedWholesale);
        await page.GotoAsync($"/wholesale/{mergedWholesale}");
        await page.Locator($"[data-testid=retail-records] tr[data-customer='{mergedId}']").WaitForAsync();
        await BrowserApp.ScreenshotAsync(page, "48-dedup-demo-wholesale-after-undo");
    }

    private CrmDbContext SystemContext() => app.Factory.Services.GetRequiredService<ISystemDbContextFactory>().CreateDbContext();

    private async Task<long> WholesaleIdOfAsync(long customerId)
    {
        await using var db = SystemContext();
        return await db.Customers.IgnoreQueryFilters().Where(c => c.Id == customerId).Select(c => c.WholesaleCustomerId).SingleAsync();
    }
}
