using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Exports;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Service;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Support;

namespace AutomotiveCrm.Tests.Campaigns.Exports;

/// <summary>The export rows over a real SQLite database, read through a group user's scope.</summary>
public sealed class CampaignExportRowsTests : IAsyncLifetime, IDisposable
{
    private readonly SqliteTestDatabase _database = new();
    private TestOrganisation _org = null!;
    private Customer _york = null!;
    private Customer _leeds = null!;
    private Customer _homeless = null!;
    private Customer _berlin = null!;
    private Customer _otherGroup = null!;

    public async Task InitializeAsync()
    {
        await using var db = _database.CreateContext();
        _org = await new OrganisationBuilder().SaveAsync(db);
        _york = await new CustomerBuilder().InGroup(_org.Group).WithTitle("Ms").Named("Alex", "Morgan").WithResponsibleDealer(_org.Dealer)
            .WithPhone("07700 900123").WithPhone("0113 496 0000", PhoneKind.Home).WithAddress("12 Station Road", "York", "yo17hh").SaveAsync(db);
        _leeds = await new CustomerBuilder().InGroup(_org.Group).Named("Ben", "Ashworth").WithPhone("07700 900456")
            .WithAddress("1 Park Row", "Leeds", "LS1 1AA").SaveAsync(db);
        _homeless = await new CustomerBuilder().InGroup(_org.Group).Named("Cara", "Nowhere").WithPhone("07700 900789").SaveAsync(db);
        _berlin = await new CustomerBuilder().InGroup(_org.Group).AsCompany("Berliner Flotten GmbH").Named("Dora", "Schulz")
            .WithAddress("Hauptstraße 5", "Berlin", "10115", "DE").SaveAsync(db);
        _otherGroup = await new CustomerBuilder().InGroup(_org.OtherGroup).Named("Eve", "Hidden").WithAddress("9 Lane", "Brighton", "BN1 1AA").SaveAsync(db);

        var vehicle = await new VehicleBuilder().OfBrand(_org.Brand, "Kestrel").WithPlate("YA19 KXP", new DateOnly(2019, 3, 1)).SaveAsync(db);
        db.Add(new Relationship
        {
            DealerId = _org.Dealer.Id, CustomerId = _york.Id, VehicleId = vehicle.Id, DealerGroupId = _org.Group.Id,
            Type = RelationshipType.Selling, StartDate = new DateOnly(2019, 3, 1),
        });
        db.Add(new ServiceVisit { DealerId = _org.Dealer.Id, DealerGroupId = _org.Group.Id, CustomerId = _york.Id, VehicleId = vehicle.Id, VisitDate = new DateOnly(2025, 6, 2) });
        db.Add(new ServiceVisit { DealerId = _org.Dealer.Id, DealerGroupId = _org.Group.Id, CustomerId = _york.Id, VehicleId = vehicle.Id, VisitDate = new DateOnly(2026, 3, 14) });
        var at = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        db.Add(ConsentState.Create(_york.Id, ConsentChannel.Phone, ConsentPurpose.Marketing, _org.Brand.Id, null, ConsentStatus.OptIn, at, ConsentSource.Desk, null));
        db.Add(ConsentState.Create(_leeds.Id, ConsentChannel.Phone, ConsentPurpose.Marketing, _org.Brand.Id, null, ConsentStatus.OptIn, at, ConsentSource.Desk, null));
        db.Add(ConsentState.Create(_leeds.Id, ConsentChannel.Phone, ConsentPurpose.Marketing, null, _org.Dealer.Id, ConsentStatus.OptOut, at, ConsentSource.Desk, null));
        db.Add(ConsentState.Create(_homeless.Id, ConsentChannel.Phone, ConsentPurpose.Marketing, _org.Brand.Id, null, ConsentStatus.OptIn, at, ConsentSource.Desk, null));
        db.Add(ConsentState.Create(_homeless.Id, ConsentChannel.Phone, ConsentPurpose.Marketing, _org.Brand.Id, null, ConsentStatus.OptOut, at.AddDays(1), ConsentSource.Desk, null));
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _database.Dispose();

    private CrmDbContext GroupManagerContext()
    {
        var db = _database.CreateContext();
        db.Scope = AccessScope.ForUser(ScopeLevel.Group, _org.Network.Id, _org.Group.Id, [CrmRole.Manager]);
        return db;
    }

    [Fact]
    public async Task Labels_SortedDomesticFirstByPostcode_WithoutAddressCountedOtherGroupAbsent()
    {
        await using var db = GroupManagerContext();

        var set = await CampaignExportRows.LabelsAsync(db, db.Customers, "GB");

        Assert.Equal([_leeds.Id, _york.Id, _berlin.Id], set.Labels.Select(l => l.CustomerId));
        Assert.Equal(1, set.SkippedWithoutAddress);
        Assert.Equal(["Ms Alex Morgan", "12 Station Road", "YORK", "YO1 7HH"], set.Labels[1].Lines);
        Assert.Equal(["Berliner Flotten GmbH", "Dora Schulz", "Hauptstraße 5", "10115 Berlin", "GERMANY"], set.Labels[2].Lines);
    }

    [Fact]
    public async Task Labels_SourceNamingAnotherGroupsCustomer_NotPrinted()
    {
        await using var db = GroupManagerContext();
        await using var system = _database.CreateContext();
        var ids = new[] { _york.Id, _otherGroup.Id };

        // Even a source that escapes the scope (a system context's) yields only what the user's context shows.
        var set = await CampaignExportRows.LabelsAsync(db, system.Customers.Where(c => ids.Contains(c.Id)), "GB");

        Assert.Equal([_york.Id], set.Labels.Select(l => l.CustomerId));
    }

    [Fact]
    public async Task CallList_RowsWithPhonesVehicleLastServiceDealerAndConsent()
    {
        await using var db = GroupManagerContext();

        var rows = new List<CallListRow>();
        await foreach (var row in CampaignExportRows.CallListAsync(db, db.Customers))
        {
            rows.Add(row);
        }

        Assert.Equal(4, rows.Count);
        Assert.DoesNotContain(rows, r => r.CustomerId == _otherGroup.Id);
        // No responsible dealer sorts first, then by name; Morgan's dealer last.
        Assert.Equal([_leeds.Id, _berlin.Id, _homeless.Id, _york.Id], rows.Select(r => r.CustomerId));
        var york = rows[^1];
        Assert.Equal("Ms Alex Morgan", york.Customer);
        Assert.Equal("+44 7700 900123 (mobile), +44 113 496 0000 (home)", york.Phones);
        Assert.Equal("Alder Kestrel YA19KXP", york.Vehicle);
        Assert.Equal(new DateOnly(2026, 3, 14), york.LastService);
        Assert.Equal(_org.Dealer.Name, york.ResponsibleDealer);
        Assert.True(york.PhoneMarketingConsent);
        Assert.False(rows.Single(r => r.CustomerId == _leeds.Id).PhoneMarketingConsent);
        Assert.False(rows.Single(r => r.CustomerId == _homeless.Id).PhoneMarketingConsent);
        Assert.Equal("Berliner Flotten GmbH (Dora Schulz)", rows.Single(r => r.CustomerId == _berlin.Id).Customer);
        Assert.Null(rows.Single(r => r.CustomerId == _berlin.Id).Vehicle);
    }

    [Fact]
    public async Task RunMembers_FrozenMembersWithoutHoldOut()
    {
        await using (var system = _database.CreateContext())
        {
            var campaign = new Campaign
            {
                NetworkId = _org.Network.Id, DealerGroupId = _org.Group.Id, OwnerLevel = CampaignOwnerLevel.Group, Name = "Spring",
                AudienceJson = "{}", TimeZone = "Europe/London", CreatedBy = "test",
            };
            system.Add(campaign);
            await system.SaveChangesAsync();
            var run = new CampaignRun { CampaignId = campaign.Id, NetworkId = _org.Network.Id, DealerGroupId = _org.Group.Id, Number = 1, StartedBy = "test" };
            system.Add(run);
            await system.SaveChangesAsync();
            system.AddRange(
                new CampaignRunMember { RunId = run.Id, CustomerId = _york.Id, DealerGroupId = _org.Group.Id },
                new CampaignRunMember { RunId = run.Id, CustomerId = _berlin.Id, DealerGroupId = _org.Group.Id },
                new CampaignRunMember { RunId = run.Id, CustomerId = _leeds.Id, DealerGroupId = _org.Group.Id, HoldOut = true });
            await system.SaveChangesAsync();
        }

        await using var db = GroupManagerContext();
        var runId = db.CampaignRuns.Single().Id;

        var set = await CampaignExportRows.LabelsAsync(db, CampaignExportRows.RunMembers(db, runId), "GB");

        Assert.Equal([_york.Id, _berlin.Id], set.Labels.Select(l => l.CustomerId));
    }
}
