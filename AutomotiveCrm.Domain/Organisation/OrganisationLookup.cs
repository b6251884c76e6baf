using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Organisation;

public sealed record GroupChoice(long Id, string Code, string Name);

/// <summary>Small reads of the organisation for the app shell and forms, through the reader's context.</summary>
public static class OrganisationLookup
{
    /// <summary>The dealer groups the context may see, by name.</summary>
    public static async Task<IReadOnlyList<GroupChoice>> GroupsAsync(CrmDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.DealerGroups.AsNoTracking().OrderBy(g => g.Name)
            .Select(g => new GroupChoice(g.Id, g.Code, g.Name)).ToListAsync(cancellationToken);
    }

    /// <summary>The dealers the context may see, by group and name.</summary>
    public static async Task<IReadOnlyList<DealerChoiceRow>> DealersAsync(CrmDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Dealers.AsNoTracking().OrderBy(d => d.DealerGroup!.Name).ThenBy(d => d.Name)
            .Select(d => new DealerChoiceRow(d.Id, d.DealerGroupId, d.Code, d.Name)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// How the app bar names a user's scope: "Network", "Group: Newstar Auto" or "Dealer: NSA-01". Falls back to the
    /// bare level when the context cannot see the group or dealer (it always can for the user's own).
    /// </summary>
    public static async Task<string> ScopeLabelAsync(CrmDbContext db, ScopeLevel level, long? groupId, long? dealerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        switch (level)
        {
            case ScopeLevel.Group when groupId is { } g:
                var group = await db.DealerGroups.AsNoTracking().Where(x => x.Id == g).Select(x => x.Name).FirstOrDefaultAsync(cancellationToken);
                return group is null ? "Group" : $"Group: {group}";
            case ScopeLevel.Dealer when dealerId is { } d:
                var dealer = await db.Dealers.AsNoTracking().Where(x => x.Id == d).Select(x => x.Code).FirstOrDefaultAsync(cancellationToken);
                return dealer is null ? "Dealer" : $"Dealer: {dealer}";
            default:
                return level.ToString();
        }
    }
}

public sealed record DealerChoiceRow(long Id, long GroupId, string Code, string Name);
