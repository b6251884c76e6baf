using System.Text.Json;
using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.DemoData;

public sealed class SeedBenchmarkTests : IDisposable
{
    private readonly DemoDatabaseFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RunAsync_MissingFolder_CreatesIt()
    {
        var path = _folder.PathOf("new/folder/bench.db");

        var result = await SeedBenchmark.RunAsync(path, 100);

        Assert.Equal(100, result.Customers);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task RunAsync_ExistingFile_StartsFreshAndReportsTheFiguresAsOneJsonLine()
    {
        var path = _folder.PathOf("bench/bench.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, "not a database");
        await File.WriteAllTextAsync(path + "-wal", "stale");

        var result = await SeedBenchmark.RunAsync(path, 400);

        using var json = JsonDocument.Parse(result.ToJson());
        Assert.Equal(["customers", "rows", "seconds", "rows_per_s", "peak_mb"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(400, json.RootElement.GetProperty("customers").GetInt32());
        Assert.Equal(result.Rows, json.RootElement.GetProperty("rows").GetInt64());
        Assert.True(json.RootElement.GetProperty("seconds").GetDouble() > 0);
        Assert.InRange(json.RootElement.GetProperty("rows_per_s").GetDouble(), 1, double.MaxValue);
        Assert.InRange(json.RootElement.GetProperty("peak_mb").GetInt64(), 1, long.MaxValue);
        await using var db = CrmDatabase.CreateContext(new DatabaseSettings
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = path }.ToString(),
        });
        Assert.Equal(400, await db.Customers.CountAsync());
        long rows = 0;
        foreach (var table in db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct())
        {
            var sql = "SELECT COUNT(*) AS \"Value\" FROM \"" + table + "\"";
            rows += await db.Database.SqlQueryRaw<long>(sql).SingleAsync();
        }

        Assert.Equal(rows, result.Rows);
    }
}
