using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Dashboard;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
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
    public async Task Overview_NetworkUser_ShowsTilesAndOneRowPerGroup()
    {
        context.Services.AddSingleton<ICurrentAccess>(new FixedAccess(AccessScope.System));
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

    [Fact]
    public async Task Overview_GroupUser_ShowsOnlyOwnGroupsFigures()
    {
        await using var db = database.CreateContext();
        var group = await db.DealerGroups.OrderBy(g => g.Code).FirstAsync();
        var own = await db.Customers.CountAsync(c => c.DealerGroupId == group.Id);
        var others = await db.DealerGroups.Where(g => g.Id != group.Id).Select(g => g.Name).ToListAsync();
        context.Services.AddSingleton<ICurrentAccess>(new FixedAccess(
            AccessScope.ForUser(ScopeLevel.Group, group.NetworkId, group.Id, [CrmRole.Sales])));

        var page = context.Render<Overview>(p => p.AddCascadingValue(Task.FromResult(new AuthenticationState(
            AutomotiveCrm.Tests.Layout.TestPrincipals.Create(ScopeLevel.Group, group.NetworkId, group.Id, null, CrmRole.Sales)))));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-figure]")), TimeSpan.FromSeconds(10));
        Assert.Contains("Group overview", page.Markup, StringComparison.Ordinal);
        Assert.Equal(own.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("en-GB")), page.Find("[data-figure='Retail customers']").TextContent);
        Assert.Empty(page.FindAll("[data-figure='Wholesale customers']"));
        Assert.Contains(group.Name, page.Markup, StringComparison.Ordinal);
        Assert.All(others, name => Assert.DoesNotContain(name, page.Markup, StringComparison.Ordinal));
    }
}
