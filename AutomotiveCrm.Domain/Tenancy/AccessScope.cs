using AutomotiveCrm.Domain.Identity;

namespace AutomotiveCrm.Domain.Tenancy;

/// <summary>
/// What one context may read: set once when the context is created and applied by the query filters of
/// <see cref="Persistence.CrmDbContext"/> to every query of tenant-owned data.
/// </summary>
/// <param name="NetworkId">The network whose data is visible (null: any, for the system).</param>
/// <param name="GroupId">The dealer group whose retail records are visible; null means every group of the network.</param>
/// <param name="PersonalData">Whether customer records (and what hangs off them) are visible at all.</param>
/// <param name="Wholesale">Whether wholesale (network-level) records are visible.</param>
public sealed record AccessScope(long? NetworkId, long? GroupId, bool PersonalData, bool Wholesale)
{
    /// <summary>Imports, seeding, the command line, background jobs: everything, no user.</summary>
    public static AccessScope System { get; } = new(null, null, PersonalData: true, Wholesale: true);

    /// <summary>No user or no right: nothing tenant-owned is visible.</summary>
    public static AccessScope Nothing { get; } = new(-1, -1, PersonalData: false, Wholesale: false);

    public bool IsSystem => this == System;

    /// <summary>
    /// The scope of a signed-in user. Group and dealer users read their own group's retail records; network users
    /// read every group's, or the one group they picked in the app bar, and the wholesale records. Users whose roles
    /// give no customer access (Agency) read no personal data at all.
    /// </summary>
    public static AccessScope ForUser(ScopeLevel level, long networkId, long? groupId, IEnumerable<CrmRole> roles, long? pickedGroupId = null)
    {
        var roleList = roles.ToList();
        var personal = PermissionMatrix.SeesPersonalData(roleList, level);
        return level switch
        {
            ScopeLevel.Network => new AccessScope(networkId, pickedGroupId, personal,
                PermissionMatrix.Allows(roleList, level, Permission.ViewWholesale)),
            ScopeLevel.Group or ScopeLevel.Dealer => new AccessScope(networkId,
                groupId ?? throw new ArgumentException("A group or dealer user has a dealer group.", nameof(groupId)), personal, Wholesale: false),
            _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown scope level."),
        };
    }
}
