using System.Security.Cryptography;
using System.Text;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>A demo sign-in for testers: e-mail, password, roles, scope and, for administrators, the enrolled TOTP key.</summary>
public sealed record DemoUserAccount(
    string Email,
    string Password,
    IReadOnlyList<CrmRole> Roles,
    ScopeLevel Level,
    string? GroupCode,
    string? DealerCode,
    string? TotpKey);

/// <summary>
/// The demo users: every role at every scope level. Seven users at the network (<c>admin@network.demo</c>,
/// <c>manager@network.demo</c>, ...), seven in each dealer group (<c>sales@newstar.demo</c>) and seven at the first
/// dealer of each group (<c>sales@nsa-01.demo</c>): one role each, e-mail <c>ROLE@SCOPE-CODE.demo</c> in lower case.
/// </summary>
/// <remarks>
/// Users are written through EF with the columns UserManager would set (normalised names, security stamp, PBKDF2
/// hash with <see cref="PasswordIterations"/> iterations), because UserManager needs the web's service container.
/// All demo users share one published password, so they share one hash too: PBKDF2 at 210,000 iterations costs a
/// noticeable fraction of a second, and hashing the same password once per user would slow every seed for nothing.
/// <para>
/// Administrators must use TOTP two-factor sign-in. Demo administrators are seeded with an authenticator already
/// enrolled, so a tester can sign in straight away: the key is derived from the e-mail and the password (stable for
/// the default password, listed in the README and in <c>seed-demo --json</c>); feed it to any authenticator app or
/// <c>oathtool --totp -b KEY</c>.
/// </para>
/// </remarks>
public static class DemoUsers
{
    /// <summary>The development default password (documented); <c>seed-demo --password</c> replaces it.</summary>
    public const string DefaultPassword = "Demo-Password-2026";

    /// <summary>PBKDF2 (HMAC-SHA512, Identity's v3 format) iterations, as configured for Identity in the web application.</summary>
    public const int PasswordIterations = 210_000;

    /// <summary>The demo e-mail domain suffix.</summary>
    public const string EmailSuffix = ".demo";

    /// <summary>Identity's user-store login provider and token name for the authenticator key.</summary>
    internal const string AuthenticatorStore = "[AspNetUserStore]";
    internal const string AuthenticatorKeyName = "AuthenticatorKey";

    /// <summary>Why <paramref name="password"/> breaks the sign-in password rules (12+ characters, upper, lower, digit), or null.</summary>
    public static string? PasswordProblem(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length < 12)
        {
            return "the password must have at least 12 characters";
        }

        if (!password.Any(char.IsUpper) || !password.Any(char.IsLower) || !password.Any(char.IsDigit))
        {
            return "the password needs an upper-case letter, a lower-case letter and a digit";
        }

        return null;
    }

    /// <summary>The demo user list for an organisation (no database access).</summary>
    public static IReadOnlyList<DemoUserAccount> Plan(DemoOrganisation organisation, string password)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        var accounts = new List<DemoUserAccount>();
        foreach (var role in Enum.GetValues<CrmRole>())
        {
            accounts.Add(Account(role, ScopeLevel.Network, "network", null, null, password));
        }

        foreach (var group in organisation.Groups)
        {
            foreach (var role in Enum.GetValues<CrmRole>())
            {
                accounts.Add(Account(role, ScopeLevel.Group, group.Code, group.Code, null, password));
            }
        }

        foreach (var group in organisation.Groups)
        {
            var dealer = organisation.DealersOf(group.Id)[0];
            foreach (var role in Enum.GetValues<CrmRole>())
            {
                accounts.Add(Account(role, ScopeLevel.Dealer, dealer.Code, group.Code, dealer.Code, password));
            }
        }

        return accounts;
    }

    /// <summary>
    /// Creates the Identity roles (named after <see cref="CrmRole"/>) and the demo users that do not exist yet, in one
    /// transaction, and returns the full demo list. Existing users are left as they are.
    /// </summary>
    public static async Task<IReadOnlyList<DemoUserAccount>> SeedAsync(
        CrmDbContext db, DemoOrganisation organisation, string? password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(organisation);
        password ??= DefaultPassword;
        if (PasswordProblem(password) is { } problem)
        {
            throw new ArgumentException($"Demo password refused: {problem}.", nameof(password));
        }

        var plan = Plan(organisation, password);
        var roles = await EnsureRolesAsync(db, cancellationToken);
        var existing = (await db.Users.Select(u => u.NormalizedEmail).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var missing = plan.Where(a => !existing.Contains(Normalize(a.Email))).ToList();
        if (missing.Count == 0)
        {
            return plan;
        }

        var hasher = new PasswordHasher<CrmUser>(Options.Create(new PasswordHasherOptions { IterationCount = PasswordIterations }));
        var groups = organisation.Groups.ToDictionary(g => g.Code, StringComparer.Ordinal);
        var dealers = organisation.Dealers.ToDictionary(d => d.Code, StringComparer.Ordinal);
        string? hash = null;
        foreach (var account in missing)
        {
            var user = new CrmUser
            {
                Id = Guid.NewGuid().ToString(),
                DisplayName = DisplayName(account, organisation),
                UserName = account.Email,
                NormalizedUserName = Normalize(account.Email),
                Email = account.Email,
                NormalizedEmail = Normalize(account.Email),
                EmailConfirmed = true,
                SecurityStamp = NewSecurityStamp(),
                ConcurrencyStamp = Guid.NewGuid().ToString(),
                LockoutEnabled = true,
                ScopeLevel = account.Level,
                NetworkId = organisation.Network.Id,
                DealerGroupId = account.GroupCode is { } g ? groups[g].Id : null,
                DealerId = account.DealerCode is { } d ? dealers[d].Id : null,
                TwoFactorEnabled = account.TotpKey is not null,
            };
            user.PasswordHash = hash ??= hasher.HashPassword(user, password);
            db.Users.Add(user);
            foreach (var role in account.Roles)
            {
                db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roles[role].Id });
            }

            if (account.TotpKey is { } key)
            {
                db.UserTokens.Add(new IdentityUserToken<string>
                {
                    UserId = user.Id,
                    LoginProvider = AuthenticatorStore,
                    Name = AuthenticatorKeyName,
                    Value = key,
                });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return plan;
    }

    /// <summary>
    /// Deletes every user with their roles, claims, logins and tokens (a reset wipes the organisation the users are
    /// scoped to, so no user can stay). Roles stay: they are the same for every organisation.
    /// </summary>
    public static async Task DeleteAllAsync(CrmDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.UserTokens.ExecuteDeleteAsync(cancellationToken);
        await db.UserLogins.ExecuteDeleteAsync(cancellationToken);
        await db.UserClaims.ExecuteDeleteAsync(cancellationToken);
        await db.UserRoles.ExecuteDeleteAsync(cancellationToken);
        await db.Users.ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The demo TOTP key of an administrator: Base32 of 20 bytes derived from the e-mail and password.</summary>
    public static string AuthenticatorKey(string email, string password)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(password);
        var bytes = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AutomotiveCrm demo authenticator\n" + password),
            Encoding.UTF8.GetBytes(email.ToLowerInvariant()));
        return Base32(bytes.AsSpan(0, 20));
    }

    private static async Task<Dictionary<CrmRole, IdentityRole>> EnsureRolesAsync(CrmDbContext db, CancellationToken cancellationToken)
    {
        var existing = await db.Roles.ToListAsync(cancellationToken);
        var result = new Dictionary<CrmRole, IdentityRole>();
        foreach (var role in Enum.GetValues<CrmRole>())
        {
            var name = role.ToString();
            var found = existing.FirstOrDefault(r => r.NormalizedName == Normalize(name));
            if (found is null)
            {
                found = new IdentityRole(name) { NormalizedName = Normalize(name), ConcurrencyStamp = Guid.NewGuid().ToString() };
                db.Roles.Add(found);
            }

            result[role] = found;
        }

        return result;
    }

    private static DemoUserAccount Account(CrmRole role, ScopeLevel level, string scopeCode, string? group, string? dealer, string password)
    {
        var email = $"{Slug(role)}@{scopeCode.ToLowerInvariant()}{EmailSuffix}";
        return new DemoUserAccount(email, password, [role], level, group, dealer,
            role == CrmRole.Administrator ? AuthenticatorKey(email, password) : null);
    }

    private static string Slug(CrmRole role) => role == CrmRole.Administrator ? "admin" : role.ToString().ToLowerInvariant();

    private static string DisplayName(DemoUserAccount account, DemoOrganisation organisation)
    {
        var where = account.Level switch
        {
            ScopeLevel.Network => organisation.Network.Name,
            ScopeLevel.Group => organisation.Groups.First(g => g.Code == account.GroupCode).Name,
            _ => organisation.Dealers.First(d => d.Code == account.DealerCode).Name,
        };
        return $"{where} {account.Roles[0]} (demo)";
    }

    // Identity's default normaliser: upper-case, invariant culture.
    private static string Normalize(string value) => value.Normalize().ToUpperInvariant();

    private static string NewSecurityStamp() => Base32(RandomNumberGenerator.GetBytes(20));

    /// <summary>RFC 4648 Base32 without padding (what Identity uses for stamps and authenticator keys).</summary>
    internal static string Base32(ReadOnlySpan<byte> data)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var output = new StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                output.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            output.Append(alphabet[(buffer << (5 - bits)) & 31]);
        }

        return output.ToString();
    }
}
