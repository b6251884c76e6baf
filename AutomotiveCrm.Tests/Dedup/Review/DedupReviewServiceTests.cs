using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Dedup.Merging;
using AutomotiveCrm.Domain.Dedup.Review;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Dedup.Merging;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Dedup.Review;

/// <summary>The steward's queue through the user-scoped factory: reads, decisions, concurrency, scope and bulk approval.</summary>
public sealed class DedupReviewServiceTests : IAsyncLifetime
{
    private MergeScenario? _scenario;

    private MergeScenario S => _scenario!;

    public async Task InitializeAsync() => _scenario = await MergeScenario.CreateAsync(new SqliteTestDatabase());

    public async Task DisposeAsync()
    {
        if (_scenario is not null)
        {
            await _scenario.Harness.DisposeAsync();
        }
    }

    private AccessScope GroupScope => new(S.Org.Network.Id, S.Org.Group.Id, true, false);

    private DedupReviewService Service(AccessScope scope, bool mayReview = true, string user = "steward@example.com") =>
        new(new ScopedFactory(S, scope, user), new RecordMerger(S.Harness.Database.Clock), new Access(mayReview), S.Harness.Database.Clock);

    [Fact]
    public async Task Queue_SortedByScoreWithNamesReasonsAndTotal()
    {
        await AddCandidatesAsync(3);

        var page = await Service(GroupScope).QueueAsync(new ReviewQueueFilter { PageSize = 2 }, CancellationToken.None);

        Assert.Equal(4, page.Total);
        Assert.Equal(2, page.Rows.Count);
        Assert.True(page.Rows[0].Score >= page.Rows[1].Score);
        Assert.Equal(14.5, page.Rows[0].Score);
        Assert.Equal("Mrs Anna Morgan", page.Rows[0].LeftName);
        Assert.Equal(["last_name", "phone"], page.Rows[0].Reasons);
        Assert.Equal("Northgate Motor Group", page.Rows[0].GroupName);
        Assert.Contains("phone", page.AvailableReasons);

        var filtered = await Service(GroupScope).QueueAsync(new ReviewQueueFilter { MinScore = 14 }, CancellationToken.None);
        Assert.Equal(1, filtered.Total);
    }

    [Fact]
    public async Task Queue_OtherGroupsAndWithoutPermission_SeeNothing()
    {
        var other = await Service(new AccessScope(S.Org.Network.Id, S.Org.OtherGroup.Id, true, false)).QueueAsync(new ReviewQueueFilter(), CancellationToken.None);
        var denied = await Service(GroupScope, mayReview: false).QueueAsync(new ReviewQueueFilter(), CancellationToken.None);

        Assert.Equal((0, 0), (other.Total, denied.Total));
        Assert.Null(await Service(new AccessScope(S.Org.Network.Id, S.Org.OtherGroup.Id, true, false)).CompareAsync(S.CandidateId, CancellationToken.None));
        var decision = await Service(new AccessScope(S.Org.Network.Id, S.Org.OtherGroup.Id, true, false)).ApproveAsync(S.CandidateId, 0,
            new Dictionary<string, ComparisonSide>(), CancellationToken.None);
        Assert.Equal(DedupReviewService.NotFound, decision.Error);
        Assert.Equal(DedupReviewService.NotFound,
            (await Service(new AccessScope(S.Org.Network.Id, S.Org.OtherGroup.Id, true, false)).RejectAsync(S.CandidateId, 0, CancellationToken.None)).Error);
    }

    [Fact]
    public async Task Compare_ShowsBothSidesDifferencesDefaultsAndExplanation()
    {
        var comparison = await Service(GroupScope).CompareAsync(S.CandidateId, CancellationToken.None);

        Assert.NotNull(comparison);
        var first = comparison.Fields.Single(f => f.Field == MergeFields.FirstName);
        Assert.True(first.Differs);
        Assert.Equal(("Anna", "Anne"), (first.LeftValue, first.RightValue));
        var phone = comparison.Fields.Single(f => f.Field == MergeFields.Phone);
        Assert.False(phone.Differs);
        Assert.Equal(2, comparison.Explanation.Count);
        Assert.Equal(("last_name", 6.5, "morgan"), (comparison.Explanation[0].Field, comparison.Explanation[0].Weight, comparison.Explanation[0].LeftValue));
        Assert.Equal(1, comparison.Left.Relationships);
    }

    [Fact]
    public void Explanation_IsReadLeniently()
    {
        var engine = DedupReviewService.ParseExplanation(
            """{"score":12.5,"probability":0.99,"prior":-10,"fields":[{"field":"Email","level":"exact","weight":9.25,"left":"a@x","right":"a@x"}]}""");
        Assert.Equal(("Email", 9.25, "a@x"), (engine[0].Field, engine[0].Weight, engine[0].RightValue));
        Assert.Empty(DedupReviewService.ParseExplanation("not json"));
        Assert.Equal("7", DedupReviewService.ParseExplanation("""[{"Field":"dob","Weight":"3","Left":7}]""")[0].LeftValue);
    }

    [Fact]
    public async Task Approve_MergesWithChoices_SecondStewardIsToldItWasDecided()
    {
        var comparison = await Service(GroupScope).CompareAsync(S.CandidateId, CancellationToken.None);

        var first = await Service(GroupScope).ApproveAsync(S.CandidateId, comparison!.Version,
            new Dictionary<string, ComparisonSide> { [MergeFields.FirstName] = ComparisonSide.Right }, CancellationToken.None);
        var second = await Service(GroupScope, user: "other@example.com").RejectAsync(S.CandidateId, comparison.Version, CancellationToken.None);

        Assert.True(first.Succeeded, first.Error);
        Assert.Equal(MergeErrors.DecidedMeanwhile, second.Error);
        await using var db = S.NewContext();
        var survivorId = Math.Min(S.SurvivorId, S.MergedId);
        Assert.Equal("Anne", (await db.Customers.SingleAsync(c => c.Id == survivorId)).FirstName);
        var history = await Service(GroupScope).MergesAsync(null, 0, 10, CancellationToken.None);
        var row = Assert.Single(history);
        Assert.Equal((first.MergeId!.Value, "steward@example.com", (double?)14.5), (row.MergeId, row.MergedBy, row.Score));

        var undo = await Service(GroupScope).UndoAsync(row.MergeId, CancellationToken.None);
        Assert.True(undo.Succeeded, undo.Error);
        var reopened = await Service(GroupScope).QueueAsync(new ReviewQueueFilter(), CancellationToken.None);
        Assert.Contains(reopened.Rows, r => r.CandidateId == S.CandidateId && r.Band == MatchBand.Review);
    }

    [Fact]
    public async Task Reject_RemembersTheRecordsVersions()
    {
        var comparison = await Service(GroupScope).CompareAsync(S.CandidateId, CancellationToken.None);

        var result = await Service(GroupScope).RejectAsync(S.CandidateId, comparison!.Version, CancellationToken.None);

        Assert.True(result.Succeeded);
        await using var db = S.NewContext();
        var candidate = await db.MatchCandidates.SingleAsync(c => c.Id == S.CandidateId);
        Assert.Equal((CandidateStatus.NotDuplicate, comparison.Left.Version, comparison.Right.Version, comparison.Version + 1),
            (candidate.Status, candidate.LeftVersion, candidate.RightVersion, candidate.Version));
        Assert.Equal("steward@example.com", candidate.DecidedBy);
        var skipped = await Service(GroupScope).SkipAsync(S.CandidateId, comparison.Version, CancellationToken.None);
        Assert.Equal(MergeErrors.DecidedMeanwhile, skipped.Error);
    }

    [Fact]
    public async Task Approve_WithoutPermission_IsRefused()
    {
        var result = await Service(GroupScope, mayReview: false).ApproveAsync(S.CandidateId, 0, new Dictionary<string, ComparisonSide>(), CancellationToken.None);

        Assert.Equal(DedupReviewService.NotAllowed, result.Error);
    }

    [Fact]
    public async Task BulkApprove_MergesEachPairAboveTheScore_ContinuesOnFailureAndReportsProgress()
    {
        var ids = await AddCandidatesAsync(3);
        // One pair can no longer be merged: its right record was merged away behind the queue's back.
        await using (var db = S.NewContext())
        {
            var victim = await db.MatchCandidates.SingleAsync(c => c.Id == ids[2]);
            await db.Customers.Where(c => c.Id == victim.RightId).ExecuteUpdateAsync(s => s.SetProperty(c => c.MergedIntoId, S.SurvivorId));
        }

        var progress = new List<int>();
        var result = await Service(GroupScope).ApproveAllAboveAsync(new ReviewQueueFilter(), 10, new SyncProgress(progress), CancellationToken.None);

        // 14.5 (the scenario pair), 13 and 12 are above 10; 11 fails (its record is a tombstone).
        Assert.Equal(3, result.Approved);
        Assert.Equal(1, result.Failed);
        Assert.Contains("already merged", Assert.Single(result.Errors), StringComparison.Ordinal);
        Assert.Equal([1, 2, 3, 4], progress);
        await using var check = S.NewContext();
        Assert.Equal(3, await check.RecordMerges.CountAsync());
    }

    /// <summary>Adds pairs of fresh customers of the group with scores 13, 12, 11 ...</summary>
    private async Task<List<long>> AddCandidatesAsync(int count)
    {
        await using var db = S.NewContext();
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var a = await new CustomerBuilder().InGroup(S.Org.Group).Named("Pat", $"Lee{i}").SaveAsync(db);
            var b = await new CustomerBuilder().InGroup(S.Org.Group).Named("Pat", $"Lee{i}").SaveAsync(db);
            var candidate = MergeScenario.Candidate(S.Org, a.Id, b.Id, 13 - i);
            db.MatchCandidates.Add(candidate);
            await db.SaveChangesAsync();
            ids.Add(candidate.Id);
        }

        return ids;
    }

    private sealed class ScopedFactory(MergeScenario scenario, AccessScope scope, string user) : IDbContextFactory<CrmDbContext>
    {
        public CrmDbContext CreateDbContext()
        {
            var db = scenario.Harness.NewContext();
            db.Scope = scope;
            db.Actor = new AuditActor("u-1", user, AuditSource.UI);
            return db;
        }
    }

    private sealed class Access(bool may) : IDedupReviewAccess
    {
        public bool MayReviewDuplicates => may;
    }

    private sealed class SyncProgress(List<int> values) : IProgress<int>
    {
        public void Report(int value) => values.Add(value);
    }
}
