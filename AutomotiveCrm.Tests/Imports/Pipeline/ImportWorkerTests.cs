using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Pipeline;
using AutomotiveCrm.Web.Imports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutomotiveCrm.Tests.Imports.Pipeline;

public sealed class ImportWorkerTests : IAsyncLifetime
{
    private PipelineHarness harness = null!;

    public async Task InitializeAsync() => harness = await PipelineHarness.CreateAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    private async Task<ImportFile> WaitForFinalAsync(long id)
    {
        for (var i = 0; i < 300; i++)
        {
            var file = await harness.FileAsync(id);
            if (ImportProcessor.IsFinal(file.Status))
            {
                return file;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Import {id} did not finish.");
    }

    [Fact]
    public async Task Worker_AtStart_ResumesAFileACrashLeftInStagingThenTakesReceivedFiles()
    {
        var crashed = await harness.ReceiveAsync(RoadstarCustomers.Many(20), "CUSTOMERS_1.csv");
        await using (var db = harness.NewContext())
        {
            // What a kill during staging leaves: the status, some progress and half-written staging and reject rows.
            await db.ImportFiles.Where(f => f.Id == crashed.Id).ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, ImportStatus.Staging)
                .SetProperty(f => f.ProgressRows, 7L).SetProperty(f => f.RowsRead, 20L));
            db.ImportStaging.Add(new ImportStagingRow { ImportFileId = crashed.Id, LineNumber = 2, RecordKey = "C000001", RowHash = "x", Payload = "{}" });
            db.ImportRejects.Add(new ImportReject { ImportFileId = crashed.Id, LineNumber = 3, Reason = "left over" });
            await db.SaveChangesAsync();
        }

        var waiting = await harness.ReceiveAsync(RoadstarCustomers.Many(5, offset: 100), "CUSTOMERS_2.csv");
        using var worker = new ImportWorker(harness.Processor, harness.Settings, harness.Contexts, NullLogger<ImportWorker>.Instance);

        await worker.StartAsync(CancellationToken.None);
        var resumed = await WaitForFinalAsync(crashed.Id);
        var next = await WaitForFinalAsync(waiting.Id);
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal((ImportStatus.Completed, 20L, 0L, 20L), (resumed.Status, resumed.RowsRead, resumed.RowsRejected, resumed.RowsInserted));
        Assert.Equal((ImportStatus.Completed, 5L), (next.Status, next.RowsInserted));
        await using var check = harness.NewContext();
        Assert.Equal(0, await check.ImportRejects.CountAsync());
        Assert.Equal(25, await check.Customers.CountAsync());
    }

    [Fact]
    public async Task Worker_Disabled_LeavesFilesAlone()
    {
        var file = await harness.ReceiveAsync(RoadstarCustomers.Many(2));
        harness.Settings.RunWorker = false;
        using var worker = new ImportWorker(harness.Processor, harness.Settings, harness.Contexts, NullLogger<ImportWorker>.Instance);

        await worker.StartAsync(CancellationToken.None);
        await Task.Delay(300);
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(ImportStatus.Received, (await harness.FileAsync(file.Id)).Status);
    }

    [Fact]
    public void ReadSettings_RelativePaths_ResolvedAgainstTheContentRoot()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Imports:InboxPath"] = "data/in",
            ["Imports:StorePath"] = "/srv/imports/store",
            ["Imports:StableSeconds"] = "3",
        }).Build();

        var settings = ImportsRegistration.ReadSettings(configuration, "/opt/crm");

        Assert.Equal(("/opt/crm/data/in", "/srv/imports/store", 3, 250), (settings.InboxPath, settings.StorePath, settings.StableSeconds, settings.MaxLockMilliseconds));
    }

    [Fact]
    public void ReadSettings_BadValue_NamesTheKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Imports:ScanSeconds"] = "0" }).Build();

        var ex = Assert.Throws<InvalidOperationException>(() => ImportsRegistration.ReadSettings(configuration, "/opt/crm"));

        Assert.Contains("Imports:ScanSeconds is 0", ex.Message, StringComparison.Ordinal);
    }
}
