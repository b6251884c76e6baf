using AutomotiveCrm.Domain.Rewards.Bench;
using AutomotiveCrm.Tests.Support;

namespace AutomotiveCrm.Tests.Rewards;

/// <summary>
/// Real concurrency: 50 redemptions released at once from two independent application instances (own context
/// factories, services and connection pools) on one database.
/// </summary>
public abstract class RedemptionRaceTests : DatabaseTest
{
    [Fact]
    public async Task Race_BalanceCoversOne_ExactlyOneSucceeds()
    {
        var world = await RewardsWorld.CreateAsync(Database, balance: 100);
        var reward = await world.AddRewardAsync(r => r.CostPoints = 100);

        var result = await RedemptionRace.RunAsync(Database.Settings, world.Account.Id, reward.Id, world.Desk, tasks: 50, hosts: 2, sameKey: false, Clock);

        Assert.Equal(1, result.Successes);
        Assert.Equal(49, result.Refused);
        Assert.Equal(0, result.Failed);
        Assert.Equal(1, result.Redemptions);
        Assert.True(result.MinBalance >= 0);
        Assert.Equal(0, result.FinalBalance);
        Assert.True(result.LedgerConsistent);
    }

    [Fact]
    public async Task Race_RewardLimitedToOne_ExactlyOneSucceeds()
    {
        var world = await RewardsWorld.CreateAsync(Database, balance: 10_000);
        var reward = await world.AddRewardAsync(r => { r.CostPoints = 10; r.TotalLimit = 1; });

        var result = await RedemptionRace.RunAsync(Database.Settings, world.Account.Id, reward.Id, world.Desk, tasks: 50, hosts: 2, sameKey: false, Clock);

        Assert.Equal(1, result.Successes);
        Assert.Equal(1, result.Redemptions);
        Assert.Equal(9_990, result.FinalBalance);
        Assert.True(result.LedgerConsistent);
    }

    [Fact]
    public async Task Race_OneRequestRetriedFiftyTimes_RedeemsOnce()
    {
        var world = await RewardsWorld.CreateAsync(Database, balance: 10_000);
        var reward = await world.AddRewardAsync(r => r.CostPoints = 10);

        var result = await RedemptionRace.RunAsync(Database.Settings, world.Account.Id, reward.Id, world.Desk, tasks: 50, hosts: 2, sameKey: true, Clock);

        Assert.Equal(1, result.Successes);
        Assert.Equal(49, result.Repeated);
        Assert.Equal(1, result.Redemptions);
        Assert.Equal(9_990, result.FinalBalance);
        Assert.True(result.LedgerConsistent);
    }
}

public sealed class SqliteRedemptionRaceTests : RedemptionRaceTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

[Collection(PostgreSqlServer.CollectionName)]
public sealed class PostgreSqlRedemptionRaceTests(PostgreSqlServer server) : RedemptionRaceTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await server.CreateDatabaseAsync();
}
