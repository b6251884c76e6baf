using System.Data.Common;
using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Audience;
using AutomotiveCrm.Domain.Campaigns.Editing;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using static AutomotiveCrm.Tests.Campaigns.Audience.AudienceDataset;

namespace AutomotiveCrm.Tests.Campaigns.Audience;

public sealed class AudienceQueryTests : IAsyncLifetime, IDisposable
{
    private readonly SqliteTestDatabase _database = new();
    private AudienceDataset _data = null!;

    public async Task InitializeAsync() => _data = await SeedAsync(_database);

    public Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task VehicleBlock_ConditionsOnDifferentVehicles_DoNotMatch()
    {
        var redSaloon = HasVehicle(Condition("vehicle.colour", AudienceOperator.Is, "red"), Condition("vehicle.bodyType", AudienceOperator.AnyOf, "Saloon"));

        var current = await NamesAsync(Where(redSaloon));
        redSaloon.Ownership = VehicleOwnership.Any;
        var any = await NamesAsync(Where(redSaloon));
        var redSuv = await NamesAsync(Where(HasVehicle(Condition("vehicle.colour", AudienceOperator.Is, "RED"), Condition("vehicle.bodyType", AudienceOperator.AnyOf, "Suv"))));

        Assert.Empty(current);
        Assert.Equal(["Blue"], any);
        Assert.Equal(["Red"], redSuv);
    }

    [Theory]
    [InlineData("customer.lastName", AudienceOperator.StartsWith, "re", "Red")]
    [InlineData("customer.lastName", AudienceOperator.Contains, "LU", "Blue")]
    [InlineData("customer.lastName", AudienceOperator.IsNot, "red", "Blue,Smith")]
    [InlineData("customer.companyName", AudienceOperator.IsNotEmpty, null, "Smith")]
    [InlineData("customer.companyName", AudienceOperator.IsEmpty, null, "Blue,Red")]
    [InlineData("customer.postcode", AudienceOperator.StartsWith, "ls1", "Red")]
    [InlineData("customer.city", AudienceOperator.Is, "york", "Blue")]
    [InlineData("customer.buyerType", AudienceOperator.AnyOf, "Company", "Smith")]
    [InlineData("customer.paymentMethod", AudienceOperator.NoneOf, "Cash", "Blue,Smith")]
    [InlineData("customer.paymentMethod", AudienceOperator.IsEmpty, null, "Smith")]
    [InlineData("customer.insuredAccidents", AudienceOperator.AtLeast, "1", "Red")]
    [InlineData("customer.insuredAccidents", AudienceOperator.AtMost, "0", "Blue,Smith")]
    [InlineData("customer.age", AudienceOperator.Between, "40,50", "Red")]
    [InlineData("customer.age", AudienceOperator.Equals, "26", "Blue")]
    [InlineData("customer.age", AudienceOperator.IsEmpty, null, "Smith")]
    [InlineData("customer.dateOfBirth", AudienceOperator.AtMost, "1999-12-31", "Red")]
    [InlineData("customer.dateOfBirth", AudienceOperator.Equals, "2000-01-01", "Blue")]
    [InlineData("customer.dateOfBirth", AudienceOperator.MoreThanMonthsAgo, "360", "Red")]
    [InlineData("customer.createdAt", AudienceOperator.InLastMonths, "1", "Blue,Red,Smith")]
    [InlineData("customer.responsibleDealer", AudienceOperator.IsEmpty, null, "Smith")]
    [InlineData("customer.hasMobile", AudienceOperator.IsTrue, null, "Red")]
    [InlineData("consent.email", AudienceOperator.IsTrue, null, "Red,Smith")]
    [InlineData("consent.email", AudienceOperator.IsFalse, null, "Blue")]
    public async Task CustomerCondition_Operator_MatchesExpected(string field, AudienceOperator op, string? values, string expected)
    {
        var condition = Condition(field, op, values?.Split(',') ?? []);

        var names = await NamesAsync(Where(condition));

        Assert.Equal(expected.Split(','), names);
    }

    [Theory]
    [InlineData("vehicle.fuel", AudienceOperator.AnyOf, "Diesel", VehicleOwnership.Current, "Smith")]
    [InlineData("vehicle.age", AudienceOperator.AtLeast, "10", VehicleOwnership.Current, "Smith")]
    [InlineData("vehicle.firstRegistration", AudienceOperator.Between, "2021-01-01,2022-12-31", VehicleOwnership.Current, "Red")]
    [InlineData("vehicle.modelYear", AudienceOperator.IsEmpty, null, VehicleOwnership.Current, "Red,Smith")]
    [InlineData("relationship.type", AudienceOperator.AnyOf, "Servicing", VehicleOwnership.Current, "Red,Smith")]
    [InlineData("relationship.endDate", AudienceOperator.InLastMonths, "24", VehicleOwnership.Ended, "Blue")]
    [InlineData("relationship.current", AudienceOperator.IsFalse, null, VehicleOwnership.Any, "Blue")]
    [InlineData("vehicle.model", AudienceOperator.Is, "aster", VehicleOwnership.Any, "Blue,Red,Smith")]
    public async Task VehicleCondition_Operator_MatchesExpected(string field, AudienceOperator op, string? values, VehicleOwnership ownership, string expected)
    {
        var block = HasVehicle(Condition(field, op, values?.Split(',') ?? []));
        block.Ownership = ownership;

        var names = await NamesAsync(Where(block));

        Assert.Equal(expected.Split(','), names);
    }

    [Fact]
    public async Task NestedGroups_AndOrExclude_Combine()
    {
        var either = new AudienceGroup
        {
            Join = AudienceJoin.Any,
            Items = [Condition("customer.lastName", AudienceOperator.Is, "red"), Condition("customer.lastName", AudienceOperator.Is, "blue")],
        };
        var accidents = new AudienceGroup { Exclude = true, Items = [Condition("customer.insuredAccidents", AudienceOperator.AtLeast, "1")] };

        var names = await NamesAsync(Where(either, accidents));

        Assert.Equal(["Blue"], names);
    }

    [Fact]
    public async Task Scope_OtherGroupsCustomers_NeverCounted()
    {
        await using var groupUser = UserContext(_database, _data);
        await using var networkUser = UserContext(_database, _data, network: true);
        var otherGroupTarget = new AudienceTarget(CampaignOwnerLevel.Group, _data.Org.Network.Id, _data.Org.OtherGroup.Id);
        var wholesale = new AudienceTarget(CampaignOwnerLevel.NetworkWholesale, _data.Org.Network.Id);

        var own = await (await AudienceQuery.BuildAsync(groupUser, _data.GroupTarget, AudienceDefinition.Everyone(), null, Today)).CountAsync();
        var asOther = await (await AudienceQuery.BuildAsync(groupUser, otherGroupTarget, AudienceDefinition.Everyone(), null, Today)).CountAsync();
        var all = await (await AudienceQuery.BuildAsync(networkUser, wholesale, AudienceDefinition.Everyone(), null, Today)).CountAsync();

        Assert.Equal(3, own);
        Assert.Equal(0, asOther);
        Assert.Equal(4, all);
    }

    [Fact]
    public async Task EmailChannel_OptOutAndSuppression_Excluded()
    {
        var names = await NamesAsync(AudienceDefinition.Everyone(), CampaignChannelKind.Email);
        var byPost = await NamesAsync(AudienceDefinition.Everyone(), CampaignChannelKind.Label);

        Assert.Equal(["Red"], names);
        Assert.Empty(byPost);
    }

    [Fact]
    public async Task DealerCampaign_ReachesResponsibleAndCurrentRelationships()
    {
        await using var db = UserContext(_database, _data);
        var first = new AudienceTarget(CampaignOwnerLevel.Dealer, _data.Org.Network.Id, _data.Org.Group.Id, _data.Org.Dealer.Id);
        var second = first with { DealerId = _data.Org.SecondDealer.Id };

        var firstNames = await LastNamesAsync(await AudienceQuery.BuildAsync(db, first, AudienceDefinition.Everyone(), null, Today));
        var secondNames = await LastNamesAsync(await AudienceQuery.BuildAsync(db, second, AudienceDefinition.Everyone(), CampaignChannelKind.Email, Today));

        Assert.Equal(["Red", "Smith"], firstNames);
        // Bob's brand opt-in was followed by an opt-out: the second dealer (which sells the brand) may not e-mail him.
        Assert.Empty(secondNames);
    }

    [Fact]
    public async Task TemplateReference_SharedTemplate_IsInlined_PrivateOneOfAnotherUserRefused()
    {
        var author = new CampaignAuthor("user-2", "user-2@example.com", ScopeLevel.Group, _data.Org.Network.Id, _data.Org.Group.Id, null);
        long shared, secret;
        await using (var db = UserContext(_database, _data, userId: "user-2"))
        {
            shared = await AudienceTemplateEditing.SaveAsync(db, author, "Reds", Where(Condition("customer.lastName", AudienceOperator.Is, "red")), true, TestClock.Start.UtcDateTime);
            secret = await AudienceTemplateEditing.SaveAsync(db, author, "Secret", Where(Condition("customer.lastName", AudienceOperator.Is, "blue")), false, TestClock.Start.UtcDateTime);
        }

        var viaTemplate = await NamesAsync(Where(new TemplateReference { TemplateId = shared }));
        var notInTemplate = await NamesAsync(Where(new TemplateReference { TemplateId = shared, Exclude = true }));
        var refused = await Assert.ThrowsAsync<AudienceException>(() => NamesAsync(Where(new TemplateReference { TemplateId = secret })));

        Assert.Equal(["Red"], viaTemplate);
        Assert.Equal(["Blue", "Smith"], notInTemplate);
        Assert.Contains("Condition 1", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validation_BadConditions_NameTheCondition()
    {
        var definition = Where(
            Condition("customer.nope", AudienceOperator.Is, "x"),
            new AudienceGroup { Items = [Condition("customer.insuredAccidents", AudienceOperator.Contains, "1")] },
            HasVehicle(Condition("vehicle.modelYear", AudienceOperator.AtLeast, "soon")),
            Condition("vehicle.fuel", AudienceOperator.AnyOf, "Diesel"));

        var problems = AudienceValidator.Validate(definition);

        Assert.Equal(4, problems.Count);
        Assert.StartsWith("Condition 1 ('customer.nope')", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("Condition 2.1 (Insured accidents contains)", problems[1], StringComparison.Ordinal);
        Assert.Contains("'soon' is not a whole number", problems[2], StringComparison.Ordinal);
        Assert.Contains("belongs in a \"has a vehicle where\" block", problems[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_RoundTrip_KeepsTheTree()
    {
        var definition = Where(new AudienceGroup { Join = AudienceJoin.Any, Items = [Condition("customer.age", AudienceOperator.Between, "20", "30")] },
            HasVehicle(Condition("vehicle.bodyType", AudienceOperator.AnyOf, "Suv", "Mpv")), new TemplateReference { TemplateId = 7, Exclude = true });

        var copy = AudienceDefinition.FromJson(definition.ToJson());

        Assert.Equal(definition.ToJson(), copy.ToJson());
        Assert.IsType<TemplateReference>(copy.Root.Items[2]);
        Assert.Throws<AudienceException>(() => AudienceDefinition.FromJson("{\"version\":99}"));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Count_ComplexAudience_IsOneSqlStatement()
    {
        var counter = new CommandCounter();
        await using var db = _database.CreateContext(null, counter);
        db.Scope = new AccessScope(_data.Org.Network.Id, _data.Org.Group.Id, true, false);
        var definition = Where(
            Condition("customer.age", AudienceOperator.Between, "18", "90"),
            HasVehicle(Condition("vehicle.colour", AudienceOperator.Is, "red"), Condition("vehicle.mileage", AudienceOperator.IsEmpty)),
            Condition("consent.email", AudienceOperator.IsTrue));
        var query = await AudienceQuery.BuildAsync(db, _data.GroupTarget, definition, CampaignChannelKind.Email, Today);
        counter.Reset();

        var count = await query.CountAsync();

        Assert.Equal(1, count);
        Assert.Equal(1, counter.Commands);
        Assert.StartsWith("SELECT COUNT(*)", counter.LastSql, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Count_Cancelled_ReachesTheDatabase()
    {
        await using (var db = _database.CreateContext())
        {
            // Many customers in one statement, so a heavy count runs long enough to be interrupted.
            await db.Database.ExecuteSqlAsync($"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
                INSERT INTO Customers (DealerGroupId, WholesaleCustomerId, BuyerType, FirstName, LastName, InsuredAccidents, Source, CreatedAt, UpdatedAt, Version)
                SELECT {_data.Org.Group.Id}, {_data.Ann.WholesaleCustomerId}, 'Person', 'F' || i, 'L' || i, i % 5, 'Manual', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1 FROM n
                """);
        }

        await using var user = UserContext(_database, _data);
        var heavy = Where(new AudienceGroup
        {
            Join = AudienceJoin.Any,
            Items = [.. Enumerable.Range(0, 12).Select(i => Condition("customer.lastName", AudienceOperator.Contains, $"x{i}")),
                HasVehicle(Condition("vehicle.model", AudienceOperator.Contains, "zz"))],
        });
        var query = await AudienceQuery.BuildAsync(user, _data.GroupTarget, heavy, CampaignChannelKind.Email, Today);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => query.CountAsync(cancellation.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"cancellation took {clock.Elapsed}");
    }

    [Fact]
    public async Task PreviewPage_ShowsTheNewestOpenRelationshipsVehicle_NoneForEndedOnes()
    {
        await using (var setup = _database.CreateContext())
        {
            var relationships = await setup.Relationships.Where(r => r.CustomerId == _data.Ann.Id).OrderBy(r => r.StartDate).ToListAsync();
            var older = await setup.Vehicles.SingleAsync(v => v.Id == relationships[0].VehicleId);
            var newer = await setup.Vehicles.SingleAsync(v => v.Id == relationships[1].VehicleId);
            older.Model = "Older";
            newer.Model = "Newest";
            newer.ChangePlate("YK23 ABC", new DateOnly(2023, 1, 1));
            await setup.SaveChangesAsync();
        }

        await using var db = UserContext(_database, _data);
        var page = await AudiencePreview.PageAsync(await AudienceQuery.BuildAsync(db, _data.GroupTarget, Where(), null, Today), 0);

        var brand = _data.Org.Brand.Name;
        Assert.Equal(["Blue", "Ltd", "Red"], page.Select(r => r.Name.Split(' ')[^1]).Order(StringComparer.Ordinal));
        Assert.Equal($"{brand} Newest YK23ABC", page.Single(r => r.CustomerId == _data.Ann.Id).Vehicle);
        Assert.Null(page.Single(r => r.CustomerId == _data.Bob.Id).Vehicle);
        Assert.StartsWith(brand, page.Single(r => r.CustomerId == _data.Cat.Id).Vehicle, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreviewPages_AcrossIdWindows_EveryCustomerOnceInIdOrder()
    {
        // Ids on both sides of the first window's edge (16,384), in later windows, and past the last window (open-ended).
        long[] farIds = [16_384, 16_385, 40_000, 300_000, 3_000_000];
        await using (var setup = _database.CreateContext())
        {
            foreach (var id in farIds)
            {
                var customer = new CustomerBuilder().InGroup(_data.Org.Group).Named("Far", "F" + id).Build();
                customer.Id = id;
                setup.Customers.Add(customer);
            }

            await setup.SaveChangesAsync();
        }

        await using var db = UserContext(_database, _data);
        var everyone = await AudienceQuery.BuildAsync(db, _data.GroupTarget, Where(), null, Today);
        var expected = await everyone.OrderBy(c => c.Id).Select(c => c.Id).ToListAsync();
        var paged = new List<long>();
        for (var page = 0; page < 5; page++)
        {
            paged.AddRange((await AudiencePreview.PageAsync(everyone, page, 2)).Select(r => r.CustomerId));
        }

        Assert.Equal(8, expected.Count);
        Assert.Equal(expected, paged);
        Assert.Equal(farIds, paged.TakeLast(5));
        Assert.Empty(await AudiencePreview.PageAsync(everyone, 4, 2));
    }

    private async Task<List<string>> NamesAsync(AudienceDefinition definition, CampaignChannelKind? channel = null)
    {
        await using var db = UserContext(_database, _data);
        return await LastNamesAsync(await AudienceQuery.BuildAsync(db, _data.GroupTarget, definition, channel, Today));
    }

    private static Task<List<string>> LastNamesAsync(IQueryable<Domain.Customers.Customer> query) =>
        query.OrderBy(c => c.LastName).Select(c => c.LastName!).ToListAsync();

    private sealed class CommandCounter : DbCommandInterceptor
    {
        public int Commands { get; private set; }

        public string LastSql { get; private set; } = "";

        public void Reset() => Commands = 0;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Count(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Count(command);
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void Count(DbCommand command)
        {
            Commands++;
            LastSql = command.CommandText.TrimStart();
        }
    }
}

[Collection(PostgreSqlServer.CollectionName)]
public sealed class PostgreSqlAudienceQueryTests(PostgreSqlServer server) : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await server.CreateDatabaseAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Compile_MixedAudienceOnPostgreSql_CountsLikeSqlite()
    {
        var data = await SeedAsync(_database);
        await using var db = UserContext(_database, data);
        var definition = Where(
            new AudienceGroup { Join = AudienceJoin.Any, Items = [Condition("customer.lastName", AudienceOperator.StartsWith, "RE"), Condition("customer.age", AudienceOperator.AtMost, "30")] },
            HasVehicle(Condition("vehicle.colour", AudienceOperator.Contains, "e"), Condition("vehicle.age", AudienceOperator.AtMost, "10")) ,
            Condition("customer.createdAt", AudienceOperator.InLastMonths, "2"),
            Condition("customer.paymentMethod", AudienceOperator.NoneOf, "Lease"));

        var email = await (await AudienceQuery.BuildAsync(db, data.GroupTarget, definition, CampaignChannelKind.Email, Today)).CountAsync();
        var page = await AudiencePreview.PageAsync(await AudienceQuery.BuildAsync(db, data.GroupTarget, definition, null, Today), 0);

        Assert.Equal(1, email);
        Assert.Equal("Ann Red", Assert.Single(page).Name);
    }
}
