using System.Globalization;
using AutomotiveCrm.Domain.Campaigns.Content;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Persistence;
using Fluid;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Campaigns.Sms;

/// <summary>
/// Sends the queued SMS messages of running runs through an <see cref="ISmsSender"/>, once per (run, recipient), with
/// the protocol of <see cref="CampaignDispatcher"/>: a row is claimed (Sending, attempt counted, lease set) in a
/// commit before its submission, committed Sent with the provider's id after it, and a row left in Sending by a dead
/// process is only resubmitted after its lease ran out, under the same reference (<c>campaign-{run}-{row}</c>) so a
/// provider that deduplicates by reference drops the copy. Transient failures are retried with exponential back-off
/// up to the configured attempts, permanent ones fail the row with the provider's reason.
/// </summary>
public sealed class SmsDispatcher
{
    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = new() { CultureInfo = CultureInfo.InvariantCulture };

    private readonly Func<CrmDbContext> contexts;
    private readonly ISmsSender sender;
    private readonly CampaignSendingSettings settings;
    private readonly SmsSettings smsSettings;
    private readonly TimeProvider clock;
    private readonly SendThrottle throttle;
    private readonly Dictionary<long, PreparedRun> runs = [];

    public SmsDispatcher(Func<CrmDbContext> contexts, ISmsSender sender, CampaignSendingSettings settings, SmsSettings smsSettings, TimeProvider clock,
        SendThrottle? throttle = null)
    {
        this.contexts = contexts;
        this.sender = sender;
        this.settings = settings;
        this.smsSettings = smsSettings;
        this.clock = clock;
        this.throttle = throttle ?? new SendThrottle(smsSettings.SendRatePerSecond);
    }

    /// <summary>Called after the provider accepted a message and before its Sent commit (tests simulate a crash here).</summary>
    public Func<long, CancellationToken, Task>? AfterAccepted { get; set; }

    public static string ReferenceFor(long runId, long messageId) => $"campaign-{runId}-{messageId}";

    public async Task<DispatchResult> DispatchDueAsync(CancellationToken cancellationToken)
    {
        int sent = 0, retrying = 0, failed = 0, skipped = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await ClaimAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var outcome in await SendBatchAsync(batch, cancellationToken))
            {
                switch (outcome)
                {
                    case MessageState.Sent: sent++; break;
                    case MessageState.Queued: retrying++; break;
                    case MessageState.Failed: failed++; break;
                    default: skipped++; break;
                }
            }
        }

        var completed = await CompleteRunsAsync(cancellationToken);
        return new DispatchResult(sent, retrying, failed, skipped, completed);
    }

    private sealed record Claimed(long Id, long RunId, long MemberId, long CustomerId, long DealerGroupId, string Address, int Attempts);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task<List<Claimed>> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        var lease = now.AddSeconds(settings.SendingLeaseSeconds);
        await using var db = contexts();
        var candidates = await db.CampaignMessages
            .Where(m => m.Channel == CampaignChannelKind.Sms
                && ((m.State == MessageState.Queued && (m.NextAttemptAt == null || m.NextAttemptAt <= now))
                    || (m.State == MessageState.Sending && m.NextAttemptAt <= now)))
            .Where(m => db.CampaignRuns.Any(r => r.Id == m.RunId && r.Status == CampaignRunStatus.Running))
            .OrderBy(m => m.Id)
            .Take(Math.Max(1, settings.BatchSize))
            .Select(m => new { m.Id, m.RunId, m.MemberId, m.CustomerId, m.DealerGroupId, m.Address, m.State, m.Attempts })
            .ToListAsync(cancellationToken);
        var claimed = new List<Claimed>(candidates.Count);
        if (candidates.Count == 0)
        {
            return claimed;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var c in candidates)
        {
            var reference = ReferenceFor(c.RunId, c.Id);
            var note = c.State == MessageState.Sending ? "interrupted submission: resent with the same reference" : null;
            var taken = await db.CampaignMessages
                .Where(m => m.Id == c.Id && m.State == c.State && m.Attempts == c.Attempts)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.State, MessageState.Sending)
                    .SetProperty(m => m.Attempts, c.Attempts + 1)
                    .SetProperty(m => m.MessageId, reference)
                    .SetProperty(m => m.NextAttemptAt, lease)
                    .SetProperty(m => m.LastError, m => note ?? m.LastError), cancellationToken);
            if (taken == 1)
            {
                claimed.Add(new Claimed(c.Id, c.RunId, c.MemberId, c.CustomerId, c.DealerGroupId, c.Address ?? "", c.Attempts + 1));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    private async Task<List<MessageState>> SendBatchAsync(List<Claimed> batch, CancellationToken cancellationToken)
    {
        var outcomes = new List<MessageState>(batch.Count);
        await using var db = contexts();
        var runIds = batch.Select(b => b.RunId).Distinct().ToList();
        var running = await db.CampaignRuns.Where(r => runIds.Contains(r.Id) && r.Status == CampaignRunStatus.Running)
            .ToDictionaryAsync(r => r.Id, r => r.NetworkId, cancellationToken);
        var numbers = batch.Select(b => b.Address).Distinct().ToList();
        var suppressions = await db.Suppressions.Where(s => s.Channel == CampaignChannelKind.Sms && numbers.Contains(s.Address))
            .Select(s => new { s.Address, s.NetworkId, s.DealerGroupId })
            .ToListAsync(cancellationToken);
        var memberIds = batch.Select(b => b.MemberId).ToList();
        var recipients = await db.CampaignRunMembers.Where(m => memberIds.Contains(m.Id))
            .Select(m => new MergeRecipient(m.Id, m.CustomerId, m.OnBehalfOfDealerId, m.Email))
            .ToListAsync(cancellationToken);
        var merge = await MergeDataLoader.LoadAsync(db, recipients, cancellationToken);
        foreach (var row in batch)
        {
            if (!running.TryGetValue(row.RunId, out var network))
            {
                outcomes.Add(await FinishAsync(db, row, MessageState.Skipped, CampaignRuns.SkipRunCancelled, cancellationToken));
                continue;
            }

            if (suppressions.Any(s => s.Address == row.Address && s.NetworkId == network && (s.DealerGroupId is null || s.DealerGroupId == row.DealerGroupId)))
            {
                outcomes.Add(await FinishAsync(db, row, MessageState.Skipped, SmsRunQueue.SkipSuppressed, cancellationToken));
                continue;
            }

            if (!merge.TryGetValue(row.MemberId, out var data))
            {
                outcomes.Add(await FinishAsync(db, row, MessageState.Skipped, "customer no longer exists", cancellationToken));
                continue;
            }

            var prepared = await PrepareAsync(db, row.RunId, cancellationToken);
            if (prepared.Error is not null)
            {
                outcomes.Add(await FinishAsync(db, row, MessageState.Failed, prepared.Error, cancellationToken));
                continue;
            }

            var text = prepared.Template!.Render(MergeFields.Context(data, "", Options), NullEncoder.Default).Trim();
            await throttle.WaitAsync(cancellationToken);
            string providerId;
            try
            {
                providerId = await sender.SendAsync(new SmsMessage(row.Address, prepared.SenderId, text, ReferenceFor(row.RunId, row.Id)), cancellationToken);
            }
            catch (SmsSendException ex) when (ex.Permanent || row.Attempts >= settings.MaxAttempts)
            {
                outcomes.Add(await FinishAsync(db, row, MessageState.Failed, ex.Message, cancellationToken));
                continue;
            }
            catch (SmsSendException ex)
            {
                var next = Now.AddSeconds(settings.RetryBaseSeconds * Math.Pow(2, row.Attempts - 1));
                var error = Truncate(ex.Message);
                await db.CampaignMessages.Where(m => m.Id == row.Id && m.State == MessageState.Sending)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(m => m.State, MessageState.Queued)
                        .SetProperty(m => m.LastError, error)
                        .SetProperty(m => m.NextAttemptAt, next), cancellationToken);
                outcomes.Add(MessageState.Queued);
                continue;
            }

            if (AfterAccepted is { } hook)
            {
                await hook(row.Id, cancellationToken);
            }

            // Not cancellable: the provider has the message, so recording that must not be abandoned half-way.
            var now = Now;
            var id = providerId.Length <= 300 ? providerId : providerId[..300];
            await db.CampaignMessages.Where(m => m.Id == row.Id && m.State == MessageState.Sending)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.State, MessageState.Sent)
                    .SetProperty(m => m.MessageId, id)
                    .SetProperty(m => m.SentAt, now)
                    .SetProperty(m => m.NextAttemptAt, (DateTime?)null), CancellationToken.None);
            outcomes.Add(MessageState.Sent);
        }

        return outcomes;
    }

    private static async Task<MessageState> FinishAsync(CrmDbContext db, Claimed row, MessageState state, string reason, CancellationToken cancellationToken)
    {
        var text = Truncate(reason);
        var query = db.CampaignMessages.Where(m => m.Id == row.Id && m.State == MessageState.Sending);
        if (state == MessageState.Skipped)
        {
            var skip = text.Length <= 300 ? text : text[..300];
            await query.ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, state)
                .SetProperty(m => m.SkipReason, skip)
                .SetProperty(m => m.NextAttemptAt, (DateTime?)null), cancellationToken);
        }
        else
        {
            await query.ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, state)
                .SetProperty(m => m.LastError, text)
                .SetProperty(m => m.NextAttemptAt, (DateTime?)null), cancellationToken);
        }

        return state;
    }

    private static string Truncate(string text) => text.Length <= 2000 ? text : text[..2000];

    private sealed record PreparedRun(IFluidTemplate? Template, string? SenderId, string? Error);

    private async Task<PreparedRun> PrepareAsync(CrmDbContext db, long runId, CancellationToken cancellationToken)
    {
        if (runs.TryGetValue(runId, out var prepared))
        {
            return prepared;
        }

        var content = await db.CampaignRuns.Where(r => r.Id == runId)
            .Join(db.CampaignContents, r => r.CampaignId, c => c.CampaignId, (r, c) => c)
            .FirstOrDefaultAsync(c => c.Channel == CampaignChannelKind.Sms, cancellationToken);
        var senderId = string.IsNullOrWhiteSpace(content?.SmsSenderId) ? smsSettings.DefaultSenderId : content.SmsSenderId;
        prepared = content is null || string.IsNullOrWhiteSpace(content.BodyText) ? new PreparedRun(null, null, "the campaign has no SMS text")
            : Parser.TryParse(content.BodyText, out var template, out var error) ? new PreparedRun(template, string.IsNullOrWhiteSpace(senderId) ? null : senderId.Trim(), null)
            : new PreparedRun(null, null, $"the SMS text has a merge-field error: {error}");
        runs[runId] = prepared;
        return prepared;
    }

    /// <summary>Running runs with no message of any channel left Queued or Sending are complete.</summary>
    private async Task<int> CompleteRunsAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        await using var db = contexts();
        return await db.CampaignRuns
            .Where(r => r.Status == CampaignRunStatus.Running
                && !db.CampaignMessages.Any(m => m.RunId == r.Id && (m.State == MessageState.Queued || m.State == MessageState.Sending)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, CampaignRunStatus.Completed)
                .SetProperty(r => r.FinishedAt, now), cancellationToken);
    }
}
