using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutomotiveCrm.Tests.Admin;

/// <summary>
/// Who may manage whom (<see cref="UserAdministration"/>), through Identity's real user manager and EF stores on
/// SQLite: a network administrator manages the network, a group administrator only their own group and its dealers.
/// </summary>
public sealed class UserAdministrationTests : IAsyncLifetime, IDisposable
{
    private readonly SqliteTestDatabase database = new();
    private ServiceProvider services = null!;
    private TestOrganisation org = null!;

    public async Task InitializeAsync()
    {
        await using (var db = database.CreateContext())
        {
            org = await new OrganisationBuilder().SaveAsync(db);
        }

        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddScoped<CrmDbContext>(_ =>
        {
            var context = database.CreateContext();
            context.Actor = new AuditActor("admin-id", "admin@example.com", AuditSource.UI);
            return context;
        });
        collection.AddIdentityCore<CrmUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 12;
                options.Password.RequireNonAlphanumeric = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<CrmDbContext>();
        services = collection.BuildServiceProvider();
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    public void Dispose() => database.Dispose();

    private UserAdministrator NetworkAdmin => new("network-admin", ScopeLevel.Network, org.Network.Id, null, null, [CrmRole.Administrator]);

    private UserAdministrator GroupAdmin => new("group-admin", ScopeLevel.Group, org.Network.Id, org.Group.Id, null, [CrmRole.Administrator]);

    private UserDraft GroupSales(string email = "sales@example.com") =>
        new(email, "Sam Sales", [CrmRole.Sales], ScopeLevel.Group, org.Group.Id, null, null);

    [Fact]
    public async Task Create_NetworkAdmin_CreatesUserWithRolesScopeAndAudit()
    {
        var created = await RunAsync(a => a.CreateAsync(NetworkAdmin, GroupSales() with { Roles = [CrmRole.Sales, CrmRole.Marketer] }));

        var row = await RunAsync(a => a.GetAsync(NetworkAdmin, created.Id));
        Assert.Equal((ScopeLevel.Group, (long?)org.Group.Id, org.Group.Name), (row!.Level, row.GroupId, row.GroupName));
        Assert.Equal([CrmRole.Marketer, CrmRole.Sales], row.Roles);
        Assert.True(created.InitialPassword.Length >= 12);
        await using var db = database.CreateContext();
        Assert.Contains(await db.AuditEntries.Where(e => e.EntityType == nameof(CrmUser)).ToListAsync(),
            e => e.Action == AuditAction.Insert && e.UserName == "admin@example.com" && e.EntityKey == created.Id);
    }

    [Fact]
    public async Task Create_GroupAdminGivingNetworkScope_IsRefused()
    {
        var draft = GroupSales() with { Level = ScopeLevel.Network, GroupId = null };

        var error = await Assert.ThrowsAsync<DomainException>(() => RunAsync(a => a.CreateAsync(GroupAdmin, draft)));

        Assert.Contains("network scope", error.Message, StringComparison.Ordinal);
        await AssertNoUserAsync(draft.Email!);
    }

    [Fact]
    public async Task Create_GroupAdminForAnotherGroupOrItsDealer_IsRefused()
    {
        var otherGroup = GroupSales("a@example.com") with { GroupId = org.OtherGroup.Id };
        var otherDealer = GroupSales("b@example.com") with { Level = ScopeLevel.Dealer, GroupId = null, DealerId = org.OtherGroupDealer.Id };

        await Assert.ThrowsAsync<DomainException>(() => RunAsync(a => a.CreateAsync(GroupAdmin, otherGroup)));
        await Assert.ThrowsAsync<DomainException>(() => RunAsync(a => a.CreateAsync(GroupAdmin, otherDealer)));

        await AssertNoUserAsync("a@example.com");
        await AssertNoUserAsync("b@example.com");
    }

    [Fact]
    public async Task Create_GroupAdminForOwnDealer_TakesTheDealersGroup()
    {
        var draft = GroupSales() with { Level = ScopeLevel.Dealer, GroupId = null, DealerId = org.SecondDealer.Id };

        var created = await RunAsync(a => a.CreateAsync(GroupAdmin, draft));

        var row = await RunAsync(a => a.GetAsync(GroupAdmin, created.Id));
        Assert.Equal((ScopeLevel.Dealer, (long?)org.Group.Id, (long?)org.SecondDealer.Id), (row!.Level, row.GroupId, row.DealerId));
    }

    [Fact]
    public async Task Create_NonAdministrator_IsRefused()
    {
        var manager = NetworkAdmin with { Roles = [CrmRole.Manager] };

        await Assert.ThrowsAsync<DomainException>(() => RunAsync(a => a.CreateAsync(manager, GroupSales())));
    }

    [Fact]
    public async Task ListAndEdit_GroupAdmin_SeesAndReachesOnlyOwnGroupsUsers()
    {
        var own = await RunAsync(a => a.CreateAsync(NetworkAdmin, GroupSales("own@example.com")));
        var theirs = await RunAsync(a => a.CreateAsync(NetworkAdmin, GroupSales("theirs@example.com") with { GroupId = org.OtherGroup.Id }));
        var network = await RunAsync(a => a.CreateAsync(NetworkAdmin, GroupSales("net@example.com") with { Level = ScopeLevel.Network, GroupId = null }));

        var page = await RunAsync(a => a.ListAsync(GroupAdmin, null, 0, 50));

        Assert.Equal([own.Id], page.Rows.Select(r => r.Id));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => RunAsync(a => a.LockAsync(GroupAdmin, theirs.Id)));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => RunAsync(a => a.UpdateAsync(GroupAdmin, network.Id, GroupSales("net@example.com"))));
        Assert.Equal(3, (await RunAsync(a => a.ListAsync(NetworkAdmin, "example.com", 0, 50))).Total);
    }

    [Fact]
    public async Task Update_GroupAdminMovingUserToNetwork_IsRefused()
    {
        var created = await RunAsync(a => a.CreateAsync(GroupAdmin, GroupSales()));

        await Assert.ThrowsAsync<DomainException>(() =>
            RunAsync(a => a.UpdateAsync(GroupAdmin, created.Id, GroupSales() with { Level = ScopeLevel.Network, GroupId = null })));

        Assert.Equal(ScopeLevel.Group, (await RunAsync(a => a.GetAsync(NetworkAdmin, created.Id)))!.Level);
    }

    [Fact]
    public async Task Update_RolesAndScope_ChangesThemAndTheSecurityStamp()
    {
        var created = await RunAsync(a => a.CreateAsync(NetworkAdmin, GroupSales()));
        var stampBefore = await StampOfAsync(created.Id);

        await RunAsync(a => a.UpdateAsync(NetworkAdmin, created.Id,
            GroupSales() with { Roles = [CrmRole.Service, CrmRole.DataSteward], Level = ScopeLevel.Dealer, GroupId = null, DealerId = org.Dealer.Id }));

        var row = await RunAsync(a => a.GetAsync(NetworkAdmin, created.Id));
        Assert.Equal([CrmRole.DataSteward, CrmRole.Service], row!.Roles);
        Assert.Equal((ScopeLevel.Dealer, (long?)org.Dealer.Id), (row.Level, row.DealerId));
        Assert.NotEqual(stampBefore, await StampOfAsync(created.Id));
    }

    [Fact]
    public async Task LockAndUnlock_ByAdmin_LocksThenLiftsTheLock()
    {
        var created = await RunAsync(a => a.CreateAsync(GroupAdmin, GroupSales()));

        await RunAsync(a => a.LockAsync(GroupAdmin, created.Id));
        var locked = await RunAsync(a => a.GetAsync(GroupAdmin, created.Id));
        await RunAsync(a => a.UnlockAsync(GroupAdmin, created.Id));
        var unlocked = await RunAsync(a => a.GetAsync(GroupAdmin, created.Id));

        Assert.True(locked!.IsLockedOut);
        Assert.False(unlocked!.IsLockedOut);
    }

    [Fact]
    public async Task Lock_OwnAccount_IsRefused()
    {
        var created = await RunAsync(a => a.CreateAsync(NetworkAdmin, GroupSales() with { Roles = [CrmRole.Administrator] }));
        var self = GroupAdmin with { UserId = created.Id };

        await Assert.ThrowsAsync<DomainException>(() => RunAsync(a => a.LockAsync(self, created.Id)));
    }

    [Fact]
    public async Task Expiry_SetInFutureThenPassed_UserBecomesExpired()
    {
        var expiresAt = database.Clock.GetUtcNow().UtcDateTime.AddDays(30);
        var created = await RunAsync(a => a.CreateAsync(NetworkAdmin, GroupSales() with { ExpiresAt = expiresAt }));
        var before = await RunAsync(a => a.GetAsync(NetworkAdmin, created.Id));

        database.Clock.Advance(TimeSpan.FromDays(31));
        var after = await RunAsync(a => a.GetAsync(NetworkAdmin, created.Id));

        Assert.Equal((expiresAt, false), (before!.ExpiresAt, before.IsExpired));
        Assert.True(after!.IsExpired);
    }

    [Fact]
    public async Task Create_ExpiryInThePast_IsRefused()
    {
        var past = database.Clock.GetUtcNow().UtcDateTime.AddDays(-1);

        await Assert.ThrowsAsync<DomainException>(() => RunAsync(a => a.CreateAsync(NetworkAdmin, GroupSales() with { ExpiresAt = past })));
    }

    [Fact]
    public async Task ResetTwoFactor_EnabledUser_DisablesItAndReplacesTheKey()
    {
        var created = await RunAsync(a => a.CreateAsync(NetworkAdmin, GroupSales()));
        string? keyBefore;
        await using (var scope = services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<CrmUser>>();
            var user = await users.FindByIdAsync(created.Id);
            await users.ResetAuthenticatorKeyAsync(user!);
            await users.SetTwoFactorEnabledAsync(user!, true);
            keyBefore = await users.GetAuthenticatorKeyAsync(user!);
        }

        await RunAsync(a => a.ResetTwoFactorAsync(NetworkAdmin, created.Id));

        await using var check = services.CreateAsyncScope();
        var manager = check.ServiceProvider.GetRequiredService<UserManager<CrmUser>>();
        var after = await manager.FindByIdAsync(created.Id);
        Assert.False(after!.TwoFactorEnabled);
        Assert.NotEqual(keyBefore, await manager.GetAuthenticatorKeyAsync(after));
    }

    /// <summary>One operation in its own DI scope, like the web's <c>UserAdminService</c>.</summary>
    private async Task<T> RunAsync<T>(Func<UserAdministration, Task<T>> operation)
    {
        await using var scope = services.CreateAsyncScope();
        var administration = new UserAdministration(scope.ServiceProvider.GetRequiredService<UserManager<CrmUser>>(),
            scope.ServiceProvider.GetRequiredService<CrmDbContext>(), database.Clock);
        return await operation(administration);
    }

    private async Task RunAsync(Func<UserAdministration, Task> operation) => await RunAsync(async a =>
    {
        await operation(a);
        return true;
    });

    private async Task AssertNoUserAsync(string email)
    {
        var normalised = email.ToUpperInvariant();
        await using var db = database.CreateContext();
        Assert.False(await db.Users.AnyAsync(u => u.NormalizedEmail == normalised));
    }

    private async Task<string?> StampOfAsync(string id)
    {
        await using var db = database.CreateContext();
        return await db.Users.Where(u => u.Id == id).Select(u => u.SecurityStamp).SingleAsync();
    }
}
