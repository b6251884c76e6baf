using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Vehicles;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutomotiveCrm.Tests.Dedup.Screens;

/// <summary>Old vehicle ids after a duplicate-vehicle merge lead to the surviving vehicle; another group's do not.</summary>
public sealed class VehicleMergeLinksTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private readonly SqliteTestDatabase database = new();
    private BunitContext context = null!;
    private Vehicle survivor = null!;
    private Vehicle tombstone = null!;
    private Vehicle otherGroupsTombstone = null!;

    public async Task InitializeAsync()
    {
        TestOrganisation org;
        await using (var db = database.CreateContext())
        {
            org = await new OrganisationBuilder().SaveAsync(db);
            var customer = await new CustomerBuilder().InGroup(org.Group).Named("Vera", "Lane").SaveAsync(db);
            var stranger = await new CustomerBuilder().InGroup(org.OtherGroup).Named("Hidden", "Othergroup").SaveAsync(db);
            survivor = await new VehicleBuilder().OfBrand(org.Brand).WithVin("1HGCM82633A004352").WithPlate("AB12 CDE", new DateOnly(2022, 3, 1)).SaveAsync(db);
            tombstone = await new VehicleBuilder().OfBrand(org.Brand).WithVin("1HGCM82633A004353").WithPlate("AB12 CDE", new DateOnly(2022, 3, 1)).SaveAsync(db);
            var otherSurvivor = await new VehicleBuilder().OfBrand(org.Brand).WithVin("WVWZZZ1KZ8W654321").WithPlate("ZZ99 ZZZ", new DateOnly(2021, 1, 1)).SaveAsync(db);
            otherGroupsTombstone = await new VehicleBuilder().OfBrand(org.Brand).WithVin("WVWZZZ1KZ8W654322").WithPlate("ZZ99 ZZZ", new DateOnly(2021, 1, 1)).SaveAsync(db);
            db.Relationships.AddRange(
                new Relationship { DealerId = org.Dealer.Id, DealerGroupId = org.Group.Id, CustomerId = customer.Id, VehicleId = survivor.Id, Type = RelationshipType.Selling, StartDate = new DateOnly(2022, 3, 1) },
                new Relationship { DealerId = org.Dealer.Id, DealerGroupId = org.Group.Id, CustomerId = customer.Id, VehicleId = tombstone.Id, Type = RelationshipType.Servicing, StartDate = new DateOnly(2023, 3, 1) },
                new Relationship { DealerId = org.OtherGroupDealer.Id, DealerGroupId = org.OtherGroup.Id, CustomerId = stranger.Id, VehicleId = otherSurvivor.Id, Type = RelationshipType.Selling, StartDate = new DateOnly(2021, 1, 1) },
                new Relationship { DealerId = org.OtherGroupDealer.Id, DealerGroupId = org.OtherGroup.Id, CustomerId = stranger.Id, VehicleId = otherGroupsTombstone.Id, Type = RelationshipType.Servicing, StartDate = new DateOnly(2022, 1, 1) });
            await db.SaveChangesAsync();

            // What a vehicle merge leaves behind, written directly: the merged-away records point at their survivors.
            await db.Vehicles.Where(v => v.Id == tombstone.Id).ExecuteUpdateAsync(s => s.SetProperty(v => v.MergedIntoId, survivor.Id));
            await db.Vehicles.Where(v => v.Id == otherGroupsTombstone.Id).ExecuteUpdateAsync(s => s.SetProperty(v => v.MergedIntoId, otherSurvivor.Id));
        }

        context = DedupScreenContext.Create(database, DedupScreenContext.GroupSteward(org));
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    public void Dispose() => database.Dispose();

    private NavigationManager Navigation => context.Services.GetRequiredService<NavigationManager>();

    [Fact]
    public void VehiclePage_MergedAwayId_RedirectsToSurvivorWithNotice()
    {
        context.Render<VehiclePage>(p => p.Add(c => c.Id, tombstone.Id));

        Assert.EndsWith($"/vehicles/{survivor.Id}?mergedFrom={tombstone.Id}", Navigation.Uri, StringComparison.Ordinal);
        var page = context.Render<VehiclePage>(p => p.Add(c => c.Id, survivor.Id));
        page.WaitForAssertion(() => Assert.Contains($"Vehicle record {tombstone.Id} was merged into this one",
            page.Find("[data-testid=merged-notice]").TextContent, StringComparison.Ordinal), Wait);
    }

    [Fact]
    public void VehiclePage_OtherGroupsMergedVehicle_IsNotFoundLikeMissing()
    {
        var page = context.Render<VehiclePage>(p => p.Add(c => c.Id, otherGroupsTombstone.Id));

        page.WaitForAssertion(() => Assert.Contains("Not found", page.Markup, StringComparison.Ordinal), Wait);
        Assert.DoesNotContain("mergedFrom", Navigation.Uri, StringComparison.Ordinal);
        Assert.DoesNotContain("WVWZZZ1KZ8W6543", page.Markup, StringComparison.Ordinal);
    }
}
