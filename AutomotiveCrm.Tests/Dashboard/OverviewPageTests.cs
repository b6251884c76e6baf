using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Dashboard;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AutomotiveCrm.Tests.Dashboard;

/// <summary>The start page rendered by bUnit against a real SQLite database holding the demo data.</summary>
public sealed class OverviewPageTests : IAsyncLifetime, IDisposable
{
    private readonly SqliteTestDatabase database = new();
    private readonly BunitContext context = new();

    public async Task InitializeAsync()
    {
        await DemoDataSeeder.SeedAsync(database.Settings, new DemoSeedOptions(Customers: 300));
        context.Services.AddMudServices();
        context.Services.AddCrmPersistence(_ => database.Settings);
        context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    // MudBlazor registers services that are only IAsyncDisposable, so the bUnit context is disposed asynchronously.
    public async Task DisposeAsync() => await context.DisposeAsync();

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task Overview_DemoData_ShowsTilesAndOneRowPerGroup()
    {
        var page = context.Render<Overview>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-figure]")), TimeSpan.FromSeconds(10));
        var customers = page.Find("[data-figure='Retail customers']").TextContent;
        Assert.Equal("300", customers);
        await using var db = database.CreateContext();
        var groups = db.DealerGroups.Select(g => g.Name).ToList();
        Assert.Equal(3, groups.Count);
        foreach (var name in groups)
        {
            Assert.Contains(name, page.Markup, StringComparison.Ordinal);
        }
    }
}
