using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Profiles;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Imports.Profiles;

public sealed class ImportProfileCatalogTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private async Task<long> NetworkWithDefaultsAsync()
    {
        await using var db = _database.CreateContext();
        var organisation = await new OrganisationBuilder().SaveAsync(db);
        await ImportProfileCatalog.EnsureDefaultsAsync(db, organisation.Network.Id, CancellationToken.None);
        return organisation.Network.Id;
    }

    private async Task<ImportProfileLookup> FindAsync(long networkId, string? provider, ImportFileType? type, string? name, string fileName)
    {
        await using var db = _database.CreateContext();
        return await ImportProfileCatalog.FindAsync(db, networkId, provider, type, name, fileName, CancellationToken.None);
    }

    [Fact]
    public async Task EnsureDefaults_Twice_InsertsOnceAndKeepsEdits()
    {
        var networkId = await NetworkWithDefaultsAsync();
        await using (var db = _database.CreateContext())
        {
            var edited = await db.ImportProfiles.SingleAsync(p => p.Name == "Roadstar Customers");
            edited.DateFormat = "dd/MM/yyyy";
            await db.SaveChangesAsync();
        }

        await using (var db = _database.CreateContext())
        {
            var added = await ImportProfileCatalog.EnsureDefaultsAsync(db, networkId, CancellationToken.None);

            Assert.Equal(0, added);
            Assert.Equal(20, await db.ImportProfiles.CountAsync(p => p.NetworkId == networkId));
            Assert.Equal("dd/MM/yyyy", (await db.ImportProfiles.SingleAsync(p => p.Name == "Roadstar Customers")).DateFormat);
        }
    }

    [Fact]
    public async Task Find_ByName_WinsOverProviderAndIsCaseInsensitive()
    {
        var networkId = await NetworkWithDefaultsAsync();

        var lookup = await FindAsync(networkId, DefaultImportProfiles.Roadstar, null, "werkstatt plus customers", "whatever.dat");

        Assert.True(lookup.Found, lookup.Reason);
        Assert.Equal("Werkstatt Plus Customers", lookup.Profile!.Name);
    }

    [Fact]
    public async Task Find_ByNameOfAnotherType_SaysSo()
    {
        var networkId = await NetworkWithDefaultsAsync();

        var lookup = await FindAsync(networkId, null, ImportFileType.Sales, "Roadstar Customers", "x.csv");

        Assert.Equal("The import profile \"Roadstar Customers\" reads customers files, not sales files.", lookup.Reason);
    }

    [Fact]
    public async Task Find_UnknownName_SaysSo()
    {
        var networkId = await NetworkWithDefaultsAsync();

        var lookup = await FindAsync(networkId, DefaultImportProfiles.Roadstar, null, "Nope", "x.csv");

        Assert.Equal("There is no active import profile named \"Nope\".", lookup.Reason);
    }

    [Fact]
    public async Task Find_ByProviderAndType_IgnoresTheFileName()
    {
        var networkId = await NetworkWithDefaultsAsync();

        var lookup = await FindAsync(networkId, "werkstatt plus", ImportFileType.ServiceHistory, null, "export.txt");

        Assert.Equal("Werkstatt Plus Service History", lookup.Profile?.Name);
    }

    [Theory]
    [InlineData("Roadstar", "SERVICE_HISTORY_20260301.csv", "Roadstar Service History")]
    [InlineData("Roadstar", "in/customers_20260301.csv", "Roadstar Customers")]
    [InlineData("Werkstatt Plus", "BUCHUNGEN_20260301.txt", "Werkstatt Plus Workshop Transactions")]
    [InlineData("Werkstatt Plus", "KUNDEN_0001.txt", "Werkstatt Plus Customers")]
    public async Task Find_ByFileNamePattern_ResolvesTheType(string provider, string fileName, string expected)
    {
        var networkId = await NetworkWithDefaultsAsync();

        var lookup = await FindAsync(networkId, provider, null, null, fileName);

        Assert.Equal(expected, lookup.Profile?.Name);
    }

    [Fact]
    public async Task Find_FileNameMatchingNoPattern_ListsThePatterns()
    {
        var networkId = await NetworkWithDefaultsAsync();

        var lookup = await FindAsync(networkId, DefaultImportProfiles.Roadstar, null, null, "KUNDEN_1.txt");

        Assert.False(lookup.Found);
        Assert.StartsWith("The file name \"KUNDEN_1.txt\" matches none of the Roadstar profiles' patterns (", lookup.Reason, StringComparison.Ordinal);
        Assert.Contains("CUSTOMERS_*.csv", lookup.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Find_DealerWithoutProvider_SaysWhatToDo()
    {
        var networkId = await NetworkWithDefaultsAsync();

        var lookup = await FindAsync(networkId, null, ImportFileType.Customers, null, "CUSTOMERS_1.csv");

        Assert.Equal("The dealer has no DMS provider: set the dealer's DMS provider, or name the import profile to use.", lookup.Reason);
    }

    [Fact]
    public async Task Find_InactiveProfile_IsNotUsed()
    {
        var networkId = await NetworkWithDefaultsAsync();
        await using (var db = _database.CreateContext())
        {
            await db.ImportProfiles.Where(p => p.Name == "Roadstar Sales").ExecuteUpdateAsync(s => s.SetProperty(p => p.IsActive, false));
        }

        var lookup = await FindAsync(networkId, DefaultImportProfiles.Roadstar, ImportFileType.Sales, null, "SALES_1.csv");

        Assert.Equal("There is no active Roadstar import profile for sales files.", lookup.Reason);
    }

    [Fact]
    public async Task Find_ProfilesOfAnotherNetwork_AreNotSeen()
    {
        var networkId = await NetworkWithDefaultsAsync();
        long otherNetworkId;
        await using (var db = _database.CreateContext())
        {
            otherNetworkId = (await new OrganisationBuilder().WithCodePrefix("O").SaveAsync(db)).Network.Id;
        }

        var lookup = await FindAsync(otherNetworkId, DefaultImportProfiles.Roadstar, ImportFileType.Customers, null, "CUSTOMERS_1.csv");

        Assert.NotEqual(networkId, otherNetworkId);
        Assert.Equal("There is no active import profile for the DMS provider \"Roadstar\".", lookup.Reason);
    }

    [Fact]
    public void Resolve_TwoProfilesOfOneType_PicksByPatternOrAsksForTheName()
    {
        var a = DefaultImportProfiles.For(DefaultImportProfiles.Roadstar, ImportFileType.Customers).ToProfile(1);
        var b = DefaultImportProfiles.For(DefaultImportProfiles.Roadstar, ImportFileType.Customers).ToProfile(1);
        b.Name = "Roadstar Customers (legacy)";
        b.FileNamePattern = "CUST_*.csv";

        var byPattern = ImportProfileCatalog.Resolve([a, b], "Roadstar", ImportFileType.Customers, null, "CUST_1.csv");
        var ambiguous = ImportProfileCatalog.Resolve([a, b], "Roadstar", ImportFileType.Customers, null, "export.csv");

        Assert.Same(b, byPattern.Profile);
        Assert.False(ambiguous.Found);
        Assert.Contains("name the profile to use", ambiguous.Reason, StringComparison.Ordinal);
    }
}
