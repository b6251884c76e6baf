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

/// <summary>The catalogue's reward dialog rendered by bUnit over a real SQLite database, as a group Manager.</summary>
public sealed class RewardEditDialogTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly SqliteTestDatabase _database = new();
    private readonly BunitContext _context = new();
    private RewardsWorld _world = null!;
    private Reward _wash = null!;
    private Reward _otherGroups = null!;

    public async Task InitializeAsync()
    {
        _world = await RewardsWorld.CreateAsync(_database);
        _wash = await _world.AddRewardAsync(r => r.Name = "Free car wash");
        _otherGroups = await _world.AddRewardAsync(r => { r.Name = "Southbank secret"; r.DealerGroupId = _world.Org.OtherGroup.Id; });

        _context.Services.AddMudServices(options => options.PopoverOptions.CheckForPopoverProvider = false);
        _context.Services.AddCrmPersistence(_ => _database.Settings);
        _context.Services.AddScoped<ScopeSelection>();
        _context.Services.AddSingleton<ICurrentAccess>(new FixedAccess(
            AccessScope.ForUser(ScopeLevel.Group, _world.Org.Network.Id, _world.Org.Group.Id, [CrmRole.Manager])));
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        var auth = _context.AddAuthorization();
        auth.SetAuthorized("manager@example.com");
        auth.SetRoles(nameof(CrmRole.Manager));
        auth.SetClaims(
            new Claim(ClaimTypes.NameIdentifier, "u-manager"),
            new Claim(CrmClaims.ScopeLevel, nameof(ScopeLevel.Group)),
            new Claim(CrmClaims.NetworkId, _world.Org.Network.Id.ToString(CultureInfo.InvariantCulture)),
            new Claim(CrmClaims.GroupId, _world.Org.Group.Id.ToString(CultureInfo.InvariantCulture)));
    }

    // MudBlazor registers services that are only IAsyncDisposable, so the bUnit context is disposed asynchronously.
    public async Task DisposeAsync() => await _context.DisposeAsync();

    public void Dispose() => _database.Dispose();

    private IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> RenderCatalogue()
    {
        var host = _context.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<MudSnackbarProvider>(2);
            builder.CloseComponent();
            builder.OpenComponent<RewardsCataloguePage>(3);
            builder.CloseComponent();
        });
        host.WaitForAssertion(() => Assert.Contains("Free car wash", host.Find("[data-testid=catalogue-rewards]").TextContent, StringComparison.Ordinal), Wait);
        return host;
    }

    private static void Fill(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> host, string testId, string value) =>
        host.Find($"[data-testid={testId}] input, input[data-testid={testId}]").Change(value);

    [Fact]
    public async Task NewReward_FilledAndSaved_AppearsInTheCatalogue()
    {
        var host = RenderCatalogue();

        host.Find("[data-testid=reward-new]").Click();
        host.WaitForAssertion(() => host.Find("[data-testid=reward-name] input, input[data-testid=reward-name]"), Wait);
        Fill(host, "reward-name", "Winter tyre check");
        Fill(host, "reward-code", "WINTER-TYRES");
        var category = host.Find("[data-testid=reward-category] input, input[data-testid=reward-category]");
        category.Input("Service");
        category.Blur();
        Fill(host, "reward-cost-points", "250");
        Fill(host, "reward-discount-amount", "15");
        Fill(host, "reward-per-customer", "1");
        host.Find("[data-testid=reward-save]").Click();

        host.WaitForAssertion(() => Assert.Contains("Winter tyre check", host.Find("[data-testid=catalogue-rewards]").TextContent, StringComparison.Ordinal), Wait);
        host.WaitForAssertion(() => Assert.Contains("Winter tyre check was created.", host.Markup, StringComparison.Ordinal), Wait);
        Assert.Empty(host.FindAll("[data-testid=reward-edit-dialog]"));
        await using var db = _database.CreateContext();
        var saved = await db.Rewards.SingleAsync(r => r.Code == "WINTER-TYRES");
        Assert.Equal(("Service", 250L, 15m, 1, RewardOwnerLevel.Group, _world.Org.Group.Id),
            (saved.Category, saved.CostPoints, saved.DiscountAmount!.Value, saved.PerCustomerLimit!.Value, saved.OwnerLevel, saved.DealerGroupId!.Value));
    }

    [Fact]
    public async Task NewReward_WithoutCode_ShowsTheFieldsMessageAndStaysOpen()
    {
        var host = RenderCatalogue();

        host.Find("[data-testid=reward-new]").Click();
        host.WaitForAssertion(() => host.Find("[data-testid=reward-name] input, input[data-testid=reward-name]"), Wait);
        Fill(host, "reward-name", "Nameless code");
        Fill(host, "reward-stock", "-2");
        host.Find("[data-testid=reward-save]").Click();

        host.WaitForAssertion(() => Assert.Contains("Code is required.", host.Markup, StringComparison.Ordinal), Wait);
        Assert.Contains("Stock cannot be negative.", host.Markup, StringComparison.Ordinal);
        Assert.NotEmpty(host.FindAll("[data-testid=reward-edit-dialog]"));
        Assert.NotEmpty(host.FindAll("[data-testid=reward-benefit-error]"));
        await using var db = _database.CreateContext();
        Assert.False(await db.Rewards.AnyAsync(r => r.Name == "Nameless code"));
    }

    [Fact]
    public async Task EditReward_RenamedAndSaved_CatalogueShowsTheNewName()
    {
        var network = await _world.AddRewardAsync(r => { r.Name = "National breakdown cover"; r.OwnerLevel = RewardOwnerLevel.Network; r.DealerGroupId = null; });
        var host = RenderCatalogue();
        Assert.DoesNotContain("Southbank secret", host.Markup, StringComparison.Ordinal);
        // The network's reward is listed for the group's manager but is not theirs to change.
        Assert.Contains("National breakdown cover", host.Find("[data-testid=catalogue-rewards]").TextContent, StringComparison.Ordinal);
        Assert.Empty(host.FindAll($"[data-testid=reward-edit][data-reward={network.Code}]"));

        host.Find($"[data-testid=reward-edit][data-reward={_wash.Code}]").Click();
        host.WaitForAssertion(() => Assert.Equal("Free car wash",
            host.Find("[data-testid=reward-name] input, input[data-testid=reward-name]").GetAttribute("value")), Wait);
        Fill(host, "reward-name", "Free premium car wash");
        host.Find("[data-testid=reward-save]").Click();

        host.WaitForAssertion(() => Assert.Contains("Free premium car wash", host.Find("[data-testid=catalogue-rewards]").TextContent, StringComparison.Ordinal), Wait);
        await using var db = _database.CreateContext();
        Assert.Equal("Free premium car wash", (await db.Rewards.SingleAsync(r => r.Id == _wash.Id)).Name);
        Assert.Equal("Southbank secret", (await db.Rewards.SingleAsync(r => r.Id == _otherGroups.Id)).Name);
    }
    [Fact]
    public async Task NewReward_ParticipantPicked_OffersOnlyTheGroupsDealersAndStoresTheChoice()
    {
        var host = RenderCatalogue();
        host.Find("[data-testid=reward-new]").Click();
        host.WaitForAssertion(() => host.Find("[data-testid=reward-name] input, input[data-testid=reward-name]"), Wait);
        Fill(host, "reward-name", "York valet day");
        Fill(host, "reward-code", "YORK-VALET");
        var category = host.Find("[data-testid=reward-category] input, input[data-testid=reward-category]");
        category.Input("Service");
        category.Blur();
        Fill(host, "reward-discount-percent", "20");

        host.Find(".mud-select:has([data-testid=reward-participants]) .mud-input-control, [data-testid=reward-participants]").MouseDown();
        host.WaitForAssertion(() => Assert.Contains(host.FindAll(".mud-popover-open .mud-list-item"), i => i.TextContent.Contains("Northgate Service Centre York", StringComparison.Ordinal)), Wait);
        var options = host.FindAll(".mud-popover-open .mud-list-item").Select(i => i.TextContent).ToList();
        Assert.DoesNotContain(options, o => o.Contains("Southbank", StringComparison.Ordinal));
        host.FindAll(".mud-popover-open .mud-list-item").First(i => i.TextContent.Contains("Northgate Service Centre York", StringComparison.Ordinal)).Click();
        host.Find("[data-testid=reward-save]").Click();

        host.WaitForAssertion(() => Assert.Contains("York valet day", host.Find("[data-testid=catalogue-rewards]").TextContent, StringComparison.Ordinal), Wait);
        await using var db = _database.CreateContext();
        var saved = await db.Rewards.Include(r => r.Participants).SingleAsync(r => r.Code == "YORK-VALET");
        Assert.Equal([_world.Org.SecondDealer.Id], saved.Participants.Select(p => p.DealerId!.Value));
    }
}
