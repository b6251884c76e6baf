using AutomotiveCrm.Domain.Campaigns.Audience;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Campaigns.Sms;

/// <summary>
/// The SMS part of a run start: every member outside the hold-out gets one SMS message row, Queued to the member's
/// mobile number, or Skipped with the reason (no mobile number, number suppressed, no SMS consent). Runs inside the
/// run start's transaction (see <see cref="Sending.CampaignRuns.StartAsync"/>).
/// </summary>
public static class SmsRunQueue
{
    public const string SkipNoMobile = "no mobile number";
    public const string SkipSuppressed = "mobile number suppressed";
    public const string SkipNoConsent = "no SMS consent";

    private const int Chunk = 2000;

    public static async Task EnqueueAsync(CrmDbContext db, Campaign campaign, CampaignRun run, IReadOnlyList<CampaignRunMember> members, DateOnly today,
        DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(members);
        // Reachable on SMS now (consent, a mobile number, suppression), decided in SQL by the audience compiler.
        var reachable = (await (await AudienceQuery.BuildAsync(db, campaign, CampaignChannelKind.Sms, today, cancellationToken))
            .Select(c => c.Id).ToListAsync(cancellationToken)).ToHashSet();
        var mobiles = await (await AudienceQuery.BuildAsync(db, campaign, null, today, cancellationToken))
            .Select(c => new
            {
                c.Id,
                Mobile = c.Phones.Where(p => p.Kind == PhoneKind.Mobile).OrderByDescending(p => p.IsPrimary).ThenBy(p => p.Id).Select(p => p.Number).FirstOrDefault(),
            })
            .Where(c => c.Mobile != null)
            .ToDictionaryAsync(c => c.Id, c => c.Mobile!, cancellationToken);
        var suppressed = await db.Suppressions
            .Where(s => s.NetworkId == campaign.NetworkId && s.Channel == CampaignChannelKind.Sms)
            .Select(s => new { s.Address, s.DealerGroupId })
            .ToListAsync(cancellationToken);
        var suppressedEverywhere = suppressed.Where(s => s.DealerGroupId is null).Select(s => s.Address).ToHashSet(StringComparer.Ordinal);
        var suppressedInGroup = suppressed.Where(s => s.DealerGroupId is not null).Select(s => (s.DealerGroupId!.Value, s.Address)).ToHashSet();

        var messages = new List<CampaignMessage>(Chunk);
        foreach (var member in members.Where(m => !m.HoldOut))
        {
            var mobile = mobiles.GetValueOrDefault(member.CustomerId);
            var reason = mobile is null ? SkipNoMobile
                : suppressedEverywhere.Contains(mobile) || suppressedInGroup.Contains((member.DealerGroupId, mobile)) ? SkipSuppressed
                : !reachable.Contains(member.CustomerId) ? SkipNoConsent
                : null;
            messages.Add(new CampaignMessage
            {
                RunId = run.Id,
                MemberId = member.Id,
                CustomerId = member.CustomerId,
                DealerGroupId = member.DealerGroupId,
                Channel = CampaignChannelKind.Sms,
                State = reason is null ? MessageState.Queued : MessageState.Skipped,
                SkipReason = reason,
                Address = mobile,
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
