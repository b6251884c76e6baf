using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutomotiveCrm.Domain.Imports.Pipeline;
using AutomotiveCrm.Domain.Imports.Profiles;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AutomotiveCrm.Domain.Imports.Bench;

/// <summary>The figures of one file's import in the benchmark.</summary>
public sealed record ImportBenchmarkFile(ImportFile File, double Seconds, ImportRunMetrics Metrics)
{
    public double RowsPerSecond => Seconds > 0 ? File.RowsRead / Seconds : 0;
}

/// <summary>
/// The import benchmark's result. The headline figures (rows, seconds, rows_per_s, max_lock_ms) are the customers
/// file's; the service-history file's follow with a <c>service_</c> prefix. <see cref="PeakMb"/> is the process's
/// peak working set at the end (generation included).
/// </summary>
public sealed record ImportBenchmarkResult(ImportBenchmarkFile Customers, ImportBenchmarkFile ServiceHistory, double GenerateSeconds, long PeakMb)
{
    /// <summary>One line: <c>{"rows":..,"seconds":..,"rows_per_s":..,"max_lock_ms":..,"peak_mb":..,"service_rows":..,...}</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(new Line(
        Customers.File.RowsRead, Round(Customers.Seconds), Math.Round(Customers.RowsPerSecond), Round(Customers.Metrics.MaxLockMilliseconds), PeakMb,
        Customers.File.Status.ToString(), Customers.File.RowsInserted, Stages(Customers.Metrics),
        ServiceHistory.File.RowsRead, Round(ServiceHistory.Seconds), Math.Round(ServiceHistory.RowsPerSecond),
        Round(ServiceHistory.Metrics.MaxLockMilliseconds), ServiceHistory.File.Status.ToString(), ServiceHistory.File.RowsInserted,
        ServiceHistory.File.RowsRejected, Stages(ServiceHistory.Metrics), Round(GenerateSeconds)));

    private static double Round(double value) => Math.Round(value, 3);

    private static Dictionary<string, double> Stages(ImportRunMetrics metrics) =>
        metrics.StageSeconds.ToDictionary(s => s.Key.ToString().ToLowerInvariant(), s => Round(s.Value));

    private sealed record Line(
        [property: JsonPropertyName("rows")] long Rows,
        [property: JsonPropertyName("seconds")] double Seconds,
        [property: JsonPropertyName("rows_per_s")] double RowsPerSecond,
        [property: JsonPropertyName("max_lock_ms")] double MaxLockMilliseconds,
        [property: JsonPropertyName("peak_mb")] long PeakMb,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("inserted")] long Inserted,
        [property: JsonPropertyName("stage_seconds")] Dictionary<string, double> StageSeconds,
        [property: JsonPropertyName("service_rows")] long ServiceRows,
        [property: JsonPropertyName("service_seconds")] double ServiceSeconds,
        [property: JsonPropertyName("service_rows_per_s")] double ServiceRowsPerSecond,
        [property: JsonPropertyName("service_max_lock_ms")] double ServiceMaxLockMilliseconds,
        [property: JsonPropertyName("service_status")] string ServiceStatus,
        [property: JsonPropertyName("service_inserted")] long ServiceInserted,
        [property: JsonPropertyName("service_rejected")] long ServiceRejected,
        [property: JsonPropertyName("service_stage_seconds")] Dictionary<string, double> ServiceStageSeconds,
        [property: JsonPropertyName("generate_seconds")] double GenerateSeconds);
}

/// <summary>
/// <c>bench import</c>: generates a Roadstar customers file and a service-history file of N rows each, creates a
/// fresh SQLite database (migrated; one network, group and Roadstar dealer; the default profiles) and imports both
/// files through the production pipeline (<see cref="ImportIntake"/> then <see cref="ImportProcessor"/>, the same
/// code the worker and the command line run), timing each file from intake to Completed.
/// </summary>
public static class ImportBenchmark
{
    public const string DealerCode = "BENCH01";

    public static async Task<ImportBenchmarkResult> RunAsync(string sqliteDatabasePath, int rows, IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sqliteDatabasePath);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        var path = Path.GetFullPath(sqliteDatabasePath);
        var folder = Path.GetDirectoryName(path)!;
        var work = Path.Combine(folder, Path.GetFileNameWithoutExtension(path) + "-files");
        SqliteConnection.ClearAllPools();
        Directory.CreateDirectory(folder);
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(path + suffix);
        }

        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }

        var settings = new DatabaseSettings
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = path }.ToString(),
        };
        await using var services = new ServiceCollection().AddCrmPersistence(_ => settings).BuildServiceProvider();
        var contexts = services.GetRequiredService<ISystemDbContextFactory>();
        await PrepareDatabaseAsync(contexts, cancellationToken);

        var generate = Stopwatch.StartNew();
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var customersPath = Path.Combine(work, $"CUSTOMERS_{stamp}.csv");
        var servicePath = Path.Combine(work, $"SERVICE_HISTORY_{stamp}.csv");
        progress?.Report(string.Create(CultureInfo.InvariantCulture, $"Generating {rows:N0} customers and {rows:N0} service visits..."));
        var customerBytes = await RoadstarBenchFiles.WriteCustomersAsync(customersPath, rows, cancellationToken: cancellationToken);
        var serviceBytes = await RoadstarBenchFiles.WriteServiceHistoryAsync(servicePath, rows, rows, cancellationToken: cancellationToken);
        generate.Stop();
        progress?.Report(string.Create(CultureInfo.InvariantCulture,
            $"  files: {customerBytes / 1048576.0:F0} MB and {serviceBytes / 1048576.0:F0} MB in {generate.Elapsed.TotalSeconds:F1} s"));

        var importSettings = new ImportSettings { StorePath = Path.Combine(work, "store"), InboxPath = Path.Combine(work, "inbox") };
        var intake = new ImportIntake(contexts, importSettings, TimeProvider.System);
        var processor = new ImportProcessor(contexts, importSettings, TimeProvider.System);
        var customers = await ImportAsync(intake, processor, customersPath, ImportFileType.Customers, progress, cancellationToken);
        var service = await ImportAsync(intake, processor, servicePath, ImportFileType.ServiceHistory, progress, cancellationToken);

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new ImportBenchmarkResult(customers, service, generate.Elapsed.TotalSeconds, process.PeakWorkingSet64 / (1024 * 1024));
    }

    private static async Task PrepareDatabaseAsync(ISystemDbContextFactory contexts, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        await CrmDatabase.MigrateAsync(db, cancellationToken);
        var network = new Network { Code = "BENCH", Name = "Benchmark Network", CountryCode = "GB", Currency = "GBP", TimeZone = "Europe/London" };
        var group = new DealerGroup { Network = network, Code = "BENCH-GRP", Name = "Benchmark Motor Group" };
        var dealer = new Dealer { DealerGroup = group, Code = DealerCode, Name = "Benchmark Motors Leeds", CountryCode = "GB", DmsProvider = DefaultImportProfiles.Roadstar };
        db.AddRange(network, group, dealer);
        await db.SaveChangesAsync(cancellationToken);
        await ImportProfileCatalog.EnsureDefaultsAsync(db, network.Id, cancellationToken);
    }

    private static async Task<ImportBenchmarkFile> ImportAsync(ImportIntake intake, ImportProcessor processor, string path, ImportFileType type,
        IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var metrics = new ImportRunMetrics { Trace = [] };
        var clock = Stopwatch.StartNew();
        ImportFile file;
        await using (var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
        {
            file = await intake.ReceiveAsync(new ImportRequest(DealerCode, type, null, Path.GetFileName(path), ImportChannel.CommandLine, "bench import"),
                content, cancellationToken);
        }

        var reporter = progress is null ? null : new ImportProgressLines(progress);
        file = await processor.ProcessAsync(file.Id, reporter, metrics, cancellationToken);
        clock.Stop();
        progress?.Report(string.Create(CultureInfo.InvariantCulture,
            $"  {type}: {file.Status}, {file.RowsRead:N0} rows in {clock.Elapsed.TotalSeconds:F1} s ({file.RowsRead / clock.Elapsed.TotalSeconds:N0} rows/s), longest lock {metrics.MaxLockMilliseconds:F0} ms ({string.Join(", ", metrics.MaxLockByStage.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value:F0}")))}); {string.Join(", ", metrics.StageSeconds.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value:F1} s")))}"));
        progress?.Report(string.Create(CultureInfo.InvariantCulture, $"  {metrics.Transactions} write transactions; phases: ") + string.Join(", ", metrics.PhaseMilliseconds.OrderByDescending(p => p.Value)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value / 1000:F1} s"))));
        var longest = metrics.Trace!.Select((t, i) => (t.Stage, t.Rows, t.Milliseconds, Index: i)).OrderByDescending(t => t.Milliseconds).Take(8);
        progress?.Report("  longest locks: " + string.Join(", ", longest.Select(t =>
            string.Create(CultureInfo.InvariantCulture, $"{t.Milliseconds:F0} ms ({t.Stage} #{t.Index}, {t.Rows:N0} rows)"))));
        if (file.StatusReason is not null)
        {
            progress?.Report("  " + file.StatusReason);
        }

        return new ImportBenchmarkFile(file, clock.Elapsed.TotalSeconds, metrics);
    }
}

/// <summary>Import progress as text lines (for standard error), at most one per stage change or second.</summary>
public sealed class ImportProgressLines(IProgress<string> lines) : IProgress<ImportProgress>
{
    private readonly Lock gate = new();
    private ImportStatus? lastStatus;
    private long lastAt;

    public void Report(ImportProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (gate)
        {
            var now = Stopwatch.GetTimestamp();
            if (value.Status == lastStatus && Stopwatch.GetElapsedTime(lastAt, now) < TimeSpan.FromSeconds(1))
            {
                return;
            }

            lastStatus = value.Status;
            lastAt = now;
            lines.Report(value.TotalRows is { } total
                ? string.Create(CultureInfo.InvariantCulture, $"  import {value.ImportFileId}: {value.Status} {value.Rows:N0} / {total:N0} rows")
                : string.Create(CultureInfo.InvariantCulture, $"  import {value.ImportFileId}: {value.Status} {value.Rows:N0} rows"));
        }
    }
}
