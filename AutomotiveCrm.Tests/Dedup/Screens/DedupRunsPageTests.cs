using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Dedup;
using Bunit;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Dedup.Screens;

/// <summary>The runs screen: past runs with their figures, the live progress of a running one, and the start button (the real engine).</summary>
public sealed class DedupRunsPageTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private readonly SqliteTestDatabase database = new();
    private BunitContext context = null!;
    private TestOrganisation org = null!;

    public async Task InitializeAsync()
    {
        await using (var db = database.CreateContext())
        {
            org = await new OrganisationBuilder().SaveAsync(db);
            await new CustomerBuilder().InGroup(org.Group).Named("Alex", "Morgan").WithEmail("alex@example.com").BornOn(new DateOnly(1980, 1, 2)).SaveAsync(db);
            await new CustomerBuilder().InGroup(org.Group).Named("Alex", "Morgan").WithEmail("alex@example.com").BornOn(new DateOnly(1980, 1, 2)).SaveAsync(db);
            await new CustomerBuilder().InGroup(org.Group).Named("Sam", "Carter").WithEmail("sam@example.com").SaveAsync(db);
        }

        context = DedupScreenContext.Create(database, DedupScreenContext.NetworkSteward(org));
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    public void Dispose() => database.Dispose();

    private async Task<DedupRun> SeedRunAsync(DedupRunStatus status, int queued, int auto, double progress = 1, string? stage = null)
    {
        await using var db = database.CreateContext();
        var run = new DedupRun
        {
            NetworkId = org.Network.Id, Level = DedupLevel.Retail, Kind = DedupRunKind.Full, Status = status, StartedAt = database.Clock.GetUtcNow().UtcDateTime,
            FinishedAt = status == DedupRunStatus.Running ? null : database.Clock.GetUtcNow().UtcDateTime.AddSeconds(12), StartedBy = "steward@example.com",
            RecordsCompared = 1200, CandidatePairs = 5400, AutoMerged = auto, Queued = queued, Progress = progress, Stage = stage, Seconds = 12.5,
        };
        db.DedupRuns.Add(run);
        await db.SaveChangesAsync();
        database.Clock.Advance(TimeSpan.FromMinutes(5));
        return run;
    }

    [Fact]
    public async Task RunsPage_PastRuns_ShowFiguresAndChart()
    {
        await SeedRunAsync(DedupRunStatus.Completed, queued: 40, auto: 7);
        await SeedRunAsync(DedupRunStatus.Completed, queued: 12, auto: 3);

        var page = context.Render<DedupRunsPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=runs] tbody tr").Count), Wait);
        var newest = page.FindAll("[data-testid=runs] tbody tr")[0].TextContent;
        Assert.Contains("1,200", newest, StringComparison.Ordinal);
        Assert.Contains("5,400", newest, StringComparison.Ordinal);
        Assert.Contains("12", newest, StringComparison.Ordinal);
        Assert.NotEmpty(page.Find("[data-testid=runs-chart]").QuerySelectorAll("svg"));
        Assert.Empty(page.FindAll("[data-testid=running-run]"));
        Assert.False(page.Instance.IsPolling);
    }

    [Fact]
    public async Task RunsPage_NetworkSteward_ChangesThresholds_NewVersionListed_BadValuesExplained()
    {
        await using (var db = database.CreateContext())
        {
            db.DedupRuleSets.Add(new DedupRuleSet
            {
                NetworkId = org.Network.Id, Level = DedupLevel.Retail, Version = 1, Name = "Retail rules v1 (trained)", AutoThreshold = 10, ReviewThreshold = 0,
                ModelJson = "{}", IsActive = true, CreatedAt = database.Clock.GetUtcNow().UtcDateTime, CreatedBy = "dedup",
            });
            await db.SaveChangesAsync();
        }

        var page = context.Render<DedupRunsPage>();
        page.WaitForAssertion(() => Assert.Equal("1", page.Find("[data-level=Retail] [data-testid=rules-active]").GetAttribute("data-version")), Wait);

        page.Find("input[data-testid=rules-review], [data-testid=rules-review] input").Change("12");
        page.Find("[data-testid=rules-save]").Click();
        page.WaitForAssertion(() => Assert.Contains("must be below the automatic one", page.Find("[data-testid=rules-error]").TextContent, StringComparison.Ordinal), Wait);

        page.Find("input[data-testid=rules-review], [data-testid=rules-review] input").Change("1.5");
        page.Find("input[data-testid=rules-auto], [data-testid=rules-auto] input").Change("12");
        page.Find("[data-testid=rules-save]").Click();

        page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-level=Retail] [data-testid=rules-active]").GetAttribute("data-version")), Wait);
        var active = page.Find("[data-level=Retail] [data-testid=rules-active]");
        Assert.Equal(("1.5", "12"), (active.GetAttribute("data-review"), active.GetAttribute("data-auto")));
        Assert.Equal(2, page.FindAll("[data-level=Retail] [data-testid=rules-history] tbody tr").Count);
        await using var check = database.CreateContext();
        Assert.Equal([false, true], await check.DedupRuleSets.OrderBy(r => r.Version).Select(r => r.IsActive).ToListAsync());
    }

    [Fact]
    public async Task RunsPage_RunningRun_ShowsProgressThenFinalFigures()
    {
        var run = await SeedRunAsync(DedupRunStatus.Running, queued: 0, auto: 0, progress: 0.4, stage: "Scoring pairs");

        var page = context.Render<DedupRunsPage>();

        page.WaitForAssertion(() => Assert.Contains("Scoring pairs · 40%", page.Find("[data-testid=run-progress]").TextContent, StringComparison.Ordinal), Wait);
        Assert.True(page.Instance.IsPolling);
        Assert.NotNull(page.Find("[data-testid=run-start]").GetAttribute("disabled"));

        await using (var db = database.CreateContext())
        {
            var row = await db.DedupRuns.SingleAsync(r => r.Id == run.Id);
            (row.Progress, row.Stage) = (0.8, "Clustering");
            await db.SaveChangesAsync();
        }

        page.WaitForAssertion(() => Assert.Contains("Clustering · 80%", page.Find("[data-testid=run-progress]").TextContent, StringComparison.Ordinal), Wait);

        await using (var db = database.CreateContext())
        {
            var row = await db.DedupRuns.SingleAsync(r => r.Id == run.Id);
            (row.Status, row.Progress, row.Queued, row.AutoMerged, row.FinishedAt) = (DedupRunStatus.Completed, 1, 9, 2, row.StartedAt.AddSeconds(30));
            await db.SaveChangesAsync();
        }

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=running-run]")), Wait);
        Assert.Equal(nameof(DedupRunStatus.Completed), page.Find("[data-run-status]").TextContent);
        page.WaitForAssertion(() => Assert.False(page.Instance.IsPolling), Wait);
    }

    [Fact]
    public async Task RunsPage_StartFullRun_RunsTheEngineAndListsTheFinishedRun()
    {
        var page = context.Render<DedupRunsPage>();
        page.WaitForAssertion(() => Assert.Null(page.Find("[data-testid=run-start]").GetAttribute("disabled")), Wait);

        await page.Find("[data-testid=run-start]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-run-status]")), Wait);
        page.WaitForAssertion(() => Assert.Equal(nameof(DedupRunStatus.Completed), page.Find("[data-run-status]").TextContent), TimeSpan.FromSeconds(60));
        await using var db = database.CreateContext();
        var run = await db.DedupRuns.SingleAsync();
        Assert.Equal((DedupRunKind.Full, DedupLevel.Retail, "pat@example.com", 3), (run.Kind, run.Level, run.StartedBy, run.RecordsCompared));
    }
}
