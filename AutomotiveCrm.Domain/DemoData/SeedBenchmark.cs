using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.Data.Sqlite;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>
/// The figures of one seeding benchmark. <see cref="PeakMb"/> is the process's peak working set after the run
/// (whatever else the process did before counts too).
/// </summary>
public sealed record SeedBenchmarkResult(int Customers, long Rows, double Seconds, double RowsPerSecond, long PeakMb)
{
    public double CustomersPerSecond => Seconds > 0 ? Customers / Seconds : 0;

    /// <summary>One line: <c>{"customers":..,"rows":..,"seconds":..,"rows_per_s":..,"peak_mb":..}</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(
        new Line(Customers, Rows, Math.Round(Seconds, 3), Math.Round(RowsPerSecond), PeakMb));

    private sealed record Line(
        [property: JsonPropertyName("customers")] int Customers,
        [property: JsonPropertyName("rows")] long Rows,
        [property: JsonPropertyName("seconds")] double Seconds,
        [property: JsonPropertyName("rows_per_s")] double RowsPerSecond,
        [property: JsonPropertyName("peak_mb")] long PeakMb);
}

/// <summary>Seeds a fresh SQLite file end to end and measures it: the demo seeder's throughput benchmark.</summary>
public static class SeedBenchmark
{
    /// <summary>
    /// Deletes the database file (and its -wal, -shm and -journal companions) if present, then migrates a fresh
    /// database and seeds <paramref name="customers"/> customers with everything that hangs off them. The time
    /// covers the whole run, migration and the final checkpoint and ANALYZE included.
    /// </summary>
    public static async Task<SeedBenchmarkResult> RunAsync(string sqliteDatabasePath, int customers,
        IProgress<DemoSeedProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sqliteDatabasePath);
        var path = Path.GetFullPath(sqliteDatabasePath);
        var clock = Stopwatch.StartNew();
        SqliteConnection.ClearAllPools();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(path + suffix);
        }

        var settings = new DatabaseSettings
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = path }.ToString(),
        };
        var result = await DemoDataSeeder.SeedAsync(settings, new DemoSeedOptions(customers), progress, cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new SeedBenchmarkResult(result.Customers, result.Rows, seconds, result.Rows / seconds, process.PeakWorkingSet64 / (1024 * 1024));
    }
}
