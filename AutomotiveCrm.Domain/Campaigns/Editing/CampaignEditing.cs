using AutomotiveCrm.Domain.Campaigns.Audience;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Campaigns.Editing;

/// <summary>Who is editing: their place in the organisation decides which campaigns they may own.</summary>
public sealed record CampaignAuthor(string UserId, string UserName, ScopeLevel Level, long NetworkId, long? GroupId, long? DealerId);

/// <summary>One channel of the editor's Channels tab.</summary>
public sealed class ChannelDraft
{
    public CampaignChannelKind Channel { get; set; }
    public bool Enabled { get; set; }
    public string? Subject { get; set; }
    public string? SenderName { get; set; }
    public string? SenderEmail { get; set; }
}

/// <summary>The editable state of a campaign: what the editor binds to and hands back to <see cref="CampaignEditing.SaveAsync"/>.</summary>
public sealed class CampaignDraft
{
    public long Id { get; set; }
    /// <summary>The version the editor loaded: a save against a newer one is refused.</summary>
    public int Version { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public CampaignOwnerLevel OwnerLevel { get; set; }
    public long NetworkId { get; set; }
    public long? DealerGroupId { get; set; }
    public long? DealerId { get; set; }
    public CampaignStatus Status { get; set; }
    public AudienceDefinition Audience { get; set; } = AudienceDefinition.Everyone();
    public List<ChannelDraft> Channels { get; set; } = [];
    /// <summary>The campaign's time zone; the schedule (Scheduling.ScheduleDraft) edits it after creation.</summary>
    public string TimeZone { get; set; } = "Europe/London";
    /// <summary>Read only here: the schedule editor sets it.</summary>
    public bool ExcludePreviouslyContacted { get; set; }

    public AudienceTarget Target => new(OwnerLevel, NetworkId, DealerGroupId, DealerId);
}

/// <summary>A line of the campaign list.</summary>
public sealed record CampaignListRow(
    long Id,
    string Name,
    CampaignStatus Status,
    CampaignOwnerLevel OwnerLevel,
    string Owner,
    DateTime UpdatedAt,
    DateTime? LastRunAt,
    CampaignRunStatus? LastRunStatus);

/// <summary>A line of a campaign's Runs tab.</summary>
public sealed record CampaignRunRow(long Id, int Number, CampaignRunStatus Status, CampaignRunTrigger Trigger, DateTime StartedAt, DateTime? FinishedAt,
    int MemberCount, string StartedBy);

/// <summary>Someone else saved the campaign since it was loaded.</summary>
public sealed class CampaignConcurrencyException(string message) : DomainException(message);

/// <summary>
/// Creating, listing, loading and saving campaigns (the editor shell). Ownership follows the author: a dealer user
/// owns dealer campaigns, a group user group campaigns, a network user network retail or wholesale ones. Which
/// campaigns are visible at all is the tenant filter's business (the context is the user's).
/// </summary>
public static class CampaignEditing
{
    /// <summary>The owner levels an author may choose.</summary>
    public static IReadOnlyList<CampaignOwnerLevel> OwnerLevelsFor(ScopeLevel level) => level switch
    {
        ScopeLevel.Dealer => [CampaignOwnerLevel.Dealer],
        ScopeLevel.Group => [CampaignOwnerLevel.Group],
        ScopeLevel.Network => [CampaignOwnerLevel.NetworkRetail, CampaignOwnerLevel.NetworkWholesale],
        _ => [],
    };

    /// <summary>A new draft owned as the author's level allows (network users start with retail).</summary>
    public static CampaignDraft NewDraft(CampaignAuthor author, string timeZone = "Europe/London")
    {
        ArgumentNullException.ThrowIfNull(author);
        return new CampaignDraft
        {
            OwnerLevel = OwnerLevelsFor(author.Level)[0],
            NetworkId = author.NetworkId,
            DealerGroupId = author.Level == ScopeLevel.Network ? null : author.GroupId,
            DealerId = author.Level == ScopeLevel.Dealer ? author.DealerId : null,
            TimeZone = timeZone,
            Channels = Enum.GetValues<CampaignChannelKind>().Select(c => new ChannelDraft { Channel = c, Enabled = c == CampaignChannelKind.Email }).ToList(),
        };
    }

    public static async Task<IReadOnlyList<CampaignListRow>> ListAsync(CrmDbContext db, string? text = null, CampaignStatus? status = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var query = db.Campaigns.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(text))
        {
            // Lower-cased on both sides: the same answer on SQLite and PostgreSQL, whose LIKE differ on case.
            var pattern = "%" + text.Trim().ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            query = query.Where(c => EF.Functions.Like(c.Name.ToLower(), pattern, "\\"));
        }

        if (status is { } wanted)
        {
            query = query.Where(c => c.Status == wanted);
        }

        var rows = await query
            .OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id)
            .Take(500)
            .Select(c => new
            {
                c.Id,
                c.Name,
                c.Status,
                c.OwnerLevel,
                c.UpdatedAt,
                Dealer = db.Dealers.Where(d => d.Id == c.DealerId).Select(d => d.Name).FirstOrDefault(),
                Group = db.DealerGroups.Where(g => g.Id == c.DealerGroupId).Select(g => g.Name).FirstOrDefault(),
                LastRun = db.CampaignRuns.Where(r => r.CampaignId == c.Id).OrderByDescending(r => r.Number)
                    .Select(r => new { r.StartedAt, r.Status }).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new CampaignListRow(r.Id, r.Name, r.Status, r.OwnerLevel,
            r.OwnerLevel switch
            {
                CampaignOwnerLevel.Dealer => r.Dealer ?? "Dealer",
                CampaignOwnerLevel.Group => r.Group ?? "Group",
                CampaignOwnerLevel.NetworkRetail => "Network (retail, for each responsible dealer)",
                _ => "Network (wholesale)",
            },
            r.UpdatedAt, r.LastRun?.StartedAt, r.LastRun?.Status)).ToList();
    }

    /// <summary>The campaign as a draft; another scope's campaign is not found, like a missing one.</summary>
    public static async Task<CampaignDraft> LoadAsync(CrmDbContext db, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var campaign = await db.Campaigns.AsNoTracking().Include(c => c.Contents).FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw RecordNotFoundException.For<Campaign>(id);
        return new CampaignDraft
        {
            Id = campaign.Id,
            Version = campaign.Version,
            Name = campaign.Name,
            Description = campaign.Description,
            OwnerLevel = campaign.OwnerLevel,
            NetworkId = campaign.NetworkId,
            DealerGroupId = campaign.DealerGroupId,
            DealerId = campaign.DealerId,
            Status = campaign.Status,
            Audience = AudienceDefinition.FromJson(campaign.AudienceJson),
            Channels = Enum.GetValues<CampaignChannelKind>().Select(kind =>
            {
                var content = campaign.Contents.FirstOrDefault(c => c.Channel == kind);
                return new ChannelDraft
                {
                    Channel = kind,
                    Enabled = content is not null,
                    Subject = content?.Subject,
                    SenderName = content?.SenderName,
                    SenderEmail = content?.SenderEmail,
                };
            }).ToList(),
            TimeZone = campaign.TimeZone,
            ExcludePreviouslyContacted = campaign.ExcludePreviouslyContacted,
        };
    }

    public static async Task<IReadOnlyList<CampaignRunRow>> RunsAsync(CrmDbContext db, long campaignId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.CampaignRuns.AsNoTracking().Where(r => r.CampaignId == campaignId).OrderByDescending(r => r.Number)
            .Select(r => new CampaignRunRow(r.Id, r.Number, r.Status, r.Trigger, r.StartedAt, r.FinishedAt, r.MemberCount, r.StartedBy))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The problems that stop a save, empty when it may go ahead.</summary>
    public static IReadOnlyList<string> Problems(CampaignDraft draft, CampaignAuthor author)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(author);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(draft.Name))
        {
            problems.Add("Give the campaign a name.");
        }
        else if (draft.Name.Trim().Length > 200)
        {
            problems.Add("The name is longer than 200 characters.");
        }

        if (!OwnerLevelsFor(author.Level).Contains(draft.OwnerLevel))
        {
            problems.Add($"A {author.Level.ToString().ToLowerInvariant()} user cannot own a {draft.OwnerLevel} campaign.");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(draft.TimeZone, out _))
        {
            problems.Add($"'{draft.TimeZone}' is not a known time zone.");
        }

        foreach (var channel in draft.Channels.Where(c => c.Enabled && c.Channel == CampaignChannelKind.Email))
        {
            if (!string.IsNullOrWhiteSpace(channel.SenderEmail) && !channel.SenderEmail.Contains('@', StringComparison.Ordinal))
            {
                problems.Add($"'{channel.SenderEmail}' is not an e-mail address.");
            }
        }

        problems.AddRange(AudienceValidator.Validate(draft.Audience));
        return problems;
    }

    /// <summary>
    /// Creates or updates the campaign and its enabled channels (content of disabled channels is removed; the
    /// e-mail body and other content fields are left as they are). A campaign saved by someone else since the
    /// draft was loaded is refused with <see cref="CampaignConcurrencyException"/>. Returns the saved draft's id and
    /// new version.
    /// </summary>
    public static async Task<(long Id, int Version)> SaveAsync(CrmDbContext db, CampaignAuthor author, CampaignDraft draft, DateTime now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(draft);
        var problems = Problems(draft, author);
        if (problems.Count > 0)
        {
            throw new DomainException(string.Join(" ", problems));
        }

        // Owner fields follow the author, never the posted draft: a draft cannot claim another dealer or group.
        var groupId = draft.OwnerLevel is CampaignOwnerLevel.Dealer or CampaignOwnerLevel.Group ? author.GroupId : null;
        var dealerId = draft.OwnerLevel == CampaignOwnerLevel.Dealer ? author.DealerId : null;
        await EnsureTemplatesUsableAsync(db, draft.Audience, cancellationToken);

        Campaign campaign;
        if (draft.Id == 0)
        {
            campaign = new Campaign
            {
                NetworkId = author.NetworkId,
                Name = draft.Name.Trim(),
                AudienceJson = "",
                TimeZone = draft.TimeZone,
                CreatedBy = author.UserName,
                CreatedAt = now,
                Status = CampaignStatus.Draft,
                Version = 1,
            };
            db.Campaigns.Add(campaign);
        }
        else
        {
            campaign = await db.Campaigns.Include(c => c.Contents).FirstOrDefaultAsync(c => c.Id == draft.Id, cancellationToken)
                ?? throw RecordNotFoundException.For<Campaign>(draft.Id);
            if (campaign.Version != draft.Version)
            {
                throw Conflict();
            }

            // The row is only written if its version is still the one read: the database decides a race.
            db.Entry(campaign).Property(c => c.Version).OriginalValue = draft.Version;
            campaign.Version = draft.Version + 1;
        }

        campaign.Name = draft.Name.Trim();
        campaign.Description = string.IsNullOrWhiteSpace(draft.Description) ? null : draft.Description.Trim();
        campaign.OwnerLevel = draft.OwnerLevel;
        campaign.DealerGroupId = groupId;
        campaign.DealerId = dealerId;
        campaign.AudienceJson = draft.Audience.ToJson();
        campaign.UpdatedAt = now;

        foreach (var channel in draft.Channels)
        {
            var content = campaign.Contents.FirstOrDefault(c => c.Channel == channel.Channel);
            if (!channel.Enabled)
            {
                if (content is not null)
                {
                    campaign.Contents.Remove(content);
                    db.CampaignContents.Remove(content);
                }

                continue;
            }

            if (content is null)
            {
                content = new CampaignContent { Channel = channel.Channel };
                campaign.Contents.Add(content);
            }

            if (channel.Channel == CampaignChannelKind.Email)
            {
                content.Subject = string.IsNullOrWhiteSpace(channel.Subject) ? null : channel.Subject.Trim();
                content.SenderName = string.IsNullOrWhiteSpace(channel.SenderName) ? null : channel.SenderName.Trim();
                content.SenderEmail = string.IsNullOrWhiteSpace(channel.SenderEmail) ? null : channel.SenderEmail.Trim();
            }

            content.UpdatedAt = now;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw Conflict();
        }

        return (campaign.Id, campaign.Version);
    }

    private static CampaignConcurrencyException Conflict() =>
        new("Someone else saved this campaign after you opened it. Reload it to see their changes, then make yours again.");

    private static async Task EnsureTemplatesUsableAsync(CrmDbContext db, AudienceDefinition audience, CancellationToken cancellationToken)
    {
        var templates = await AudienceTemplates.ResolveAsync(db, audience, cancellationToken);
        AudienceValidator.ThrowIfInvalid(audience, templates);
    }
}
