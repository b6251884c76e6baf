using System.Globalization;
using System.Security.Claims;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Customers;
using AutomotiveCrm.Web.Identity;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace AutomotiveCrm.Tests.Customers;

/// <summary>The customer list and customer page rendered by bUnit over a real SQLite database, as a group Sales user.</summary>
public sealed class CustomerPagesTests : IAsyncLifetime, IDisposable
{
    private readonly SqliteTestDatabase _database = new();
    private readonly BunitContext _context = new();
    private TestOrganisation _org = null!;
    private Customer _alex = null!;
    private Customer _otherGroups = null!;

    public async Task InitializeAsync()
    {
        await using (var db = _database.CreateContext())
        {
            _org = await new OrganisationBuilder().SaveAsync(db);
            _alex = await new CustomerBuilder().InGroup(_org.Group).Named("Alex", "Aardvark").WithEmail("alex@example.com")
                .WithPhone("07700 900123").WithAddress("1 High Street", "Leeds", "LS1 4AB").SaveAsync(db);
            for (var i = 0; i < 24; i++)
            {
                await new CustomerBuilder().InGroup(_org.Group).Named("Person", $"Customer{i:D2}").SaveAsync(db);
            }

            _otherGroups = await new CustomerBuilder().InGroup(_org.OtherGroup).Named("Hidden", "Othergroup").SaveAsync(db);
            var vehicle = await new VehicleBuilder().OfBrand(_org.Brand).WithPlate("AB12CDE", new DateOnly(2022, 3, 1)).SaveAsync(db);
            db.Relationships.Add(new Relationship { DealerId = _org.Dealer.Id, CustomerId = _alex.Id, VehicleId = vehicle.Id, Type = RelationshipType.Selling,
                StartDate = new DateOnly(2022, 3, 1) });
            await db.SaveChangesAsync();
        }

        _context.Services.AddMudServices(options => options.PopoverOptions.CheckForPopoverProvider = false);
        _context.Services.AddCrmPersistence(_ => _database.Settings);
        _context.Services.AddScoped<ScopeSelection>();
        _context.Services.AddSingleton<ICurrentAccess>(new FixedAccess(
            AccessScope.ForUser(ScopeLevel.Group, _org.Network.Id, _org.Group.Id, [CrmRole.Sales])));
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        var auth = _context.AddAuthorization();
        auth.SetAuthorized("desk@example.com");
        auth.SetRoles(nameof(CrmRole.Sales));
        auth.SetClaims(
            new Claim(ClaimTypes.NameIdentifier, "u-desk"),
            new Claim(CrmClaims.ScopeLevel, nameof(ScopeLevel.Group)),
            new Claim(CrmClaims.NetworkId, _org.Network.Id.ToString(CultureInfo.InvariantCulture)),
            new Claim(CrmClaims.GroupId, _org.Group.Id.ToString(CultureInfo.InvariantCulture)));
    }

    // MudBlazor registers services that are only IAsyncDisposable, so the bUnit context is disposed asynchronously.
    public async Task DisposeAsync() => await _context.DisposeAsync();

    public void Dispose() => _database.Dispose();

    private static string WithoutHandlerIds(string markup) =>
        System.Text.RegularExpressions.Regex.Replace(markup, "blazor:[a-zA-Z]+=\"[^\"]*\"|id=\"[^\"]*\"", "");

    private void NavigateTo(string uri) => _context.Services.GetRequiredService<NavigationManager>().NavigateTo(uri);

    [Fact]
    public void CustomerList_FirstPage_ShowsPageOfOwnGroupAndTotal()
    {
        NavigateTo("/customers?size=10");

        var page = _context.Render<CustomerList>();

        page.WaitForAssertion(() => Assert.Equal(10, page.FindAll("[data-testid=customer-link]").Count), TimeSpan.FromSeconds(10));
        Assert.Equal("Alex Aardvark", page.FindAll("[data-testid=customer-link]")[0].TextContent);
        Assert.Contains("of 25", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Othergroup", page.Markup, StringComparison.Ordinal);
        Assert.Equal($"/customers/{_alex.Id}", page.FindAll("[data-testid=customer-link]")[0].GetAttribute("href"));
    }

    [Fact]
    public void CustomerList_QueryStringSearch_RestoredAndNoExportLinksForSales()
    {
        NavigateTo("/customers?q=ab12cde&sort=updated&desc=yes");

        var page = _context.Render<CustomerList>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=customer-link]")), TimeSpan.FromSeconds(10));
        Assert.Equal("Alex Aardvark", page.Find("[data-testid=customer-link]").TextContent);
        Assert.Equal("ab12cde", page.Find("[data-testid=quick-search] input, input[data-testid=quick-search]").GetAttribute("value"));
        var uri = _context.Services.GetRequiredService<NavigationManager>().Uri;
        Assert.Contains("q=ab12cde", uri, StringComparison.Ordinal);
        Assert.Contains("sort=updated", uri, StringComparison.Ordinal);
        // Sales may not export: no links (the endpoints refuse too).
        Assert.Empty(page.FindAll("[data-testid=export-csv]"));
    }

    [Fact]
    public void CustomerList_SecondPage_FromQueryString()
    {
        NavigateTo("/customers?size=10&page=3");

        var page = _context.Render<CustomerList>();

        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-testid=customer-link]").Count), TimeSpan.FromSeconds(10));
        Assert.Equal("Person Customer23", page.FindAll("[data-testid=customer-link]")[^1].TextContent);
    }

    [Fact]
    public void CustomerPage_ShowsTabsProfileContactsAndVehicleTimeline()
    {
        var page = _context.Render<CustomerPage>(p => p.Add(c => c.Id, _alex.Id));

        page.WaitForAssertion(() => Assert.Equal("Alex Aardvark", page.Find("[data-testid=customer-name]").TextContent), TimeSpan.FromSeconds(10));
        foreach (var tab in new[] { "Profile", "Contact points", "Consents", "Vehicles", "History" })
        {
            Assert.Contains(page.FindAll(".mud-tab"), t => t.TextContent.Contains(tab, StringComparison.Ordinal));
        }

        Assert.Equal("Aardvark", page.Find("[data-field='Last name']").TextContent);
        Assert.Contains("alex@example.com", page.Find("[data-testid=email-row]").TextContent, StringComparison.Ordinal);
        Assert.Contains("+447700900123", page.Find("[data-testid=phone-row]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Selling", page.Find("[data-testid=period]").TextContent, StringComparison.Ordinal);
        Assert.Contains("2022-03-01", page.Find("[data-testid=period]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomerPage_EditSaved_ShowsChangeAndStoresIt()
    {
        var page = _context.Render<CustomerPage>(p => p.Add(c => c.Id, _alex.Id));
        page.WaitForAssertion(() => page.Find("[data-testid=edit-profile]"), TimeSpan.FromSeconds(10));

        page.Find("[data-testid=edit-profile]").Click();
        page.WaitForElement("[data-testid=first-name] input, input[data-testid=first-name]", TimeSpan.FromSeconds(10)).Change("Alexandra");
        page.Find("[data-testid=save-profile]").Click();

        page.WaitForAssertion(() => Assert.Equal("Alexandra", page.Find("[data-field='First name']").TextContent), TimeSpan.FromSeconds(10));
        Assert.Contains("Profile saved.", page.Find("[data-testid=profile-message]").TextContent, StringComparison.Ordinal);
        await using var db = _database.CreateContext();
        Assert.Equal("Alexandra", (await db.Customers.SingleAsync(c => c.Id == _alex.Id)).FirstName);
        page.WaitForAssertion(() => Assert.Contains("Alexandra", page.Find("[data-testid=history]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void CustomerPage_EditWithoutLastName_ShowsFieldError()
    {
        var page = _context.Render<CustomerPage>(p => p.Add(c => c.Id, _alex.Id));
        page.WaitForAssertion(() => page.Find("[data-testid=edit-profile]"), TimeSpan.FromSeconds(10));

        page.Find("[data-testid=edit-profile]").Click();
        page.WaitForElement("[data-testid=last-name] input, input[data-testid=last-name]", TimeSpan.FromSeconds(10)).Change("");
        page.Find("[data-testid=save-profile]").Click();

        page.WaitForAssertion(() => Assert.Contains("Enter the last name", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.NotEmpty(page.FindAll("[data-testid=profile-form]"));
    }

    [Fact]
    public void CustomerPage_OtherGroupsCustomer_RendersNotFoundLikeMissing()
    {
        var other = _context.Render<CustomerPage>(p => p.Add(c => c.Id, _otherGroups.Id));
        var missing = _context.Render<CustomerPage>(p => p.Add(c => c.Id, 987_654));

        other.WaitForAssertion(() => Assert.Contains("Not found", other.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        missing.WaitForAssertion(() => Assert.Contains("Not found", missing.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        // Same content; only Blazor's event handler ids differ between two renders.
        Assert.Equal(WithoutHandlerIds(missing.Markup), WithoutHandlerIds(other.Markup));
        Assert.DoesNotContain("Othergroup", other.Markup, StringComparison.Ordinal);
    }
}
