using System.Globalization;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Dedup.Matching;
using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AutomotiveCrm.Tests.EndToEnd;

/// <summary>
/// A network data steward works the duplicate queue of the demo data in a real browser: opens the top candidate,
/// keeps one differing value of the other record, approves with the keyboard, sees the wholesale record follow,
/// undoes the merge from the history and sees both records, and both wholesale records, come back.
/// </summary>
[Collection(BrowserApp.CollectionName)]
public sealed class DedupJourneyTests(BrowserApp app)
{
    private const string Steward = "datasteward@network.demo";

    /// <summary>A planted duplicate pair of one group whose names differ, queued as the top candidate.</summary>
    private sealed record Planted(long CandidateId, long LeftId, long RightId, string Field, string WholesaleField, string LeftValue, string RightValue);

    [Fact]
    public async Task Steward_ApprovesTopCandidate_UndoesFromHistory_WholesaleRecordFollows()
    {
        var planted = await QueuePlantedPairAsync();

        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, Steward);
        await page.Locator("[data-nav=duplicates]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/dedup");
        await BrowserApp.WaitForInteractiveAsync(page);
        var top = page.Locator("[data-testid=candidate-link]").First;
        await top.WaitForAsync();
        await BrowserApp.ScreenshotAsync(page, "40-dedup-queue");
        Assert.Equal(planted.CandidateId.ToString(CultureInfo.InvariantCulture), await top.GetAttributeAsync("data-candidate"));

        await top.ClickAsync();
        var comparison = page.Locator($"[data-testid=comparison][data-candidate='{planted.CandidateId}']");
        await comparison.WaitForAsync();
        // Keep the value the default would not: the other record's spelling of the name.
        var other = page.Locator($"tr[data-field={planted.Field}] td[data-kept=false]");
        var chosen = (await other.InnerTextAsync()).Trim();
        await other.Locator("input[type=radio]").CheckAsync();
        await page.Locator($"tr[data-field={planted.Field}] td[data-kept=true]", new PageLocatorOptions { HasText = chosen }).WaitForAsync();
        await BrowserApp.ScreenshotAsync(page, "41-dedup-comparison");

        await comparison.PressAsync("a");

        await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.EndsWith($"/{planted.CandidateId}", StringComparison.Ordinal));
        var (mergeId, survivorId, mergedId) = await MergeOfAsync(planted.CandidateId);
        var survivorWholesale = await WholesaleIdOfAsync(survivorId);
        var mergedWholesaleBefore = await WholesaleIdOfAsync(mergedId);
        Assert.Equal(survivorWholesale, mergedWholesaleBefore);
        await page.GotoAsync($"/wholesale/{survivorWholesale}");
        await Assertions.Expect(page.Locator($"[data-testid=wholesale-fields] tr[data-field={planted.WholesaleField}] td").First).ToHaveTextAsync(chosen);
        Assert.Equal(0, await page.Locator($"[data-testid=retail-records] tr[data-customer='{mergedId}']").CountAsync());
        await BrowserApp.ScreenshotAsync(page, "42-dedup-wholesale-after-merge");

        // The old id still resolves: to the survivor, saying so.
        await page.GotoAsync($"/customers/{mergedId}");
        await page.Locator("[data-testid=merged-notice]").WaitForAsync();
        Assert.EndsWith($"/customers/{survivorId}?mergedFrom={mergedId}", page.Url, StringComparison.Ordinal);

        await page.GotoAsync("/dedup");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.Locator("[data-testid=merges-link]").ClickAsync();
        var undo = page.Locator($"[data-testid=undo][data-merge='{mergeId}']");
        await undo.WaitForAsync();
        await undo.ClickAsync();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Undo merge" }).ClickAsync();
        await undo.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        await BrowserApp.ScreenshotAsync(page, "43-dedup-merge-undone");

        await using (var db = SystemContext())
        {
            var pair = await db.Customers.IgnoreQueryFilters().Where(c => c.Id == survivorId || c.Id == mergedId).ToListAsync();
            Assert.All(pair, c => Assert.Null(c.MergedIntoId));
            Assert.NotNull((await db.RecordMerges.SingleAsync(m => m.Id == mergeId)).UndoneAt);
        }

        var mergedWholesale = await WholesaleIdOfAsync(mergedId);
        Assert.NotEqual(survivorWholesale, mergedWholesale);
        await page.GotoAsync($"/wholesale/{mergedWholesale}");
        await page.Locator($"[data-testid=retail-records] tr[data-customer='{mergedId}']").WaitForAsync();
        await BrowserApp.ScreenshotAsync(page, "44-dedup-wholesale-after-undo");
        await page.GotoAsync($"/wholesale/{survivorWholesale}");
        var survivorOwn = survivorId == planted.LeftId ? planted.LeftValue : planted.RightValue;
        await Assertions.Expect(page.Locator($"[data-testid=wholesale-fields] tr[data-field={planted.WholesaleField}] td").First).ToHaveTextAsync(survivorOwn);
        await page.GotoAsync($"/customers/{mergedId}");
        await page.Locator("[data-testid=customer-name]").WaitForAsync();
        Assert.EndsWith($"/customers/{mergedId}", page.Url, StringComparison.Ordinal);
    }

    private CrmDbContext SystemContext() => app.Factory.Services.GetRequiredService<ISystemDbContextFactory>().CreateDbContext();

    /// <summary>
    /// The queue is empty until a run has happened, so the test queues one planted pair itself: two records of one
    /// group whose first or last names differ, with a score above every open candidate, so it is the top of the queue.
    /// </summary>
    private async Task<Planted> QueuePlantedPairAsync()
    {
        await using var db = SystemContext();
        var pairs = await DemoSourceReference.LoadPlantedDuplicatesAsync(db);
        var ids = pairs.SelectMany(p => new[] { p.DuplicateId, p.OriginalId }).ToList();
        var customers = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id);
        var taken = await db.MatchCandidates.AsNoTracking().Where(c => c.EntityKind == DedupEntityKind.Customer && c.Status != CandidateStatus.Open)
            .Select(c => new { c.LeftId, c.RightId }).ToListAsync();
        (Customer Left, Customer Right, string Field, string WholesaleField, string LeftValue, string RightValue)? found = null;
        foreach (var pair in pairs)
        {
            if (!customers.TryGetValue(pair.DuplicateId, out var a) || !customers.TryGetValue(pair.OriginalId, out var b) || a.DealerGroupId != b.DealerGroupId)
            {
                continue;
            }

            var (left, right) = a.Id < b.Id ? (a, b) : (b, a);
            // Swapped first and last names are a pair too, but keeping one side's first name there reads oddly.
            var swapped = string.Equals(left.FirstName, right.LastName, StringComparison.Ordinal) && string.Equals(left.LastName, right.FirstName, StringComparison.Ordinal);
            if (swapped || taken.Any(t => t.LeftId == left.Id && t.RightId == right.Id))
            {
                continue;
            }

            if (Differs(left.FirstName, right.FirstName))
            {
                found = (left, right, "first_name", "FirstName", left.FirstName!, right.FirstName!);
                break;
            }

            if (Differs(left.LastName, right.LastName))
            {
                found = (left, right, "last_name", "LastName", left.LastName!, right.LastName!);
                break;
            }
        }

        Assert.True(found is not null, "The demo data has no planted duplicate pair of one group with differing names.");
        var (l, r, field, wholesaleField, leftValue, rightValue) = found.Value;
        var top = await db.MatchCandidates.Where(c => c.Status == CandidateStatus.Open && c.EntityKind == DedupEntityKind.Customer)
            .MaxAsync(c => (double?)c.Score) ?? 0;
        var explanation = new MatchExplanation(top + 5, 0.99, -12, [
            new FieldScore("first_name", "similar", 4.1, l.FirstName, r.FirstName),
            new FieldScore("last_name", "similar", 6.3, l.LastName, r.LastName),
            new FieldScore("date_of_birth", "exact", 9.8, l.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ]);
        var candidate = await db.MatchCandidates.FirstOrDefaultAsync(c => c.EntityKind == DedupEntityKind.Customer && c.Level == DedupLevel.Retail
            && c.LeftId == l.Id && c.RightId == r.Id);
        if (candidate is null)
        {
            candidate = new MatchCandidate
            {
                NetworkId = await db.DealerGroups.Where(g => g.Id == l.DealerGroupId).Select(g => g.NetworkId).SingleAsync(),
                DealerGroupId = l.DealerGroupId,
                Level = DedupLevel.Retail,
                EntityKind = DedupEntityKind.Customer,
                LeftId = l.Id,
                RightId = r.Id,
                ExplanationJson = "",
                Reasons = "",
                CreatedAt = DateTime.UtcNow,
            };
            db.MatchCandidates.Add(candidate);
        }

        (candidate.Score, candidate.Band, candidate.Status, candidate.ExplanationJson, candidate.Reasons) =
            (top + 5, MatchBand.Review, CandidateStatus.Open, explanation.ToJson(), "first_name,last_name,date_of_birth");
        (candidate.LeftVersion, candidate.RightVersion, candidate.UpdatedAt) = (l.Version, r.Version, DateTime.UtcNow);
        await db.SaveChangesAsync();
        return new Planted(candidate.Id, l.Id, r.Id, field, wholesaleField, leftValue, rightValue);
    }

    private static bool Differs(string? a, string? b) =>
        !string.IsNullOrWhiteSpace(a) && !string.IsNullOrWhiteSpace(b) && !string.Equals(a.Trim(), b.Trim(), StringComparison.Ordinal);

    private async Task<(long MergeId, long SurvivorId, long MergedId)> MergeOfAsync(long candidateId)
    {
        await using var db = SystemContext();
        var merge = await db.RecordMerges.SingleAsync(m => m.CandidateId == candidateId && m.UndoneAt == null);
        Assert.False(merge.Automatic);
        Assert.Equal(Steward, merge.MergedBy);
        return (merge.Id, merge.SurvivorId, merge.MergedId);
    }

    private async Task<long> WholesaleIdOfAsync(long customerId)
    {
        await using var db = SystemContext();
        return await db.Customers.IgnoreQueryFilters().Where(c => c.Id == customerId).Select(c => c.WholesaleCustomerId).SingleAsync();
    }
}
