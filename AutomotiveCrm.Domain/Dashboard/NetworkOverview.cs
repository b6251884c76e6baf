using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Dashboard;

public sealed record GroupFigures(long GroupId, string Code, string Name, int Dealers, int Customers, int CurrentRelationships);

public sealed record NetworkOverview(
    int Customers,
    int WholesaleCustomers,
    int Vehicles,
    int CurrentRelationships,
    int Dealers,
    IReadOnlyList<GroupFigures> Groups,
    IReadOnlyDictionary<RelationshipType, int> CurrentRelationshipsByType);

/// <summary>The figures of the start page: each is one aggregate query, never rows pulled into memory.</summary>
public static class NetworkOverviewQuery
{
    public static async Task<NetworkOverview> LoadAsync(CrmDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var customers = await db.Customers.CountAsync(cancellationToken);
        var wholesale = await db.WholesaleCustomers.CountAsync(cancellationToken);
        var vehicles = await db.Vehicles.CountAsync(cancellationToken);
        var dealers = await db.Dealers.CountAsync(cancellationToken);

        var byType = await db.Relationships
            .Where(r => r.EndDate == null)
            .GroupBy(r => r.Type)
            .Select(g => new { Type = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var customersByGroup = await db.Customers
            .GroupBy(c => c.DealerGroupId)
            .Select(g => new { GroupId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.GroupId, g => g.Count, cancellationToken);
        var relationshipsByGroup = await db.Relationships
            .Where(r => r.EndDate == null)
            .GroupBy(r => r.DealerGroupId)
            .Select(g => new { GroupId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.GroupId, g => g.Count, cancellationToken);
        var groups = await db.DealerGroups
            .OrderBy(g => g.Name)
            .Select(g => new { g.Id, g.Code, g.Name, Dealers = g.Dealers.Count })
            .ToListAsync(cancellationToken);

        return new NetworkOverview(
            customers,
            wholesale,
            vehicles,
            byType.Sum(t => t.Count),
            dealers,
            groups.Select(g => new GroupFigures(g.Id, g.Code, g.Name, g.Dealers,
                customersByGroup.GetValueOrDefault(g.Id), relationshipsByGroup.GetValueOrDefault(g.Id))).ToList(),
            Enum.GetValues<RelationshipType>().ToDictionary(t => t, t => byType.FirstOrDefault(x => x.Type == t)?.Count ?? 0));
    }
}
