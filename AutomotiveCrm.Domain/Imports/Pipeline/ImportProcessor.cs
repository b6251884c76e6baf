using System.Diagnostics;
using System.Globalization;
using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Imports.Merging;
using AutomotiveCrm.Domain.Imports.Reading;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Imports.Pipeline;

/// <summary>Steps 2-5: structure check, row validation and staging, chunked merge, archive. Resumable after a crash.</summary>
/// <remarks>
/// The file's state lives on its <see cref="ImportFile"/> row, so a process killed at any point (kill -9, power
/// cut) resumes from what was committed:
/// <list type="bullet">
/// <item>Received / Checking: the structure check runs (again) from the start; it writes nothing but progress.</item>
/// <item>Staging: restarts from the first line after deleting what the interrupted run staged for the file
/// (staging, reject and duplicate rows). Staging is invisible outside the pipeline and costs seconds, while
/// continuing from the last committed line would need the reader to re-enter a file mid-record (quoted newlines,
/// multi-byte encodings) and the set of keys already seen to be rebuilt: restarting is the simpler guarantee.</item>
/// <item>Merging: each chunk's effects, its rejects and duplicates, the added counts and the watermark
/// (<see cref="ImportFile.MergedThroughStagingId"/>) commit in one transaction, so a restart continues after the
/// watermark and no staged row is merged twice or skipped.</item>
/// <item>Completed: the staging rows are deleted and the original archived (both idempotent) before the status
/// says Completed; the received copy is deleted last.</item>
/// </list>
/// Every write transaction is fenced on the row's progress (staging) or watermark (merging): if a second process
/// took the file over, the first one's next commit finds the row changed, rolls back and stops.
/// An exception marks the file Failed with the reason (the transaction under way rolls back; chunks merged before
/// stay merged) and moves the original to the failed folder. Cancellation leaves the file to be resumed.
/// <para>
/// Counts: <see cref="ImportFile.RowsRead"/> = rejected rows + keys repeated within the file + inserted + updated +
/// unchanged. <see cref="ImportFile.RowsDuplicate"/> also counts the rows the merge found identical to the stored
/// record (listed as IdenticalToExisting duplicates); those are counted as unchanged as well.
/// </para>
/// </remarks>
public sealed partial class ImportProcessor(ISystemDbContextFactory contexts, ImportSettings settings, TimeProvider clock, IImportNotifier? notifier = null)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StalledAfter = TimeSpan.FromMinutes(2);

    private readonly ImportStore store = new(settings);

    public Task<ImportFile> ProcessAsync(long importFileId, IProgress<ImportProgress>? progress, CancellationToken cancellationToken) =>
        ProcessAsync(importFileId, progress, metrics: null, cancellationToken);

    /// <summary>
    /// Takes the file from wherever it stands to Completed or Failed and returns its final row. A Received file is
    /// claimed first; a file another process has claimed is waited for.
    /// </summary>
    public async Task<ImportFile> ProcessAsync(long importFileId, IProgress<ImportProgress>? progress, ImportRunMetrics? metrics,
        CancellationToken cancellationToken)
    {
        var file = await LoadAsync(importFileId, cancellationToken);
        if (IsFinal(file.Status))
        {
            return file;
        }

        if (file.Status == ImportStatus.Received && !await ClaimAsync(file, cancellationToken))
        {
            return await WaitForOtherAsync(importFileId, progress, metrics, cancellationToken);
        }

        var run = new ImportRun(file, metrics ?? new ImportRunMetrics(), new ProgressPump(contexts, file.Id, progress));
        try
        {
            await RunAsync(run, cancellationToken);
        }
        catch (ImportTakenOverException)
        {
            await run.Progress.StopAsync();
            return await WaitForOtherAsync(importFileId, progress, metrics, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await run.Progress.StopAsync();
            await FailAsync(run, Describe(run, ex), CancellationToken.None);
        }
        finally
        {
            await run.Progress.StopAsync();
            run.Progress.Dispose();
        }

        var final = await LoadAsync(importFileId, CancellationToken.None);
        progress?.Report(new ImportProgress(final.Id, final.Status, final.ProgressRows, final.RowsRead));
        return final;
    }

    /// <summary>Files a crash left half-way (Checking, Staging or Merging), oldest first: the worker resumes them at start.</summary>
    public async Task<IReadOnlyList<long>> UnfinishedAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext(AuditSource.Import);
        return await db.ImportFiles.AsNoTracking()
            .Where(f => f.Status == ImportStatus.Checking || f.Status == ImportStatus.Staging || f.Status == ImportStatus.Merging)
            .OrderBy(f => f.Id).Select(f => f.Id).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The next file waiting to be processed, if any: files others refer to first (customers and vehicles before sales
    /// and service history, visits before their lines and transactions), then the oldest. A DMS drops its nightly
    /// files together, in no useful order; taken in this order, a sale never waits for a customer still in the queue.
    /// </summary>
    public async Task<long?> NextReceivedAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext(AuditSource.Import);
        var ids = await db.ImportFiles.AsNoTracking().Where(f => f.Status == ImportStatus.Received)
            .OrderBy(f => f.FileType == ImportFileType.Customers ? 0
                : f.FileType == ImportFileType.Vehicles ? 1
                : f.FileType == ImportFileType.Sales ? 2
                : f.FileType == ImportFileType.ServiceHistory ? 3
                : f.FileType == ImportFileType.LabourLines || f.FileType == ImportFileType.PartLines || f.FileType == ImportFileType.WorkshopTransactions ? 4
                : 5)
            .ThenBy(f => f.ReceivedAt).ThenBy(f => f.Id).Select(f => f.Id).Take(1).ToListAsync(cancellationToken);
        return ids.Count == 0 ? null : ids[0];
    }

    public static bool IsFinal(ImportStatus status) => status is ImportStatus.Completed or ImportStatus.Failed or ImportStatus.Refused;

    private async Task RunAsync(ImportRun run, CancellationToken cancellationToken)
    {
        run.Progress.Start();
        run.Prepare();
        while (!IsFinal(run.File.Status))
        {
            var started = Stopwatch.GetTimestamp();
            var stage = run.File.Status;
            switch (stage)
            {
                case ImportStatus.Received:
                case ImportStatus.Checking:
                    await CheckAsync(run, cancellationToken);
                    break;
                case ImportStatus.Staging:
                    await StageAsync(run, cancellationToken);
                    break;
                case ImportStatus.Merging:
                    // The original is compressed on another core while the merge (one writer) runs.
                    var archive = StartArchive(run, cancellationToken);
                    try
                    {
                        await MergeAsync(run, cancellationToken);
                        run.Metrics.Stage(stage, Stopwatch.GetElapsedTime(started).TotalSeconds);
                        (started, stage) = (Stopwatch.GetTimestamp(), ImportStatus.Completed);
                        await CompleteAsync(run, archive, cancellationToken);
                    }
                    finally
                    {
                        await archive.StopAsync();
                    }

                    break;
                default:
                    throw new InvalidOperationException($"Import {run.File.Id} is in an unknown state {run.File.Status}.");
            }

            run.Metrics.Stage(stage == ImportStatus.Received ? ImportStatus.Checking : stage, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>Received → Checking, only if nobody else has claimed the file in the meantime.</summary>
    private async Task<bool> ClaimAsync(ImportFile file, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = contexts.CreateDbContext(AuditSource.Import);
        var claimed = await db.ImportFiles
            .Where(f => f.Id == file.Id && f.Status == ImportStatus.Received)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, ImportStatus.Checking)
                .SetProperty(f => f.StartedAt, now)
                .SetProperty(f => f.ProgressRows, 0L), cancellationToken);
        if (claimed == 1)
        {
            file.Status = ImportStatus.Checking;
            file.StartedAt = now;
            file.ProgressRows = 0;
        }

        return claimed == 1;
    }

    /// <summary>
    /// Another process has the file: wait for it to finish. If the file stops moving for a long time (that process
    /// died), take it over and resume it here.
    /// </summary>
    private async Task<ImportFile> WaitForOtherAsync(long importFileId, IProgress<ImportProgress>? progress, ImportRunMetrics? metrics,
        CancellationToken cancellationToken)
    {
        var last = (Status: (ImportStatus)(-1), Progress: -1L, Watermark: -1L);
        var lastChange = Stopwatch.GetTimestamp();
        while (true)
        {
            var file = await LoadAsync(importFileId, cancellationToken);
            if (IsFinal(file.Status))
            {
                return file;
            }

            progress?.Report(new ImportProgress(file.Id, file.Status, file.ProgressRows, file.RowsRead == 0 ? null : file.RowsRead));
            var now = (file.Status, file.ProgressRows, file.MergedThroughStagingId);
            if (now != last)
            {
                last = now;
                lastChange = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastChange) > StalledAfter)
            {
                return await ProcessAsync(importFileId, progress, metrics, cancellationToken);
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private async Task<ImportFile> LoadAsync(long importFileId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext(AuditSource.Import);
        return await db.ImportFiles.AsNoTracking()
            .Include(f => f.Dealer).ThenInclude(d => d!.DealerGroup)
            .Include(f => f.Profile)
            .FirstOrDefaultAsync(f => f.Id == importFileId, cancellationToken)
            ?? throw RecordNotFoundException.For<ImportFile>(importFileId);
    }

    private async Task CheckAsync(ImportRun run, CancellationToken cancellationToken)
    {
        run.Progress.Enter(ImportStatus.Checking, totalRows: null, persistRows: true);
        StructureCheckResult result;
        await using (var content = OpenReceived(run))
        {
            result = await StructureCheck.RunAsync(content, run.Format, run.Spec, run.Progress.RowsReporter, cancellationToken);
        }

        await run.Progress.StopPersistingAsync();
        if (!result.Passed)
        {
            await FailAsync(run, result.Reason ?? "The file failed its structure check.", cancellationToken);
            return;
        }

        await using var db = contexts.CreateDbContext(AuditSource.Import);
        var moved = await db.ImportFiles
            .Where(f => f.Id == run.File.Id && (f.Status == ImportStatus.Checking || f.Status == ImportStatus.Received))
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, ImportStatus.Staging)
                .SetProperty(f => f.RowsRead, result.DataRows)
                .SetProperty(f => f.ProgressRows, 0L)
                .SetProperty(f => f.RowsRejected, 0L)
                .SetProperty(f => f.RowsDuplicate, 0L)
                .SetProperty(f => f.MergedThroughStagingId, 0L), cancellationToken);
        if (moved == 0)
        {
            throw new ImportTakenOverException();
        }

        run.File.Status = ImportStatus.Staging;
        run.File.RowsRead = result.DataRows;
    }

    private FileStream OpenReceived(ImportRun run)
    {
        try
        {
            return store.OpenReceived(run.File.StoredName);
        }
        catch (FileNotFoundException ex)
        {
            throw new DomainException(
                $"The stored file '{run.File.StoredName}' is missing from the import store ({store.ReceivedFolder}): it cannot be processed.", ex);
        }
    }

    /// <summary>
    /// Marks the file Failed with the reason and the in-app notice in one transaction, moves the original to the
    /// failed folder, drops what it staged (its rejects and duplicates stay for reference), then tells the notifier.
    /// </summary>
    private async Task FailAsync(ImportRun run, string reason, CancellationToken cancellationToken)
    {
        var file = run.File;
        var now = clock.GetUtcNow().UtcDateTime;
        file.Status = ImportStatus.Failed;
        file.StatusReason = ImportNotices.Truncate(reason, 2000);
        file.CompletedAt = now;
        await using (var db = contexts.CreateDbContext(AuditSource.Import))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.ImportFiles.Where(f => f.Id == file.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, ImportStatus.Failed)
                    .SetProperty(f => f.StatusReason, file.StatusReason)
                    .SetProperty(f => f.CompletedAt, now), cancellationToken);
            db.SystemNotifications.Add(ImportNotices.ForFailedFile(file, file.Dealer!.Code, now));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        store.MoveToFailed(file.StoredName);
        // An archive compressed ahead of a merge that then failed belongs to no completed import.
        var orphan = store.FullPath(ImportStore.ArchiveRelativePath(file.StoredName, file.ReceivedAt));
        if (File.Exists(orphan))
        {
            File.Delete(orphan);
        }

        await DeleteStagingAsync(run, cancellationToken);
        await ImportNotices.TellAsync(notifier, file, file.Dealer!.Code, cancellationToken);
    }

    private static string Describe(ImportRun run, Exception ex)
    {
        var stage = run.File.Status switch
        {
            ImportStatus.Received or ImportStatus.Checking => "while checking its structure",
            ImportStatus.Staging => "while validating and staging its rows",
            ImportStatus.Merging => string.Create(CultureInfo.InvariantCulture, $"while merging (after {run.File.ProgressRows:N0} staged rows were merged)"),
            _ => "",
        };
        var reasons = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (reasons.Count == 0 || !reasons[^1].Contains(e.Message, StringComparison.Ordinal))
            {
                reasons.Add(e.Message);
            }
        }

        return ex is DomainException
            ? string.Join(" ", reasons)
            : $"Processing stopped {stage}: {string.Join(" Because: ", reasons)}";
    }

    /// <summary>Thrown when the file's row shows that another process has taken the file over.</summary>
    private sealed class ImportTakenOverException : Exception
    {
        public ImportTakenOverException()
            : base("Another process has taken this import over.")
        {
        }
    }

    /// <summary>What one run knows about its file: the row as last written, the dealer, the format, the figures.</summary>
    private sealed class ImportRun(ImportFile file, ImportRunMetrics metrics, ProgressPump progress)
    {
        public ImportFile File { get; } = file;
        public ImportRunMetrics Metrics { get; } = metrics;
        public ProgressPump Progress { get; } = progress;
        public ImportFormat Format { get; private set; } = null!;
        public DmsFileSpec Spec { get; } = DmsFileSpecs.For(file.FileType);
        public MergeTarget Target { get; } = new(file.NetworkId, file.DealerGroupId, file.DealerId, file.Dealer!.Code, file.Dealer.CountryCode);

        /// <summary>Reads the profile; an unusable profile fails the file with the profile's problems.</summary>
        public void Prepare()
        {
            var profile = File.Profile ?? throw new DomainException(
                $"Import {File.Id} has no import profile: define the dealer's {ImportNotices.Describe(File.FileType)} profile and reprocess the file.");
            Format = ImportFormat.FromProfile(profile);
        }
    }
}
