using System.Globalization;
using System.Security.Claims;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Rewards;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Identity;
using AutomotiveCrm.Web.Rewards;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace AutomotiveCrm.Tests.Rewards;

/// <summary>The desk's customer panel rendered by bUnit over a real SQLite database, as a dealer Service user.</summary>
public sealed class DeskPanelTests : IAsyncLifetime, IDisposable
{
    private readonly SqliteTestDatabase _database = new();
    private readonly BunitContext _context = new();
    private RewardsWorld _world = null!;
    private Reward _trackDay = null!;
    private Reward _wash = null!;

    public async Task InitializeAsync()
    {
        _world = await RewardsWorld.CreateAsync(_database, balance: 500);
        _trackDay = await _world.AddRewardAsync(r => { r.Name = "Owners' track day"; r.RequiredMake = "Alder"; r.RequiredModel = "Roadster"; r.Category = "Experiences"; });
        _wash = await _world.AddRewardAsync(r => { r.Name = "Free car wash"; r.CostPoints = 150; });

        _context.Services.AddMudServices(options => options.PopoverOptions.CheckForPopoverProvider = false);
        _context.Services.AddCrmPersistence(_ => _database.Settings);
        _context.Services.AddScoped<ScopeSelection>();
        _context.Services.AddSingleton<ICurrentAccess>(new FixedAccess(
            AccessScope.ForUser(ScopeLevel.Dealer, _world.Org.Network.Id, _world.Org.Group.Id, [CrmRole.Service])));
        _context.Services.AddSingleton(new RedemptionPolicy());
        _context.Services.AddSingleton<RewardsLedger>();
        _context.Services.AddSingleton<RewardEnrolment>();
        _context.Services.AddSingleton<RedemptionService>();
        _context.Services.AddSingleton<GroupProgrammes>();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        var auth = _context.AddAuthorization();
        auth.SetAuthorized("desk@example.com");
        auth.SetRoles(nameof(CrmRole.Service));
        auth.SetClaims(
            new Claim(ClaimTypes.NameIdentifier, "u-desk"),
            new Claim(CrmClaims.ScopeLevel, nameof(ScopeLevel.Dealer)),
            new Claim(CrmClaims.NetworkId, _world.Org.Network.Id.ToString(CultureInfo.InvariantCulture)),
            new Claim(CrmClaims.GroupId, _world.Org.Group.Id.ToString(CultureInfo.InvariantCulture)));
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    public void Dispose() => _database.Dispose();

    private Microsoft.AspNetCore.Components.RenderFragment Host(long customerId) => builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<MudSnackbarProvider>(2);
            builder.CloseComponent();
            builder.OpenComponent<DeskCustomerPanel>(3);
            builder.AddAttribute(4, nameof(DeskCustomerPanel.CustomerId), customerId);
            builder.AddAttribute(5, nameof(DeskCustomerPanel.Place), _world.Desk);
            builder.CloseComponent();
        };

    [Fact]
    public void Panel_UnavailableReward_ShowsTheReasonAndDisablesRedeem()
    {
        var host = _context.Render(Host(_world.Customer.Id));
        var panel = host.FindComponent<DeskCustomerPanel>();

        panel.WaitForAssertion(() => Assert.Contains("500 points", panel.Find("[data-testid=desk-points]").TextContent, StringComparison.Ordinal));
        var track = panel.Find($"[data-reward={_trackDay.Code}]");
        Assert.Contains("Only for customers who currently own a Alder Roadster.", track.TextContent, StringComparison.Ordinal);
        Assert.True(track.QuerySelector("[data-testid=desk-redeem]")!.HasAttribute("disabled"));
    }

    [Fact]
    public async Task Panel_RedeemConfirmed_DebitsAndListsTheVoucher()
    {
        var host = _context.Render(Host(_world.Customer.Id));
        var panel = host.FindComponent<DeskCustomerPanel>();
        panel.WaitForAssertion(() => panel.Find($"[data-reward={_wash.Code}]"));

        panel.Find($"[data-reward={_wash.Code}] [data-testid=desk-redeem]").Click();
        host.WaitForAssertion(() => host.Find("[data-testid=redeem-confirm]"));
        host.Find("[data-testid=redeem-confirm]").Click();

        // The desk moves to the history, where the new voucher can be printed.
        panel.WaitForAssertion(() => Assert.Contains("Free car wash", panel.Find("[data-testid=desk-redemptions]").TextContent, StringComparison.Ordinal));
        Assert.NotEmpty(panel.FindAll("[data-testid=desk-voucher]"));
        Assert.Equal(350, (await _world.BalancesAsync()).StoredPoints);
        await using var db = _database.CreateContext();
        var redemption = await db.RewardRedemptions.SingleAsync();
        Assert.Equal(_wash.Id, redemption.RewardId);
        Assert.Equal(_world.Org.Dealer.Id, redemption.DealerId);
    }

    [Fact]
    public async Task Panel_OtherGroupsCustomer_IsNotFound()
    {
        long otherId;
        await using (var db = _database.CreateContext())
        {
            otherId = (await new CustomerBuilder().InGroup(_world.Org.OtherGroup).SaveAsync(db)).Id;
        }

        var panel = _context.Render(Host(otherId)).FindComponent<DeskCustomerPanel>();

        panel.WaitForAssertion(() => panel.Find("[data-testid=desk-not-found]"));
    }
}
