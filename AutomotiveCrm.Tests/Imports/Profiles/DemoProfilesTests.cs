using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Imports.Profiles;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Imports.Profiles;

/// <summary>The demo seeding gives every dealer a DMS provider and the network the default profiles.</summary>
public sealed class DemoProfilesTests : IDisposable
{
    private readonly SqliteTestDatabase _database = SqliteTestDatabase.CreateEmpty();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Seed_DealersAlternateProvidersAndNetworkHasTheDefaults()
    {
        await DemoDataSeeder.SeedAsync(_database.Settings, new DemoSeedOptions(Customers: 50));

        await using var db = CrmDatabase.CreateContext(_database.Settings);
        var dealers = await db.Dealers.OrderBy(d => d.Code).Select(d => d.DmsProvider).ToListAsync();
        Assert.Equal(11, dealers.Count);
        Assert.Equal(6, dealers.Count(p => p == DefaultImportProfiles.Roadstar));
        Assert.Equal(5, dealers.Count(p => p == DefaultImportProfiles.WerkstattPlus));
        var network = await db.Networks.SingleAsync();
        Assert.Equal(DefaultImportProfiles.All.Select(d => d.Name).Order(),
            (await db.ImportProfiles.Where(p => p.NetworkId == network.Id).Select(p => p.Name).ToListAsync()).Order());
    }

    [Fact]
    public async Task Reseed_WithReset_ReplacesTheProfiles()
    {
        await DemoDataSeeder.SeedAsync(_database.Settings, new DemoSeedOptions(Customers: 20));

        await DemoDataSeeder.SeedAsync(_database.Settings, new DemoSeedOptions(Customers: 20, Reset: true));

        await using var db = CrmDatabase.CreateContext(_database.Settings);
        Assert.Equal(DefaultImportProfiles.All.Count, await db.ImportProfiles.CountAsync());
    }
}
