using System.Diagnostics;
using System.Threading.Channels;
using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Imports.Merging;
using AutomotiveCrm.Domain.Imports.Reading;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Imports.Pipeline;

public sealed partial class ImportProcessor
{
    /// <summary>Batches read ahead of the writer: bounds memory (a batch is at most 2,048 rows or 2 MB of payload).</summary>
    private const int BatchesInFlight = 6;
    private const int MinChunkRows = 10;
    private const int MaxChunkRows = 50_000;
    private const int FirstChunkRows = 50;
    /// <summary>SQLite page cache of the staging connection, in KiB: the staging index takes keys in file order, i.e. at random.</summary>
    private const int StagingCacheKiB = 64 * 1024;
    /// <summary>
    /// SQLite page cache of the merging connection, in KiB: a customers merge writes a dozen indexes keyed at random
    /// (names, e-mail addresses, numbers, postcodes); once they outgrow the cache, every insert reads pages back.
    /// </summary>
    private const int MergeCacheKiB = 128 * 1024;

    /// <summary>The share of <see cref="ImportSettings.MaxLockMilliseconds"/> a transaction aims at, leaving room for a slow commit.</summary>
    private double TargetLockMilliseconds => Math.Max(5, settings.MaxLockMilliseconds * 0.4);

    /// <summary>
    /// Reads, validates and stages every row: the file is read on one thread (validation, payload encoding) while
    /// this one writes; each write transaction holds the lock for at most about 40% of the allowed time.
    /// </summary>
    private async Task StageAsync(ImportRun run, CancellationToken cancellationToken)
    {
        var file = run.File;
        // A restarted staging begins again from the first line (see the class remarks).
        await DeleteStagingAsync(run, cancellationToken, includeOutcomes: true);
        await using var db = contexts.CreateDbContext(AuditSource.Import);
        var reset = await db.ImportFiles.Where(f => f.Id == file.Id && f.Status == ImportStatus.Staging)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.ProgressRows, 0L)
                .SetProperty(f => f.RowsRejected, 0L)
                .SetProperty(f => f.RowsDuplicate, 0L)
                .SetProperty(f => f.MergedThroughStagingId, 0L), cancellationToken);
        if (reset == 0)
        {
            throw new ImportTakenOverException();
        }

        run.Progress.Enter(ImportStatus.Staging, file.RowsRead > 0 ? file.RowsRead : null);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var full = Channel.CreateBounded<StagingBatch>(new BoundedChannelOptions(BatchesInFlight) { SingleReader = true, SingleWriter = true });
        var free = Channel.CreateUnbounded<StagingBatch>();
        var batches = Enumerable.Range(0, BatchesInFlight + 2).Select(_ => new StagingBatch()).ToList();
        foreach (var batch in batches)
        {
            free.Writer.TryWrite(batch);
        }

        var reader = Task.Run(() => ReadRowsAsync(run, full.Writer, free.Reader, stop.Token), CancellationToken.None);
        long progress = 0, rejected = 0, duplicates = 0;
        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            if (db.Provider == DatabaseProvider.Sqlite)
            {
                // For this connection only, while it stages (restored below; the interceptor sets them on every open too):
                // - synchronous NORMAL: in WAL mode a commit then waits for no fsync, and a power cut can lose only the
                //   last commits, row progress and staged rows together (they commit as one), so staging restarts
                //   consistently; whatever later commits through a FULL connection flushes these frames first.
                // - foreign keys off: every row names this file, whose row exists and is fenced by every commit.
                // - no automatic checkpoint inside COMMIT: a passive checkpoint runs after each commit instead, when the
                //   write lock is no longer held (a passive checkpoint never blocks other writers).
                await db.Database.ExecuteSqlRawAsync(
                    $"PRAGMA cache_size = -{StagingCacheKiB}; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF; PRAGMA wal_autocheckpoint = 0;",
                    cancellationToken);
            }

            using var writer = StagingWriter.Create(db, file.Id);
            while (await full.Reader.WaitToReadAsync(cancellationToken))
            {
                long rows = 0, rejectedRows = 0, duplicateRows = 0;
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var started = Stopwatch.GetTimestamp();
                var written = 0;
                while (full.Reader.TryRead(out var batch))
                {
                    duplicateRows += await writer.WriteAsync(batch, cancellationToken);
                    rows += batch.DataRows;
                    rejectedRows += batch.RejectedRows;
                    batch.Clear();
                    free.Writer.TryWrite(batch);
                    // Stop before a batch that would likely overrun the target (batches take about the same time).
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (elapsed + elapsed / ++written >= TargetLockMilliseconds)
                    {
                        break;
                    }
                }

                var expected = progress;
                var updated = await db.ImportFiles
                    .Where(f => f.Id == file.Id && f.Status == ImportStatus.Staging && f.ProgressRows == expected)
                    .ExecuteUpdateAsync(s => s.SetProperty(f => f.ProgressRows, expected + rows)
                        .SetProperty(f => f.RowsRejected, f => f.RowsRejected + rejectedRows)
                        .SetProperty(f => f.RowsDuplicate, f => f.RowsDuplicate + duplicateRows), cancellationToken);
                if (updated == 0)
                {
                    throw new ImportTakenOverException();
                }

                await transaction.CommitAsync(cancellationToken);
                run.Metrics.Lock(ImportStatus.Staging, Stopwatch.GetElapsedTime(started).TotalMilliseconds, rows);
                if (db.Provider == DatabaseProvider.Sqlite)
                {
                    await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(PASSIVE);", cancellationToken);
                }
                progress += rows;
                rejected += rejectedRows;
                duplicates += duplicateRows;
                run.Progress.Rows(progress);
            }

            await reader;
        }
        catch
        {
            await stop.CancelAsync();
            try
            {
                await reader;
            }
#pragma warning disable CA1031 // The writer's exception is the one that counts; the reader only stopped because of it.
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            throw;
        }
        finally
        {
            if (db.Provider == DatabaseProvider.Sqlite && db.Database.GetDbConnection().State == System.Data.ConnectionState.Open)
            {
                try
                {
                    await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 1000;", CancellationToken.None);
                }
                catch (System.Data.Common.DbException)
                {
                    // The connection is broken: it is not reused as it is, and the staging error is the one to report.
                }
            }

            await db.Database.CloseConnectionAsync();
            batches.ForEach(b => b.Dispose());
        }

        var moved = await db.ImportFiles
            .Where(f => f.Id == file.Id && f.Status == ImportStatus.Staging && f.ProgressRows == progress)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, ImportStatus.Merging)
                .SetProperty(f => f.RowsRead, progress)
                .SetProperty(f => f.ProgressRows, 0L)
                .SetProperty(f => f.MergedThroughStagingId, 0L), cancellationToken);
        if (moved == 0)
        {
            throw new ImportTakenOverException();
        }

        file.Status = ImportStatus.Merging;
        file.RowsRead = progress;
        file.RowsRejected = rejected;
        file.RowsDuplicate = duplicates;
        file.ProgressRows = 0;
        file.MergedThroughStagingId = 0;
    }

    /// <summary>The reading side of staging: rows into batches, batches into the channel; an exception ends the channel with it.</summary>
    private async Task ReadRowsAsync(ImportRun run, ChannelWriter<StagingBatch> full, ChannelReader<StagingBatch> free, CancellationToken cancellationToken)
    {
        try
        {
            await using var content = OpenReceived(run);
            var batch = await free.ReadAsync(cancellationToken);
            await foreach (var row in DmsFileReader.ReadAsync(content, run.Format, run.Spec, run.Target.CountryCode, cancellationToken))
            {
                batch.Add(row, run.Spec.KeyField);
                if (batch.IsFull)
                {
                    await full.WriteAsync(batch, cancellationToken);
                    batch = await free.ReadAsync(cancellationToken);
                }
            }

            if (batch.DataRows > 0)
            {
                await full.WriteAsync(batch, cancellationToken);
            }

            full.Complete();
        }
#pragma warning disable CA1031 // Handed to the writer through the channel, which rethrows it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            full.TryComplete(ex);
        }
    }

    /// <summary>
    /// Merges the staged rows in chunks after the watermark. One transaction per chunk: the merge's writes, its
    /// rejects and duplicates, the counts and the new watermark commit together. The chunk size follows the time
    /// the previous chunks held the lock.
    /// </summary>
    private async Task MergeAsync(ImportRun run, CancellationToken cancellationToken)
    {
        var file = run.File;
        var merger = DmsMergers.For(file.FileType);
        var watermark = file.MergedThroughStagingId;
        var merged = file.ProgressRows;
        long remaining;
        await using (var counting = contexts.CreateDbContext(AuditSource.Import))
        {
            remaining = await counting.ImportStaging.CountAsync(s => s.ImportFileId == file.Id && s.Id > watermark, cancellationToken);
        }

        run.Progress.Enter(ImportStatus.Merging, merged + remaining);
        run.Progress.Rows(merged);
        // The first chunk is small: nothing is known yet of how fast this file type merges here (a slow first chunk
        // would hold the lock too long); the sizes then grow at most by half per chunk towards the lock target.
        var chunkSize = Math.Clamp(Math.Min(settings.MergeChunkRows, FirstChunkRows), MinChunkRows, MaxChunkRows);
        // One context and connection for the whole merge: the connection keeps the merge's settings (below) and its
        // page cache warm from chunk to chunk; the change tracker is emptied before each chunk.
        await using var db = contexts.CreateDbContext(AuditSource.Import);
        await db.Database.OpenConnectionAsync(cancellationToken);
        var sqlite = db.Provider == DatabaseProvider.Sqlite;
        var checkpoint = new WalCheckpoints(sqlite);
        try
        {
            if (sqlite)
            {
                // For this connection only, while it merges (restored below). As for staging: synchronous NORMAL in WAL
                // mode survives a killed process (every commit is in the WAL file); a power cut can lose the last
                // chunks, each whole with its watermark, which the resumed merge then does again. The Completed
                // status is written afterwards through a FULL connection, whose commit flushes these frames first.
                // No automatic checkpoint inside COMMIT (it would hold the write lock while it copies the WAL): a
                // passive checkpoint runs between chunks instead, outside the lock.
                await db.Database.ExecuteSqlRawAsync(
                    $"PRAGMA cache_size = -{MergeCacheKiB}; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0; PRAGMA temp_store = MEMORY;",
                    cancellationToken);
            }

            while (true)
            {
                db.ChangeTracker.Clear();
                var from = watermark;
                var phase = Stopwatch.GetTimestamp();
                // Read before the transaction: only this run changes the file's staging rows, and the lock is not held meanwhile.
                var rows = await ReadStagedAsync(db, file.Id, from, chunkSize, cancellationToken);
                run.Metrics.Phase("merge.read", Stopwatch.GetElapsedTime(phase).TotalMilliseconds);
                if (rows.Count == 0)
                {
                    break;
                }

                var through = rows[^1].Id;
                var now = clock.GetUtcNow().UtcDateTime;
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var started = Stopwatch.GetTimestamp();
                var fenced = await db.ImportFiles
                    .Where(f => f.Id == file.Id && f.Status == ImportStatus.Merging && f.MergedThroughStagingId == from)
                    .ExecuteUpdateAsync(s => s.SetProperty(f => f.MergedThroughStagingId, through), cancellationToken);
                if (fenced == 0)
                {
                    throw new ImportTakenOverException();
                }

                phase = Stopwatch.GetTimestamp();
                var result = await merger.MergeAsync(db, new MergeChunk(file.Id, file.FileType, run.Target, rows, now) { Metrics = run.Metrics }, cancellationToken);
                if (db.ChangeTracker.HasChanges())
                {
                    await db.SaveChangesAsync(cancellationToken);
                }

                run.Metrics.Phase("merge.merge", Stopwatch.GetElapsedTime(phase).TotalMilliseconds);
                phase = Stopwatch.GetTimestamp();
                var payloads = result.Rejects.Count + result.Duplicates.Count == 0 ? null : rows.ToDictionary(r => r.LineNumber, r => r.Payload);
                var rejects = result.Rejects
                    .Select(r => new RejectedRow(r.LineNumber, r.Column, ImportNotices.Truncate(r.Reason, 1000), RawOf(payloads, r.LineNumber)))
                    .ToList();
                var duplicates = result.Duplicates
                    .Select(d => new DuplicateRow(d.LineNumber, d.RecordKey, ImportDuplicateKind.IdenticalToExisting, null, RawOf(payloads, d.LineNumber)))
                    .ToList();
                await ImportRowSql.InsertAsync(db, file.Id, rejects, duplicates, cancellationToken);
                // The merged rows leave staging with the chunk that merged them (they are behind the watermark and
                // never read again): no separate pass over a million rows at the end, and the staging table's freed
                // pages are reused by the next file instead of growing it.
                await DeleteStagedAsync(db, file.Id, from, through, cancellationToken);
                long rejectedRows = result.Rejects.Select(r => r.LineNumber).Distinct().Count();
                long duplicateRows = duplicates.Count;
                await db.ImportFiles.Where(f => f.Id == file.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(f => f.ProgressRows, f => f.ProgressRows + rows.Count)
                        .SetProperty(f => f.RowsInserted, f => f.RowsInserted + result.Inserted)
                        .SetProperty(f => f.RowsUpdated, f => f.RowsUpdated + result.Updated)
                        .SetProperty(f => f.RowsUnchanged, f => f.RowsUnchanged + result.Unchanged)
                        .SetProperty(f => f.RowsRejected, f => f.RowsRejected + rejectedRows)
                        .SetProperty(f => f.RowsDuplicate, f => f.RowsDuplicate + duplicateRows), cancellationToken);
                run.Metrics.Phase("merge.bookkeeping", Stopwatch.GetElapsedTime(phase).TotalMilliseconds);
                phase = Stopwatch.GetTimestamp();
                await transaction.CommitAsync(cancellationToken);
                run.Metrics.Phase("merge.commit", Stopwatch.GetElapsedTime(phase).TotalMilliseconds);
                var held = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                run.Metrics.Lock(ImportStatus.Merging, held, rows.Count);

                watermark = through;
                merged += rows.Count;
                file.MergedThroughStagingId = through;
                file.ProgressRows = merged;
                file.RowsInserted += result.Inserted;
                file.RowsUpdated += result.Updated;
                file.RowsUnchanged += result.Unchanged;
                file.RowsRejected += rejectedRows;
                file.RowsDuplicate += duplicateRows;
                run.Progress.Rows(merged);
                chunkSize = NextChunkSize(chunkSize, rows.Count, held, TargetLockMilliseconds);
                phase = Stopwatch.GetTimestamp();
                await checkpoint.AfterCommitAsync(db, cancellationToken);
                run.Metrics.Phase("merge.checkpoint", Stopwatch.GetElapsedTime(phase).TotalMilliseconds);
            }
        }
        finally
        {
            if (sqlite && db.Database.GetDbConnection().State == System.Data.ConnectionState.Open)
            {
                try
                {
                    await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 1000; PRAGMA wal_checkpoint(PASSIVE);",
                        CancellationToken.None);
                }
                catch (System.Data.Common.DbException)
                {
                    // The connection is broken: it is not reused as it is, and the merge's error is the one to report.
                }
            }

            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The next chunk of the file's staged rows after the watermark, in id order. On SQLite the file's id is written
    /// <c>+"ImportFileId"</c> so that the planner walks the primary key from the watermark: with the (file, record
    /// key) index it would read every staged row of the file and sort them for each chunk, which made a merge slow
    /// down as it went (quadratic in the file's rows).
    /// </summary>
    private static Task<List<ImportStagingRow>> ReadStagedAsync(CrmDbContext db, long fileId, long after, int count, CancellationToken cancellationToken) =>
        db.Provider == DatabaseProvider.Sqlite
            ? db.ImportStaging.FromSql($"""
                SELECT * FROM "ImportStaging" WHERE "Id" > {after} AND +"ImportFileId" = {fileId} ORDER BY "Id" LIMIT {count}
                """).AsNoTracking().ToListAsync(cancellationToken)
            : db.ImportStaging.AsNoTracking()
                .Where(s => s.ImportFileId == fileId && s.Id > after)
                .OrderBy(s => s.Id).Take(count).ToListAsync(cancellationToken);

    /// <summary>Deletes the file's staged rows in (after, through], by primary key range (see <see cref="ReadStagedAsync"/>).</summary>
    private static Task<int> DeleteStagedAsync(CrmDbContext db, long fileId, long after, long through, CancellationToken cancellationToken) =>
        db.Provider == DatabaseProvider.Sqlite
            ? db.Database.ExecuteSqlAsync($"""
                DELETE FROM "ImportStaging" WHERE "Id" > {after} AND "Id" <= {through} AND +"ImportFileId" = {fileId}
                """, cancellationToken)
            : db.ImportStaging.Where(s => s.ImportFileId == fileId && s.Id > after && s.Id <= through).ExecuteDeleteAsync(cancellationToken);

    private static string? RawOf(Dictionary<long, string>? payloads, long line) =>
        payloads is not null && payloads.TryGetValue(line, out var payload) ? ImportNotices.Truncate(payload, StagingBatch.MaxRawText) : null;

    /// <summary>
    /// The next chunk's size from the last one's rate: aim at <paramref name="targetMilliseconds"/>, shrink at once
    /// when a chunk was slow, grow at most by half per chunk (merge time is not linear in the rows: a bigger chunk
    /// touches more index pages per row).
    /// </summary>
    internal static int NextChunkSize(int current, int rows, double heldMilliseconds, double targetMilliseconds)
    {
        if (rows < current && heldMilliseconds < targetMilliseconds)
        {
            return current; // A short last chunk says nothing about the rate.
        }

        var ideal = heldMilliseconds <= 0.5 ? current * 1.5 : rows / heldMilliseconds * targetMilliseconds;
        var next = ideal < current ? ideal : Math.Min(ideal, current * 1.5);
        return (int)Math.Clamp(next, MinChunkRows, MaxChunkRows);
    }

    /// <summary>
    /// Last stage: the staging rows go, the original is archived compressed, the row says Completed with the archive's
    /// path, and only then is the received copy deleted. Each step can be repeated after a crash.
    /// </summary>
    private async Task CompleteAsync(ImportRun run, ArchiveJob archiving, CancellationToken cancellationToken)
    {
        var file = run.File;
        await DeleteStagingAsync(run, cancellationToken);
        var receivedPath = store.ReceivedPath(file.StoredName);
        var archive = await archiving.ResultAsync();
        if (archive is null && (File.Exists(receivedPath) || !File.Exists(store.FullPath(ImportStore.ArchiveRelativePath(file.StoredName, file.ReceivedAt)))))
        {
            archive = await store.ArchiveAsync(file.StoredName, file.ReceivedAt, cancellationToken);
        }

        archive ??= ImportStore.ArchiveRelativePath(file.StoredName, file.ReceivedAt);

        var now = clock.GetUtcNow().UtcDateTime;
        await using (var db = contexts.CreateDbContext(AuditSource.Import))
        {
            var done = await db.ImportFiles.Where(f => f.Id == file.Id && f.Status == ImportStatus.Merging)
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, ImportStatus.Completed)
                    .SetProperty(f => f.CompletedAt, now)
                    .SetProperty(f => f.ArchivePath, archive), cancellationToken);
            if (done == 0)
            {
                throw new ImportTakenOverException();
            }
        }

        File.Delete(receivedPath);
        file.Status = ImportStatus.Completed;
        file.CompletedAt = now;
        file.ArchivePath = archive;
    }

    /// <summary>Starts compressing the received original in the background (nothing to do when it is already archived).</summary>
    private ArchiveJob StartArchive(ImportRun run, CancellationToken cancellationToken)
    {
        var file = run.File;
        if (!File.Exists(store.ReceivedPath(file.StoredName)))
        {
            return new ArchiveJob(null, null);
        }

        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        return new ArchiveJob(Task.Run(() => store.ArchiveAsync(file.StoredName, file.ReceivedAt, stop.Token), CancellationToken.None), stop);
    }

    /// <summary>
    /// The background compression of a file's original. If the merge ends without completing, it is stopped and its
    /// result ignored (an archive written meanwhile is written again, whole, by the next run: the file is only
    /// recorded as archived when the import completes).
    /// </summary>
    private sealed class ArchiveJob(Task<string>? task, CancellationTokenSource? stop)
    {
        /// <summary>The archive's relative path, or null when there was nothing to compress or the compression failed.</summary>
        public async Task<string?> ResultAsync()
        {
            if (task is null)
            {
                return null;
            }

            try
            {
                return await task;
            }
            catch (IOException)
            {
                return null; // Done again, in the foreground, where the error counts.
            }
        }

        public async Task StopAsync()
        {
            if (task is null || stop is null)
            {
                return;
            }

            await stop.CancelAsync();
            try
            {
                await task;
            }
#pragma warning disable CA1031 // Stopped because the merge ended; whatever became of the compression no longer matters.
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            stop.Dispose();
        }
    }

    /// <summary>
    /// Deletes the file's staging rows (and, when staging restarts, the rejects and duplicates it wrote) in id ranges
    /// sized so that each delete transaction stays well inside the lock budget.
    /// </summary>
    private async Task DeleteStagingAsync(ImportRun run, CancellationToken cancellationToken, bool includeOutcomes = false)
    {
        var id = run.File.Id;
        await DeleteInRangesAsync(run, "ImportStaging",
            db => db.ImportStaging.Where(s => s.ImportFileId == id).Select(s => s.Id),
            (db, from, to) => db.ImportStaging.Where(s => s.ImportFileId == id && s.Id >= from && s.Id < to).ExecuteDeleteAsync(cancellationToken),
            cancellationToken);
        if (!includeOutcomes)
        {
            return;
        }

        await DeleteInRangesAsync(run, "ImportRejects",
            db => db.ImportRejects.Where(r => r.ImportFileId == id).Select(r => r.Id),
            (db, from, to) => db.ImportRejects.Where(r => r.ImportFileId == id && r.Id >= from && r.Id < to).ExecuteDeleteAsync(cancellationToken),
            cancellationToken);
        await DeleteInRangesAsync(run, "ImportDuplicates",
            db => db.ImportDuplicates.Where(d => d.ImportFileId == id).Select(d => d.Id),
            (db, from, to) => db.ImportDuplicates.Where(d => d.ImportFileId == id && d.Id >= from && d.Id < to).ExecuteDeleteAsync(cancellationToken),
            cancellationToken);
    }

    /// <summary>
    /// Deletes a file's rows of a table in id ranges. On SQLite the range is walked on the primary key
    /// (<c>+"ImportFileId"</c> keeps the planner off the (file, ...) index, which would visit every row of the file
    /// for each range).
    /// </summary>
    private async Task DeleteInRangesAsync(ImportRun run, string table, Func<CrmDbContext, IQueryable<long>> ids,
        Func<CrmDbContext, long, long, Task<int>> deleteRange, CancellationToken cancellationToken)
    {
        var fileId = run.File.Id;
        long low, high;
        await using (var db = contexts.CreateDbContext(AuditSource.Import))
        {
            var bounds = await ids(db).GroupBy(_ => 1).Select(g => new { Low = g.Min(), High = g.Max() }).ToListAsync(cancellationToken);
            if (bounds.Count == 0)
            {
                return;
            }

            (low, high) = (bounds[0].Low, bounds[0].High);
        }

        var width = 5_000;
        for (var from = low; from <= high;)
        {
            var to = from + width;
            await using var db = contexts.CreateDbContext(AuditSource.Import);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var started = Stopwatch.GetTimestamp();
            if (db.Provider == DatabaseProvider.Sqlite)
            {
#pragma warning disable EF1002 // The table name is one of three constants above; the values are parameters.
                await db.Database.ExecuteSqlRawAsync(
                    $"DELETE FROM \"{table}\" WHERE \"Id\" >= {{0}} AND \"Id\" < {{1}} AND +\"ImportFileId\" = {{2}}", [from, to, fileId], cancellationToken);
#pragma warning restore EF1002
            }
            else
            {
                await deleteRange(db, from, to);
            }
            await transaction.CommitAsync(cancellationToken);
            var held = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            run.Metrics.Lock(run.File.Status == ImportStatus.Merging ? ImportStatus.Completed : run.File.Status, held);
            from = to;
            // The range's width stands in for its rows: ids of one file are nearly contiguous.
            width = Math.Max(1_000, NextChunkSize(width, width, held, TargetLockMilliseconds));
        }
    }
}

/// <summary>
/// The merge's WAL checkpoints on SQLite: passive (never waits for a reader or blocks a writer), run between chunks
/// when the write lock is not held, at most every <see cref="Interval"/>, so the WAL stays a few chunks long
/// instead of growing with the file, without paying for a checkpoint after every chunk.
/// </summary>
internal sealed class WalCheckpoints(bool sqlite)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private long last = Stopwatch.GetTimestamp();

    public async Task AfterCommitAsync(CrmDbContext db, CancellationToken cancellationToken)
    {
        if (!sqlite || Stopwatch.GetElapsedTime(last) < Interval)
        {
            return;
        }

        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(PASSIVE);", cancellationToken);
        last = Stopwatch.GetTimestamp();
    }
}
