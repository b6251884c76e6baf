using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Pipeline;
using AutomotiveCrm.Domain.Notifications;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Imports.Pipeline;

public sealed class ImportProcessorTests : IAsyncLifetime
{
    private PipelineHarness harness = null!;

    public async Task InitializeAsync() => harness = await PipelineHarness.CreateAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    private string Received(ImportFile file) => Path.Combine(harness.Settings.StorePath, "received", file.StoredName);

    private string Failed(ImportFile file) => Path.Combine(harness.Settings.StorePath, "failed", file.StoredName);

    [Fact]
    public async Task Process_CleanFile_CompletedWithCountsArchivedAndStagingEmptied()
    {
        var reports = new List<ImportProgress>();
        var file = await harness.ReceiveAsync(RoadstarCustomers.Many(25));

        var done = await harness.Processor.ProcessAsync(file.Id, new SynchronousProgress<ImportProgress>(reports.Add), CancellationToken.None);

        Assert.Equal(ImportStatus.Completed, done.Status);
        Assert.Equal((25L, 0L, 0L, 25L, 0L, 0L), (done.RowsRead, done.RowsRejected, done.RowsDuplicate, done.RowsInserted, done.RowsUpdated, done.RowsUnchanged));
        Assert.Null(done.StatusReason);
        Assert.NotNull(done.StartedAt);
        Assert.NotNull(done.CompletedAt);
        Assert.True(File.Exists(Path.Combine(harness.Settings.StorePath, done.ArchivePath!)));
        Assert.False(File.Exists(Received(done)));
        await using var db = harness.NewContext();
        Assert.Equal(0, await db.ImportStaging.CountAsync());
        Assert.Equal(25, await db.Customers.CountAsync(c => c.SourceFileId == done.Id));
        Assert.Equal(ImportStatus.Completed, reports[^1].Status);
        Assert.Contains(reports, r => r.Status == ImportStatus.Merging);
    }

    [Fact]
    public async Task Process_WrongDelimiter_FailedInFailedFolderWithReasonAndNotice()
    {
        var file = await harness.ReceiveAsync(RoadstarCustomers.Many(3).Replace(',', ';'));

        var done = await harness.Processor.ProcessAsync(file.Id, null, CancellationToken.None);

        Assert.Equal(ImportStatus.Failed, done.Status);
        Assert.False(string.IsNullOrWhiteSpace(done.StatusReason));
        Assert.True(File.Exists(Failed(done)));
        Assert.False(File.Exists(Received(done)));
        await using var db = harness.NewContext();
        var notice = await db.SystemNotifications.SingleAsync();
        Assert.Equal((harness.Organisation.Network.Id, harness.Organisation.Group.Id, "import-failed", NotificationSeverity.Error, $"/imports/{done.Id}"),
            (notice.NetworkId, notice.DealerGroupId, notice.Category, notice.Severity, notice.Link));
        Assert.Contains(harness.Roadstar, notice.Message, StringComparison.Ordinal);
        Assert.Contains("CUSTOMERS_20260302.csv", notice.Message, StringComparison.Ordinal);
        Assert.Contains(done.StatusReason!, notice.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.Customers.CountAsync());
        var told = Assert.Single(harness.Notifier.Calls);
        Assert.Equal((done.Id, ImportStatus.Failed, harness.Roadstar), (told.File.Id, told.File.Status, told.DealerCode));
        Assert.NotNull(harness.Intake.OpenOriginal(done));
    }

    [Fact]
    public async Task Process_EmptyFile_FailedWithReason()
    {
        var file = await harness.ReceiveAsync("");

        var done = await harness.Processor.ProcessAsync(file.Id, null, CancellationToken.None);

        Assert.Equal(ImportStatus.Failed, done.Status);
        Assert.Contains("empty", done.StatusReason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Process_InvalidRows_RejectsRecordedWithLineColumnReasonAndRawText()
    {
        var content = RoadstarCustomers.File(
            RoadstarCustomers.Row("C1", "Archer"),
            RoadstarCustomers.Row("C2", "Baker", dateOfBirth: "1980-13-45"),
            RoadstarCustomers.Row("", "Carter"),
            RoadstarCustomers.Row("C4", "Dunn"));

        var done = await harness.ImportAsync(content);

        Assert.Equal(ImportStatus.Completed, done.Status);
        Assert.Equal((4L, 2L, 2L), (done.RowsRead, done.RowsRejected, done.RowsInserted));
        await using var db = harness.NewContext();
        var rejects = await db.ImportRejects.Where(r => r.ImportFileId == done.Id).OrderBy(r => r.LineNumber).ToListAsync();
        Assert.Equal([3L, 4L], rejects.Select(r => r.LineNumber).Distinct());
        var badDate = rejects.First(r => r.LineNumber == 3);
        Assert.Equal("DATE_OF_BIRTH", badDate.Column);
        Assert.Contains("1980-13-45", badDate.RawText, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(badDate.Reason));
        Assert.Contains(rejects, r => r.LineNumber == 4 && r.Column == "CUSTOMER_NO");
    }

    [Fact]
    public async Task Process_KeyRepeatedInFile_FirstKeptLaterRecordedAsDuplicate()
    {
        var content = RoadstarCustomers.File(
            RoadstarCustomers.Row("C1", "Archer"),
            RoadstarCustomers.Row("C2", "Baker"),
            RoadstarCustomers.Row("C1", "Archer-Smith"),
            RoadstarCustomers.Row("C1", "Archer-Jones"));

        var done = await harness.ImportAsync(content);

        Assert.Equal((4L, 2L, 2L, 0L), (done.RowsRead, done.RowsDuplicate, done.RowsInserted, done.RowsRejected));
        await using var db = harness.NewContext();
        var duplicates = await db.ImportDuplicates.Where(d => d.ImportFileId == done.Id).OrderBy(d => d.LineNumber).ToListAsync();
        Assert.Equal([(4L, "C1", 2L), (5L, "C1", 2L)], duplicates.Select(d => (d.LineNumber, d.RecordKey, d.FirstLineNumber!.Value)));
        Assert.All(duplicates, d => Assert.Equal(ImportDuplicateKind.RepeatedInFile, d.Kind));
        Assert.Contains("Archer-Smith", duplicates[0].RawText, StringComparison.Ordinal);
        Assert.Equal("Archer", (await db.Customers.SingleAsync(c => c.LastName!.StartsWith("Archer"))).LastName);
    }

    [Fact]
    public async Task Import_SameFileTwice_SecondRefusedAndNothingChanges()
    {
        var content = RoadstarCustomers.Many(30);
        var first = await harness.ImportAsync(content);
        var before = await harness.TableCountsAsync();

        var second = await harness.ImportAsync(content, "CUSTOMERS_again.csv");

        Assert.Equal(ImportStatus.Completed, first.Status);
        Assert.Equal(ImportStatus.Refused, second.Status);
        Assert.Equal(before, await harness.TableCountsAsync());
    }

    [Fact]
    public async Task Import_SameRowsInAnotherFile_UnchangedAndListedAsIdenticalDuplicates()
    {
        await harness.ImportAsync(RoadstarCustomers.Many(10));
        var before = await harness.TableCountsAsync();

        // Same ten customers (one changed) plus one new: a different file, so not refused.
        var rows = Enumerable.Range(1, 10).Select(i => RoadstarCustomers.Row($"C{i:D6}", i == 3 ? "Changed" : $"Surname{i}", email: $"person{i}@example.com"))
            .Append(RoadstarCustomers.Row("C000011", "Newcomer")).ToArray();
        var done = await harness.ImportAsync(RoadstarCustomers.File(rows), "CUSTOMERS_20260303.csv");

        Assert.Equal((11L, 1L, 1L, 9L, 9L), (done.RowsRead, done.RowsInserted, done.RowsUpdated, done.RowsUnchanged, done.RowsDuplicate));
        await using var db = harness.NewContext();
        Assert.Equal(9, await db.ImportDuplicates.CountAsync(d => d.ImportFileId == done.Id && d.Kind == ImportDuplicateKind.IdenticalToExisting));
        Assert.Equal(before["Customers"] + 1, await db.Customers.CountAsync());
    }

    [Fact]
    public async Task Process_AlreadyFinal_ReturnsItUntouched()
    {
        var done = await harness.ImportAsync(RoadstarCustomers.Many(2));

        var again = await harness.Processor.ProcessAsync(done.Id, null, CancellationToken.None);

        Assert.Equal((ImportStatus.Completed, done.CompletedAt), (again.Status, again.CompletedAt));
    }

    [Theory]
    [InlineData(2000, 2000, 100.0, 100.0, 2000)]
    [InlineData(2000, 2000, 400.0, 100.0, 500)]
    [InlineData(2000, 2000, 10.0, 100.0, 3000)]
    [InlineData(2000, 300, 10.0, 100.0, 2000)]
    [InlineData(100, 100, 5000.0, 100.0, 10)]
    [InlineData(40000, 40000, 10.0, 100.0, 50000)]
    public void NextChunkSize_FollowsTheLockTime(int current, int rows, double held, double target, int expected)
    {
        Assert.Equal(expected, ImportProcessor.NextChunkSize(current, rows, held, target));
    }
}

/// <summary>Collects progress on the reporting thread (Progress&lt;T&gt; would post to the thread pool, after the test has looked).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Lock gate = new();

    public void Report(T value)
    {
        lock (gate)
        {
            report(value);
        }
    }
}
