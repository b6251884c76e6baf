using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Imports.Monitoring;

/// <summary>What the import monitor lists: by dealer, file type, status and the UTC date the file was received.</summary>
public sealed record ImportFileFilter
{
    public long? DealerId { get; init; }
    public ImportFileType? FileType { get; init; }
    public ImportStatus? Status { get; init; }
    /// <summary>First UTC day received (inclusive).</summary>
    public DateOnly? From { get; init; }
    /// <summary>Last UTC day received (inclusive).</summary>
    public DateOnly? To { get; init; }
}

/// <summary>One file of the monitor's grid.</summary>
public sealed record ImportFileRow(
    long Id,
    DateTime ReceivedAt,
    string DealerCode,
    string DealerName,
    ImportFileType FileType,
    string OriginalName,
    ImportStatus Status,
    string? StatusReason,
    long RowsRead,
    long RowsRejected,
    long RowsDuplicate,
    long RowsInserted,
    long RowsUpdated,
    long RowsUnchanged,
    long ProgressRows,
    ImportChannel Channel,
    string DeliveredBy)
{
    public bool IsFinal => ImportProgressView.IsFinal(Status);

    public ImportProgressView Progress => ImportProgressView.For(Status, ProgressRows, RowsRead, RowsRejected, RowsDuplicate);
}

public sealed record ImportFilePage(IReadOnlyList<ImportFileRow> Rows, int Total);

/// <summary>Files and rows received on one UTC day (for the monitor's chart).</summary>
public sealed record ImportDayFigures(DateOnly Day, int Files, int FilesFailed, long RowsRead, long RowsRejected, long RowsInserted, long RowsUpdated);

/// <summary>The live state of one file, read again while it runs.</summary>
public sealed record ImportFileState(long Id, ImportStatus Status, string? StatusReason, long ProgressRows, long RowsRead, long RowsRejected,
    long RowsDuplicate, long RowsInserted, long RowsUpdated, long RowsUnchanged)
{
    public bool IsFinal => ImportProgressView.IsFinal(Status);

    public ImportProgressView Progress => ImportProgressView.For(Status, ProgressRows, RowsRead, RowsRejected, RowsDuplicate);
}

/// <summary>A dealer the user may pick (filter, upload).</summary>
public sealed record ImportDealerOption(long Id, string Code, string Name, string? DmsProvider);

/// <summary>
/// How far a running file has got, for a progress bar: the stage and, where the stage's total is known, a percentage.
/// The structure check counts the data rows (so its own total is unknown); staging then goes through that many rows,
/// and the merge through the rows that were staged (read minus rejected and duplicate).
/// </summary>
public sealed record ImportProgressView(string Stage, long Rows, double? Percent)
{
    public static bool IsFinal(ImportStatus status) => status is ImportStatus.Completed or ImportStatus.Failed or ImportStatus.Refused;

    public static ImportProgressView For(ImportStatus status, long progressRows, long rowsRead, long rowsRejected, long rowsDuplicate)
    {
        static double Percent(long done, long total) => total <= 0 ? 0 : Math.Clamp(100.0 * done / total, 0, 100);
        // Staging sets rejected rows and repeats within the file aside; the merge goes through the rest. (Rows the
        // merge itself rejects are counted as they happen, so the estimate runs slightly ahead: it is capped at 100.)
        var staged = rowsRead - rowsRejected - rowsDuplicate;

        return status switch
        {
            ImportStatus.Received => new("Waiting", 0, null),
            ImportStatus.Checking => new("Checking structure", progressRows, null),
            ImportStatus.Staging => new("Validating rows", progressRows, rowsRead > 0 ? Percent(progressRows, rowsRead) : null),
            ImportStatus.Merging => new("Merging", progressRows, staged > 0 ? Percent(progressRows, staged) : null),
            _ => new(status.ToString(), rowsRead, 100),
        };
    }
}

/// <summary>
/// The import monitor's reads. Every method works on the caller's context: given the user-scoped one, the tenant
/// filters decide which files are visible (a group's users see their group's files only).
/// </summary>
public static class ImportMonitorQuery
{
    public static IQueryable<ImportFile> Apply(IQueryable<ImportFile> files, ImportFileFilter filter)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.DealerId is { } dealer)
        {
            files = files.Where(f => f.DealerId == dealer);
        }

        if (filter.FileType is { } type)
        {
            files = files.Where(f => f.FileType == type);
        }

        if (filter.Status is { } status)
        {
            files = files.Where(f => f.Status == status);
        }

        if (filter.From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            files = files.Where(f => f.ReceivedAt >= start);
        }

        if (filter.To is { } to)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            files = files.Where(f => f.ReceivedAt < end);
        }

        return files;
    }

    /// <summary>One page of files, newest first, and how many match.</summary>
    public static async Task<ImportFilePage> SearchAsync(CrmDbContext db, ImportFileFilter filter, int skip, int take,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var query = Apply(db.ImportFiles.AsNoTracking(), filter);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderByDescending(f => f.ReceivedAt).ThenByDescending(f => f.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500))
            .Select(f => new ImportFileRow(f.Id, f.ReceivedAt, f.Dealer!.Code, f.Dealer.Name, f.FileType, f.OriginalName, f.Status,
                f.StatusReason, f.RowsRead, f.RowsRejected, f.RowsDuplicate, f.RowsInserted, f.RowsUpdated, f.RowsUnchanged,
                f.ProgressRows, f.Channel, f.DeliveredBy))
            .ToListAsync(cancellationToken);
        return new ImportFilePage(rows, total);
    }

    /// <summary>
    /// Files and rows per UTC day for the <paramref name="days"/> days up to <paramref name="lastDay"/> (every day
    /// present, zero when nothing came), with the filter's dealer, type and status applied.
    /// </summary>
    public static async Task<IReadOnlyList<ImportDayFigures>> PerDayAsync(CrmDbContext db, ImportFileFilter filter, DateOnly lastDay, int days,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        var firstDay = lastDay.AddDays(1 - Math.Clamp(days, 1, 366));
        var query = Apply(db.ImportFiles.AsNoTracking(), filter with { From = firstDay, To = lastDay });
        // A few columns per file of the period, summed here: a day's files are few (dealers x types), and grouping
        // by the date part of a timestamp translates differently on every provider.
        var files = await query
            .Select(f => new { f.ReceivedAt, f.Status, f.RowsRead, f.RowsRejected, f.RowsInserted, f.RowsUpdated })
            .ToListAsync(cancellationToken);
        var byDay = files.ToLookup(f => DateOnly.FromDateTime(f.ReceivedAt));
        var result = new List<ImportDayFigures>();
        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            var of = byDay[day].ToList();
            result.Add(new ImportDayFigures(day, of.Count, of.Count(f => f.Status == ImportStatus.Failed), of.Sum(f => f.RowsRead),
                of.Sum(f => f.RowsRejected), of.Sum(f => f.RowsInserted), of.Sum(f => f.RowsUpdated)));
        }

        return result;
    }

    /// <summary>The current state of the given files (those still visible).</summary>
    public static async Task<IReadOnlyDictionary<long, ImportFileState>> StatesAsync(CrmDbContext db, IReadOnlyCollection<long> ids,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return new Dictionary<long, ImportFileState>();
        }

        var list = ids.ToList();
        return await db.ImportFiles.AsNoTracking()
            .Where(f => list.Contains(f.Id))
            .Select(f => new ImportFileState(f.Id, f.Status, f.StatusReason, f.ProgressRows, f.RowsRead, f.RowsRejected, f.RowsDuplicate,
                f.RowsInserted, f.RowsUpdated, f.RowsUnchanged))
            .ToDictionaryAsync(s => s.Id, cancellationToken);
    }

    /// <summary>The dealers visible in the context's scope, by code; only <paramref name="onlyDealerId"/> when given (a dealer-level user).</summary>
    public static async Task<IReadOnlyList<ImportDealerOption>> DealersAsync(CrmDbContext db, long? onlyDealerId = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var dealers = db.Dealers.AsNoTracking();
        if (onlyDealerId is { } only)
        {
            dealers = dealers.Where(d => d.Id == only);
        }

        return await dealers.OrderBy(d => d.Code)
            .Select(d => new ImportDealerOption(d.Id, d.Code, d.Name, d.DmsProvider))
            .ToListAsync(cancellationToken);
    }
}
