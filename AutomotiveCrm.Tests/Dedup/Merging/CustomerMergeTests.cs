using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Dedup.Merging;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Imports.Pipeline;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Dedup.Merging;

/// <summary>
/// Retail customer merges and their undo, on a real database: everything attached moves to the survivor, the other
/// record stays as a tombstone its old id resolves through, and the undo puts every row back as it was.
/// </summary>
public abstract class CustomerMergeTests : IAsyncLifetime
{
    private MergeScenario? _scenario;

    private MergeScenario S => _scenario!;

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    public async Task InitializeAsync() => _scenario = await MergeScenario.CreateAsync(await CreateDatabaseAsync());

    public async Task DisposeAsync()
    {
        if (_scenario is not null)
        {
            await _scenario.Harness.DisposeAsync();
        }
    }

    private RecordMerger Merger => new(S.Harness.Database.Clock);

    private async Task<MergeOutcome> MergeAsync(long? candidateId = null, IReadOnlyDictionary<string, long>? fields = null)
    {
        await using var db = S.UserContext(new AccessScope(S.Org.Network.Id, S.Org.Group.Id, true, false));
        return await Merger.MergeCustomersAsync(db, new MergeRequest(S.SurvivorId, S.MergedId, candidateId ?? S.CandidateId, 14.5, FieldSources: fields),
            CancellationToken.None);
    }

    [Fact]
    public async Task Merge_MovesEverythingAndLeavesATombstone()
    {
        var outcome = await MergeAsync();

        Assert.True(outcome.Succeeded, outcome.Error);
        await using var db = S.NewContext();
        Assert.False(await db.Customers.AnyAsync(c => c.Id == S.MergedId));
        var tombstone = await db.Customers.IgnoreQueryFilters().SingleAsync(c => c.Id == S.MergedId);
        Assert.Equal(S.SurvivorId, tombstone.MergedIntoId);
        Assert.Equal(S.SurvivorId, await CustomerRedirects.ResolveSurvivorAsync(db, S.MergedId));

        var survivor = await db.Customers.Include(c => c.Emails).Include(c => c.Phones).Include(c => c.Addresses).SingleAsync(c => c.Id == S.SurvivorId);
        Assert.Equal(["anna.morgan@example.com", "anna@example.com"], survivor.Emails.Select(e => e.NormalisedAddress).Order());
        Assert.Single(survivor.Phones);
        Assert.Single(survivor.Addresses);
        Assert.Equal(1, survivor.Emails.Count(e => e.IsPrimary));

        var relationships = await db.Relationships.Where(r => r.CustomerId == S.SurvivorId).ToListAsync();
        Assert.Equal(2, relationships.Count);
        var kept = relationships.Single(r => r.VehicleId == S.SharedVehicleId);
        Assert.Equal((S.KeptRelationshipId, new DateOnly(2023, 1, 1), (DateOnly?)null), (kept.Id, kept.StartDate, kept.EndDate));
        Assert.False(await db.Relationships.AnyAsync(r => r.Id == S.AbsorbedRelationshipId || r.CustomerId == S.MergedId));
        Assert.Equal(S.KeptRelationshipId, (await db.VehicleSales.SingleAsync(s => s.Id == S.SaleId)).RelationshipId);
        Assert.Equal(S.SurvivorId, (await db.VehicleSales.SingleAsync(s => s.Id == S.SaleId)).CustomerId);
        Assert.Equal(S.SurvivorId, (await db.ServiceVisits.SingleAsync(v => v.Id == S.VisitId)).CustomerId);
        Assert.Equal(S.SurvivorId, await db.DmsRecords.Where(r => r.DmsRecordId == "C002").Select(r => r.EntityId).SingleAsync());

        var candidate = await db.MatchCandidates.SingleAsync(c => c.Id == S.CandidateId);
        Assert.Equal((CandidateStatus.Merged, outcome.MergeId), (candidate.Status, candidate.MergeId));
        Assert.Equal(CandidateStatus.Superseded, (await db.MatchCandidates.SingleAsync(c => c.Id == S.OtherCandidateId)).Status);
    }

    [Fact]
    public async Task Merge_OptOutOfEitherSideSurvives()
    {
        await MergeAsync();

        await using var db = S.NewContext();
        var history = await db.ConsentRecords.Where(c => c.CustomerId == S.SurvivorId).ToListAsync();
        Assert.False(ConsentState.Allows(history, ConsentChannel.Email, ConsentPurpose.Marketing, S.Org.Brand.Id, null));
        Assert.True(ConsentState.Allows(history, ConsentChannel.Sms, ConsentPurpose.ServiceMessages, null, S.Org.Dealer.Id));
        Assert.Equal(4, history.Count);
    }

    [Fact]
    public async Task Merge_HistoryOfTheMergedRecordShowsOnTheSurvivorWithTheMergeEntry()
    {
        await using (var desk = S.UserContext(new AccessScope(S.Org.Network.Id, S.Org.Group.Id, true, false), "desk@example.com"))
        {
            (await desk.Customers.SingleAsync(c => c.Id == S.MergedId)).Title = "Dr";
            await desk.SaveChangesAsync();
        }

        await MergeAsync();

        await using var db = S.NewContext();
        var page = await AuditHistory.LoadAsync(db, HistorySubject.Customer, S.SurvivorId, new HistoryFilter(), 0, 500);
        Assert.Contains(page.Rows, r => r.EntityType == nameof(Customer) && r.EntityKey == S.MergedId.ToString(System.Globalization.CultureInfo.InvariantCulture)
            && r.UserName == "desk@example.com" && r.Changes.Any(c => c.Field == "Title" && c.New == "Dr"));
        var entry = Assert.Single(page.Rows, r => r.Changes.Any(c => c.Field == "MergedFrom"));
        Assert.Equal(AuditSource.Merge, entry.Source);
        Assert.Equal("steward@example.com", entry.UserName);
        Assert.Contains(entry.Changes, c => c.Field == "Score" && c.New == "14.5");
    }

    [Fact]
    public async Task Merge_LinksTheOtherGroupsRecordToTheSurvivorsWholesaleRecord()
    {
        long oldWholesale;
        await using (var before = S.NewContext())
        {
            oldWholesale = (await before.Customers.SingleAsync(c => c.Id == S.MergedId)).WholesaleCustomerId;
        }

        await MergeAsync();

        await using var db = S.NewContext();
        var survivor = await db.Customers.SingleAsync(c => c.Id == S.SurvivorId);
        var other = await db.Customers.SingleAsync(c => c.Id == S.OtherGroupCustomerId);
        Assert.Equal(survivor.WholesaleCustomerId, other.WholesaleCustomerId);
        Assert.False(await db.WholesaleCustomers.AnyAsync(w => w.Id == oldWholesale));
        var wholesale = await db.WholesaleCustomers.SingleAsync(w => w.Id == survivor.WholesaleCustomerId);
        Assert.Equal(2, wholesale.RetailRecordCount);
    }

    [Fact]
    public async Task Undo_RestoresEveryAffectedTableExactly()
    {
        Dictionary<string, List<string>> before;
        await using (var db = S.NewContext())
        {
            var maxAudit = await db.AuditEntries.MaxAsync(a => a.Id);
            before = await TableDump.TakeAsync(db, maxAudit);
            var merged = await MergeAsync();
            Assert.True(merged.Succeeded, merged.Error);

            await using var steward = S.UserContext(new AccessScope(S.Org.Network.Id, S.Org.Group.Id, true, false));
            var undone = await Merger.UndoAsync(steward, merged.MergeId!.Value, CancellationToken.None);
            Assert.True(undone.Succeeded, undone.Error);
            TableDump.Equal(before, await TableDump.TakeAsync(db, maxAudit));
        }

        await using var check = S.NewContext();
        var candidate = await check.MatchCandidates.SingleAsync(c => c.Id == S.CandidateId);
        Assert.Equal((CandidateStatus.Open, (long?)null), (candidate.Status, candidate.MergeId));
        Assert.Equal(CandidateStatus.Open, (await check.MatchCandidates.SingleAsync(c => c.Id == S.OtherCandidateId)).Status);
        Assert.NotNull((await check.RecordMerges.SingleAsync()).UndoneAt);
    }

    [Fact]
    public async Task Undo_OfAMergeWhoseSurvivorWasMergedAgain_IsRefusedUntilTheLaterOneIsUndone()
    {
        long thirdId;
        await using (var db = S.NewContext())
        {
            thirdId = (await new CustomerBuilder().InGroup(S.Org.Group).Named("Ann", "Morgan").SaveAsync(db)).Id;
        }

        var first = await MergeAsync();
        await using var steward = S.UserContext(new AccessScope(S.Org.Network.Id, S.Org.Group.Id, true, false));
        var second = await Merger.MergeCustomersAsync(steward, new MergeRequest(thirdId, S.SurvivorId), CancellationToken.None);
        Assert.True(second.Succeeded, second.Error);
        await using (var db = S.NewContext())
        {
            Assert.Equal(thirdId, await CustomerRedirects.ResolveSurvivorAsync(db, S.MergedId));
        }

        var refused = await Merger.UndoAsync(steward, first.MergeId!.Value, CancellationToken.None);
        Assert.False(refused.Succeeded);
        Assert.Contains("undo it first", refused.Error, StringComparison.Ordinal);

        Assert.True((await Merger.UndoAsync(steward, second.MergeId!.Value, CancellationToken.None)).Succeeded);
        var again = await Merger.UndoAsync(steward, first.MergeId!.Value, CancellationToken.None);
        Assert.True(again.Succeeded, again.Error);
    }

    [Fact]
    public async Task Merge_RefusesTombstonesSelfAndOtherGroups()
    {
        await using var db = S.UserContext(AccessScope.System);
        Assert.Contains("itself", (await Merger.MergeCustomersAsync(db, new MergeRequest(S.SurvivorId, S.SurvivorId), CancellationToken.None)).Error,
            StringComparison.Ordinal);
        Assert.Contains("different dealer groups",
            (await Merger.MergeCustomersAsync(db, new MergeRequest(S.SurvivorId, S.OtherGroupCustomerId), CancellationToken.None)).Error, StringComparison.Ordinal);
        Assert.True((await Merger.MergeCustomersAsync(db, new MergeRequest(S.SurvivorId, S.MergedId), CancellationToken.None)).Succeeded);
        Assert.Contains("already merged",
            (await Merger.MergeCustomersAsync(db, new MergeRequest(S.SurvivorId, S.MergedId), CancellationToken.None)).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Merge_OfAnotherGroupsRecords_BehavesAsMissing()
    {
        await using var outsider = S.UserContext(new AccessScope(S.Org.Network.Id, S.Org.OtherGroup.Id, true, false));

        var outcome = await Merger.MergeCustomersAsync(outsider, new MergeRequest(S.SurvivorId, S.MergedId, S.CandidateId), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Equal($"Customer {S.SurvivorId} was not found.", outcome.Error);
        await using var db = S.NewContext();
        Assert.True(await db.Customers.AnyAsync(c => c.Id == S.MergedId));
    }

    [Fact]
    public async Task Merge_StewardsFieldChoiceWins_DefaultTakesTheMoreRecentValue()
    {
        var outcome = await MergeAsync(fields: new Dictionary<string, long> { [MergeFields.Email] = S.MergedId });

        Assert.True(outcome.Succeeded, outcome.Error);
        await using var db = S.NewContext();
        var survivor = await db.Customers.Include(c => c.Emails).SingleAsync(c => c.Id == S.SurvivorId);
        Assert.Equal("anna.morgan@example.com", survivor.Emails.Single(e => e.IsPrimary).NormalisedAddress);
        // The merged record was imported in the same file (same update time); the first name is a tie kept by the survivor.
        Assert.Equal("Anna", survivor.FirstName);
    }

    [Fact]
    public async Task DmsReimportAfterMerge_UpdatesTheSurvivor()
    {
        await MergeAsync();
        int before;
        await using (var db = S.NewContext())
        {
            before = await db.Customers.CountAsync();
        }

        var file = await S.Harness.ImportAsync(RoadstarCustomers.File(RoadstarCustomers.Row("C002", "Morgan-Hale", "Anne", "anna.morgan@example.com")),
            "CUSTOMERS_20260303.csv");

        Assert.Equal(ImportStatus.Completed, file.Status);
        await using var check = S.NewContext();
        Assert.Equal(before, await check.Customers.CountAsync());
        Assert.Equal("Morgan-Hale", (await check.Customers.SingleAsync(c => c.Id == S.SurvivorId)).LastName);
        Assert.Equal("Morgan", (await check.Customers.IgnoreQueryFilters().SingleAsync(c => c.Id == S.MergedId)).LastName);
    }

    [Fact]
    public async Task TwoStewardsApprovingOneCandidate_ExactlyOneMerges()
    {
        var scope = new AccessScope(S.Org.Network.Id, S.Org.Group.Id, true, false);
        int version;
        await using (var db = S.NewContext())
        {
            version = (await db.MatchCandidates.SingleAsync(c => c.Id == S.CandidateId)).Version;
        }

        async Task<MergeOutcome> Approve(string name)
        {
            await using var db = S.UserContext(scope, name);
            return await Merger.MergeCustomersAsync(db, new MergeRequest(S.SurvivorId, S.MergedId, S.CandidateId, CandidateVersion: version),
                CancellationToken.None);
        }

        var outcomes = await Task.WhenAll(Task.Run(() => Approve("one@example.com")), Task.Run(() => Approve("two@example.com")));

        Assert.Single(outcomes, o => o.Succeeded);
        var loser = Assert.Single(outcomes, o => !o.Succeeded);
        Assert.True(loser.Error == MergeErrors.DecidedMeanwhile || loser.Error!.Contains("already merged", StringComparison.Ordinal), loser.Error);
        await using var check = S.NewContext();
        Assert.Equal(1, await check.RecordMerges.CountAsync());
    }
}

public sealed class SqliteCustomerMergeTests : CustomerMergeTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

[Collection(PostgreSqlServer.CollectionName)]
public sealed class PostgreSqlCustomerMergeTests(PostgreSqlServer server) : CustomerMergeTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await server.CreateDatabaseAsync();
}
