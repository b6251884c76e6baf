using System.Diagnostics;
using System.Text.Json;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Bench;
using AutomotiveCrm.Domain.Imports.Pipeline;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace AutomotiveCrm.Tests.Imports.Pipeline;

/// <summary>
/// THE guarantee: an import killed with SIGKILL at any point and started again finishes with exactly the result of an
/// uninterrupted import. The real command line runs as a child process and is killed once while it stages and once
/// while it merges (the test watches the file's row to know), then runs to completion; the outcome is compared with
/// a clean import of the same file into another database.
/// </summary>
public sealed class ImportKillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Rows = 100_000;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    private PipelineHarness killed = null!;
    private PipelineHarness clean = null!;
    private string csv = null!;

    public async Task InitializeAsync()
    {
        killed = await PipelineHarness.CreateAsync();
        clean = await PipelineHarness.CreateAsync();
        csv = Path.Combine(killed.Folder, "CUSTOMERS_KILL.csv");
        await RoadstarBenchFiles.WriteCustomersAsync(csv, Rows);
        // A sprinkle of bad rows and repeats, so rejects and duplicates are part of what must not double.
        await File.AppendAllTextAsync(csv, string.Join("\r\n",
            RoadstarCustomers.Row(RoadstarBenchFiles.CustomerNumber(17), "Repeat"),
            RoadstarCustomers.Row("C-BAD-1", "Bad", dateOfBirth: "not a date"),
            RoadstarCustomers.Row(RoadstarBenchFiles.CustomerNumber(99_999), "Repeat again")) + "\r\n");
    }

    public async Task DisposeAsync()
    {
        await killed.DisposeAsync();
        await clean.DisposeAsync();
    }

    [Fact]
    public async Task Import_KilledWhileStagingAndWhileMerging_FinishesExactlyLikeACleanImport()
    {
        var reference = await CleanImportAsync();

        await KillWhenAsync(f => f.Status == ImportStatus.Staging && f.ProgressRows > 20_000, "staging");
        var afterFirstKill = await FileRowAsync();
        Assert.Equal(ImportStatus.Staging, afterFirstKill!.Status);

        await KillWhenAsync(f => f.Status == ImportStatus.Merging && f.ProgressRows > 5_000, "merging");
        var afterSecondKill = await FileRowAsync();
        Assert.Equal(ImportStatus.Merging, afterSecondKill!.Status);
        Assert.InRange(afterSecondKill.ProgressRows, 1, reference.File.RowsRead - 1);

        var (exitCode, stdout, stderr) = await RunCliAsync(kill: null);

        Assert.True(exitCode == 0, $"exit {exitCode}: {stderr}");
        using var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
        Assert.Equal(afterFirstKill.Id, json.RootElement.GetProperty("file_id").GetInt64());
        var file = (await FileRowAsync())!;
        Assert.Equal(ImportStatus.Completed, file.Status);
        Assert.Equal(Counts(reference.File), Counts(file));
        Assert.Equal(Rows + 3L, file.RowsRead);
        Assert.Equal(2L, file.RowsDuplicate);
        Assert.True(file.RowsRejected >= 1 && file.RowsInserted > Rows * 0.9, $"{file.RowsRejected} rejected, {file.RowsInserted} inserted");
        Assert.Equal(reference.Tables, await killed.TableCountsAsync());
        await using var db = killed.NewContext();
        Assert.Equal(0, await db.ImportStaging.CountAsync());
        Assert.Equal(1, await db.ImportFiles.CountAsync());
        Assert.Equal(file.RowsInserted, await db.Customers.CountAsync(c => c.SourceFileId == file.Id));
        Assert.Equal(file.RowsInserted, await db.DmsRecords.CountAsync(r => r.SourceFileId == file.Id));
        Assert.Equal(file.RowsRejected, await db.ImportRejects.Select(r => r.LineNumber).Distinct().CountAsync());
        Assert.Equal(file.RowsDuplicate, await db.ImportDuplicates.CountAsync());
        Assert.Equal(await db.DmsRecords.CountAsync(), await db.DmsRecords.Select(r => r.EntityId).Distinct().CountAsync());
        Assert.True(File.Exists(Path.Combine(killed.Settings.StorePath, file.ArchivePath!)));
        Assert.Empty(Directory.GetFiles(Path.Combine(killed.Settings.StorePath, "received")));
    }

    private static (long, long, long, long, long, long) Counts(ImportFile f) =>
        (f.RowsRead, f.RowsRejected, f.RowsDuplicate, f.RowsInserted, f.RowsUpdated, f.RowsUnchanged);

    private async Task<(ImportFile File, Dictionary<string, int> Tables)> CleanImportAsync()
    {
        ImportFile file;
        await using (var content = File.OpenRead(csv))
        {
            file = await clean.Intake.ReceiveAsync(new ImportRequest(clean.Roadstar, ImportFileType.Customers, null, "CUSTOMERS_KILL.csv",
                ImportChannel.CommandLine, "command line"), content, CancellationToken.None);
        }

        file = await clean.Processor.ProcessAsync(file.Id, null, CancellationToken.None);
        Assert.Equal(ImportStatus.Completed, file.Status);
        return (file, await clean.TableCountsAsync());
    }

    /// <summary>Runs the command line and kills it (SIGKILL, whole tree) as soon as the file's row satisfies <paramref name="when"/>.</summary>
    private async Task KillWhenAsync(Func<ImportFile, bool> when, string stage)
    {
        var (exitCode, _, stderr) = await RunCliAsync(when);
        Assert.True(exitCode == -1, $"The import was meant to be killed while {stage}, but it exited with {exitCode}: {stderr}");
        output.WriteLine($"killed while {stage}: {JsonSerializer.Serialize(await FileRowAsync())}");
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(Func<ImportFile, bool>? kill)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = killed.Folder,
        };
        foreach (var argument in new[]
        {
            WebAssembly, "import", "--dealer", killed.Roadstar, "--type", "customers", csv, "--json",
            $"--ConnectionStrings:Crm={killed.Database.Settings.ConnectionString}", $"--Imports:StorePath={killed.Settings.StorePath}",
            "--Logging:LogLevel:Default=Warning",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var deadline = Stopwatch.StartNew();
        while (!process.HasExited)
        {
            Assert.True(deadline.Elapsed < RunTimeout, "The command line took too long.");
            if (kill is not null && await FileRowAsync() is { } file && kill(file))
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                return (-1, await stdout, await stderr);
            }

            await Task.Delay(kill is null ? 100 : 10);
        }

        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The import's row as the other process last committed it.</summary>
    private async Task<ImportFile?> FileRowAsync()
    {
        await using var db = killed.NewContext();
        return await db.ImportFiles.AsNoTracking().OrderBy(f => f.Id).FirstOrDefaultAsync();
    }

    private static string WebAssembly => Path.Combine(AppContext.BaseDirectory, "AutomotiveCrm.Web.dll");
}
