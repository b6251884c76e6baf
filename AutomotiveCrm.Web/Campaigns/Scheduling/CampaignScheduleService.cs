using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Scheduling;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Web.Identity;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Campaigns.Scheduling;

/// <summary>
/// What the schedule editor and the monitor do, as the signed-in user: the domain rules with the user's context
/// (scope and permission checks), then the scheduler's trigger re-synced from the saved row.
/// </summary>
public sealed class CampaignScheduleService(IDbContextFactory<CrmDbContext> contexts, CampaignTriggers triggers, TimeProvider clock)
{
    public static ScheduleActor ActorFor(CrmPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new ScheduleActor(user.UserName, user.Permissions);
    }

    public async Task<ScheduleDraft> LoadAsync(long campaignId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await CampaignScheduling.LoadAsync(db, campaignId, clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>Saves and re-syncs the trigger; returns the draft as now stored (new version).</summary>
    public async Task<ScheduleDraft> SaveAsync(ScheduleActor actor, ScheduleDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await CampaignScheduling.SaveAsync(db, actor, draft, clock.GetUtcNow(), cancellationToken);
        }

        await triggers.SyncAsync(draft.CampaignId, cancellationToken);
        return await LoadAsync(draft.CampaignId, cancellationToken);
    }

    public async Task<CampaignRun> RunNowAsync(ScheduleActor actor, long campaignId, bool excludePreviouslyContacted, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await CampaignScheduling.RunNowAsync(db, clock, actor, campaignId, excludePreviouslyContacted, cancellationToken);
    }

    public async Task<bool> CancelRunAsync(ScheduleActor actor, long runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await CampaignScheduling.CancelRunAsync(db, clock, actor, runId, cancellationToken);
    }
}
