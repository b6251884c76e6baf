using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Imports.Monitoring;

/// <summary>One dealer's import figures for a day (or the totals over all dealers when <see cref="DealerCode"/> is "Total").</summary>
public sealed record ImportKpiRow(
    string DealerCode,
    string DealerName,
    string GroupCode,
    int FilesReceived,
    int FilesCompleted,
    int FilesFailed,
    int FilesRefused,
    int FilesRunning,
    long RowsRead,
    long RowsRejected,
    long RowsDuplicate,
    long RowsInserted,
    long RowsUpdated,
    long RowsUnchanged)
{
    /// <summary>Rows that reached the main tables as new or changed records.</summary>
    public long RowsImported => RowsInserted + RowsUpdated;
}

/// <summary>A file of the day that failed or was refused, with the reason the pipeline recorded.</summary>
public sealed record ImportKpiFailure(long FileId, string DealerCode, ImportFileType FileType, string OriginalName, ImportStatus Status,
    DateTime ReceivedAt, string Reason);

/// <summary>The daily KPI report: per dealer of the scope, totals, and the failures of the day.</summary>
/// <param name="Day">The calendar day in <paramref name="TimeZoneId"/>.</param>
/// <param name="ScopeName">"Network" or the dealer group's name.</param>
public sealed record ImportKpiReport(
    DateOnly Day,
    string TimeZoneId,
    string ScopeName,
    IReadOnlyList<ImportKpiRow> Dealers,
    ImportKpiRow Totals,
    IReadOnlyList<ImportKpiFailure> Failures);

/// <summary>
/// Import KPIs per dealer for one day: files received, completed, failed, refused (and still running); rows read,
/// rejected, duplicate, inserted, updated, unchanged; the failures with their reasons. A file counts on the day it
/// was received, in the given time zone. Every dealer of the scope is listed, including those that sent nothing
/// (a missing delivery is a finding too).
/// </summary>
public static class ImportKpiQuery
{
    public const string TotalCode = "Total";

    /// <summary>
    /// The report through the caller's context: a user-scoped context limits it to what the user sees; a system
    /// context (the scheduled job) is limited by <paramref name="networkId"/> and <paramref name="groupId"/>
    /// (a subscription's scope: null is the whole network).
    /// </summary>
    public static async Task<ImportKpiReport> LoadAsync(CrmDbContext db, DateOnly day, TimeZoneInfo zone, long? networkId = null,
        long? groupId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(zone);
        var (start, end) = UtcBounds(day, zone);

        var dealerQuery = db.Dealers.AsNoTracking();
        var fileQuery = db.ImportFiles.AsNoTracking().Where(f => f.ReceivedAt >= start && f.ReceivedAt < end);
        if (networkId is { } network)
        {
            dealerQuery = dealerQuery.Where(d => d.DealerGroup!.NetworkId == network);
            fileQuery = fileQuery.Where(f => f.NetworkId == network);
        }

        if (groupId is { } group)
        {
            dealerQuery = dealerQuery.Where(d => d.DealerGroupId == group);
            fileQuery = fileQuery.Where(f => f.DealerGroupId == group);
        }

        var dealers = await dealerQuery
            .OrderBy(d => d.DealerGroup!.Code).ThenBy(d => d.Code)
            .Select(d => new { d.Id, d.Code, d.Name, GroupCode = d.DealerGroup!.Code })
            .ToListAsync(cancellationToken);
        var files = await fileQuery
            .Select(f => new
            {
                f.Id, f.DealerId, f.FileType, f.OriginalName, f.Status, f.StatusReason, f.ReceivedAt, f.RowsRead, f.RowsRejected,
                f.RowsDuplicate, f.RowsInserted, f.RowsUpdated, f.RowsUnchanged,
            })
            .ToListAsync(cancellationToken);
        var byDealer = files.ToLookup(f => f.DealerId);
        var codes = dealers.ToDictionary(d => d.Id, d => d.Code);

        var rows = dealers.Select(d =>
        {
            var of = byDealer[d.Id].ToList();
            return new ImportKpiRow(d.Code, d.Name, d.GroupCode, of.Count,
                of.Count(f => f.Status == ImportStatus.Completed), of.Count(f => f.Status == ImportStatus.Failed),
                of.Count(f => f.Status == ImportStatus.Refused), of.Count(f => !ImportProgressView.IsFinal(f.Status)),
                of.Sum(f => f.RowsRead), of.Sum(f => f.RowsRejected), of.Sum(f => f.RowsDuplicate), of.Sum(f => f.RowsInserted),
                of.Sum(f => f.RowsUpdated), of.Sum(f => f.RowsUnchanged));
        }).ToList();
        var totals = new ImportKpiRow(TotalCode, "All dealers", "", rows.Sum(r => r.FilesReceived), rows.Sum(r => r.FilesCompleted),
            rows.Sum(r => r.FilesFailed), rows.Sum(r => r.FilesRefused), rows.Sum(r => r.FilesRunning), rows.Sum(r => r.RowsRead),
            rows.Sum(r => r.RowsRejected), rows.Sum(r => r.RowsDuplicate), rows.Sum(r => r.RowsInserted), rows.Sum(r => r.RowsUpdated),
            rows.Sum(r => r.RowsUnchanged));
        var failures = files
            .Where(f => f.Status is ImportStatus.Failed or ImportStatus.Refused && codes.ContainsKey(f.DealerId))
            .OrderBy(f => f.ReceivedAt).ThenBy(f => f.Id)
            .Select(f => new ImportKpiFailure(f.Id, codes[f.DealerId], f.FileType, f.OriginalName, f.Status, f.ReceivedAt,
                string.IsNullOrWhiteSpace(f.StatusReason) ? "(no reason recorded)" : f.StatusReason))
            .ToList();

        var scopeName = groupId is { } g
            ? await db.DealerGroups.AsNoTracking().Where(x => x.Id == g).Select(x => x.Name).FirstOrDefaultAsync(cancellationToken) ?? "Dealer group"
            : db.Scope.GroupId is { } scoped
                ? await db.DealerGroups.AsNoTracking().Where(x => x.Id == scoped).Select(x => x.Name).FirstOrDefaultAsync(cancellationToken) ?? "Dealer group"
                : "Network";
        return new ImportKpiReport(day, zone.Id, scopeName, rows, totals, failures);
    }

    /// <summary>The UTC instants where <paramref name="day"/> starts and ends in <paramref name="zone"/>.</summary>
    public static (DateTime Start, DateTime End) UtcBounds(DateOnly day, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return (ToUtc(day.ToDateTime(TimeOnly.MinValue), zone), ToUtc(day.AddDays(1).ToDateTime(TimeOnly.MinValue), zone));
    }

    /// <summary>The calendar day an instant falls on in <paramref name="zone"/>.</summary>
    public static DateOnly DayOf(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    private static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        // Midnight can fall in a DST gap in a few zones: the first valid instant after it is the day's start.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone);
    }
}
