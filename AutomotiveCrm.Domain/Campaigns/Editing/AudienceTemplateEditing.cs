using AutomotiveCrm.Domain.Campaigns.Audience;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Campaigns.Editing;

/// <summary>A saved audience the user may use.</summary>
public sealed record AudienceTemplateRow(long Id, string Name, bool Shared, bool Mine, DateTime UpdatedAt);

/// <summary>
/// Saved filter-sets: private to the author, or shared with everyone who sees the author's scope (the group's users
/// for a group or dealer author, the network's users for a network author). Only the author changes or deletes one.
/// </summary>
public static class AudienceTemplateEditing
{
    public static async Task<IReadOnlyList<AudienceTemplateRow>> ListAsync(CrmDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var userId = db.Actor.UserId ?? "";
        return await AudienceTemplates.Usable(db).AsNoTracking().OrderBy(t => t.Name).ThenBy(t => t.Id)
            .Select(t => new AudienceTemplateRow(t.Id, t.Name, t.Shared, t.OwnerUserId == userId, t.UpdatedAt))
            .ToListAsync(cancellationToken);
    }

    public static async Task<AudienceDefinition> LoadAsync(CrmDbContext db, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var json = await AudienceTemplates.Usable(db).Where(t => t.Id == id).Select(t => t.FilterJson).FirstOrDefaultAsync(cancellationToken)
            ?? throw RecordNotFoundException.For<AudienceTemplate>(id);
        return AudienceDefinition.FromJson(json);
    }

    /// <summary>Saves the audience as a new template (<paramref name="id"/> null) or over one of the author's own.</summary>
    public static async Task<long> SaveAsync(CrmDbContext db, CampaignAuthor author, string name, AudienceDefinition definition, bool shared,
        DateTime now, long? id = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(author);
        ArgumentNullException.ThrowIfNull(definition);
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 200)
        {
            throw new DomainException("Give the saved audience a name of at most 200 characters.");
        }

        var templates = await AudienceTemplates.ResolveAsync(db, definition, cancellationToken);
        AudienceValidator.ThrowIfInvalid(definition, templates);
        if (id is { } existing && AudienceTemplates.References(definition.Root).Contains(existing))
        {
            throw new DomainException("A saved audience cannot refer to itself.");
        }

        AudienceTemplate template;
        if (id is { } templateId)
        {
            template = await db.AudienceTemplates.FirstOrDefaultAsync(t => t.Id == templateId && t.OwnerUserId == author.UserId, cancellationToken)
                ?? throw RecordNotFoundException.For<AudienceTemplate>(templateId);
        }
        else
        {
            template = new AudienceTemplate
            {
                NetworkId = author.NetworkId,
                DealerGroupId = author.Level == ScopeLevel.Network ? null : author.GroupId,
                DealerId = author.Level == ScopeLevel.Dealer ? author.DealerId : null,
                OwnerUserId = author.UserId,
                Name = name.Trim(),
                FilterJson = "",
                CreatedAt = now,
            };
            db.AudienceTemplates.Add(template);
        }

        template.Name = name.Trim();
        template.FilterJson = definition.ToJson();
        template.Shared = shared;
        template.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return template.Id;
    }

    public static async Task DeleteAsync(CrmDbContext db, CampaignAuthor author, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(author);
        var template = await db.AudienceTemplates.FirstOrDefaultAsync(t => t.Id == id && t.OwnerUserId == author.UserId, cancellationToken)
            ?? throw RecordNotFoundException.For<AudienceTemplate>(id);
        db.AudienceTemplates.Remove(template);
        await db.SaveChangesAsync(cancellationToken);
    }
}
