using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Audience;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Campaigns.Audience;

/// <summary>
/// The builder's live count and preview page. Each edit calls <see cref="Request"/>: the request waits
/// <see cref="Debounce"/> for the next edit, and any newer request cancels the one still waiting or running (the token
/// reaches the database command: SQLite interrupts it, PostgreSQL cancels it). Only the latest request reports.
/// </summary>
public sealed class AudienceLiveCount(IDbContextFactory<CrmDbContext> contexts, TimeProvider clock) : IDisposable
{
    private readonly Lock _gate = new();
    private CancellationTokenSource? _current;
    private Task _running = Task.CompletedTask;

    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(300);

    public int? Count { get; private set; }

    public IReadOnlyList<AudiencePreviewRow> Preview { get; private set; } = [];

    public int Page { get; private set; }

    public bool Busy { get; private set; }

    /// <summary>Why there is no count: the audience is not valid yet, or the query failed.</summary>
    public string? Problem { get; private set; }

    /// <summary>How many requests were cancelled by a newer one (for the tests and the curious).</summary>
    public int Cancelled { get; private set; }

    /// <summary>Raised (on a pool thread) whenever the state above changes; components marshal with InvokeAsync.</summary>
    public event Action? Changed;

    /// <summary>The task of the latest request (tests await it).</summary>
    public Task Running => _running;

    public void Request(AudienceTarget target, AudienceDefinition definition, CampaignChannelKind? channel, int page = 0)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(definition);
        // A copy: the builder keeps editing its tree while this one is counted.
        var snapshot = definition.Clone();
        CancellationTokenSource next;
        lock (_gate)
        {
            if (_current is not null)
            {
                _current.Cancel();
                _current.Dispose();
                Cancelled++;
            }

            next = new CancellationTokenSource();
            _current = next;
        }

        Page = page;
        _running = RunAsync(target, snapshot, channel, page, next.Token);
    }

    private async Task RunAsync(AudienceTarget target, AudienceDefinition definition, CampaignChannelKind? channel, int page, CancellationToken cancellationToken)
    {
        try
        {
            var problems = AudienceValidator.Validate(definition);
            if (problems.Count > 0)
            {
                Report(null, [], problems[0], busy: false);
                return;
            }

            await Task.Delay(Debounce, clock, cancellationToken);
            Busy = true;
            Changed?.Invoke();
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var query = await AudienceQuery.BuildAsync(db, target, definition, channel, today, cancellationToken);
            var count = await AudiencePreview.CountAsync(query, cancellationToken);
            var rows = count == 0 ? [] : await AudiencePreview.PageAsync(query, page, AudiencePreview.DefaultPageSize, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            Report(count, rows, null, busy: false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A newer edit took over; it reports.
        }
        catch (DomainException ex)
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                Report(null, [], ex.Message, busy: false);
            }
        }
    }

    private void Report(int? count, IReadOnlyList<AudiencePreviewRow> rows, string? problem, bool busy)
    {
        Count = count;
        Preview = rows;
        Problem = problem;
        Busy = busy;
        Changed?.Invoke();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _current?.Cancel();
            _current?.Dispose();
            _current = null;
        }
    }
}
