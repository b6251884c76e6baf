using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Campaigns.Audience;

/// <summary>Finds the saved templates an audience refers to, as far down as they refer to others.</summary>
public static class AudienceTemplates
{
    /// <summary>Templates nest at most this deep: deeper is almost certainly a mistake, and it bounds the SQL.</summary>
    public const int MaxDepth = 5;

    /// <summary>
    /// The templates the context's user may use: in scope (tenant filter) and either shared or their own. System
    /// contexts may use every template. Another user's private template behaves like a missing one.
    /// </summary>
    public static IQueryable<AudienceTemplate> Usable(CrmDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Scope.IsSystem)
        {
            return db.AudienceTemplates;
        }

        var userId = db.Actor.UserId ?? "";
        return db.AudienceTemplates.Where(t => t.Shared || t.OwnerUserId == userId);
    }

    /// <summary>Loads every template the definition refers to (directly or through other templates), by id.</summary>
    public static async Task<IReadOnlyDictionary<long, AudienceDefinition>> ResolveAsync(CrmDbContext db, AudienceDefinition definition,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(definition);
        var found = new Dictionary<long, AudienceDefinition>();
        var wanted = References(definition.Root).ToHashSet();
        for (var depth = 0; wanted.Count > 0 && depth <= MaxDepth; depth++)
        {
            var ids = wanted.ToList();
            var rows = await Usable(db).AsNoTracking().Where(t => ids.Contains(t.Id)).Select(t => new { t.Id, t.FilterJson }).ToListAsync(cancellationToken);
            wanted.Clear();
            foreach (var row in rows)
            {
                var parsed = AudienceDefinition.FromJson(row.FilterJson);
                found[row.Id] = parsed;
                wanted.UnionWith(References(parsed.Root).Where(id => !found.ContainsKey(id)));
            }
        }

        return found;
    }

    /// <summary>The template ids a tree refers to directly.</summary>
    public static IEnumerable<long> References(AudienceNode node) => node switch
    {
        TemplateReference reference => [reference.TemplateId],
        AudienceGroup group => group.Items.SelectMany(References),
        _ => [],
    };
}
