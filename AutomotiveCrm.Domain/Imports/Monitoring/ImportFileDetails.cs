using System.Runtime.CompilerServices;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Imports.Monitoring;

/// <summary>Everything the file audit knows about one file, for its detail page.</summary>
public sealed record ImportFileDetail(
    long Id,
    long DealerId,
    string DealerCode,
    string DealerName,
    string GroupName,
    ImportFileType FileType,
    long? ProfileId,
    string? ProfileName,
    string OriginalName,
    string StoredName,
    long SizeBytes,
    string Sha256,
    ImportChannel Channel,
    string DeliveredBy,
    long? ReprocessOfId,
    ImportStatus Status,
    string? StatusReason,
    DateTime ReceivedAt,
    DateTime? StartedAt,
    DateTime? CompletedAt,
    long RowsRead,
    long RowsRejected,
    long RowsDuplicate,
    long RowsInserted,
    long RowsUpdated,
    long RowsUnchanged,
    long ProgressRows,
    string? ArchivePath)
{
    public bool IsFinal => ImportProgressView.IsFinal(Status);

    public ImportProgressView Progress => ImportProgressView.For(Status, ProgressRows, RowsRead, RowsRejected, RowsDuplicate);

    /// <summary>How long processing took (or has taken so far, given the current time).</summary>
    public TimeSpan? Duration(DateTime now) => StartedAt is { } start ? (CompletedAt ?? now) - start : null;
}

/// <summary>A rejected row as shown and exported: its line, column, reason and raw text (plain text, never markup).</summary>
public sealed record ImportRejectRow(long LineNumber, string? Column, string Reason, string? RawText);

/// <summary>A row set aside as a duplicate.</summary>
public sealed record ImportDuplicateRow(long LineNumber, string RecordKey, ImportDuplicateKind Kind, long? FirstLineNumber, string? RawText);

public sealed record ImportRowsPage<T>(IReadOnlyList<T> Rows, int Total);

/// <summary>
/// Reads of one file's audit row, rejects and duplicates through the caller's context. A file outside the user's
/// scope is null / empty exactly like a missing one.
/// </summary>
public static class ImportFileDetails
{
    public static async Task<ImportFileDetail?> LoadAsync(CrmDbContext db, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.ImportFiles.AsNoTracking()
            .Where(f => f.Id == id)
            .Select(f => new ImportFileDetail(f.Id, f.DealerId, f.Dealer!.Code, f.Dealer.Name, f.Dealer.DealerGroup!.Name, f.FileType,
                f.ProfileId, f.Profile != null ? f.Profile.Name : null, f.OriginalName, f.StoredName, f.SizeBytes, f.Sha256, f.Channel,
                f.DeliveredBy, f.ReprocessOfId, f.Status, f.StatusReason, f.ReceivedAt, f.StartedAt, f.CompletedAt, f.RowsRead,
                f.RowsRejected, f.RowsDuplicate, f.RowsInserted, f.RowsUpdated, f.RowsUnchanged, f.ProgressRows, f.ArchivePath))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The visible file entity itself (for the pipeline's <c>OpenOriginal</c>), or null.</summary>
    public static Task<ImportFile?> FindAsync(CrmDbContext db, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.ImportFiles.AsNoTracking().Include(f => f.Dealer).FirstOrDefaultAsync(f => f.Id == id, cancellationToken);
    }

    public static async Task<ImportRowsPage<ImportRejectRow>> RejectsAsync(CrmDbContext db, long fileId, int skip, int take,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var query = db.ImportRejects.AsNoTracking().Where(r => r.ImportFileId == fileId);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(r => r.LineNumber).ThenBy(r => r.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500))
            .Select(r => new ImportRejectRow(r.LineNumber, r.Column, r.Reason, r.RawText))
            .ToListAsync(cancellationToken);
        return new ImportRowsPage<ImportRejectRow>(rows, total);
    }

    public static async Task<ImportRowsPage<ImportDuplicateRow>> DuplicatesAsync(CrmDbContext db, long fileId, int skip, int take,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var query = db.ImportDuplicates.AsNoTracking().Where(d => d.ImportFileId == fileId);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(d => d.LineNumber).ThenBy(d => d.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500))
            .Select(d => new ImportDuplicateRow(d.LineNumber, d.RecordKey, d.Kind, d.FirstLineNumber, d.RawText))
            .ToListAsync(cancellationToken);
        return new ImportRowsPage<ImportDuplicateRow>(rows, total);
    }

    /// <summary>Every reject of the file in line order, streamed in batches (a bad file can have millions).</summary>
    public static async IAsyncEnumerable<ImportRejectRow> StreamRejectsAsync(CrmDbContext db, long fileId,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        long afterLine = -1;
        long afterId = 0;
        while (true)
        {
            // Keyset pages in line order (the merge adds rejects after validation's), so no long-running reader holds the database.
            var batch = await db.ImportRejects.AsNoTracking()
                .Where(r => r.ImportFileId == fileId && (r.LineNumber > afterLine || (r.LineNumber == afterLine && r.Id > afterId)))
                .OrderBy(r => r.LineNumber).ThenBy(r => r.Id).Take(5000)
                .Select(r => new { r.Id, Row = new ImportRejectRow(r.LineNumber, r.Column, r.Reason, r.RawText) })
                .ToListAsync(cancellationToken);
            foreach (var item in batch)
            {
                yield return item.Row;
            }

            if (batch.Count < 5000)
            {
                yield break;
            }

            afterLine = batch[^1].Row.LineNumber;
            afterId = batch[^1].Id;
        }
    }

    public static async IAsyncEnumerable<ImportDuplicateRow> StreamDuplicatesAsync(CrmDbContext db, long fileId,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        long afterLine = -1;
        long afterId = 0;
        while (true)
        {
            var batch = await db.ImportDuplicates.AsNoTracking()
                .Where(d => d.ImportFileId == fileId && (d.LineNumber > afterLine || (d.LineNumber == afterLine && d.Id > afterId)))
                .OrderBy(d => d.LineNumber).ThenBy(d => d.Id).Take(5000)
                .Select(d => new { d.Id, Row = new ImportDuplicateRow(d.LineNumber, d.RecordKey, d.Kind, d.FirstLineNumber, d.RawText) })
                .ToListAsync(cancellationToken);
            foreach (var item in batch)
            {
                yield return item.Row;
            }

            if (batch.Count < 5000)
            {
                yield break;
            }

            afterLine = batch[^1].Row.LineNumber;
            afterId = batch[^1].Id;
        }
    }
}
