using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Web.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Admin;

/// <summary>The groups and dealers an administrator may put users in.</summary>
public sealed record UserScopeChoices(IReadOnlyList<GroupChoice> Groups, IReadOnlyList<DealerChoiceRow> Dealers, IReadOnlyList<ScopeLevel> Levels);

/// <summary>
/// The users screen's gateway to <see cref="UserAdministration"/>. A circuit lives for hours; Identity's
/// <see cref="UserManager{TUser}"/> and its context must not: every operation runs in a fresh DI scope that is
/// disposed when it ends. The fresh scope is given the circuit's authentication state, so its context audits the
/// change under the administrator's name. The administrator comes from the signed-in principal's claims, and the
/// rules of who may manage whom are the domain service's.
/// </summary>
public sealed class UserAdminService(IServiceScopeFactory scopes, AuthenticationStateProvider authentication, TimeProvider clock)
{
    public Task<UserListPage> ListAsync(string? search, int skip, int take, CancellationToken cancellationToken = default) =>
        RunAsync((users, admin) => users.ListAsync(admin, search, skip, take, cancellationToken));

    public Task<UserRow?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        RunAsync((users, admin) => users.GetAsync(admin, id, cancellationToken));

    public Task<CreatedUser> CreateAsync(UserDraft draft, string? password) =>
        RunAsync((users, admin) => users.CreateAsync(admin, draft, password));

    public Task UpdateAsync(string id, UserDraft draft) =>
        RunAsync(async (users, admin) =>
        {
            await users.UpdateAsync(admin, id, draft);
            return true;
        });

    public Task LockAsync(string id) =>
        RunAsync(async (users, admin) =>
        {
            await users.LockAsync(admin, id);
            return true;
        });

    public Task UnlockAsync(string id) =>
        RunAsync(async (users, admin) =>
        {
            await users.UnlockAsync(admin, id);
            return true;
        });

    public Task ResetTwoFactorAsync(string id) =>
        RunAsync(async (users, admin) =>
        {
            await users.ResetTwoFactorAsync(admin, id);
            return true;
        });

    /// <summary>The scope levels, groups and dealers the signed-in administrator may give.</summary>
    public async Task<UserScopeChoices> ChoicesAsync(CancellationToken cancellationToken = default)
    {
        var (state, principal) = await AdministratorAsync();
        await using var scope = CreateScope(state);
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        // The administrator's own scope, not a group picked in the app bar: reach is a matter of the account.
        db.Scope = AccessScope.ForUser(principal.Level, principal.NetworkId, principal.GroupId, principal.Roles);
        var groups = await OrganisationLookup.GroupsAsync(db, cancellationToken);
        var dealers = await OrganisationLookup.DealersAsync(db, cancellationToken);
        if (principal.Level == ScopeLevel.Dealer)
        {
            dealers = dealers.Where(d => d.Id == principal.DealerId).ToList();
        }

        return new UserScopeChoices(groups, dealers, UserAdministration.GrantableLevels(ToAdministrator(principal)));
    }

    private async Task<T> RunAsync<T>(Func<UserAdministration, UserAdministrator, Task<T>> operation)
    {
        var (state, principal) = await AdministratorAsync();
        await using var scope = CreateScope(state);
        var services = scope.ServiceProvider;
        var administration = new UserAdministration(
            services.GetRequiredService<UserManager<CrmUser>>(), services.GetRequiredService<CrmDbContext>(), clock);
        return await operation(administration, ToAdministrator(principal));
    }

    private async Task<(AuthenticationState State, CrmPrincipal Principal)> AdministratorAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        var principal = CrmClaims.Read(state.User) ?? throw new DomainException("Your session has ended: sign in again.");
        if (!principal.Can(Permission.ManageUsers))
        {
            throw new DomainException("Only administrators manage users.");
        }

        return (state, principal);
    }

    private AsyncServiceScope CreateScope(AuthenticationState state)
    {
        var scope = scopes.CreateAsyncScope();
        if (scope.ServiceProvider.GetService<AuthenticationStateProvider>() is IHostEnvironmentAuthenticationStateProvider host)
        {
            host.SetAuthenticationState(Task.FromResult(state));
        }

        return scope;
    }

    private static UserAdministrator ToAdministrator(CrmPrincipal principal) =>
        new(principal.UserId, principal.Level, principal.NetworkId, principal.GroupId, principal.DealerId, principal.Roles);
}
