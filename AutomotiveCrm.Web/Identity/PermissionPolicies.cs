using AutomotiveCrm.Domain.Identity;
using Microsoft.AspNetCore.Authorization;

namespace AutomotiveCrm.Web.Identity;

/// <summary>
/// One authorization policy per <see cref="Permission"/>, decided by <see cref="PermissionMatrix"/> from the user's
/// roles and scope claims. Pages use <c>[Authorize(Policy = PermissionPolicies.ViewCustomers)]</c>.
/// </summary>
public static class PermissionPolicies
{
    public const string Prefix = "permission:";
    public const string ViewCustomers = Prefix + nameof(Permission.ViewCustomers);
    public const string EditCustomers = Prefix + nameof(Permission.EditCustomers);
    public const string EditVehicles = Prefix + nameof(Permission.EditVehicles);
    public const string ExportCustomers = Prefix + nameof(Permission.ExportCustomers);
    public const string ViewHistory = Prefix + nameof(Permission.ViewHistory);
    public const string ViewWholesale = Prefix + nameof(Permission.ViewWholesale);
    public const string ManageUsers = Prefix + nameof(Permission.ManageUsers);
    public const string ManageOrganisation = Prefix + nameof(Permission.ManageOrganisation);

    public static string For(Permission permission) => Prefix + permission;

    public static void AddPermissionPolicies(this AuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var permission in Enum.GetValues<Permission>())
        {
            options.AddPolicy(For(permission), policy => policy.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(permission)));
        }
    }
}

public sealed record PermissionRequirement(Permission Permission) : IAuthorizationRequirement;

internal sealed class PermissionHandler : AuthorizationHandler<PermissionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        if (CrmClaims.Read(context.User)?.Can(requirement.Permission) == true)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
