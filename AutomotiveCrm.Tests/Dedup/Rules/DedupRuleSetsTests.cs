using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Dedup.Rules;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Dedup.Rules;

/// <summary>Stewards set a level's thresholds: each change is a new version that keeps the trained weights, within the user's network.</summary>
public sealed class DedupRuleSetsTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc);
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private async Task<(long Network, long OtherNetwork)> SeedAsync()
    {
        await using var db = _database.CreateContext();
        var network = new Network { Code = "N1", Name = "Network one", CountryCode = "GB", Currency = "GBP", TimeZone = "Europe/London" };
        var other = new Network { Code = "N2", Name = "Network two", CountryCode = "GB", Currency = "GBP", TimeZone = "Europe/London" };
        db.AddRange(network, other);
        await db.SaveChangesAsync();
        db.DedupRuleSets.AddRange(
            RuleSet(network.Id, DedupLevel.Retail, 1, active: false),
            RuleSet(network.Id, DedupLevel.Retail, 2, active: true),
            RuleSet(other.Id, DedupLevel.Wholesale, 1, active: true));
        await db.SaveChangesAsync();
        return (network.Id, other.Id);
    }

    private static DedupRuleSet RuleSet(long networkId, DedupLevel level, int version, bool active) => new()
    {
        NetworkId = networkId, Level = level, Version = version, Name = $"v{version}", AutoThreshold = 10, ReviewThreshold = 0,
        ModelJson = $"{{\"trained\":{version}}}", IsActive = active, CreatedAt = Now.AddDays(-version), CreatedBy = "trainer",
    };

    private CrmDbContext NetworkContext(long networkId)
    {
        var db = _database.CreateContext();
        db.Scope = new AccessScope(networkId, null, PersonalData: true, Wholesale: true);
        return db;
    }

    [Fact]
    public async Task ChangeThresholds_WritesANewActiveVersion_KeepsTheWeights_RetiresTheOld()
    {
        var (network, _) = await SeedAsync();
        await using var db = NetworkContext(network);

        var row = await DedupRuleSets.ChangeThresholdsAsync(db, ScopeLevel.Network, DedupLevel.Retail, 12.5, 2, "steward@example.test", "fewer automatic merges", Now);

        Assert.Equal((3, 12.5, 2.0, true), (row.Version, row.AutoThreshold, row.ReviewThreshold, row.IsActive));
        await using var check = NetworkContext(network);
        var all = await check.DedupRuleSets.Where(r => r.Level == DedupLevel.Retail).OrderBy(r => r.Version).ToListAsync();
        Assert.Equal([false, false, true], all.Select(r => r.IsActive));
        Assert.Equal("{\"trained\":2}", all[2].ModelJson);
        Assert.Equal("steward@example.test", all[2].CreatedBy);
        Assert.Equal("Thresholds 0 / 10 changed to 2 / 12.5 (review / automatic). fewer automatic merges", all[2].Notes);
        var history = await DedupRuleSets.HistoryAsync(check, DedupLevel.Retail, 10);
        Assert.Equal([3, 2, 1], history.Select(h => h.Version));
    }

    [Theory]
    [InlineData(5, 5, "must be below the automatic one")]
    [InlineData(4, 6, "must be below the automatic one")]
    [InlineData(60, 0, "automatic threshold must be a number from -10 to 40")]
    [InlineData(10, double.NaN, "review threshold must be a number from -10 to 40")]
    public async Task ChangeThresholds_BadValues_AreRefusedWithTheReason_NothingWritten(double auto, double review, string reason)
    {
        var (network, _) = await SeedAsync();
        await using var db = NetworkContext(network);

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            DedupRuleSets.ChangeThresholdsAsync(db, ScopeLevel.Network, DedupLevel.Retail, auto, review, "s", null, Now));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        await using var check = NetworkContext(network);
        Assert.Equal(2, await check.DedupRuleSets.CountAsync(r => r.Level == DedupLevel.Retail));
    }

    [Fact]
    public async Task ChangeThresholds_GroupUser_IsRefused()
    {
        var (network, _) = await SeedAsync();
        await using var db = NetworkContext(network);

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            DedupRuleSets.ChangeThresholdsAsync(db, ScopeLevel.Group, DedupLevel.Retail, 12, 1, "s", null, Now));

        Assert.Contains("only network users", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Another network's rules behave exactly like none: the same message, nothing written there.</summary>
    [Fact]
    public async Task ChangeThresholds_AnotherNetworksRules_LookLikeNoRules()
    {
        var (network, other) = await SeedAsync();
        await using var db = NetworkContext(network);

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            DedupRuleSets.ChangeThresholdsAsync(db, ScopeLevel.Network, DedupLevel.Wholesale, 12, 1, "s", null, Now));

        Assert.Equal("There are no wholesale rules yet: a first full run trains them.", error.Message);
        Assert.Empty(await DedupRuleSets.HistoryAsync(db, DedupLevel.Wholesale, 10));
        await using var check = _database.CreateContext();
        Assert.Equal(1, await check.DedupRuleSets.CountAsync(r => r.NetworkId == other));
    }
}
