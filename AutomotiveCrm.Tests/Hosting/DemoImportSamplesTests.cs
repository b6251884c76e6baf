using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Samples;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Hosting;

/// <summary>
/// A first run of the app with demo data: both providers' sample files land in demo dealers' inboxes and the
/// running app's drop-folder watcher and worker import every one of them, as an SFTP delivery would be.
/// </summary>
public sealed class DemoImportSamplesTests : IDisposable
{
    private readonly CrmWebFactory factory = new() { DemoImportSamples = true, DemoCustomers = 100 };

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task FirstRun_SampleFilesOfBothProviders_ImportedThroughTheDropFolderWithoutRejects()
    {
        using var client = factory.CreateClient();
        var expected = ImportSamples.All.Count;
        var settings = new DatabaseSettings { Provider = DatabaseProvider.Sqlite, ConnectionString = factory.ConnectionString };

        List<ImportFile> files = [];
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            await using (var db = CrmDatabase.CreateContext(settings))
            {
                files = await db.ImportFiles.AsNoTracking().ToListAsync();
            }

            if (files.Count == expected && files.All(f => f.Status is ImportStatus.Completed or ImportStatus.Failed or ImportStatus.Refused))
            {
                break;
            }

            await Task.Delay(500);
        }

        Assert.Equal(expected, files.Count);
        Assert.All(files, f =>
        {
            Assert.True(f.Status == ImportStatus.Completed, $"{f.OriginalName}: {f.Status} {f.StatusReason}");
            Assert.Equal(ImportChannel.DropFolder, f.Channel);
            Assert.Equal(0, f.RowsRejected);
            Assert.True(f.RowsInserted > 0, $"{f.OriginalName}: nothing inserted");
        });
        Assert.Equal(2, files.Select(f => f.DealerId).Distinct().Count());
    }
}
