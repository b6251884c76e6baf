using System.Net.Mail;
using System.Security.Cryptography;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Identity;

// Queries lower-case in SQL (ToLower().StartsWith/Contains): the StringComparison overloads CA1862 asks for do not
// translate on every provider, and PostgreSQL compares case-sensitively.
#pragma warning disable CA1862

/// <summary>The signed-in administrator on whose behalf users are managed (from their claims).</summary>
public sealed record UserAdministrator(string UserId, ScopeLevel Level, long NetworkId, long? GroupId, long? DealerId, IReadOnlyCollection<CrmRole> Roles);

/// <summary>What an administrator sets on a user. <see cref="ExpiresAt"/> is an instant in UTC (null: never).</summary>
public sealed record UserDraft(
    string? Email,
    string? DisplayName,
    IReadOnlyCollection<CrmRole> Roles,
    ScopeLevel Level,
    long? GroupId,
    long? DealerId,
    DateTime? ExpiresAt);

public sealed record UserRow(
    string Id,
    string Email,
    string DisplayName,
    ScopeLevel Level,
    long? GroupId,
    string? GroupName,
    long? DealerId,
    string? DealerCode,
    IReadOnlyList<CrmRole> Roles,
    DateTime? ExpiresAt,
    bool IsExpired,
    bool IsLockedOut,
    bool TwoFactorEnabled);

public sealed record UserListPage(IReadOnlyList<UserRow> Rows, int Total);

/// <summary>A new account and the password it starts with (shown once to the administrator).</summary>
public sealed record CreatedUser(string Id, string InitialPassword);

/// <summary>
/// User administration with the rules of who may manage whom, enforced here rather than in the screens:
/// <list type="bullet">
/// <item>only users whose roles give <see cref="Permission.ManageUsers"/> at their scope may do anything;</item>
/// <item>a network administrator manages every user of the network;</item>
/// <item>a group administrator manages the users of their own group and of its dealers, and cannot grant Network
/// scope or another group;</item>
/// <item>a dealer administrator manages the users of their own dealer only;</item>
/// <item>nobody locks themselves out or takes their own Administrator role away.</item>
/// </list>
/// Works through Identity's <see cref="UserManager{TUser}"/> (password rules, normalisation, security stamps) on the
/// given context, which must be the one the manager's store uses: each operation is one transaction, and every row it
/// changes is audited by the context's interceptor under the administrator's name. Someone whose scope, roles or lock
/// changes gets a new security stamp, so their sessions end at the next stamp check.
/// </summary>
public sealed class UserAdministration(UserManager<CrmUser> users, CrmDbContext db, TimeProvider clock)
{
    private const string PasswordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    public async Task<UserListPage> ListAsync(UserAdministrator admin, string? search, int skip, int take, CancellationToken cancellationToken = default)
    {
        EnsureAdministrator(admin);
        var query = Manageable(admin);
        var term = search?.Trim().ToLowerInvariant();
        if (!string.IsNullOrEmpty(term))
        {
            query = query.Where(u => u.Email!.ToLower().Contains(term) || u.DisplayName.ToLower().Contains(term));
        }

        var total = await query.CountAsync(cancellationToken);
        var page = await query.OrderBy(u => u.DisplayName).ThenBy(u => u.Email).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return new UserListPage(await RowsAsync(page, cancellationToken), total);
    }

    /// <summary>One user the administrator may manage, or null (missing or out of reach answer alike).</summary>
    public async Task<UserRow?> GetAsync(UserAdministrator admin, string id, CancellationToken cancellationToken = default)
    {
        EnsureAdministrator(admin);
        var user = await Manageable(admin).FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        return user is null ? null : (await RowsAsync([user], cancellationToken))[0];
    }

    /// <summary>Creates an account; without a password one is generated. Returns the id and the initial password.</summary>
    public async Task<CreatedUser> CreateAsync(UserAdministrator admin, UserDraft draft, string? password = null, CancellationToken cancellationToken = default)
    {
        EnsureAdministrator(admin);
        ArgumentNullException.ThrowIfNull(draft);
        var (email, displayName, roles) = Validate(draft);
        var scope = await ResolveScopeAsync(admin, draft, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (draft.ExpiresAt is { } expiry && expiry <= now)
        {
            throw new DomainException("The expiry date is in the past.");
        }

        var initialPassword = string.IsNullOrWhiteSpace(password) ? GeneratePassword() : password;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = new CrmUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName,
            ScopeLevel = scope.Level,
            NetworkId = admin.NetworkId,
            DealerGroupId = scope.GroupId,
            DealerId = scope.DealerId,
            ExpiresAt = draft.ExpiresAt,
            CreatedAt = now,
        };
        Check(await users.CreateAsync(user, initialPassword));
        await EnsureRolesExistAsync(roles, cancellationToken);
        Check(await users.AddToRolesAsync(user, roles.Select(r => r.ToString())));
        await transaction.CommitAsync(cancellationToken);
        return new CreatedUser(user.Id, initialPassword);
    }

    /// <summary>Changes a user's name, e-mail, roles, scope and expiry.</summary>
    public async Task UpdateAsync(UserAdministrator admin, string id, UserDraft draft, CancellationToken cancellationToken = default)
    {
        EnsureAdministrator(admin);
        ArgumentNullException.ThrowIfNull(draft);
        var (email, displayName, roles) = Validate(draft);
        var user = await FindAsync(admin, id, cancellationToken);
        var scope = await ResolveScopeAsync(admin, draft, cancellationToken);
        if (draft.ExpiresAt != user.ExpiresAt && draft.ExpiresAt is { } expiry && expiry <= clock.GetUtcNow().UtcDateTime)
        {
            throw new DomainException("The expiry date is in the past: lock the account to end its access now.");
        }

        var current = (await users.GetRolesAsync(user)).Select(r => Enum.Parse<CrmRole>(r)).ToHashSet();
        if (user.Id == admin.UserId && current.Contains(CrmRole.Administrator)
            && (!roles.Contains(CrmRole.Administrator) || scope.Level != user.ScopeLevel || scope.GroupId != user.DealerGroupId || scope.DealerId != user.DealerId))
        {
            throw new DomainException("You cannot take away your own administrator role or change your own scope: ask another administrator.");
        }

        var sensitive = !current.SetEquals(roles) || scope.Level != user.ScopeLevel || scope.GroupId != user.DealerGroupId
            || scope.DealerId != user.DealerId || draft.ExpiresAt != user.ExpiresAt;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!string.Equals(user.Email, email, StringComparison.OrdinalIgnoreCase))
        {
            Check(await users.SetEmailAsync(user, email));
            Check(await users.SetUserNameAsync(user, email));
            user.EmailConfirmed = true;
        }

        user.DisplayName = displayName;
        user.ScopeLevel = scope.Level;
        user.DealerGroupId = scope.GroupId;
        user.DealerId = scope.DealerId;
        user.ExpiresAt = draft.ExpiresAt;
        Check(await users.UpdateAsync(user));

        var remove = current.Except(roles).Select(r => r.ToString()).ToList();
        if (remove.Count > 0)
        {
            Check(await users.RemoveFromRolesAsync(user, remove));
        }

        var add = roles.Except(current).ToList();
        if (add.Count > 0)
        {
            await EnsureRolesExistAsync(add, cancellationToken);
            Check(await users.AddToRolesAsync(user, add.Select(r => r.ToString())));
        }

        if (sensitive)
        {
            Check(await users.UpdateSecurityStampAsync(user));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Locks the account until unlocked; the user's sessions end at the next security stamp check.</summary>
    public async Task LockAsync(UserAdministrator admin, string id, CancellationToken cancellationToken = default)
    {
        EnsureAdministrator(admin);
        var user = await FindAsync(admin, id, cancellationToken);
        if (user.Id == admin.UserId)
        {
            throw new DomainException("You cannot lock your own account.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        Check(await users.SetLockoutEnabledAsync(user, true));
        Check(await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue));
        Check(await users.UpdateSecurityStampAsync(user));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Lifts a lock, whether set by an administrator or by failed sign-ins.</summary>
    public async Task UnlockAsync(UserAdministrator admin, string id, CancellationToken cancellationToken = default)
    {
        EnsureAdministrator(admin);
        var user = await FindAsync(admin, id, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        Check(await users.SetLockoutEndDateAsync(user, null));
        Check(await users.ResetAccessFailedCountAsync(user));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Turns two-factor sign-in off and discards the authenticator key: the user sets it up again (a lost phone).</summary>
    public async Task ResetTwoFactorAsync(UserAdministrator admin, string id, CancellationToken cancellationToken = default)
    {
        EnsureAdministrator(admin);
        var user = await FindAsync(admin, id, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        Check(await users.ResetAuthenticatorKeyAsync(user));
        Check(await users.SetTwoFactorEnabledAsync(user, false));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The scope levels this administrator may give.</summary>
    public static IReadOnlyList<ScopeLevel> GrantableLevels(UserAdministrator admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        return admin.Level switch
        {
            ScopeLevel.Network => [ScopeLevel.Network, ScopeLevel.Group, ScopeLevel.Dealer],
            ScopeLevel.Group => [ScopeLevel.Group, ScopeLevel.Dealer],
            _ => [ScopeLevel.Dealer],
        };
    }

    /// <summary>The users this administrator may see and manage.</summary>
    private IQueryable<CrmUser> Manageable(UserAdministrator admin) => admin.Level switch
    {
        ScopeLevel.Network => db.Users.Where(u => u.NetworkId == admin.NetworkId),
        ScopeLevel.Group => db.Users.Where(u => u.NetworkId == admin.NetworkId && u.DealerGroupId == admin.GroupId),
        _ => db.Users.Where(u => u.NetworkId == admin.NetworkId && u.DealerId == admin.DealerId),
    };

    private async Task<CrmUser> FindAsync(UserAdministrator admin, string id, CancellationToken cancellationToken) =>
        await Manageable(admin).FirstOrDefaultAsync(u => u.Id == id, cancellationToken)
        ?? throw new RecordNotFoundException($"User {id} was not found.");

    private static void EnsureAdministrator(UserAdministrator admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        if (!PermissionMatrix.Allows(admin.Roles, admin.Level, Permission.ManageUsers))
        {
            throw new DomainException("Only administrators manage users.");
        }

        if (admin.Level != ScopeLevel.Network && admin.GroupId is null || admin.Level == ScopeLevel.Dealer && admin.DealerId is null)
        {
            throw new DomainException("The administrator's scope is incomplete.");
        }
    }

    private static (string Email, string DisplayName, IReadOnlyCollection<CrmRole> Roles) Validate(UserDraft draft)
    {
        var email = Text.Clean(draft.Email) ?? throw new DomainException("The e-mail address is required.");
        if (email.Length > 256 || !MailAddress.TryCreate(email, out var parsed) || !string.Equals(parsed.Address, email, StringComparison.OrdinalIgnoreCase))
        {
            throw new DomainException($"'{email}' is not an e-mail address.");
        }

        var displayName = Text.Clean(draft.DisplayName) ?? throw new DomainException("The name is required.");
        if (displayName.Length > 200)
        {
            throw new DomainException("The name has at most 200 characters.");
        }

        var roles = draft.Roles.Distinct().ToList();
        if (roles.Count == 0)
        {
            throw new DomainException("Give the user at least one role.");
        }

        return (email, displayName, roles);
    }

    /// <summary>Checks the wanted scope against the administrator's reach and the organisation; a dealer's group is the dealer's.</summary>
    private async Task<(ScopeLevel Level, long? GroupId, long? DealerId)> ResolveScopeAsync(UserAdministrator admin, UserDraft draft,
        CancellationToken cancellationToken)
    {
        if (!GrantableLevels(admin).Contains(draft.Level))
        {
            throw new DomainException(admin.Level == ScopeLevel.Group
                ? "A group administrator cannot give network scope."
                : $"A {admin.Level.ToString().ToLowerInvariant()} administrator cannot give {draft.Level.ToString().ToLowerInvariant()} scope.");
        }

        switch (draft.Level)
        {
            case ScopeLevel.Network:
                return (ScopeLevel.Network, null, null);
            case ScopeLevel.Group:
            {
                var groupId = draft.GroupId ?? throw new DomainException("Choose the user's dealer group.");
                var inNetwork = await db.DealerGroups.IgnoreQueryFilters().AnyAsync(g => g.Id == groupId && g.NetworkId == admin.NetworkId, cancellationToken);
                if (!inNetwork || admin.Level != ScopeLevel.Network && groupId != admin.GroupId)
                {
                    throw new DomainException("You can only give users a dealer group within your own reach.");
                }

                return (ScopeLevel.Group, groupId, null);
            }

            default:
            {
                var dealerId = draft.DealerId ?? throw new DomainException("Choose the user's dealer.");
                var dealer = await db.Dealers.IgnoreQueryFilters().AsNoTracking()
                    .Where(d => d.Id == dealerId && d.DealerGroup!.NetworkId == admin.NetworkId)
                    .Select(d => new { d.Id, d.DealerGroupId })
                    .FirstOrDefaultAsync(cancellationToken);
                var inReach = dealer is not null && admin.Level switch
                {
                    ScopeLevel.Network => true,
                    ScopeLevel.Group => dealer.DealerGroupId == admin.GroupId,
                    _ => dealer.Id == admin.DealerId,
                };
                if (!inReach || draft.GroupId is { } group && group != dealer!.DealerGroupId)
                {
                    throw new DomainException("You can only give users a dealer within your own reach.");
                }

                return (ScopeLevel.Dealer, dealer!.DealerGroupId, dealer.Id);
            }
        }
    }

    private async Task EnsureRolesExistAsync(IEnumerable<CrmRole> roles, CancellationToken cancellationToken)
    {
        var added = false;
        foreach (var role in roles)
        {
            var name = role.ToString();
            var normalised = users.NormalizeName(name);
            if (!await db.Roles.AnyAsync(r => r.NormalizedName == normalised, cancellationToken))
            {
                db.Roles.Add(new IdentityRole(name) { NormalizedName = normalised });
                added = true;
            }
        }

        if (added)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private async Task<IReadOnlyList<UserRow>> RowsAsync(IReadOnlyList<CrmUser> page, CancellationToken cancellationToken)
    {
        var ids = page.Select(u => u.Id).ToList();
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ids.Contains(ur.UserId)
                           select new { ur.UserId, r.Name })
            .ToListAsync(cancellationToken);
        var groupIds = page.Where(u => u.DealerGroupId is not null).Select(u => u.DealerGroupId!.Value).Distinct().ToList();
        var groups = await db.DealerGroups.IgnoreQueryFilters().AsNoTracking().Where(g => groupIds.Contains(g.Id))
            .ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
        var dealerIds = page.Where(u => u.DealerId is not null).Select(u => u.DealerId!.Value).Distinct().ToList();
        var dealers = await db.Dealers.IgnoreQueryFilters().AsNoTracking().Where(d => dealerIds.Contains(d.Id))
            .ToDictionaryAsync(d => d.Id, d => d.Code, cancellationToken);
        var now = clock.GetUtcNow();
        return page.Select(u => new UserRow(
                u.Id,
                u.Email ?? u.UserName ?? "",
                u.DisplayName,
                u.ScopeLevel,
                u.DealerGroupId,
                u.DealerGroupId is { } g && groups.TryGetValue(g, out var groupName) ? groupName : null,
                u.DealerId,
                u.DealerId is { } d && dealers.TryGetValue(d, out var dealerCode) ? dealerCode : null,
                roles.Where(r => r.UserId == u.Id && Enum.TryParse<CrmRole>(r.Name, out _)).Select(r => Enum.Parse<CrmRole>(r.Name!)).Order().ToList(),
                u.ExpiresAt,
                u.IsExpired(now.UtcDateTime),
                u.LockoutEnd is { } end && end > now,
                u.TwoFactorEnabled))
            .ToList();
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new DomainException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }

    /// <summary>20 characters from an alphabet without look-alikes, with the upper case, lower case and digit Identity asks for.</summary>
    private static string GeneratePassword()
    {
        while (true)
        {
            var candidate = RandomNumberGenerator.GetString(PasswordAlphabet, 20);
            if (candidate.Any(char.IsAsciiLetterUpper) && candidate.Any(char.IsAsciiLetterLower) && candidate.Any(char.IsAsciiDigit))
            {
                return candidate;
            }
        }
    }
}
