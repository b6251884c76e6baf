using System.Globalization;
using System.Security.Claims;
using AutomotiveCrm.Domain.Identity;

namespace AutomotiveCrm.Web.Identity;

/// <summary>The claims a signed-in user carries besides Identity's own (name, id, roles, security stamp).</summary>
public static class CrmClaims
{
    public const string ScopeLevel = "crm:scope";
    public const string NetworkId = "crm:network";
    public const string GroupId = "crm:group";
    public const string DealerId = "crm:dealer";
    public const string DisplayName = "crm:name";
    /// <summary>When the session began (UTC, round-trip format): the absolute 12-hour limit counts from it.</summary>
    public const string SignedInAt = "crm:signed-in-at";

    /// <summary>The user's identity as the application sees it, read from a principal; null when not signed in or incomplete.</summary>
    public static CrmPrincipal? Read(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true
            || !Enum.TryParse<ScopeLevel>(principal.FindFirstValue(ScopeLevel), out var level)
            || !long.TryParse(principal.FindFirstValue(NetworkId), NumberStyles.None, CultureInfo.InvariantCulture, out var network))
        {
            return null;
        }

        var roles = principal.FindAll(principal.Identities.First().RoleClaimType)
            .Select(c => Enum.TryParse<CrmRole>(c.Value, out var role) ? role : (CrmRole?)null)
            .Where(r => r is not null)
            .Select(r => r!.Value)
            .Distinct()
            .ToList();
        return new CrmPrincipal(
            principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "",
            principal.FindFirstValue(ClaimTypes.Name) ?? "",
            principal.FindFirstValue(DisplayName) ?? principal.FindFirstValue(ClaimTypes.Name) ?? "",
            level,
            network,
            ParseId(principal.FindFirstValue(GroupId)),
            ParseId(principal.FindFirstValue(DealerId)),
            roles);
    }

    private static long? ParseId(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}

/// <summary>A signed-in user: who, at which scope, with which roles and so which permissions.</summary>
public sealed record CrmPrincipal(
    string UserId,
    string UserName,
    string DisplayName,
    ScopeLevel Level,
    long NetworkId,
    long? GroupId,
    long? DealerId,
    IReadOnlyList<CrmRole> Roles)
{
    public IReadOnlySet<Permission> Permissions { get; } = PermissionMatrix.For(Roles, Level);

    public bool Can(Permission permission) => Permissions.Contains(permission);
}
