using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Dedup.Review;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Dedup;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutomotiveCrm.Tests.Dedup.Screens;

/// <summary>
/// The review queue, the comparison and the merge history as a group data steward, over a real SQLite database with
/// the real review and merge services. Candidates are written directly (see <see cref="CandidateSeed"/>).
/// </summary>
public sealed class DedupScreensTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private readonly SqliteTestDatabase database = new();
    private BunitContext context = null!;
    private TestOrganisation org = null!;
    private Customer alexOld = null!;
    private Customer alexNew = null!;
    private MatchCandidate automatic = null!;
    private MatchCandidate alex = null!;
    private MatchCandidate sam = null!;
    private MatchCandidate jo = null!;
    private MatchCandidate otherGroups = null!;
    private MatchCandidate wholesale = null!;

    public async Task InitializeAsync()
    {
        await using (var db = database.CreateContext())
        {
            org = await new OrganisationBuilder().SaveAsync(db);
            alexOld = await new CustomerBuilder().InGroup(org.Group).Named("Alex", "Morgan").WithEmail("alex@example.com").BornOn(new DateOnly(1980, 1, 2)).SaveAsync(db);
            alexNew = await new CustomerBuilder().InGroup(org.Group).Named("Alexander", "Morgan").WithEmail("alex.morgan@example.com").BornOn(new DateOnly(1980, 1, 2)).SaveAsync(db);
            var chris1 = await new CustomerBuilder().InGroup(org.Group).Named("Chris", "Hale").WithEmail("chris@example.com").SaveAsync(db);
            var chris2 = await new CustomerBuilder().InGroup(org.Group).Named("Chris", "Hale").WithEmail("chris@example.com").SaveAsync(db);
            var sam1 = await new CustomerBuilder().InGroup(org.Group).Named("Sam", "Carter").SaveAsync(db);
            var sam2 = await new CustomerBuilder().InGroup(org.Group).Named("Sam", "Carter").WithPhone("07700 900456").SaveAsync(db);
            // A hostile name: rendered as text wherever it appears.
            var jo1 = await new CustomerBuilder().InGroup(org.Group).Named("Jo", "<b>Bloggs</b>").SaveAsync(db);
            var jo2 = await new CustomerBuilder().InGroup(org.Group).Named("Joe", "<b>Bloggs</b>").SaveAsync(db);
            var hidden1 = await new CustomerBuilder().InGroup(org.OtherGroup).Named("Hidden", "Othergroup").SaveAsync(db);
            var hidden2 = await new CustomerBuilder().InGroup(org.OtherGroup).Named("Hidden", "Othergroup").SaveAsync(db);

            automatic = await new CandidateSeed(chris1, chris2) { Score = 30, Band = MatchBand.Automatic, Reasons = "email,last_name" }.SaveAsync(db, org.Network.Id);
            alex = await new CandidateSeed(alexOld, alexNew) { Score = 20, Reasons = "last_name,date_of_birth" }.SaveAsync(db, org.Network.Id);
            sam = await new CandidateSeed(sam1, sam2) { Score = 15, Reasons = "first_name,last_name" }.SaveAsync(db, org.Network.Id);
            jo = await new CandidateSeed(jo1, jo2) { Score = 11, Reasons = "last_name" }.SaveAsync(db, org.Network.Id);
            otherGroups = await new CandidateSeed(hidden1, hidden2) { Score = 25 }.SaveAsync(db, org.Network.Id);
            wholesale = await new CandidateSeed(alexOld, hidden1) { Score = 18, Level = DedupLevel.Wholesale }.SaveAsync(db, org.Network.Id);
        }

        context = DedupScreenContext.Create(database, DedupScreenContext.GroupSteward(org));
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    public void Dispose() => database.Dispose();

    private NavigationManager Navigation => context.Services.GetRequiredService<NavigationManager>();

    private static string WithoutHandlerIds(string markup) =>
        System.Text.RegularExpressions.Regex.Replace(markup, "blazor:[a-zA-Z]+=\"[^\"]*\"|id=\"[^\"]*\"", "");

    private IRenderedComponent<DedupComparisonPage> Compare(MatchCandidate candidate)
    {
        var page = context.Render<DedupComparisonPage>(p => p.Add(c => c.Id, candidate.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=comparison]")), Wait);
        return page;
    }

    private static List<long> QueueOrder(IRenderedComponent<DedupQueuePage> page) =>
        [.. page.FindAll("[data-testid=candidate-link]").Select(a => long.Parse(a.GetAttribute("data-candidate")!, System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public void Queue_GroupSteward_ListsOwnGroupsOpenCandidatesByScoreWithBandCounts()
    {
        Navigation.NavigateTo("/dedup");

        var page = context.Render<DedupQueuePage>();

        page.WaitForAssertion(() => Assert.Equal([automatic.Id, alex.Id, sam.Id, jo.Id], QueueOrder(page)), Wait);
        Assert.Equal("3", page.Find("[data-band-count=Review]").TextContent);
        Assert.Equal("1", page.Find("[data-band-count=Automatic]").TextContent);
        Assert.DoesNotContain("Othergroup", page.Markup, StringComparison.Ordinal);
        Assert.NotEmpty(page.Find("[data-testid=score-chart]").QuerySelectorAll("svg"));
        // The hostile name is text, never markup.
        Assert.Empty(page.Find("[data-testid=queue]").QuerySelectorAll("b"));
        Assert.Contains("<b>Bloggs</b>", page.Find("[data-testid=queue]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Queue_BandAndReasonFiltersFromAddress_ShowOnlyMatchingCandidates()
    {
        Navigation.NavigateTo("/dedup?band=Review&reason=first_name");

        var page = context.Render<DedupQueuePage>();

        page.WaitForAssertion(() => Assert.Equal([sam.Id], QueueOrder(page)), Wait);
        Assert.EndsWith($"/dedup/candidates/{sam.Id}?band=Review&reason=first_name", page.Find("[data-testid=candidate-link]").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public void Comparison_ShowsBothRecordsDifferencesAndWeights()
    {
        var page = Compare(alex);

        var email = page.Find("tr[data-field=email]");
        Assert.Equal("true", email.GetAttribute("data-differs"));
        Assert.Contains("alex@example.com", email.TextContent, StringComparison.Ordinal);
        Assert.Contains("alex.morgan@example.com", email.TextContent, StringComparison.Ordinal);
        Assert.Equal("false", page.Find("tr[data-field=last_name]").GetAttribute("data-differs"));
        Assert.Empty(page.Find("tr[data-field=last_name]").QuerySelectorAll("input[type=radio]"));
        Assert.Equal(2, email.QuerySelectorAll("input[type=radio]").Length);
        Assert.Equal("9.2", page.Find("[data-explain=email]").GetAttribute("data-weight"));
        Assert.Equal("-4.2", page.Find("[data-explain=date_of_birth]").GetAttribute("data-weight"));
        Assert.Contains("palette-error", page.Find("[data-explain=date_of_birth]").InnerHtml, StringComparison.Ordinal);
        Assert.Contains("palette-success", page.Find("[data-explain=email]").InnerHtml, StringComparison.Ordinal);
        Assert.Contains("A", page.Find("[data-testid=shortcuts]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Comparison_ApproveWithChosenValue_MergesKeepsChoiceAndMovesToNext()
    {
        var page = Compare(alex);
        var firstName = page.Find("tr[data-field=first_name]");
        var notDefault = firstName.QuerySelectorAll("td[data-kept=false]").Single().GetAttribute("data-side")!;
        var wanted = notDefault == nameof(ComparisonSide.Left) ? "Alex" : "Alexander";

        page.Find($"tr[data-field=first_name] input[data-choose={notDefault}]").Change(true);
        await page.Find("[data-testid=approve]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.EndsWith($"/dedup/candidates/{sam.Id}", Navigation.Uri, StringComparison.Ordinal), Wait);
        await using var db = database.CreateContext();
        var decided = await db.MatchCandidates.SingleAsync(c => c.Id == alex.Id);
        Assert.Equal(CandidateStatus.Merged, decided.Status);
        var pair = await db.Customers.IgnoreQueryFilters().Where(c => c.Id == alexOld.Id || c.Id == alexNew.Id).ToListAsync();
        var tombstone = Assert.Single(pair, c => c.MergedIntoId is not null);
        var survivor = Assert.Single(pair, c => c.MergedIntoId is null);
        Assert.Equal(survivor.Id, tombstone.MergedIntoId);
        Assert.Equal(wanted, survivor.FirstName);
        var merge = await db.RecordMerges.SingleAsync(m => m.CandidateId == alex.Id);
        Assert.False(merge.Automatic);
        Assert.Equal((survivor.Id, tombstone.Id), (merge.SurvivorId, merge.MergedId));
    }

    [Fact]
    public async Task Comparison_NotADuplicate_IsRememberedAndBothRecordsStay()
    {
        var page = Compare(sam);

        await page.Find("[data-testid=reject]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.EndsWith($"/dedup/candidates/{jo.Id}", Navigation.Uri, StringComparison.Ordinal), Wait);
        await using var db = database.CreateContext();
        Assert.Equal(CandidateStatus.NotDuplicate, (await db.MatchCandidates.SingleAsync(c => c.Id == sam.Id)).Status);
        Assert.Equal(2, await db.Customers.CountAsync(c => c.LastName == "Carter"));
        Assert.Empty(await db.RecordMerges.ToListAsync());
    }

    [Fact]
    public async Task Comparison_Skip_SetsSkippedWithoutMerging()
    {
        var page = Compare(jo);

        await page.Find("[data-testid=skip]").ClickAsync(new());

        // The last of the queue: on to the one that took its place from above.
        page.WaitForAssertion(() => Assert.EndsWith($"/dedup/candidates/{sam.Id}", Navigation.Uri, StringComparison.Ordinal), Wait);
        await using var db = database.CreateContext();
        Assert.Equal(CandidateStatus.Skipped, (await db.MatchCandidates.SingleAsync(c => c.Id == jo.Id)).Status);
        Assert.Empty(await db.RecordMerges.ToListAsync());
    }

    [Fact]
    public async Task Comparison_KeyboardShortcuts_WalkTheQueueAndApprove()
    {
        var page = Compare(alex);

        // bUnit has no router: the address moves, the rendered page stays on Alex's pair (queue: automatic, Alex, Sam, Jo).
        await page.Find("[data-testid=comparison]").KeyDownAsync(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "j" });
        page.WaitForAssertion(() => Assert.EndsWith($"/dedup/candidates/{sam.Id}", Navigation.Uri, StringComparison.Ordinal), Wait);
        await page.Find("[data-testid=comparison]").KeyDownAsync(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "k" });
        page.WaitForAssertion(() => Assert.EndsWith($"/dedup/candidates/{automatic.Id}", Navigation.Uri, StringComparison.Ordinal), Wait);
        await page.Find("[data-testid=comparison]").KeyDownAsync(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "a" });

        page.WaitForAssertion(() => Assert.EndsWith($"/dedup/candidates/{sam.Id}", Navigation.Uri, StringComparison.Ordinal), Wait);
        await using var db = database.CreateContext();
        Assert.Equal(CandidateStatus.Merged, (await db.MatchCandidates.SingleAsync(c => c.Id == alex.Id)).Status);
        Assert.Equal(CandidateStatus.Open, (await db.MatchCandidates.SingleAsync(c => c.Id == sam.Id)).Status);
    }

    [Fact]
    public void Comparison_OtherGroupsOrWholesaleCandidate_RendersNotFoundLikeMissing()
    {
        var missing = context.Render<DedupComparisonPage>(p => p.Add(c => c.Id, 987_654));
        var other = context.Render<DedupComparisonPage>(p => p.Add(c => c.Id, otherGroups.Id));
        var across = context.Render<DedupComparisonPage>(p => p.Add(c => c.Id, wholesale.Id));

        missing.WaitForAssertion(() => Assert.Contains("Not found", missing.Markup, StringComparison.Ordinal), Wait);
        other.WaitForAssertion(() => Assert.Contains("Not found", other.Markup, StringComparison.Ordinal), Wait);
        across.WaitForAssertion(() => Assert.Contains("Not found", across.Markup, StringComparison.Ordinal), Wait);
        Assert.Equal(WithoutHandlerIds(missing.Markup), WithoutHandlerIds(other.Markup));
        Assert.Equal(WithoutHandlerIds(missing.Markup), WithoutHandlerIds(across.Markup));
        Assert.DoesNotContain("Othergroup", other.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Comparison_DecidedMeanwhileBySomeoneElse_ShowsTheServicesReasonAndDoesNotMerge()
    {
        var page = Compare(alex);
        var reviews = context.Services.GetRequiredService<IDedupReviewService>();
        var rejected = await reviews.RejectAsync(alex.Id, alex.Version, CancellationToken.None);
        Assert.True(rejected.Succeeded, rejected.Error);

        await page.Find("[data-testid=approve]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.NotEmpty(DedupScreenContext.Snackbars(context)), Wait);
        page.WaitForAssertion(() => Assert.Equal(nameof(CandidateStatus.NotDuplicate), page.Find("[data-testid=comparison]").GetAttribute("data-status")), Wait);
        Assert.NotNull(page.Find("[data-testid=approve]").GetAttribute("disabled"));
        await using var db = database.CreateContext();
        Assert.Equal(CandidateStatus.NotDuplicate, (await db.MatchCandidates.SingleAsync(c => c.Id == alex.Id)).Status);
        Assert.Empty(await db.RecordMerges.ToListAsync());
    }

    [Fact]
    public async Task Merges_UndoWithConfirmation_RestoresBothRecords()
    {
        var reviews = context.Services.GetRequiredService<IDedupReviewService>();
        var approved = await reviews.ApproveAsync(alex.Id, alex.Version, new Dictionary<string, ComparisonSide>(), CancellationToken.None);
        Assert.True(approved.Succeeded, approved.Error);
        var host = context.Render<WithDialogs<DedupMergesPage>>();
        host.WaitForAssertion(() => Assert.Single(host.FindAll("[data-testid=undo]")), Wait);
        Assert.Contains("Alex", host.Find("[data-testid=merges]").TextContent, StringComparison.Ordinal);

        var undoing = host.Find("[data-testid=undo]").ClickAsync(new());
        host.WaitForAssertion(() => Assert.Contains(host.FindAll("button"), b => b.TextContent.Contains("Undo merge", StringComparison.Ordinal)), Wait);
        await host.FindAll("button").Single(b => b.TextContent.Contains("Undo merge", StringComparison.Ordinal)).ClickAsync(new());
        await undoing.WaitAsync(Wait);

        host.WaitForAssertion(() => Assert.Equal("undone", host.Find("[data-state]").GetAttribute("data-state")), Wait);
        Assert.Empty(host.FindAll("[data-testid=undo]"));
        await using var db = database.CreateContext();
        Assert.Equal(2, await db.Customers.CountAsync(c => c.Id == alexOld.Id || c.Id == alexNew.Id));
        Assert.NotNull((await db.RecordMerges.SingleAsync()).UndoneAt);
    }

    [Fact]
    public async Task Queue_ApproveAllAboveScore_ConfirmsHowManyThenMergesOnlyThose()
    {
        Navigation.NavigateTo("/dedup");
        var host = context.Render<WithDialogs<DedupQueuePage>>();
        host.WaitForAssertion(() => Assert.Equal(4, host.FindAll("[data-testid=candidate-link]").Count), Wait);

        var minScore = host.Find("[data-testid=bulk-min-score]");
        (minScore.TagName == "INPUT" ? minScore : minScore.QuerySelector("input")!).Change("14");
        var starting = host.Find("[data-testid=bulk-start]").ClickAsync(new());
        host.WaitForAssertion(() => Assert.Contains(host.FindAll("button"), b => b.TextContent.Contains("Approve 3", StringComparison.Ordinal)), Wait);
        await host.FindAll("button").Single(b => b.TextContent.Contains("Approve 3", StringComparison.Ordinal)).ClickAsync(new());
        await starting.WaitAsync(Wait);

        host.WaitForAssertion(() => Assert.Contains("Approved 3", host.Find("[data-testid=bulk-result]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal("3", host.Find("[data-testid=bulk-progress]").GetAttribute("data-done"));
        host.WaitForAssertion(() => Assert.Single(host.FindAll("[data-testid=candidate-link]")), Wait);
        await using var db = database.CreateContext();
        var statuses = await db.MatchCandidates.Where(c => c.DealerGroupId == org.Group.Id && c.Level == DedupLevel.Retail)
            .ToDictionaryAsync(c => c.Id, c => c.Status);
        Assert.Equal(CandidateStatus.Merged, statuses[automatic.Id]);
        Assert.Equal(CandidateStatus.Merged, statuses[alex.Id]);
        Assert.Equal(CandidateStatus.Merged, statuses[sam.Id]);
        Assert.Equal(CandidateStatus.Open, statuses[jo.Id]);
    }
}
