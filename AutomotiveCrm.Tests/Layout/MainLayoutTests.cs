using System.Security.Claims;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Components.Layout;
using AutomotiveCrm.Web.Identity;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AutomotiveCrm.Tests.Layout;

/// <summary>The app shell: who is signed in, their scope, the network user's picker, navigation by permission.</summary>
public sealed class MainLayoutTests : IAsyncLifetime, IDisposable
{
    private readonly SqliteTestDatabase database = new();
    private readonly BunitContext context = new();
    private TestOrganisation org = null!;

    public async Task InitializeAsync()
    {
        await using (var db = database.CreateContext())
        {
            org = await new OrganisationBuilder().SaveAsync(db);
        }

        context.Services.AddMudServices();
        context.Services.AddCrmPersistence(_ => database.Settings);
        context.Services.AddScoped<ScopeSelection>();
        context.Services.AddSingleton<ICurrentAccess>(new FixedAccess(AccessScope.System));
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    public void Dispose() => database.Dispose();

    [Fact]
    public void Layout_AgencyUser_ShowsNoCustomersOrWholesaleLink()
    {
        var layout = Render(TestPrincipals.Create(ScopeLevel.Group, org.Network.Id, org.Group.Id, null, CrmRole.Agency));

        layout.WaitForAssertion(() => Assert.Contains("Group: Northgate Motor Group", layout.Find("[data-testid=scope-label]").TextContent, StringComparison.Ordinal));
        Assert.NotEmpty(layout.FindAll("[data-nav=overview]"));
        Assert.Empty(layout.FindAll("[data-nav=customers]"));
        Assert.Empty(layout.FindAll("[data-nav=wholesale]"));
        Assert.Empty(layout.FindAll("[data-nav=administration]"));
    }

    [Fact]
    public void Layout_GroupSalesUser_ShowsNameScopeAndCustomersButNoPicker()
    {
        var layout = Render(TestPrincipals.Create(ScopeLevel.Group, org.Network.Id, org.Group.Id, null, CrmRole.Sales));

        layout.WaitForAssertion(() => Assert.Equal("Group: Northgate Motor Group", layout.Find("[data-testid=scope-label]").TextContent));
        Assert.Equal("Pat Example", layout.Find("[data-testid=user-display-name]").TextContent);
        Assert.NotEmpty(layout.FindAll("[data-nav=customers]"));
        Assert.Empty(layout.FindAll("[data-testid=scope-picker]"));
        Assert.Empty(layout.FindAll("[data-nav=wholesale]"));
    }

    [Fact]
    public void Layout_DealerUser_ShowsDealerCode()
    {
        var layout = Render(TestPrincipals.Create(ScopeLevel.Dealer, org.Network.Id, org.Group.Id, org.Dealer.Id, CrmRole.Service));

        layout.WaitForAssertion(() => Assert.Equal($"Dealer: {org.Dealer.Code}", layout.Find("[data-testid=scope-label]").TextContent));
    }

    [Fact]
    public void Layout_NetworkManager_ShowsGroupPickerWithEveryGroupAndWholesaleLink()
    {
        var layout = Render(TestPrincipals.Create(ScopeLevel.Network, org.Network.Id, null, null, CrmRole.Manager));

        layout.WaitForAssertion(() => Assert.Equal("Network", layout.Find("[data-testid=scope-label]").TextContent));
        Assert.NotEmpty(layout.FindAll("[data-testid=group-picker]"));
        Assert.NotEmpty(layout.FindAll("[data-testid=view-switch]"));
        Assert.NotEmpty(layout.FindAll("[data-nav=wholesale]"));
        Assert.Empty(layout.FindAll("[data-nav=administration]"));
    }

    [Fact]
    public void Layout_NetworkAdministrator_ShowsOrganisationAndUserAdministration()
    {
        var layout = Render(TestPrincipals.Create(ScopeLevel.Network, org.Network.Id, null, null, CrmRole.Administrator));

        layout.WaitForAssertion(() => Assert.NotEmpty(layout.FindAll("[data-nav=admin-users]")));
        Assert.NotEmpty(layout.FindAll("[data-nav=admin-brands]"));
        Assert.NotEmpty(layout.FindAll("[data-nav=admin-dealers]"));
    }

    [Fact]
    public void Layout_GroupAdministrator_ManagesUsersButNotTheOrganisation()
    {
        var layout = Render(TestPrincipals.Create(ScopeLevel.Group, org.Network.Id, org.Group.Id, null, CrmRole.Administrator));

        layout.WaitForAssertion(() => Assert.NotEmpty(layout.FindAll("[data-nav=admin-users]")));
        Assert.Empty(layout.FindAll("[data-nav=admin-brands]"));
    }

    [Fact]
    public void Layout_Interactive_MarksTheLayoutForBrowserTests()
    {
        var layout = Render(TestPrincipals.Create(ScopeLevel.Group, org.Network.Id, org.Group.Id, null, CrmRole.Sales));

        Assert.NotEmpty(layout.FindAll("[data-interactive=true]"));
    }

    [Fact]
    public void Layout_SignedIn_OffersSignOutFormPost()
    {
        var layout = Render(TestPrincipals.Create(ScopeLevel.Group, org.Network.Id, org.Group.Id, null, CrmRole.Sales));

        var form = layout.Find("form[data-testid=sign-out]");
        Assert.Equal(("post", "Account/Logout"), (form.GetAttribute("method"), form.GetAttribute("action")));
    }

    [Fact]
    public void Layout_NetworkUserPicksGroup_PageIsBuiltAgain()
    {
        BodyProbe.Reset();
        var layout = Render(TestPrincipals.Create(ScopeLevel.Network, org.Network.Id, null, null, CrmRole.Manager));
        layout.WaitForAssertion(() => Assert.Equal(1, BodyProbe.Initialised));

        var selection = context.Services.GetRequiredService<ScopeSelection>();
        layout.InvokeAsync(() => selection.PickGroup(org.OtherGroup.Id));

        layout.WaitForAssertion(() => Assert.Equal(2, BodyProbe.Initialised));
    }

    private IRenderedComponent<MainLayout> Render(ClaimsPrincipal principal) =>
        context.Render<MainLayout>(parameters => parameters
            .AddCascadingValue(TestPrincipals.State(principal))
            .Add(p => p.Body, builder =>
            {
                builder.OpenComponent<BodyProbe>(0);
                builder.CloseComponent();
            }));

    /// <summary>Counts how often the page inside the layout is built (a new instance means its data is read again).</summary>
    private sealed class BodyProbe : ComponentBase
    {
        private static int initialised;

        public static int Initialised => Volatile.Read(ref initialised);

        public static void Reset() => Interlocked.Exchange(ref initialised, 0);

        protected override void OnInitialized() => Interlocked.Increment(ref initialised);
    }
}
