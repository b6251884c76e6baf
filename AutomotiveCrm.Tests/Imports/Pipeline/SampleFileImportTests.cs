using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Pipeline;
using AutomotiveCrm.Domain.Imports.Profiles;
using AutomotiveCrm.Domain.Imports.Samples;
using AutomotiveCrm.Web.Imports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutomotiveCrm.Tests.Imports.Pipeline;

/// <summary>Both providers' sample files, every type, through the whole pipeline.</summary>
public sealed class SampleFileImportTests : IAsyncLifetime
{
    private PipelineHarness harness = null!;

    public async Task InitializeAsync() => harness = await PipelineHarness.CreateAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    private string DealerOf(string provider) => provider == DefaultImportProfiles.Roadstar ? harness.Roadstar : harness.Werkstatt;

    [Theory]
    [InlineData(DefaultImportProfiles.Roadstar)]
    [InlineData(DefaultImportProfiles.WerkstattPlus)]
    public async Task Import_EverySampleOfTheProvider_CompletedWithEveryRowMerged(string provider)
    {
        var results = new List<(ImportSample Sample, ImportFile File)>();
        foreach (var sample in ImportSamples.Of(provider))
        {
            await using var content = ImportSamples.Open(sample);
            var file = await harness.Intake.ReceiveAsync(new ImportRequest(DealerOf(provider), null, null, sample.FileName, ImportChannel.Upload, "tester"),
                content, CancellationToken.None);
            results.Add((sample, await harness.Processor.ProcessAsync(file.Id, null, CancellationToken.None)));
        }

        Assert.All(results, r =>
        {
            var f = r.File;
            Assert.True(f.Status == ImportStatus.Completed, $"{r.Sample.FileName}: {f.Status} {f.StatusReason}");
            Assert.Equal(r.Sample.FileType, f.FileType);
            Assert.Equal(r.Sample.DataRows, f.RowsRead);
            Assert.True(f.RowsRejected == 0, $"{r.Sample.FileName}: {f.RowsRejected} rejected");
            Assert.Equal(f.RowsRead, f.RowsInserted + f.RowsUpdated + f.RowsUnchanged);
        });
        await using var db = harness.NewContext();
        Assert.Equal(0, await db.ImportRejects.CountAsync());
        Assert.Equal(0, await db.ImportStaging.CountAsync());
    }

    [Fact]
    public async Task Import_SamplesAgain_AllRefusedAndNothingChanges()
    {
        foreach (var sample in ImportSamples.Of(DefaultImportProfiles.WerkstattPlus))
        {
            await using var content = ImportSamples.Open(sample);
            var file = await harness.Intake.ReceiveAsync(new ImportRequest(harness.Werkstatt, null, null, sample.FileName, ImportChannel.Upload, "tester"),
                content, CancellationToken.None);
            await harness.Processor.ProcessAsync(file.Id, null, CancellationToken.None);
        }

        var before = await harness.TableCountsAsync();

        foreach (var sample in ImportSamples.Of(DefaultImportProfiles.WerkstattPlus))
        {
            await using var content = ImportSamples.Open(sample);
            var again = await harness.Intake.ReceiveAsync(new ImportRequest(harness.Werkstatt, null, null, sample.FileName, ImportChannel.Upload, "tester"),
                content, CancellationToken.None);
            Assert.Equal(ImportStatus.Refused, again.Status);
        }

        Assert.Equal(before, await harness.TableCountsAsync());
    }

    [Fact]
    public async Task DropFolder_BothProvidersSamplesAtOnce_TakenAndProcessedInDependencyOrderWithoutRejects()
    {
        await ImportSamples.CopyToAsync(DefaultImportProfiles.Roadstar, Path.Combine(harness.Settings.InboxPath, harness.Roadstar), CancellationToken.None);
        await ImportSamples.CopyToAsync(DefaultImportProfiles.WerkstattPlus, Path.Combine(harness.Settings.InboxPath, harness.Werkstatt), CancellationToken.None);
        using var watcher = new DropFolderWatcher(harness.Intake, harness.Settings, harness.Database.Clock, NullLogger<DropFolderWatcher>.Instance);
        await watcher.ScanOnceAsync(CancellationToken.None);
        harness.Database.Clock.Advance(TimeSpan.FromSeconds(harness.Settings.StableSeconds));

        var taken = await watcher.ScanOnceAsync(CancellationToken.None);

        Assert.Equal(ImportSamples.All.Count, taken.Count);
        Assert.Empty(Directory.GetFiles(harness.Settings.InboxPath, "*", SearchOption.AllDirectories));
        // As the worker does: the next Received file until none is left.
        while (await harness.Processor.NextReceivedAsync(CancellationToken.None) is { } id)
        {
            await harness.Processor.ProcessAsync(id, null, CancellationToken.None);
        }

        await using var db = harness.NewContext();
        var files = await db.ImportFiles.AsNoTracking().ToListAsync();
        Assert.All(files, f => Assert.True(f.Status == ImportStatus.Completed && f.RowsRejected == 0,
            $"{f.OriginalName}: {f.Status}, {f.RowsRejected} rejected {f.StatusReason}"));
        Assert.All(files, f => Assert.Equal((ImportChannel.DropFolder, "sftp:" + (f.DealerId == harness.Organisation.Dealer.Id ? harness.Roadstar : harness.Werkstatt)),
            (f.Channel, f.DeliveredBy)));
    }
}
