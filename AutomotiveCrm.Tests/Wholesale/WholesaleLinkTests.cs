using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Dedup.Merging;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Domain.Wholesale;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Wholesale;

/// <summary>
/// Linking two groups' retail records of one person to one wholesale record: shared, recomputed with the source of
/// each field, and split again by the undo (the emptied wholesale record comes back with its own id).
/// </summary>
public abstract class WholesaleLinkTests : DatabaseTest
{
    [Fact]
    public async Task Link_SharesOneWholesaleRecordWithFieldsFromBoth_UndoSplitsThem()
    {
        var org = await SeedOrganisationAsync();
        long north, south, northWholesale, southWholesale;
        await using (var db = NewContext())
        {
            var a = await new CustomerBuilder().InGroup(org.Group).Named("Alex", "Morgan").WithEmail("alex@example.com").SaveAsync(db);
            Clock.Advance(TimeSpan.FromMinutes(5));
            var b = await new CustomerBuilder().InGroup(org.OtherGroup).Named("Alexander", "Morgan").BornOn(new DateOnly(1985, 2, 3))
                .WithPhone("07700 900456").SaveAsync(db);
            (north, south, northWholesale, southWholesale) = (a.Id, b.Id, a.WholesaleCustomerId, b.WholesaleCustomerId);
        }

        var merger = new RecordMerger(Clock);
        MergeOutcome linked;
        await using (var network = NewContext())
        {
            network.Scope = new AccessScope(org.Network.Id, null, true, true);
            linked = await merger.LinkWholesaleAsync(network, new MergeRequest(north, south, Score: 11), CancellationToken.None);
        }

        Assert.True(linked.Succeeded, linked.Error);
        await using (var db = NewContext())
        {
            var ids = await db.Customers.Where(c => c.Id == north || c.Id == south).Select(c => c.WholesaleCustomerId).Distinct().ToListAsync();
            Assert.Equal([northWholesale], ids);
            Assert.False(await db.WholesaleCustomers.AnyAsync(w => w.Id == southWholesale));
            var wholesale = await db.WholesaleCustomers.SingleAsync(w => w.Id == northWholesale);
            Assert.Equal(2, wholesale.RetailRecordCount);
            // The more recently updated record (south) wins the name; the e-mail only north has.
            Assert.Equal(("Alexander", "alex@example.com", "+447700900456"), (wholesale.FirstName, wholesale.Email, wholesale.Phone));
            Assert.Equal(south, wholesale.FieldSources[WholesaleFields.FirstName]);
            Assert.Equal(north, wholesale.FieldSources[WholesaleFields.Email]);
            Assert.Equal(south, wholesale.FieldSources[WholesaleFields.DateOfBirth]);
            var merge = await db.RecordMerges.SingleAsync();
            Assert.Equal((DedupLevel.Wholesale, (long?)null), (merge.Level, merge.DealerGroupId));
        }

        await using (var network = NewContext())
        {
            network.Scope = new AccessScope(org.Network.Id, null, true, true);
            var undone = await merger.UndoAsync(network, linked.MergeId!.Value, CancellationToken.None);
            Assert.True(undone.Succeeded, undone.Error);
        }

        await using (var db = NewContext())
        {
            Assert.Equal(northWholesale, (await db.Customers.SingleAsync(c => c.Id == north)).WholesaleCustomerId);
            Assert.Equal(southWholesale, (await db.Customers.SingleAsync(c => c.Id == south)).WholesaleCustomerId);
            var northRecord = await db.WholesaleCustomers.SingleAsync(w => w.Id == northWholesale);
            var southRecord = await db.WholesaleCustomers.SingleAsync(w => w.Id == southWholesale);
            Assert.Equal(("Alex", 1, north), (northRecord.FirstName, northRecord.RetailRecordCount, northRecord.FieldSources[WholesaleFields.FirstName]));
            Assert.Equal(("Alexander", 1, south), (southRecord.FirstName, southRecord.RetailRecordCount, southRecord.FieldSources[WholesaleFields.FirstName]));
        }
    }

    [Fact]
    public async Task Link_ByAGroupUser_SeesTheOtherGroupsRecordAsMissing()
    {
        var org = await SeedOrganisationAsync();
        long north, south;
        await using (var db = NewContext())
        {
            north = (await new CustomerBuilder().InGroup(org.Group).SaveAsync(db)).Id;
            south = (await new CustomerBuilder().InGroup(org.OtherGroup).SaveAsync(db)).Id;
        }

        await using var group = NewContext();
        group.Scope = new AccessScope(org.Network.Id, org.Group.Id, true, false);
        var outcome = await new RecordMerger(Clock).LinkWholesaleAsync(group, new MergeRequest(north, south), CancellationToken.None);

        Assert.Equal($"Customer {south} was not found.", outcome.Error);
    }

    [Fact]
    public async Task RetailMerge_TombstoneLeavesTheWholesaleComposition()
    {
        var org = await SeedOrganisationAsync();
        long keep, gone;
        await using (var db = NewContext())
        {
            keep = (await new CustomerBuilder().InGroup(org.Group).Named("Alex", "Morgan").SaveAsync(db)).Id;
            Clock.Advance(TimeSpan.FromMinutes(5));
            gone = (await new CustomerBuilder().InGroup(org.Group).Named("Zed", "Morgan").WithEmail("zed@example.com").SaveAsync(db)).Id;
        }

        await using (var db = NewContext())
        {
            var outcome = await new RecordMerger(Clock).MergeCustomersAsync(db,
                new MergeRequest(keep, gone, FieldSources: new Dictionary<string, long> { [MergeFields.FirstName] = keep }), CancellationToken.None);
            Assert.True(outcome.Succeeded, outcome.Error);
        }

        await using var check = NewContext();
        var survivor = await check.Customers.SingleAsync(c => c.Id == keep);
        var wholesale = await check.WholesaleCustomers.SingleAsync(w => w.Id == survivor.WholesaleCustomerId);
        Assert.Equal(("Alex", "zed@example.com", 1), (wholesale.FirstName, wholesale.Email, wholesale.RetailRecordCount));
        Assert.Equal(keep, wholesale.FieldSources[WholesaleFields.Email]);
        Assert.DoesNotContain(gone, wholesale.FieldSources.Values);
    }
}

public sealed class SqliteWholesaleLinkTests : WholesaleLinkTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

[Collection(PostgreSqlServer.CollectionName)]
public sealed class PostgreSqlWholesaleLinkTests(PostgreSqlServer server) : WholesaleLinkTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await server.CreateDatabaseAsync();
}
