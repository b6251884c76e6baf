using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Imports.Pipeline;

public sealed partial class ImportProcessor
{
    /// <summary>
    /// Reports the run's progress once a second to the caller's <see cref="IProgress{T}"/>, and during the structure
    /// check (which writes nothing else) to the file's row, so the import monitor can poll it. Staging and merging
    /// write their progress on the row in their own transactions.
    /// </summary>
    private sealed class ProgressPump(ISystemDbContextFactory contexts, long importFileId, IProgress<ImportProgress>? progress) : IDisposable
    {
        private readonly SemaphoreSlim writing = new(1, 1);
        private readonly CancellationTokenSource stop = new();
        private Task? loop;
        private long rows;
        private long total = -1;
        private ImportStatus stage = ImportStatus.Received;
        private bool persist;
        private long persisted = -1;

        /// <summary>For readers that count rows (the structure check).</summary>
        public IProgress<long> RowsReporter => new Reporter(this);

        public void Start() => loop ??= Task.Run(() => LoopAsync(stop.Token));

        public void Enter(ImportStatus newStage, long? totalRows, bool persistRows = false)
        {
            Interlocked.Exchange(ref rows, 0);
            Interlocked.Exchange(ref total, totalRows ?? -1);
            stage = newStage;
            persist = persistRows;
            persisted = -1;
            Report();
        }

        public void Rows(long value) => Interlocked.Exchange(ref rows, value);

        public void Report()
        {
            var t = Interlocked.Read(ref total);
            progress?.Report(new ImportProgress(importFileId, stage, Interlocked.Read(ref rows), t < 0 ? null : t));
        }

        /// <summary>Stops writing the row; returns once a write under way has finished.</summary>
        public async Task StopPersistingAsync()
        {
            await writing.WaitAsync();
            persist = false;
            writing.Release();
        }

        public async Task StopAsync()
        {
            if (loop is null)
            {
                return;
            }

            await stop.CancelAsync();
            try
            {
                await loop;
            }
            catch (OperationCanceledException)
            {
            }

            loop = null;
        }

        private async Task LoopAsync(CancellationToken cancellationToken)
        {
            using var timer = new PeriodicTimer(ProgressInterval);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                Report();
                await PersistAsync(cancellationToken);
            }
        }

        private async Task PersistAsync(CancellationToken cancellationToken)
        {
            await writing.WaitAsync(cancellationToken);
            try
            {
                var value = Interlocked.Read(ref rows);
                if (!persist || value == persisted)
                {
                    return;
                }

                var current = stage;
                await using var db = contexts.CreateDbContext(AuditSource.Import);
                await db.ImportFiles.Where(f => f.Id == importFileId && f.Status == current)
                    .ExecuteUpdateAsync(s => s.SetProperty(f => f.ProgressRows, value), cancellationToken);
                persisted = value;
            }
            finally
            {
                writing.Release();
            }
        }

        public void Dispose()
        {
            stop.Dispose();
            writing.Dispose();
        }

        private sealed class Reporter(ProgressPump pump) : IProgress<long>
        {
            public void Report(long value) => pump.Rows(value);
        }
    }
}
