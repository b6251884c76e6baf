using System.Data.Common;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AutomotiveCrm.Tests.Imports.Pipeline;

/// <summary>
/// Interrupts the pipeline inside a merge chunk's transaction, after the merge wrote its rows and just before the
/// chunk's counts and watermark: a crash (cancellation) resumes after the last committed chunk; an error fails the
/// file with the chunk rolled back.
/// </summary>
public sealed class ImportInterruptionTests
{
    private const int Rows = 400;
    private const int FirstChunk = 50;

    /// <summary>Acts once, on the <paramref name="occurrence"/>th chunk's counts update.</summary>
    private sealed class ChunkInterceptor(int occurrence, Action act) : DbCommandInterceptor
    {
        private int seen;

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("\"RowsInserted\" = ", StringComparison.Ordinal) && Interlocked.Increment(ref seen) == occurrence)
            {
                act();
            }

            return ValueTask.FromResult(result);
        }
    }

    [Fact]
    public async Task Process_CancelledMidMerge_ResumesAfterTheWatermarkWithNothingLostOrDoubled()
    {
        using var stop = new CancellationTokenSource();
        var interceptor = new ChunkInterceptor(2, () =>
        {
            stop.Cancel();
            stop.Token.ThrowIfCancellationRequested();
        });
        await using var harness = await PipelineHarness.CreateAsync(null, interceptor);
        harness.Settings.MergeChunkRows = FirstChunk;
        var file = await harness.ReceiveAsync(RoadstarCustomers.Many(Rows));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Processor.ProcessAsync(file.Id, null, stop.Token));

        var interrupted = await harness.FileAsync(file.Id);
        Assert.Equal(ImportStatus.Merging, interrupted.Status);
        Assert.Equal(FirstChunk, interrupted.ProgressRows);
        await using (var db = harness.NewContext())
        {
            Assert.Equal(FirstChunk, await db.Customers.CountAsync());
            Assert.Equal(Rows - FirstChunk, await db.ImportStaging.CountAsync(s => s.Id > interrupted.MergedThroughStagingId));
        }

        var done = await harness.Processor.ProcessAsync(file.Id, null, CancellationToken.None);

        Assert.Equal((ImportStatus.Completed, (long)Rows, (long)Rows, 0L), (done.Status, done.RowsRead, done.RowsInserted, done.RowsUnchanged));
        await using var check = harness.NewContext();
        Assert.Equal(Rows, await check.Customers.CountAsync());
        Assert.Equal(Rows, await check.DmsRecords.CountAsync());
        Assert.Equal(0, await check.ImportStaging.CountAsync());
    }

    [Fact]
    public async Task Process_ErrorMidMerge_FailedWithReasonAndTheChunkRolledBack()
    {
        var interceptor = new ChunkInterceptor(3, () => throw new SimulatedFailureException("Simulated disk failure"));
        await using var harness = await PipelineHarness.CreateAsync(null, interceptor);
        harness.Settings.MergeChunkRows = FirstChunk;
        var file = await harness.ReceiveAsync(RoadstarCustomers.Many(Rows));

        var done = await harness.Processor.ProcessAsync(file.Id, null, CancellationToken.None);

        Assert.Equal(ImportStatus.Failed, done.Status);
        Assert.Contains("while merging", done.StatusReason, StringComparison.Ordinal);
        Assert.Contains("Simulated disk failure", done.StatusReason, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(harness.Settings.StorePath, "failed", done.StoredName)));
        var archive = Path.Combine(harness.Settings.StorePath, "archive");
        Assert.False(Directory.Exists(archive) && Directory.EnumerateFiles(archive, "*", SearchOption.AllDirectories).Any());
        await using var db = harness.NewContext();
        // Two chunks committed; the third (its merged rows included) rolled back whole.
        Assert.Equal(done.ProgressRows, done.RowsInserted);
        Assert.Equal(done.RowsInserted, await db.Customers.CountAsync());
        Assert.Equal(done.RowsInserted, await db.DmsRecords.CountAsync());
        Assert.InRange(done.RowsInserted, FirstChunk + 10, Rows - 1);
        Assert.Equal(0, await db.ImportStaging.CountAsync());
        Assert.Equal(1, await db.SystemNotifications.CountAsync(n => n.Link == $"/imports/{done.Id}"));
    }
}
