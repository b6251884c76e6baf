using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Web.Imports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutomotiveCrm.Tests.Imports.Pipeline;

public sealed class DropFolderWatcherTests : IAsyncLifetime, IDisposable
{
    private PipelineHarness harness = null!;
    private DropFolderWatcher watcher = null!;

    public async Task InitializeAsync()
    {
        harness = await PipelineHarness.CreateAsync();
        watcher = new DropFolderWatcher(harness.Intake, harness.Settings, harness.Database.Clock, NullLogger<DropFolderWatcher>.Instance);
    }

    public async Task DisposeAsync() => await harness.DisposeAsync();

    public void Dispose() => watcher?.Dispose();

    private string Deliver(string dealerFolder, string name, string content)
    {
        var folder = Path.Combine(harness.Settings.InboxPath, dealerFolder);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Scan_StableSize_TakenOnlyAfterTheStablePeriod()
    {
        var path = Deliver(harness.Roadstar, "CUSTOMERS_20260302.csv", RoadstarCustomers.Many(3));

        var first = await watcher.ScanOnceAsync(CancellationToken.None);
        harness.Database.Clock.Advance(TimeSpan.FromSeconds(3));
        var second = await watcher.ScanOnceAsync(CancellationToken.None);
        harness.Database.Clock.Advance(TimeSpan.FromSeconds(3));
        var third = await watcher.ScanOnceAsync(CancellationToken.None);

        Assert.Empty(first);
        Assert.Empty(second);
        var taken = Assert.Single(third);
        Assert.False(File.Exists(path));
        var file = await harness.FileAsync(taken.File!.Id);
        Assert.Equal((ImportStatus.Received, ImportFileType.Customers, ImportChannel.DropFolder, $"sftp:{harness.Roadstar}", "CUSTOMERS_20260302.csv"),
            (file.Status, file.FileType, file.Channel, file.DeliveredBy, file.OriginalName));
    }

    [Fact]
    public async Task Scan_FileStillGrowing_NotTaken()
    {
        var path = Deliver(harness.Roadstar, "CUSTOMERS_1.csv", RoadstarCustomers.Many(3));
        await watcher.ScanOnceAsync(CancellationToken.None);
        harness.Database.Clock.Advance(TimeSpan.FromSeconds(6));
        await File.AppendAllTextAsync(path, RoadstarCustomers.Row("C9", "Late") + "\r\n");

        var afterGrowth = await watcher.ScanOnceAsync(CancellationToken.None);

        Assert.Empty(afterGrowth);
        Assert.True(File.Exists(path));
    }

    /// <summary>A delivery is taken whole: a complete file waits while a sibling in the same dealer folder is still arriving.</summary>
    [Fact]
    public async Task Scan_SiblingStillArriving_NothingOfTheDealerTakenUntilAllAreComplete()
    {
        var first = Deliver(harness.Roadstar, "CUSTOMERS_20260303.csv", RoadstarCustomers.Many(3));
        await watcher.ScanOnceAsync(CancellationToken.None);
        harness.Database.Clock.Advance(TimeSpan.FromSeconds(6));
        var second = Deliver(harness.Roadstar, "CUSTOMERS_20260304.csv", RoadstarCustomers.Many(2));

        var whileArriving = await watcher.ScanOnceAsync(CancellationToken.None);
        var firstWaited = File.Exists(first);
        harness.Database.Clock.Advance(TimeSpan.FromSeconds(6));
        var settled = await watcher.ScanOnceAsync(CancellationToken.None);

        Assert.Empty(whileArriving);
        Assert.True(firstWaited);
        Assert.Equal(["CUSTOMERS_20260303.csv", "CUSTOMERS_20260304.csv"], settled.Select(p => Path.GetFileName(p.File!.OriginalName)).Order(StringComparer.Ordinal));
        Assert.False(File.Exists(second));
    }

    [Fact]
    public async Task Scan_DoneMarker_TakenAtOnceAndMarkerRemoved()
    {
        var path = Deliver(harness.Roadstar, "CUSTOMERS_2.csv", RoadstarCustomers.Many(2));
        File.WriteAllText(path + ".done", "");

        var taken = Assert.Single(await watcher.ScanOnceAsync(CancellationToken.None));

        Assert.NotNull(taken.File);
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".done"));
    }

    [Theory]
    [InlineData(".CUSTOMERS_3.csv")]
    [InlineData("CUSTOMERS_3.csv.part")]
    [InlineData("CUSTOMERS_3.csv.tmp")]
    [InlineData("CUSTOMERS_3.csv.filepart")]
    public async Task Scan_HiddenOrTemporaryFile_NeverTaken(string name)
    {
        var path = Deliver(harness.Roadstar, name, RoadstarCustomers.Many(2));
        File.WriteAllText(path + ".done", "");
        await watcher.ScanOnceAsync(CancellationToken.None);
        harness.Database.Clock.Advance(TimeSpan.FromMinutes(5));

        var scan = await watcher.ScanOnceAsync(CancellationToken.None);

        Assert.Empty(scan);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task Scan_UnknownDealerFolder_MovedToFailedWithNotice()
    {
        var path = Deliver("GHOST-7", "CUSTOMERS_4.csv", RoadstarCustomers.Many(2));
        File.WriteAllText(path + ".done", "");

        var taken = Assert.Single(await watcher.ScanOnceAsync(CancellationToken.None));

        Assert.Null(taken.File);
        Assert.Contains("No dealer has the code 'GHOST-7'", taken.RejectedReason, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".done"));
        Assert.Single(Directory.GetFiles(Path.Combine(harness.Settings.StorePath, "failed"), "CUSTOMERS_4_*.csv"));
        await using var db = harness.NewContext();
        var notice = await db.SystemNotifications.SingleAsync();
        Assert.Equal(harness.Organisation.Network.Id, notice.NetworkId);
        Assert.Null(notice.DealerGroupId);
        Assert.Contains("GHOST-7", notice.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.ImportFiles.CountAsync());
    }

    [Fact]
    public async Task Scan_NameMatchingNoProfile_MovedToFailedWithNoticeForTheDealersGroup()
    {
        var path = Deliver(harness.Roadstar, "holiday-photos.zip", "not a csv");
        File.WriteAllText(path + ".done", "");

        var taken = Assert.Single(await watcher.ScanOnceAsync(CancellationToken.None));

        Assert.Contains("matches none of the Roadstar profiles' patterns", taken.RejectedReason, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
        await using var db = harness.NewContext();
        var notice = await db.SystemNotifications.SingleAsync();
        Assert.Equal(harness.Organisation.Group.Id, notice.DealerGroupId);
    }

    [Fact]
    public async Task Scan_SampleFilesOfBothProviders_ReceivedAndProcessed()
    {
        Deliver(harness.Roadstar, "CUSTOMERS_20260302.csv", RoadstarCustomers.Many(4));
        Deliver(harness.Werkstatt, "KUNDEN_20260302.txt", "x");
        harness.Database.Clock.Advance(TimeSpan.FromSeconds(1));
        await watcher.ScanOnceAsync(CancellationToken.None);
        harness.Database.Clock.Advance(TimeSpan.FromSeconds(6));

        var taken = await watcher.ScanOnceAsync(CancellationToken.None);

        Assert.Equal(2, taken.Count);
        Assert.All(taken, t => Assert.NotNull(t.File));
        Assert.Contains(taken, t => t.File!.FileType == ImportFileType.Customers && t.DealerFolder == harness.Werkstatt);
        var roadstar = taken.Single(t => t.DealerFolder == harness.Roadstar).File!;
        var done = await harness.Processor.ProcessAsync(roadstar.Id, null, CancellationToken.None);
        Assert.Equal((ImportStatus.Completed, 4L), (done.Status, done.RowsInserted));
    }
}
