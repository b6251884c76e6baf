using System.Security.Claims;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Imports.Pipeline;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Layout;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Identity;
using AutomotiveCrm.Web.Imports;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace AutomotiveCrm.Tests.Imports.Screens;

/// <summary>
/// A bUnit context for the import screens over a real SQLite database, signed in as the given user: MudBlazor,
/// the user-scoped context factory with the user's scope, the intake (for reprocess), settings and a stand-in
/// antiforgery token.
/// </summary>
public static class ImportScreenContext
{
    public static BunitContext Create(TestDatabase database, ClaimsPrincipal principal, string importStore)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(principal);
        var user = CrmClaims.Read(principal) ?? throw new ArgumentException("The principal carries no CRM claims.", nameof(principal));
        var context = new BunitContext();
        context.Services.AddMudServices(options => options.PopoverOptions.CheckForPopoverProvider = false);
        context.Services.AddCrmPersistence(_ => database.Settings);
        context.Services.AddScoped<ScopeSelection>();
        context.Services.AddSingleton<ICurrentAccess>(new FixedAccess(AccessScope.ForUser(user.Level, user.NetworkId, user.GroupId, user.Roles),
            new Domain.Audit.AuditActor(user.UserId, user.UserName, Domain.Audit.AuditSource.UI)));
        context.Services.AddOptions();
        context.Services.AddSingleton(Options.Create(new ImportScreenSettings()));
        var settings = new ImportSettings
        {
            InboxPath = Path.Combine(importStore, "inbox"),
            StorePath = Path.Combine(importStore, "store"),
        };
        context.Services.AddSingleton(settings);
        context.Services.AddSingleton(sp => new ImportIntake(sp.GetRequiredService<ISystemDbContextFactory>(), settings, sp.GetRequiredService<TimeProvider>()));
        context.Services.AddSingleton<AntiforgeryStateProvider>(new FixedAntiforgery());
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        var auth = context.AddAuthorization();
        auth.SetAuthorized(user.UserName);
        auth.SetRoles([.. user.Roles.Select(r => r.ToString())]);
        auth.SetClaims([.. principal.Claims.Where(c => c.Type != ClaimTypes.Role && c.Type != ClaimTypes.Name)]);
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context;
    }

    public static ClaimsPrincipal GroupManager(TestOrganisation org) =>
        TestPrincipals.Create(ScopeLevel.Group, org.Network.Id, org.Group.Id, null, CrmRole.Manager);

    public static ClaimsPrincipal NetworkAdministrator(TestOrganisation org) =>
        TestPrincipals.Create(ScopeLevel.Network, org.Network.Id, null, null, CrmRole.Administrator);

    private sealed class FixedAntiforgery : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken? GetAntiforgeryToken() => new("test-token", "__RequestVerificationToken");
    }
}
