using AutomotiveCrm.Domain.Campaigns.Editing;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Campaigns.Scheduling;

/// <summary>Who schedules, runs or cancels: the name stamped on runs and the permissions the checks read.</summary>
public sealed record ScheduleActor(string UserName, IReadOnlySet<Permission> Permissions)
{
    public bool MaySend => Permissions.Contains(Permission.SendCampaigns);
}

/// <summary>The user may edit campaigns but not schedule, run or cancel them.</summary>
public sealed class CampaignPermissionException(string message) : DomainException(message);

/// <summary>The editable state of a campaign's schedule: what the schedule editor binds to.</summary>
public sealed class ScheduleDraft
{
    public long CampaignId { get; set; }
    /// <summary>0 when the campaign has no schedule yet.</summary>
    public int Version { get; set; }
    /// <summary>Manual: no schedule (runs start by hand only).</summary>
    public CampaignScheduleKind Kind { get; set; }
    public string TimeZone { get; set; } = "Europe/London";
    /// <summary>The (first) day, local.</summary>
    public DateTime Date { get; set; }
    /// <summary>The time of day, local.</summary>
    public TimeSpan Time { get; set; } = TimeSpan.FromHours(9);
    public DateTime? EndDate { get; set; }
    public ScheduleDays Days { get; set; } = ScheduleDays.Monday;
    public int DayOfMonth { get; set; } = 1;
    public string? CronExpression { get; set; }
    public bool ExcludePreviouslyContacted { get; set; }
    public bool Active { get; set; } = true;

    /// <summary>The schedule row this draft describes (not attached to any context).</summary>
    public CampaignSchedule ToSchedule(long networkId = 0, long? groupId = null, string updatedBy = "") => new()
    {
        CampaignId = CampaignId,
        NetworkId = networkId,
        DealerGroupId = groupId,
        Kind = Kind,
        TimeZone = TimeZone.Trim(),
        StartsAt = ScheduleRules.Wall(Date.Date + Time),
        // The end date includes its whole day.
        EndsAt = EndDate is { } end ? ScheduleRules.Wall(end.Date.AddDays(1).AddSeconds(-1)) : null,
        Days = Days,
        DayOfMonth = DayOfMonth,
        CronExpression = Kind == CampaignScheduleKind.Cron ? CronExpression?.Trim() : null,
        ExcludePreviouslyContacted = ExcludePreviouslyContacted,
        Active = Active,
        UpdatedBy = updatedBy,
    };
}

/// <summary>
/// Scheduling, starting and cancelling campaign runs as a user. Only users with <see cref="Permission.SendCampaigns"/>
/// may do any of it (the screens hide the controls too; this is the check that counts). The context is the user's:
/// another scope's campaign or run is not found, like a missing one. The scheduler's trigger is not this class's
/// business: the caller re-syncs it from the saved row.
/// </summary>
public static class CampaignScheduling
{
    public const string NotAllowed = "Only users allowed to send campaigns (managers) may schedule, start or cancel runs.";

    public static async Task<ScheduleDraft> LoadAsync(CrmDbContext db, long campaignId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var campaign = await db.Campaigns.AsNoTracking().Where(c => c.Id == campaignId)
            .Select(c => new { c.TimeZone, c.ExcludePreviouslyContacted }).FirstOrDefaultAsync(cancellationToken)
            ?? throw RecordNotFoundException.For<Campaign>(campaignId);
        var schedule = await db.CampaignSchedules.AsNoTracking().FirstOrDefaultAsync(s => s.CampaignId == campaignId, cancellationToken);
        if (schedule is null)
        {
            var zone = ScheduleRules.TryZone(campaign.TimeZone, out var z) ? z : TimeZoneInfo.Utc;
            return new ScheduleDraft
            {
                CampaignId = campaignId,
                Kind = CampaignScheduleKind.Manual,
                TimeZone = campaign.TimeZone,
                Date = TimeZoneInfo.ConvertTime(now, zone).Date.AddDays(1),
                ExcludePreviouslyContacted = campaign.ExcludePreviouslyContacted,
            };
        }

        var starts = ScheduleRules.Wall(schedule.StartsAt);
        return new ScheduleDraft
        {
            CampaignId = campaignId,
            Version = schedule.Version,
            Kind = schedule.Kind,
            TimeZone = schedule.TimeZone,
            Date = starts.Date,
            Time = starts.TimeOfDay,
            EndDate = schedule.EndsAt is { } end ? ScheduleRules.Wall(end).Date : null,
            Days = schedule.Days == ScheduleDays.None ? ScheduleDays.Monday : schedule.Days,
            DayOfMonth = schedule.DayOfMonth,
            CronExpression = schedule.CronExpression,
            ExcludePreviouslyContacted = schedule.ExcludePreviouslyContacted,
            Active = schedule.Active,
        };
    }

    /// <summary>The problems that stop a save (field named first), empty when it may go ahead.</summary>
    public static IReadOnlyList<string> Problems(ScheduleDraft draft, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return draft.Kind == CampaignScheduleKind.Manual ? [] : ScheduleRules.Problems(draft.ToSchedule(), now);
    }

    /// <summary>
    /// Saves the schedule (Manual removes it) and returns the saved row, or null when the campaign now runs by hand
    /// only. The campaign's time zone and "leave out earlier contacts" follow the schedule; a draft campaign with an
    /// active schedule becomes Scheduled, and a scheduled one without becomes a draft again.
    /// </summary>
    public static async Task<CampaignSchedule?> SaveAsync(CrmDbContext db, ScheduleActor actor, ScheduleDraft draft, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(draft);
        EnsureMaySend(actor);
        var problems = Problems(draft, now);
        if (problems.Count > 0)
        {
            throw new DomainException(string.Join(" ", problems));
        }

        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == draft.CampaignId, cancellationToken)
            ?? throw RecordNotFoundException.For<Campaign>(draft.CampaignId);
        if (campaign.Status is CampaignStatus.Cancelled or CampaignStatus.Archived)
        {
            throw new DomainException($"The campaign is {campaign.Status.ToString().ToLowerInvariant()}: it cannot be scheduled.");
        }

        var existing = await db.CampaignSchedules.FirstOrDefaultAsync(s => s.CampaignId == draft.CampaignId, cancellationToken);
        if ((existing?.Version ?? 0) != draft.Version)
        {
            throw Conflict();
        }

        CampaignSchedule? saved = null;
        if (draft.Kind == CampaignScheduleKind.Manual)
        {
            if (existing is not null)
            {
                db.CampaignSchedules.Remove(existing);
            }
        }
        else
        {
            var wanted = draft.ToSchedule(campaign.NetworkId, campaign.DealerGroupId, actor.UserName);
            saved = existing ?? new CampaignSchedule { TimeZone = wanted.TimeZone, UpdatedBy = actor.UserName, CampaignId = campaign.Id };
            if (existing is null)
            {
                db.CampaignSchedules.Add(saved);
            }
            else
            {
                db.Entry(existing).Property(s => s.Version).OriginalValue = draft.Version;
            }

            saved.NetworkId = campaign.NetworkId;
            saved.DealerGroupId = campaign.DealerGroupId;
            saved.Kind = wanted.Kind;
            saved.TimeZone = wanted.TimeZone;
            saved.StartsAt = wanted.StartsAt;
            saved.EndsAt = wanted.EndsAt;
            saved.Days = wanted.Kind == CampaignScheduleKind.Weekly ? wanted.Days : ScheduleDays.None;
            saved.DayOfMonth = wanted.Kind == CampaignScheduleKind.Monthly ? wanted.DayOfMonth : 0;
            saved.CronExpression = wanted.CronExpression;
            saved.ExcludePreviouslyContacted = wanted.ExcludePreviouslyContacted;
            saved.Active = wanted.Active;
            saved.UpdatedBy = actor.UserName;
            saved.UpdatedAt = now.UtcDateTime;
            saved.Version = draft.Version + 1;
            campaign.TimeZone = wanted.TimeZone;
        }

        campaign.ExcludePreviouslyContacted = draft.ExcludePreviouslyContacted;
        var scheduled = saved is { Active: true };
        if (scheduled && campaign.Status == CampaignStatus.Draft)
        {
            campaign.Status = CampaignStatus.Scheduled;
        }
        else if (!scheduled && campaign.Status == CampaignStatus.Scheduled)
        {
            campaign.Status = CampaignStatus.Draft;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw Conflict();
        }
        catch (DbUpdateException) when (existing is null)
        {
            // Two first saves at once: the unique campaign index let one in.
            throw Conflict();
        }

        return saved;
    }

    /// <summary>Starts a run now, as the user (the audience is intersected with the user's scope).</summary>
    public static async Task<CampaignRun> RunNowAsync(CrmDbContext db, TimeProvider clock, ScheduleActor actor, long campaignId, bool excludePreviouslyContacted,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        EnsureMaySend(actor);
        if (!await db.Campaigns.AnyAsync(c => c.Id == campaignId, cancellationToken))
        {
            throw RecordNotFoundException.For<Campaign>(campaignId);
        }

        return await CampaignRuns.StartAsync(db, clock, campaignId, CampaignRunTrigger.Manual, actor.UserName, null, excludePreviouslyContacted,
            cancellationToken);
    }

    /// <summary>Cancels a run the user can see: what was sent stays sent, the rest is skipped as cancelled. False when it had already ended.</summary>
    public static async Task<bool> CancelRunAsync(CrmDbContext db, TimeProvider clock, ScheduleActor actor, long runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        EnsureMaySend(actor);
        if (!await db.CampaignRuns.AnyAsync(r => r.Id == runId, cancellationToken))
        {
            throw RecordNotFoundException.For<CampaignRun>(runId);
        }

        return await CampaignRuns.CancelAsync(db, clock, runId, actor.UserName, cancellationToken);
    }

    public static void EnsureMaySend(ScheduleActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.MaySend)
        {
            throw new CampaignPermissionException(NotAllowed);
        }
    }

    private static CampaignConcurrencyException Conflict() =>
        new("Someone else changed this schedule after you opened it. Reload to see their changes, then make yours again.");
}
