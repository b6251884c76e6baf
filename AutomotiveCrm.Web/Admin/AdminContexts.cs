using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Web.Identity;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Admin;

internal static class AdminContexts
{
    /// <summary>
    /// A context with the administrator's own scope, not a group picked in the app bar: what an administrator manages
    /// is a matter of their account, and the picker is a view of customer data.
    /// </summary>
    public static async Task<CrmDbContext> CreateForAccountAsync(this IDbContextFactory<CrmDbContext> contexts, CrmPrincipal user,
        CancellationToken cancellationToken = default)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Scope = AccessScope.ForUser(user.Level, user.NetworkId, user.GroupId, user.Roles);
        return db;
    }
}
