using AutomotiveCrm.Domain.Campaigns.Audience;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Campaigns.Sending;

/// <summary>
/// Starting and cancelling runs. Starting freezes the audience: the campaign's audience at that moment becomes the
/// run's <see cref="CampaignRunMember"/> rows (with a random hold-out share), and every member outside the hold-out
/// gets one <see cref="CampaignMessage"/> per channel with content, Queued, or Skipped with the reason it cannot be
/// sent (no address, suppressed, no consent). All of it commits in one transaction: a run either exists with its
/// whole audience or not at all.
/// </summary>
public static class CampaignRuns
{
    public const string SkipNoEmail = "no e-mail address";
    public const string SkipSuppressed = "address suppressed";
    public const string SkipNoConsent = "no e-mail consent";
    public const string SkipRunCancelled = "run cancelled";
    /// <summary>Send-time re-check: the customer opted out (or lost the contact point) after the audience was frozen.</summary>
    public const string SkipConsentWithdrawn = "e-mail consent withdrawn since the run started";

    private const int Chunk = 2000;

    /// <summary>
    /// Starts a run of the campaign. The context decides whose customers count: a user's context intersects the
    /// audience with the user's scope, the system context (scheduled runs) takes the campaign owner's reach. A
    /// scheduled run passes the occurrence it is for (<paramref name="dueAt"/>): starting the same occurrence twice
    /// returns the first run instead of a second one. <paramref name="excludePreviouslyContacted"/> overrides the
    /// campaign's setting (a schedule's own, or the choice made when starting by hand).
    /// </summary>
    public static Task<CampaignRun> StartAsync(CrmDbContext db, TimeProvider clock, long campaignId, CampaignRunTrigger trigger, string startedBy,
        DateTime? dueAt, CancellationToken cancellationToken = default) =>
        StartAsync(db, clock, campaignId, trigger, startedBy, dueAt, excludePreviouslyContacted: null, cancellationToken);

    /// <summary>Starts a run; <paramref name="excludePreviouslyContacted"/> (when given) overrides the campaign's setting.</summary>
    public static async Task<CampaignRun> StartAsync(CrmDbContext db, TimeProvider clock, long campaignId, CampaignRunTrigger trigger, string startedBy,
        DateTime? dueAt, bool? excludePreviouslyContacted, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(clock);
        var campaign = await db.Campaigns.Include(c => c.Contents).AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, cancellationToken)
            ?? throw new DomainException("The campaign does not exist.");
        if (excludePreviouslyContacted is { } exclude)
        {
            campaign.ExcludePreviouslyContacted = exclude;
        }

        if (campaign.Status is CampaignStatus.Cancelled or CampaignStatus.Archived)
        {
            throw new DomainException($"The campaign is {campaign.Status.ToString().ToLowerInvariant()}: it cannot run.");
        }

        // Merge fields that would not resolve stop the run before anything is frozen or queued.
        var blockers = Content.CampaignContentEditing.RunBlockers(campaign);
        if (blockers.Count > 0)
        {
            throw new DomainException("The campaign's content has errors: " + string.Join(" ", blockers.Select(b => b.ToString())));
        }

        if (dueAt is { } due && await db.CampaignRuns.AsNoTracking().FirstOrDefaultAsync(r => r.CampaignId == campaignId && r.DueAt == due, cancellationToken) is { } existing)
        {
            return existing;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var number = (await db.CampaignRuns.Where(r => r.CampaignId == campaignId).MaxAsync(r => (int?)r.Number, cancellationToken) ?? 0) + 1;
            var run = new CampaignRun
            {
                CampaignId = campaign.Id,
                NetworkId = campaign.NetworkId,
                DealerGroupId = campaign.DealerGroupId,
                Number = number,
                Trigger = trigger,
                Status = CampaignRunStatus.Running,
                DueAt = dueAt,
                StartedAt = now,
                StartedBy = startedBy,
            };
            db.CampaignRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);

            var members = await FreezeMembersAsync(db, campaign, run, today, cancellationToken);
            var emailContent = campaign.Contents.FirstOrDefault(c => c.Channel == CampaignChannelKind.Email);
            if (emailContent is not null)
            {
                await EnqueueEmailAsync(db, campaign, run, members, today, now, cancellationToken);
            }

            if (campaign.Contents.Any(c => c.Channel == CampaignChannelKind.Sms))
            {
                await Sms.SmsRunQueue.EnqueueAsync(db, campaign, run, members, today, now, cancellationToken);
            }

            run.MemberCount = members.Count;
            run.HoldOutCount = members.Count(m => m.HoldOut);
            db.CampaignRuns.Attach(run);
            db.Entry(run).Property(r => r.MemberCount).IsModified = true;
            db.Entry(run).Property(r => r.HoldOutCount).IsModified = true;
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            return run;
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    /// <summary>
    /// Cancels a running run: it stops dispatching, and every message not yet handed to a dispatcher is Skipped with
    /// "run cancelled". A message a dispatcher holds at this moment finishes its one submission (it may already be
    /// on the wire); the dispatcher skips the rest of its batch. False when the run is missing or not running.
    /// </summary>
    public static async Task<bool> CancelAsync(CrmDbContext db, TimeProvider clock, long runId, string cancelledBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var changed = await db.CampaignRuns.Where(r => r.Id == runId && (r.Status == CampaignRunStatus.Running || r.Status == CampaignRunStatus.Pending))
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, CampaignRunStatus.Cancelled)
                .SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.StatusReason, "Cancelled by " + cancelledBy), cancellationToken);
        if (changed == 0)
        {
            return false;
        }

        await db.CampaignMessages.Where(m => m.RunId == runId && m.State == MessageState.Queued)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, MessageState.Skipped)
                .SetProperty(m => m.SkipReason, SkipRunCancelled)
                .SetProperty(m => m.NextAttemptAt, (DateTime?)null), cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return true;
    }

    private sealed record MemberSource(long CustomerId, long DealerGroupId, long? ResponsibleDealerId, string? Email, string? NormalisedEmail, string? Phone);

    private static async Task<List<CampaignRunMember>> FreezeMembersAsync(CrmDbContext db, Campaign campaign, CampaignRun run, DateOnly today,
        CancellationToken cancellationToken)
    {
        // No channel: the members are the audience as filtered and reached; whether each can be contacted on a
        // channel is decided per message, so the run's figures show who was left out and why.
        var audience = await AudienceQuery.BuildAsync(db, campaign, null, today, cancellationToken);
        if (campaign.ExcludePreviouslyContacted)
        {
            var earlierRuns = db.CampaignRuns.Where(r => r.CampaignId == campaign.Id && r.Id != run.Id).Select(r => r.Id);
            audience = audience.Where(c => !db.CampaignMessages.Any(m => m.CustomerId == c.Id && m.State == MessageState.Sent && earlierRuns.Contains(m.RunId)));
        }

        var sources = await audience
            .OrderBy(c => c.Id)
            .Select(c => new MemberSource(
                c.Id,
                c.DealerGroupId,
                c.ResponsibleDealerId,
                c.Emails.OrderByDescending(e => e.IsPrimary).ThenBy(e => e.Id).Select(e => e.Address).FirstOrDefault(),
                c.Emails.OrderByDescending(e => e.IsPrimary).ThenBy(e => e.Id).Select(e => e.NormalisedAddress).FirstOrDefault(),
                c.Phones.OrderByDescending(p => p.IsPrimary).ThenBy(p => p.Id).Select(p => p.Number).FirstOrDefault()))
            .ToListAsync(cancellationToken);

        var holdOut = HoldOutSet(sources.Count, campaign.HoldOutPercent, run.Id);
        var members = new List<CampaignRunMember>(sources.Count);
        for (var i = 0; i < sources.Count; i++)
        {
            var source = sources[i];
            members.Add(new CampaignRunMember
            {
                RunId = run.Id,
                CustomerId = source.CustomerId,
                DealerGroupId = source.DealerGroupId,
                OnBehalfOfDealerId = campaign.OwnerLevel switch
                {
                    CampaignOwnerLevel.Dealer => campaign.DealerId,
                    CampaignOwnerLevel.NetworkRetail => source.ResponsibleDealerId,
                    _ => null,
                },
                HoldOut = holdOut.Contains(i),
                Email = source.Email,
                Phone = source.Phone,
            });
        }

        foreach (var chunk in members.Chunk(Chunk))
        {
            db.CampaignRunMembers.AddRange(chunk);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        return members;
    }

    /// <summary>
    /// Which positions (of <paramref name="count"/>, in customer-id order) are held out: exactly the rounded share,
    /// drawn by a shuffle seeded with the run id, so the draw is random across runs and repeatable for one run.
    /// </summary>
    public static HashSet<int> HoldOutSet(int count, int percent, long runId)
    {
        var take = (int)Math.Round(count * Math.Clamp(percent, 0, 100) / 100.0, MidpointRounding.AwayFromZero);
        if (take == 0)
        {
            return [];
        }

#pragma warning disable CA5394 // Not security: a reproducible statistical draw.
        var random = new Random(unchecked((int)(runId ^ (runId >> 32))));
        var positions = Enumerable.Range(0, count).ToArray();
        random.Shuffle(positions);
#pragma warning restore CA5394
        return [.. positions.Take(take)];
    }

    private static async Task EnqueueEmailAsync(CrmDbContext db, Campaign campaign, CampaignRun run, List<CampaignRunMember> members, DateOnly today,
        DateTime now, CancellationToken cancellationToken)
    {
        // Reachable on e-mail now (consent, address, suppression as the audience compiler reads them), in SQL.
        var reachableQuery = await AudienceQuery.BuildAsync(db, campaign, CampaignChannelKind.Email, today, cancellationToken);
        var reachable = (await reachableQuery.Select(c => c.Id).ToListAsync(cancellationToken)).ToHashSet();
        var suppressed = await db.Suppressions
            .Where(s => s.NetworkId == campaign.NetworkId && s.Channel == CampaignChannelKind.Email)
            .Select(s => new { s.Address, s.DealerGroupId })
            .ToListAsync(cancellationToken);
        var suppressedEverywhere = suppressed.Where(s => s.DealerGroupId is null).Select(s => s.Address).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var suppressedInGroup = suppressed.Where(s => s.DealerGroupId is not null).Select(s => (s.DealerGroupId!.Value, s.Address.ToLowerInvariant())).ToHashSet();

        var messages = new List<CampaignMessage>(Chunk);
        foreach (var member in members.Where(m => !m.HoldOut))
        {
            var normalised = member.Email?.Trim().ToLowerInvariant();
            var reason = string.IsNullOrEmpty(normalised) ? SkipNoEmail
                : suppressedEverywhere.Contains(normalised) || suppressedInGroup.Contains((member.DealerGroupId, normalised)) ? SkipSuppressed
                : !reachable.Contains(member.CustomerId) ? SkipNoConsent
                : null;
            messages.Add(new CampaignMessage
            {
                RunId = run.Id,
                MemberId = member.Id,
                CustomerId = member.CustomerId,
                DealerGroupId = member.DealerGroupId,
                Channel = CampaignChannelKind.Email,
                State = reason is null ? MessageState.Queued : MessageState.Skipped,
                SkipReason = reason,
                Address = member.Email,
                QueuedAt = now,
            });
            if (messages.Count == Chunk)
            {
                await SaveAsync(db, messages, cancellationToken);
            }
        }

        await SaveAsync(db, messages, cancellationToken);
    }

    private static async Task SaveAsync(CrmDbContext db, List<CampaignMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }

        db.CampaignMessages.AddRange(messages);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        messages.Clear();
    }
}
