using System.Security.Claims;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Layout;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Dedup;
using AutomotiveCrm.Web.Identity;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace AutomotiveCrm.Tests.Dedup.Screens;

/// <summary>
/// A bUnit context for the stewards' screens over a real SQLite database, signed in as the given user: MudBlazor,
/// the user-scoped context factory with the user's scope, and the application's own dedup registration (the real
/// review and merge services, nothing faked).
/// </summary>
public static class DedupScreenContext
{
    public static BunitContext Create(TestDatabase database, ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(principal);
        var user = CrmClaims.Read(principal) ?? throw new ArgumentException("The principal carries no CRM claims.", nameof(principal));
        ArgumentException.ThrowIfNullOrEmpty(user.UserName);
        var context = new BunitContext();
        context.Services.AddMudServices(options => options.PopoverOptions.CheckForPopoverProvider = false);
        context.Services.AddCrmPersistence(_ => database.Settings);
        context.Services.AddScoped<ScopeSelection>();
        // The application's own access: scope, actor and the review permission all come from the signed-in principal below.
        context.Services.AddHttpContextAccessor();
        context.Services.AddScoped<CurrentAccess>();
        context.Services.AddScoped<ICurrentAccess>(sp => sp.GetRequiredService<CurrentAccess>());
        context.Services.AddLogging();
        // The launcher ties background runs to the application's lifetime; no host runs here, so a stand-in stops them on dispose.
        context.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostApplicationLifetime, TestLifetime>();
        context.Services.AddCrmDedup(new ConfigurationBuilder().Build());
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        var auth = context.AddAuthorization();
        auth.SetAuthorized(user.UserName);
        auth.SetRoles([.. user.Roles.Select(r => r.ToString())]);
        auth.SetClaims([.. principal.Claims.Where(c => c.Type != ClaimTypes.Role && c.Type != ClaimTypes.Name)]);
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context;
    }

    public static ClaimsPrincipal GroupSteward(TestOrganisation org) =>
        TestPrincipals.Create(ScopeLevel.Group, org.Network.Id, org.Group.Id, null, CrmRole.DataSteward);

    public static ClaimsPrincipal NetworkSteward(TestOrganisation org) =>
        TestPrincipals.Create(ScopeLevel.Network, org.Network.Id, null, null, CrmRole.DataSteward);

    /// <summary>What the snackbar service was asked to show (the provider lives in the layout, which these tests do not render).</summary>
    public static IReadOnlyList<string> Snackbars(BunitContext context) =>
        [.. context.Services.GetRequiredService<ISnackbar>().ShownSnackbars.Select(s => s.Message ?? "")];
}

/// <summary>A page (without parameters) with the providers the layout normally renders, so its confirmation dialogs can open.</summary>
public sealed class WithDialogs<TPage> : ComponentBase
    where TPage : IComponent
{
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<MudDialogProvider>(1);
        builder.CloseComponent();
        builder.OpenComponent<TPage>(2);
        builder.CloseComponent();
    }
}

/// <summary>The application lifetime a bUnit context lacks: stopping is signalled when the context's services are disposed.</summary>
public sealed class TestLifetime : Microsoft.Extensions.Hosting.IHostApplicationLifetime, IDisposable
{
    private readonly CancellationTokenSource stopping = new();

    public CancellationToken ApplicationStarted => CancellationToken.None;

    public CancellationToken ApplicationStopping => stopping.Token;

    public CancellationToken ApplicationStopped => CancellationToken.None;

    public void StopApplication() => stopping.Cancel();

    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
    }
}
