using AutomotiveCrm.Domain.Dedup.Matching;
using AutomotiveCrm.Domain.Dedup.Runs;
using AutomotiveCrm.Tests.Support;

namespace AutomotiveCrm.Tests.Dedup.Runs;

/// <summary>
/// The loader streams customers and their child rows (four ordered readers merged on the customer id: on SQLite over
/// one connection, on PostgreSQL over one connection each) and normalises them on other threads while reading.
/// </summary>
public abstract class DedupRecordLoaderTests : DatabaseTest
{
    [Fact]
    public async Task Load_PairsEachCustomerWithItsOwnPrimaryAddressAndFirstTwoEmailsAndPhones_InIdOrder()
    {
        var org = await SeedOrganisationAsync();
        var ids = new List<long>();
        await using (var db = NewContext())
        {
            // Customers without children sit between customers with several, so a reader that does not keep in step
            // with the customers would hand one customer's rows to the next.
            ids.Add((await new CustomerBuilder().InGroup(org.Group).Named("Ann", "Oyelaran").BornOn(new DateOnly(1980, 5, 12))
                .WithAddress("12 High St", "Leeds", "LS1 4AB").WithAddress("3 Mill Lane", "York", "YO1 7HH")
                .WithEmail("Ann.Oyelaran+news@example.com").WithEmail("ann@work.example").WithEmail("third@example.com")
                .WithPhone("07700 900123").WithPhone("07700 900456").SaveAsync(db)).Id);
            ids.Add((await new CustomerBuilder().InGroup(org.Group).Named("Bob", "Quist").SaveAsync(db)).Id);
            ids.Add((await new CustomerBuilder().InGroup(org.OtherGroup).Named("Cleo", "Rahman").WithPhone("07700 900789").SaveAsync(db)).Id);
            ids.Add((await new CustomerBuilder().InGroup(org.Group).Named("Dev", "Singh").WithEmail("dev@example.com").SaveAsync(db)).Id);
        }

        var store = new MatchStore();
        List<int> added;
        await using (var db = NewContext())
        {
            added = await DedupRecordLoader.LoadAsync(db, org.Network.Id, store, pendingOnly: false, CancellationToken.None);
        }

        Assert.Equal(ids.Count, added.Count);
        Assert.Equal(ids, added.Select(i => store.Ids[i]));
        string? Value(TokenTable table, int token) => token == 0 ? null : table.Value(token);

        var ann = added[0];
        Assert.Equal(("ann", "oyelaran", 19800512), (Value(store.FirstNames, store.First[ann]), Value(store.LastNames, store.Last[ann]), store.Dob[ann]));
        Assert.Equal("12 high street", Value(store.Addresses, store.Address[ann]));
        Assert.Equal("leeds", Value(store.Cities, store.City[ann]));
        Assert.Equal("ann.oyelaran@example.com", Value(store.Emails, store.Email[ann]));
        Assert.Equal("ann@work.example", Value(store.Emails, store.Email2[ann]));
        Assert.Equal(("+447700900123", "+447700900456"), (Value(store.Phones, store.Phone[ann]), Value(store.Phones, store.Phone2[ann])));

        var bob = added[1];
        Assert.Equal((0, 0, 0, 0), (store.Address[bob], store.Email[bob], store.Phone[bob], store.City[bob]));

        var cleo = added[2];
        Assert.Equal(org.OtherGroup.Id, store.Groups[cleo]);
        Assert.Equal(("+447700900789", 0, 0), (Value(store.Phones, store.Phone[cleo]), store.Phone2[cleo], store.Email[cleo]));

        var dev = added[3];
        Assert.Equal(("dev@example.com", 0, 0), (Value(store.Emails, store.Email[dev]), store.Email2[dev], store.Phone[dev]));
    }
}

public sealed class SqliteDedupRecordLoaderTests : DedupRecordLoaderTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

[Collection(PostgreSqlServer.CollectionName)]
public sealed class PostgreSqlDedupRecordLoaderTests(PostgreSqlServer server) : DedupRecordLoaderTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await server.CreateDatabaseAsync();
}
