using System.Security.Claims;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Tests.Layout;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Vehicles;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MudBlazor;
using MudBlazor.Services;

namespace AutomotiveCrm.Tests.Vehicles;

/// <summary>The vehicle page rendered by bUnit over a real SQLite database, as a user of one dealer group.</summary>
public sealed class VehiclePageTests : IAsyncLifetime, IDisposable
{
    private static readonly DateOnly Bought = new(2022, 3, 1);

    private readonly SqliteTestDatabase database = new();
    private readonly BunitContext context = new();
    private readonly CapturingLogger<VehiclePage> log = new();
    private TestOrganisation org = null!;
    private Vehicle ours = null!;
    private Vehicle theirs = null!;
    private long sellerId;

    public async Task InitializeAsync()
    {
        await using (var db = database.CreateContext())
        {
            org = await new OrganisationBuilder().SaveAsync(db);
            var seller = await new CustomerBuilder().InGroup(org.Group).Named("Alex", "Morgan").SaveAsync(db);
            sellerId = seller.Id;
            var stranger = await new CustomerBuilder().InGroup(org.OtherGroup).Named("Sam", "Fisher").SaveAsync(db);
            ours = await new VehicleBuilder().OfBrand(org.Brand, "Aster").WithPlate("AB12CDE", Bought).SaveAsync(db);
            theirs = await new VehicleBuilder().OfBrand(org.Brand, "Birchwood").SaveAsync(db);
            await RelationshipService.StartAsync(db, org.Dealer.Id, seller.Id, ours.Id, RelationshipType.Selling, Bought);
            await RelationshipService.StartAsync(db, org.OtherGroupDealer.Id, stranger.Id, theirs.Id, RelationshipType.Selling, Bought);
        }

        context.Services.AddMudServices();
        context.Services.AddCrmPersistence(_ => database.Settings);
        context.Services.AddSingleton<ICurrentAccess>(new FixedAccess(
            AccessScope.ForUser(ScopeLevel.Group, org.Network.Id, org.Group.Id, [CrmRole.Sales])));
        context.Services.AddSingleton<ILogger<VehiclePage>>(log);
        context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    public void Dispose() => database.Dispose();

    [Fact]
    public void VehiclePage_OwnGroupsVehicle_ShowsSpecificationPlateAndOwner()
    {
        var page = Render(ours.Id, CrmRole.Sales);

        page.WaitForAssertion(() => Assert.Equal("Alder Aster", page.Find("[data-testid=vehicle-title]").TextContent));
        Assert.Equal("AB12CDE", page.Find("[data-testid=current-plate]").TextContent);
        Assert.Contains(ours.Vin!, page.Find("[data-testid=specification]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Ownership (1)", page.Markup, StringComparison.Ordinal);
        Assert.NotEmpty(page.FindAll("[data-testid=record-sale]"));
    }

    [Fact]
    public void VehiclePage_AnotherGroupsVehicle_ShowsNotFoundAndLogsTheAttempt()
    {
        var page = Render(theirs.Id, CrmRole.Sales);

        page.WaitForAssertion(() => Assert.Contains("Not found", page.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("Birchwood", page.Markup, StringComparison.Ordinal);
        var warning = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains($"Vehicle {theirs.Id}", warning.Message, StringComparison.Ordinal);
        Assert.Contains("user-1", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VehiclePage_MissingVehicle_ShowsTheSameNotFound()
    {
        var missing = Render(999_999, CrmRole.Sales);
        var invisible = Render(theirs.Id, CrmRole.Sales);

        missing.WaitForAssertion(() => Assert.Contains("Not found", missing.Markup, StringComparison.Ordinal));
        invisible.WaitForAssertion(() => Assert.Contains("Not found", invisible.Markup, StringComparison.Ordinal));
        // Equal but for Blazor's event handler ids, which differ between any two renders.
        invisible.MarkupMatches(missing.Markup);
    }

    [Fact]
    public void VehiclePage_MarketerWithoutEditVehicles_HasNoRecordSaleButton()
    {
        var page = Render(ours.Id, CrmRole.Marketer);

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=vehicle-title]")));
        Assert.Empty(page.FindAll("[data-testid=record-sale]"));
    }

    [Fact]
    public async Task VehiclePage_RecordSaleWithoutBuyer_EndsSellersRelationship()
    {
        var host = context.Render<PageWithDialogs>(parameters => parameters
            .AddCascadingValue(TestPrincipals.State(Principal(CrmRole.Sales)))
            .Add(p => p.VehicleId, ours.Id));
        host.WaitForAssertion(() => Assert.NotEmpty(host.FindAll("[data-testid=record-sale]")));

        // The page's handler waits for the dialog's result: it completes only once the dialog has closed.
        var recording = host.Find("[data-testid=record-sale]").ClickAsync(new());
        host.WaitForAssertion(() => Assert.NotEmpty(host.FindAll("[data-testid=transfer-submit]")));
        await host.Find("[data-testid=transfer-submit]").ClickAsync(new()).WaitAsync(TimeSpan.FromSeconds(30));
        await recording.WaitAsync(TimeSpan.FromSeconds(30));

        host.WaitForAssertion(() => Assert.Empty(host.FindAll("[data-testid=transfer-submit]")), TimeSpan.FromSeconds(10));
        // Reloaded: nobody holds the vehicle now, so there is nothing left to sell.
        host.WaitForAssertion(() => Assert.True(host.Find("[data-testid=record-sale]").HasAttribute("disabled")), TimeSpan.FromSeconds(10));
        await using var db = database.CreateContext();
        var relationship = await db.Relationships.SingleAsync(r => r.VehicleId == ours.Id && r.CustomerId == sellerId);
        Assert.Equal(RelationshipEndReason.SoldAsTradeIn, relationship.EndReason);
        Assert.NotNull(relationship.EndDate);
    }

    private IRenderedComponent<VehiclePage> Render(long id, CrmRole role) =>
        context.Render<VehiclePage>(parameters => parameters
            .AddCascadingValue(TestPrincipals.State(Principal(role)))
            .Add(p => p.Id, id));

    private ClaimsPrincipal Principal(CrmRole role) => TestPrincipals.Create(ScopeLevel.Group, org.Network.Id, org.Group.Id, null, role);

    /// <summary>The page with the providers the layout normally renders, so its dialog can open.</summary>
    private sealed class PageWithDialogs : ComponentBase
    {
        [Parameter] public long VehicleId { get; set; }

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<VehiclePage>(2);
            builder.AddComponentParameter(3, nameof(VehiclePage.Id), VehicleId);
            builder.CloseComponent();
        }
    }
}

/// <summary>Keeps what was logged, for assertions.</summary>
public sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly List<(LogLevel Level, string Message)> entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (entries)
            {
                return [.. entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (entries)
        {
            entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
