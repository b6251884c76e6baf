using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Pipeline;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Imports.Pipeline;

public sealed class ImportIntakeTests : IAsyncLifetime
{
    private PipelineHarness harness = null!;

    public async Task InitializeAsync() => harness = await PipelineHarness.CreateAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task Receive_File_StoredUnderTimestampedNameWithShaAndSizeRecorded()
    {
        var content = RoadstarCustomers.Many(3);
        var bytes = Encoding.UTF8.GetBytes(content);

        var file = await harness.ReceiveAsync(content, "CUSTOMERS_20260302.csv");

        Assert.Equal(ImportStatus.Received, file.Status);
        Assert.Equal("CUSTOMERS_20260302_20260302090000000.csv", file.StoredName);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.Sha256);
        Assert.Equal(bytes.Length, file.SizeBytes);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(harness.Settings.StorePath, "received", file.StoredName)));
        var saved = await harness.FileAsync(file.Id);
        Assert.Equal((harness.Organisation.Network.Id, harness.Organisation.Group.Id, harness.Organisation.Dealer.Id),
            (saved.NetworkId, saved.DealerGroupId, saved.DealerId));
        Assert.Equal(ImportFileType.Customers, saved.FileType);
        Assert.NotNull(saved.ProfileId);
        Assert.Equal(("CUSTOMERS_20260302.csv", ImportChannel.Upload, "tester@example.com"), (saved.OriginalName, saved.Channel, saved.DeliveredBy));
        Assert.Equal(harness.Database.Clock.GetUtcNow().UtcDateTime, saved.ReceivedAt);
        Assert.Empty(Directory.GetFiles(Path.Combine(harness.Settings.StorePath, "received"), "*.part", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(harness.Settings.StorePath, "received"), ".*")));
    }

    [Fact]
    public async Task Receive_SameNameTwiceInOneMillisecond_GetsDistinctStoredNames()
    {
        var first = await harness.ReceiveAsync(RoadstarCustomers.Many(1), "CUSTOMERS_1.csv");
        var second = await harness.ReceiveAsync(RoadstarCustomers.Many(2), "CUSTOMERS_1.csv");

        Assert.Equal("CUSTOMERS_1_20260302090000000.csv", first.StoredName);
        Assert.Equal("CUSTOMERS_1_20260302090000001.csv", second.StoredName);
    }

    [Theory]
    [InlineData("../../etc/passwd", "passwd_20260302090000000")]
    [InlineData("C:\\exports\\CUSTOMERS.CSV", "CUSTOMERS_20260302090000000.csv")]
    [InlineData(".hidden.csv", "hidden_20260302090000000.csv")]
    [InlineData("a\u0000b<c>|d.csv", "a_b_c__d_20260302090000000.csv")]
    [InlineData("", "file_20260302090000000")]
    public void StoredName_HostileOriginalName_HarmlessName(string original, string expected)
    {
        Assert.Equal(expected, ImportStore.StoredName(original, new DateTime(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public async Task Receive_UnknownDealer_RefusedNamingTheCode()
    {
        var ex = await Assert.ThrowsAsync<DomainException>(() => harness.ReceiveAsync(RoadstarCustomers.Many(1), dealer: "NOPE-9"));

        Assert.Contains("No dealer has the code 'NOPE-9'", ex.Message, StringComparison.Ordinal);
        await using var db = harness.NewContext();
        Assert.Equal(0, await db.ImportFiles.CountAsync());
    }

    [Fact]
    public async Task Receive_SameContentAlreadyCompleted_RecordedAsRefusedAndNothingKept()
    {
        var content = RoadstarCustomers.Many(2);
        var first = await harness.ImportAsync(content);
        Assert.Equal(ImportStatus.Completed, first.Status);

        var again = await harness.ReceiveAsync(content, "CUSTOMERS_copy.csv");

        Assert.Equal(ImportStatus.Refused, again.Status);
        Assert.Contains($"file {first.Id} ", again.StatusReason, StringComparison.Ordinal);
        Assert.Contains("2026-03-02 09:00", again.StatusReason, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(harness.Settings.StorePath, "received", again.StoredName)));
        Assert.False(File.Exists(Path.Combine(harness.Settings.StorePath, "failed", again.StoredName)));
        Assert.Equal(again.Id, (await harness.FileAsync(again.Id)).Id);
        Assert.Contains(harness.Notifier.Calls, c => c.File.Id == again.Id);
    }

    [Fact]
    public async Task Receive_SameContentStillUnfinished_ReturnsThatFileToResume()
    {
        var content = RoadstarCustomers.Many(2);
        var first = await harness.ReceiveAsync(content);

        var again = await harness.ReceiveAsync(content);

        Assert.Equal(first.Id, again.Id);
        await using var db = harness.NewContext();
        Assert.Equal(1, await db.ImportFiles.CountAsync());
        Assert.Single(Directory.GetFiles(Path.Combine(harness.Settings.StorePath, "received")));
    }

    [Fact]
    public async Task Receive_SameContentForAnotherType_NotRefused()
    {
        var content = RoadstarCustomers.Many(2);
        await harness.ImportAsync(content);

        var other = await harness.ReceiveAsync(content, "VEHICLES_1.csv", type: ImportFileType.Vehicles);

        Assert.Equal(ImportStatus.Received, other.Status);
    }

    [Fact]
    public async Task Receive_NoProfileForType_RecordedAsFailedInFailedFolderWithNotice()
    {
        await using (var db = harness.NewContext())
        {
            await db.ImportProfiles.Where(p => p.FileType == ImportFileType.Sales).ExecuteUpdateAsync(s => s.SetProperty(p => p.IsActive, false));
        }

        var file = await harness.ReceiveAsync("SALE_NO\r\n1\r\n", "SALES_1.csv", type: ImportFileType.Sales);

        Assert.Equal(ImportStatus.Failed, file.Status);
        Assert.Contains("There is no active Roadstar import profile for sales files", file.StatusReason, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(harness.Settings.StorePath, "failed", file.StoredName)));
        await using var check = harness.NewContext();
        var notice = await check.SystemNotifications.SingleAsync();
        Assert.Equal(("import-failed", $"/imports/{file.Id}"), (notice.Category, notice.Link));
        Assert.Contains(file.StatusReason!, notice.Message, StringComparison.Ordinal);
        Assert.Single(harness.Notifier.Calls);
    }

    [Fact]
    public async Task Receive_NoTypeAndNameMatchesNoPattern_RefusedWithTheCatalogueReason()
    {
        var ex = await Assert.ThrowsAsync<DomainException>(() => harness.ReceiveAsync(RoadstarCustomers.Many(1), "export.xlsx", type: null));

        Assert.Contains("matches none of the Roadstar profiles' patterns", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receive_NoTypeButPatternMatches_TypeRecognised()
    {
        var file = await harness.ReceiveAsync(RoadstarCustomers.Many(1), "customers_20260301.csv", type: null);

        Assert.Equal((ImportStatus.Received, ImportFileType.Customers), (file.Status, file.FileType));
    }

    [Fact]
    public async Task Reprocess_CompletedFile_NewFileFromTheArchiveWithReprocessOf()
    {
        var content = RoadstarCustomers.Many(3);
        var first = await harness.ImportAsync(content);

        var again = await harness.Intake.ReprocessAsync(first.Id, "admin@example.com", CancellationToken.None);

        Assert.Equal((ImportStatus.Received, first.Id, first.Sha256, "admin@example.com"), (again.Status, again.ReprocessOfId, again.Sha256, again.DeliveredBy));
        Assert.NotEqual(first.StoredName, again.StoredName);
        Assert.Equal(content, await File.ReadAllTextAsync(Path.Combine(harness.Settings.StorePath, "received", again.StoredName)));
        var done = await harness.Processor.ProcessAsync(again.Id, null, CancellationToken.None);
        Assert.Equal((ImportStatus.Completed, 3L, 0L, 0L), (done.Status, done.RowsRead, done.RowsInserted, done.RowsUpdated));
    }

    [Fact]
    public async Task Reprocess_FileFailedForWantOfAProfile_ImportedOnceTheProfileIsBack()
    {
        await using (var db = harness.NewContext())
        {
            await db.ImportProfiles.Where(p => p.FileType == ImportFileType.Customers).ExecuteUpdateAsync(s => s.SetProperty(p => p.IsActive, false));
        }

        var failed = await harness.ReceiveAsync(RoadstarCustomers.Many(4));
        Assert.Equal(ImportStatus.Failed, failed.Status);
        await using (var db = harness.NewContext())
        {
            await db.ImportProfiles.Where(p => p.FileType == ImportFileType.Customers).ExecuteUpdateAsync(s => s.SetProperty(p => p.IsActive, true));
        }

        var again = await harness.Intake.ReprocessAsync(failed.Id, "admin@example.com", CancellationToken.None);
        var done = await harness.Processor.ProcessAsync(again.Id, null, CancellationToken.None);

        Assert.Equal((failed.Id, ImportStatus.Completed, 4L), (done.ReprocessOfId, done.Status, done.RowsInserted));
        Assert.NotNull(done.ProfileId);
    }

    [Fact]
    public async Task Reprocess_UnfinishedFile_Refused()
    {
        var file = await harness.ReceiveAsync(RoadstarCustomers.Many(1));

        var ex = await Assert.ThrowsAsync<DomainException>(() => harness.Intake.ReprocessAsync(file.Id, "admin@example.com", CancellationToken.None));

        Assert.Contains("still being processed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenOriginal_ReceivedAndArchived_GivesTheOriginalBytes()
    {
        var content = RoadstarCustomers.Many(2);
        var received = await harness.ReceiveAsync(content);
        using (var reader = new StreamReader(harness.Intake.OpenOriginal(received)!))
        {
            Assert.Equal(content, await reader.ReadToEndAsync());
        }

        var done = await harness.Processor.ProcessAsync(received.Id, null, CancellationToken.None);

        Assert.Equal($"archive/2026/03/{done.StoredName}.gz", done.ArchivePath);
        Assert.False(File.Exists(Path.Combine(harness.Settings.StorePath, "received", done.StoredName)));
        await using (var gzip = new GZipStream(File.OpenRead(Path.Combine(harness.Settings.StorePath, done.ArchivePath!)), CompressionMode.Decompress))
        using (var raw = new StreamReader(gzip))
        {
            Assert.Equal(content, await raw.ReadToEndAsync());
        }

        using var original = new StreamReader(harness.Intake.OpenOriginal(done)!);
        Assert.Equal(content, await original.ReadToEndAsync());
    }

    [Fact]
    public async Task OpenOriginal_Gone_Null()
    {
        var file = await harness.ReceiveAsync(RoadstarCustomers.Many(1));
        File.Delete(Path.Combine(harness.Settings.StorePath, "received", file.StoredName));

        Assert.Null(harness.Intake.OpenOriginal(file));
    }
}
