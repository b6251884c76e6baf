namespace AutomotiveCrm.Domain.Identity;

/// <summary>The seven roles of the CRM. A user holds one or more.</summary>
public enum CrmRole
{
    Administrator,
    Manager,
    Marketer,
    DataSteward,
    Sales,
    Service,
    Agency,
}

/// <summary>Where a user stands in the organisation: the whole network, one dealer group, or one dealer.</summary>
public enum ScopeLevel
{
    Network,
    Group,
    Dealer,
}

/// <summary>Everything the application checks before it shows or does something.</summary>
public enum Permission
{
    /// <summary>See retail customer records (names, contact points, vehicles, relationships) of the visible group(s).</summary>
    ViewCustomers,
    /// <summary>Create and edit retail customer records, their contact points and consents.</summary>
    EditCustomers,
    /// <summary>Record sales, ownership transfers and relationships; edit vehicles.</summary>
    EditVehicles,
    /// <summary>Export customer lists (CSV, XLSX).</summary>
    ExportCustomers,
    /// <summary>See the change history (audit) of records.</summary>
    ViewHistory,
    /// <summary>See wholesale (network-level) customer records.</summary>
    ViewWholesale,
    /// <summary>Open any dealer group's retail view (network users).</summary>
    SwitchGroup,
    /// <summary>Review duplicate suggestions and merge records.</summary>
    ReviewDuplicates,
    /// <summary>Edit campaign content: templates and e-mail design (no customer data).</summary>
    EditCampaignContent,
    /// <summary>Build audiences and campaigns over customer data.</summary>
    ManageCampaigns,
    /// <summary>Schedule and send campaigns.</summary>
    SendCampaigns,
    /// <summary>Run DMS imports and look at their results.</summary>
    ManageImports,
    /// <summary>Create, change and deactivate DMS import profiles (column mappings and formats) for the whole network.</summary>
    EditImportProfiles,
    /// <summary>Redeem rewards and record loyalty activity at the desk.</summary>
    RedeemRewards,
    /// <summary>Set up schemes, rewards, the group's programmes and partners within the user's scope; see the rewards reports.</summary>
    ManageRewards,
    /// <summary>Create and manage users in the administrator's own scope.</summary>
    ManageUsers,
    /// <summary>Manage brands, dealer groups and dealers.</summary>
    ManageOrganisation,
}

/// <summary>
/// The one place that says what each role may do at each scope level (the README shows it as a table). A user's
/// permissions are the union over their roles at their scope level. Data visibility (which group's records) is not
/// decided here but by the scope itself, in the query filters of the persistence layer.
/// </summary>
public static class PermissionMatrix
{
    private static readonly Permission[] CustomerDesk =
        [Permission.ViewCustomers, Permission.EditCustomers, Permission.EditVehicles, Permission.ViewHistory, Permission.RedeemRewards];

    /// <summary>What <paramref name="role"/> may do at <paramref name="level"/>.</summary>
    public static IReadOnlySet<Permission> For(CrmRole role, ScopeLevel level)
    {
        var granted = new HashSet<Permission>();
        switch (role)
        {
            case CrmRole.Administrator:
                granted.UnionWith([Permission.ViewCustomers, Permission.EditCustomers, Permission.EditVehicles, Permission.ExportCustomers,
                    Permission.ViewHistory, Permission.ManageImports, Permission.ManageUsers]);
                // Brands, groups and dealers are the network's to define; a group administrator manages people only.
                if (level == ScopeLevel.Network)
                {
                    granted.Add(Permission.ManageOrganisation);
                    // Profiles serve every dealer of the network: the network's administrators edit them.
                    granted.Add(Permission.EditImportProfiles);
                }

                break;
            case CrmRole.Manager:
                granted.UnionWith([Permission.ViewCustomers, Permission.EditCustomers, Permission.EditVehicles, Permission.ExportCustomers,
                    Permission.ViewHistory, Permission.ManageCampaigns, Permission.SendCampaigns, Permission.ManageImports, Permission.RedeemRewards,
                    Permission.ManageRewards]);
                break;
            case CrmRole.Marketer:
                granted.UnionWith([Permission.ViewCustomers, Permission.ExportCustomers, Permission.EditCampaignContent, Permission.ManageCampaigns]);
                break;
            case CrmRole.DataSteward:
                granted.UnionWith([Permission.ViewCustomers, Permission.EditCustomers, Permission.EditVehicles, Permission.ViewHistory,
                    Permission.ReviewDuplicates, Permission.ManageImports]);
                break;
            case CrmRole.Sales:
            case CrmRole.Service:
                granted.UnionWith(CustomerDesk);
                break;
            case CrmRole.Agency:
                // An outside contractor (seed 002's graphic designer): campaign content only, never personal data.
                granted.Add(Permission.EditCampaignContent);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role.");
        }

        if (level == ScopeLevel.Network && role != CrmRole.Agency)
        {
            granted.UnionWith([Permission.ViewWholesale, Permission.SwitchGroup]);
        }

        return granted;
    }

    /// <summary>The union over a user's roles.</summary>
    public static IReadOnlySet<Permission> For(IEnumerable<CrmRole> roles, ScopeLevel level)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var granted = new HashSet<Permission>();
        foreach (var role in roles)
        {
            granted.UnionWith(For(role, level));
        }

        return granted;
    }

    public static bool Allows(IEnumerable<CrmRole> roles, ScopeLevel level, Permission permission) => For(roles, level).Contains(permission);

    /// <summary>Whether the user may see any customer's personal data at all (Agency-only users may not).</summary>
    public static bool SeesPersonalData(IEnumerable<CrmRole> roles, ScopeLevel level) =>
        For(roles, level).Contains(Permission.ViewCustomers) || For(roles, level).Contains(Permission.ViewWholesale);
}
