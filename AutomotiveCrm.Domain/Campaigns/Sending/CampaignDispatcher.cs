using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace AutomotiveCrm.Domain.Campaigns.Sending;

/// <summary>What one dispatch pass did.</summary>
public sealed record DispatchResult(int Sent, int Retrying, int Failed, int Skipped, int RunsCompleted)
{
    public int Handled => Sent + Retrying + Failed + Skipped;
}

/// <summary>
/// Sends the queued e-mail messages of running campaign runs, exactly once per (run, recipient) as far as SMTP allows.
/// </summary>
/// <remarks>
/// <para>The protocol, per message row: (1) claim: in one commit with the rest of its batch, the row moves to Sending,
/// its attempt count goes up, it gets its Message-ID <c>&lt;campaign-{runId}-{rowId}@{domain}&gt;</c> and a lease
/// (<see cref="CampaignMessage.NextAttemptAt"/> = now + <see cref="CampaignSendingSettings.SendingLeaseSeconds"/>);
/// (2) submit over SMTP; (3) when the server has accepted, commit Sent. A row is only ever submitted by the dispatcher
/// that claimed it (the claim is a conditional update), and a Sent row is never submitted again.</para>
/// <para>A process that dies leaves its claimed rows in Sending. Whether the one in flight was accepted is unknown, so
/// such rows are not blindly resent at start-up: they wait until the lease runs out (another instance may still be
/// working on them) and are then claimed again and resubmitted with the same, deterministic Message-ID, which
/// receivers use to drop a duplicate. So the guarantee at the SMTP level is: at most one accepted submission per row,
/// unless the process died between the server's acceptance and the Sent commit, in which case the same Message-ID is
/// submitted once more. A pass submits over <see cref="CampaignSendingSettings.Connections"/> connections at once, so
/// a crash can catch one such row per connection. No row is ever skipped by a crash.</para>
/// <para>Failures: a 4xx reply or a connection error puts the row back to Queued with an exponential back-off
/// (<see cref="CampaignSendingSettings.RetryBaseSeconds"/> x 2^(attempt-1)) until
/// <see cref="CampaignSendingSettings.MaxAttempts"/>, then Failed; a 5xx reply fails it at once with the server's
/// reason. Submissions are throttled by a token bucket shared by all passes of this dispatcher.</para>
/// </remarks>
public sealed class CampaignDispatcher
{
    private readonly Func<CrmDbContext> contexts;
    private readonly ICampaignMailTransportFactory transports;
    private readonly CampaignSendingSettings settings;
    private readonly UnsubscribeLinks unsubscribe;
    private readonly TimeProvider clock;
    private readonly SendThrottle throttle;
    private readonly Dictionary<long, PreparedRun> runs = [];
    private readonly Dictionary<long, Campaign?> campaigns = [];

    public CampaignDispatcher(Func<CrmDbContext> contexts, ICampaignMailTransportFactory transports, CampaignSendingSettings settings,
        UnsubscribeLinks unsubscribe, TimeProvider clock, SendThrottle? throttle = null)
    {
        this.contexts = contexts;
        this.transports = transports;
        this.settings = settings;
        this.unsubscribe = unsubscribe;
        this.clock = clock;
        this.throttle = throttle ?? new SendThrottle(settings.SendRatePerSecond);
    }

    /// <summary>Called after the SMTP server accepted a message and before its Sent commit (tests simulate a crash here).</summary>
    public Func<CampaignMessage, CancellationToken, Task>? AfterAccepted { get; set; }

    /// <summary>Changes each rendered e-mail before submission (tracking: link rewriting and the open pixel).</summary>
    public Tracking.ICampaignEmailDecorator? Decorator { get; set; }

    /// <summary>The Message-ID of a row (without angle brackets, as MimeKit takes it).</summary>
    public static string MessageIdFor(long runId, long messageId, string domain) => $"campaign-{runId}-{messageId}@{domain}";

    /// <summary>Sends everything due now, batch after batch, then completes the runs that have nothing left open.</summary>
    public async Task<DispatchResult> DispatchDueAsync(CancellationToken cancellationToken)
    {
        int sent = 0, retrying = 0, failed = 0, skipped = 0;
        await using var transport = new TransportPool(transports, settings.Connections);
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await ClaimAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var outcome in await SendBatchAsync(batch, transport, cancellationToken))
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

    private sealed record Claimed(long Id, long RunId, long MemberId, long CustomerId, long DealerGroupId, string Address, string MessageId, int Attempts);

    /// <summary>Moves up to a batch of due rows to Sending in one commit; rows another dispatcher took meanwhile are left out.</summary>
    private async Task<List<Claimed>> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        var lease = now.AddSeconds(settings.SendingLeaseSeconds);
        await using var db = contexts();
        var candidates = await db.CampaignMessages
            .Where(m => m.Channel == CampaignChannelKind.Email
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

        var domain = settings.EffectiveMessageIdDomain;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var c in candidates)
        {
            var messageId = MessageIdFor(c.RunId, c.Id, domain);
            // A lease that ran out means the claimer died mid-submission: say so on the row, the resend is deliberate.
            var note = c.State == MessageState.Sending ? "interrupted submission: resent with the same Message-ID" : null;
            var taken = await db.CampaignMessages
                .Where(m => m.Id == c.Id && m.State == c.State && m.Attempts == c.Attempts)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.State, MessageState.Sending)
                    .SetProperty(m => m.Attempts, c.Attempts + 1)
                    .SetProperty(m => m.MessageId, "<" + messageId + ">")
                    .SetProperty(m => m.NextAttemptAt, lease)
                    .SetProperty(m => m.LastError, m => note ?? m.LastError), cancellationToken);
            if (taken == 1)
            {
                claimed.Add(new Claimed(c.Id, c.RunId, c.MemberId, c.CustomerId, c.DealerGroupId, c.Address ?? "", messageId, c.Attempts + 1));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    /// <summary>One composed message waiting for submission.</summary>
    private sealed record Outgoing(Claimed Row, MimeMessage Message);

    /// <summary>
    /// Decides every row of the batch in one context (skips and failures are written at once, the rest composed),
    /// then submits the composed messages over the pass's connections: with one connection strictly in row order,
    /// with more each connection takes the next message from a shared queue and commits Sent for it on a context of
    /// its own, so the submissions and the Sent commits of different connections overlap.
    /// </summary>
    private async Task<List<MessageState>> SendBatchAsync(List<Claimed> batch, TransportPool transports, CancellationToken cancellationToken)
    {
        var outcomes = new List<MessageState>(batch.Count);
        var outgoing = new List<Outgoing>(batch.Count);
        await using (var db = contexts())
        {
            var running = await RunningAsync(db, batch.Select(b => b.RunId).Distinct().ToList(), cancellationToken);
            var suppressed = await SuppressedAsync(db, batch, running, cancellationToken);
            var withdrawn = await ConsentWithdrawnAsync(db, batch, running, cancellationToken);
            var merge = await MergeDataAsync(db, batch, cancellationToken);
            foreach (var row in batch)
            {
                // A run cancelled after this batch was claimed: its rows were never submitted.
                if (!running.ContainsKey(row.RunId))
                {
                    outcomes.Add(await SkipAsync(db, row, CampaignRuns.SkipRunCancelled, cancellationToken));
                    continue;
                }

                if (suppressed.Contains(row.Id))
                {
                    outcomes.Add(await SkipAsync(db, row, CampaignRuns.SkipSuppressed, cancellationToken));
                    continue;
                }

                if (withdrawn.Contains(row.Id))
                {
                    outcomes.Add(await SkipAsync(db, row, CampaignRuns.SkipConsentWithdrawn, cancellationToken));
                    continue;
                }

                if (!merge.TryGetValue(row.MemberId, out var data))
                {
                    outcomes.Add(await SkipAsync(db, row, "customer no longer exists", cancellationToken));
                    continue;
                }

                var prepared = await PrepareAsync(db, row.RunId, cancellationToken);
                if (prepared.Error is not null)
                {
                    outcomes.Add(await FailAsync(db, row, prepared.Error, cancellationToken));
                    continue;
                }

                var url = unsubscribe.UrlFor(row.Id);
                var rendered = prepared.Template!.Render(data, url);
                if (Decorator is { } decorator)
                {
                    rendered = await decorator.DecorateAsync(new Tracking.CampaignEmailContext(row.Id, row.RunId), rendered, cancellationToken);
                }

                outgoing.Add(new Outgoing(row, Compose(prepared, row, rendered, url)));
            }
        }

        if (outgoing.Count == 0)
        {
            return outcomes;
        }

        // One lane takes the messages strictly in row order; more take the next one from the shared queue.
        var lanes = Math.Min(transports.Count, outgoing.Count);
        var next = -1;
        var submitted = new MessageState[outgoing.Count];
        await Task.WhenAll(Enumerable.Range(0, lanes).Select(lane => Task.Run(async () =>
        {
            await using var db = contexts();
            int index;
            while ((index = Interlocked.Increment(ref next)) < outgoing.Count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                submitted[index] = await SubmitAsync(db, transports[lane], outgoing[index], cancellationToken);
            }
        }, CancellationToken.None)));
        outcomes.AddRange(submitted);
        return outcomes;
    }

    /// <summary>Submits one message and records the outcome: Sent once accepted, retry or failure otherwise.</summary>
    private async Task<MessageState> SubmitAsync(CrmDbContext db, ICampaignMailTransport transport, Outgoing item, CancellationToken cancellationToken)
    {
        var row = item.Row;
        await throttle.WaitAsync(cancellationToken);
        try
        {
            await transport.SendAsync(item.Message, cancellationToken);
        }
        catch (CampaignSendException ex) when (ex.Permanent || row.Attempts >= settings.MaxAttempts)
        {
            return await FailAsync(db, row, ex.Message, cancellationToken);
        }
        catch (CampaignSendException ex)
        {
            return await RetryLaterAsync(db, row, ex.Message, cancellationToken);
        }

        if (AfterAccepted is { } hook)
        {
            await hook(new CampaignMessage { Id = row.Id, RunId = row.RunId, MemberId = row.MemberId, CustomerId = row.CustomerId, MessageId = row.MessageId },
                cancellationToken);
        }

        // Not cancellable: the server has the message, so recording that must not be abandoned half-way.
        var now = Now;
        await db.CampaignMessages.Where(m => m.Id == row.Id && m.State == MessageState.Sending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, MessageState.Sent)
                .SetProperty(m => m.SentAt, now)
                .SetProperty(m => m.NextAttemptAt, (DateTime?)null), CancellationToken.None);
        return MessageState.Sent;
    }

    /// <summary>
    /// The pass's SMTP connections (<see cref="CampaignSendingSettings.Connections"/>), each opened on its first use
    /// and closed when the pass ends.
    /// </summary>
    private sealed class TransportPool(ICampaignMailTransportFactory factory, int count) : IAsyncDisposable
    {
        private readonly ICampaignMailTransport?[] transports = new ICampaignMailTransport?[Math.Max(1, count)];

        public int Count => transports.Length;

        public ICampaignMailTransport this[int lane] => transports[lane] ??= factory.Open();

        public async ValueTask DisposeAsync()
        {
            foreach (var transport in transports)
            {
                if (transport is not null)
                {
                    await transport.DisposeAsync();
                }
            }
        }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private MimeMessage Compose(PreparedRun prepared, Claimed row, RenderedEmail rendered, string url)
    {
        var message = new MimeMessage { MessageId = row.MessageId, Subject = rendered.Subject, Date = clock.GetUtcNow() };
        var senderAddress = string.IsNullOrWhiteSpace(rendered.SenderEmail) ? settings.EffectiveDefaultFrom.Address : rendered.SenderEmail;
        message.From.Add(new MailboxAddress(rendered.SenderName.Length > 0 ? rendered.SenderName : settings.EffectiveDefaultFrom.Name, senderAddress));
        message.To.Add(MailboxAddress.Parse(row.Address));
        // RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs "List-Unsubscribe=One-Click".
        message.Headers.Add("List-Unsubscribe", $"<{url}>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.Headers.Add("X-Campaign-Run", row.RunId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        message.Body = new MultipartAlternative
        {
            new TextPart("plain") { Text = rendered.Text },
            new TextPart("html") { Text = rendered.Html },
        };
        return message;
    }

    private static async Task<MessageState> SkipAsync(CrmDbContext db, Claimed row, string reason, CancellationToken cancellationToken)
    {
        await db.CampaignMessages.Where(m => m.Id == row.Id && m.State == MessageState.Sending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, MessageState.Skipped)
                .SetProperty(m => m.SkipReason, reason)
                .SetProperty(m => m.NextAttemptAt, (DateTime?)null), cancellationToken);
        return MessageState.Skipped;
    }

    private static async Task<MessageState> FailAsync(CrmDbContext db, Claimed row, string reason, CancellationToken cancellationToken)
    {
        var error = Truncate(reason);
        await db.CampaignMessages.Where(m => m.Id == row.Id && m.State == MessageState.Sending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, MessageState.Failed)
                .SetProperty(m => m.LastError, error)
                .SetProperty(m => m.NextAttemptAt, (DateTime?)null), cancellationToken);
        return MessageState.Failed;
    }

    private async Task<MessageState> RetryLaterAsync(CrmDbContext db, Claimed row, string reason, CancellationToken cancellationToken)
    {
        var error = Truncate(reason);
        var next = Now.AddSeconds(settings.RetryBaseSeconds * Math.Pow(2, row.Attempts - 1));
        await db.CampaignMessages.Where(m => m.Id == row.Id && m.State == MessageState.Sending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, MessageState.Queued)
                .SetProperty(m => m.LastError, error)
                .SetProperty(m => m.NextAttemptAt, next), cancellationToken);
        return MessageState.Queued;
    }

    private static string Truncate(string text) => text.Length <= 2000 ? text : text[..2000];

    /// <summary>The batch's runs still running, with their networks.</summary>
    private static Task<Dictionary<long, long>> RunningAsync(CrmDbContext db, List<long> runIds, CancellationToken cancellationToken) =>
        db.CampaignRuns.Where(r => runIds.Contains(r.Id) && r.Status == CampaignRunStatus.Running)
            .ToDictionaryAsync(r => r.Id, r => r.NetworkId, cancellationToken);

    /// <summary>Rows whose address was suppressed since the run started (an unsubscribe or bounce in the meantime).</summary>
    private static async Task<HashSet<long>> SuppressedAsync(CrmDbContext db, List<Claimed> batch, Dictionary<long, long> runNetworks,
        CancellationToken cancellationToken)
    {
        var addresses = batch.Select(b => b.Address.Trim().ToLowerInvariant()).Distinct().ToList();
        var hits = await db.Suppressions.Where(s => s.Channel == CampaignChannelKind.Email && addresses.Contains(s.Address))
            .Select(s => new { s.Address, s.NetworkId, s.DealerGroupId })
            .ToListAsync(cancellationToken);
        if (hits.Count == 0)
        {
            return [];
        }

        return batch.Where(b => runNetworks.TryGetValue(b.RunId, out var network) && hits.Any(h =>
                h.NetworkId == network && (h.DealerGroupId is null || h.DealerGroupId == b.DealerGroupId)
                && string.Equals(h.Address, b.Address.Trim(), StringComparison.OrdinalIgnoreCase)))
            .Select(b => b.Id).ToHashSet();
    }

    /// <summary>
    /// Rows whose customer the campaign may no longer contact by e-mail: consent withdrawn (or the address gone) after
    /// the run froze its audience. One statement per run in the batch; the audience filter itself is not re-applied.
    /// </summary>
    private async Task<HashSet<long>> ConsentWithdrawnAsync(CrmDbContext db, List<Claimed> batch, Dictionary<long, long> running,
        CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(Now);
        var withdrawn = new HashSet<long>();
        foreach (var rows in batch.Where(b => running.ContainsKey(b.RunId)).GroupBy(b => b.RunId))
        {
            if (!campaigns.TryGetValue(rows.Key, out var campaign))
            {
                campaign = await db.CampaignRuns.Where(r => r.Id == rows.Key)
                    .Join(db.Campaigns, r => r.CampaignId, c => c.Id, (r, c) => c)
                    .AsNoTracking().FirstOrDefaultAsync(cancellationToken);
                campaigns[rows.Key] = campaign;
            }

            if (campaign is null)
            {
                continue;
            }

            var reachable = await Audience.AudienceQuery.StillReachableAsync(db, campaign, CampaignChannelKind.Email,
                rows.Select(r => r.CustomerId).Distinct().ToList(), today, cancellationToken);
            withdrawn.UnionWith(rows.Where(r => !reachable.Contains(r.CustomerId)).Select(r => r.Id));
        }

        return withdrawn;
    }

    private static async Task<Dictionary<long, MergeData>> MergeDataAsync(CrmDbContext db, List<Claimed> batch, CancellationToken cancellationToken)
    {
        var memberIds = batch.Select(b => b.MemberId).ToList();
        var members = await db.CampaignRunMembers.Where(m => memberIds.Contains(m.Id))
            .Select(m => new Content.MergeRecipient(m.Id, m.CustomerId, m.OnBehalfOfDealerId, m.Email))
            .ToListAsync(cancellationToken);
        return await Content.MergeDataLoader.LoadAsync(db, members, cancellationToken);
    }

    private sealed record PreparedRun(CampaignEmailTemplate? Template, string? SenderEmail, string? Error);

    private async Task<PreparedRun> PrepareAsync(CrmDbContext db, long runId, CancellationToken cancellationToken)
    {
        if (runs.TryGetValue(runId, out var prepared))
        {
            return prepared;
        }

        var content = await db.CampaignRuns.Where(r => r.Id == runId)
            .Join(db.CampaignContents, r => r.CampaignId, c => c.CampaignId, (r, c) => c)
            .FirstOrDefaultAsync(c => c.Channel == CampaignChannelKind.Email, cancellationToken);
        try
        {
            prepared = content is null
                ? new PreparedRun(null, null, "the campaign has no e-mail content")
                : new PreparedRun(CampaignEmailTemplate.Compile(content), content.SenderEmail, null);
        }
        catch (Common.DomainException ex)
        {
            prepared = new PreparedRun(null, null, ex.Message);
        }

        runs[runId] = prepared;
        return prepared;
    }

    /// <summary>Running runs with no message left Queued or Sending are complete.</summary>
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
