using System.Text.Json;
using AutomotiveCrm.Web.Hosting;

namespace AutomotiveCrm.Tests.Imports.Bench;

/// <summary>
/// <c>bench import-ceiling</c> writes into the production schema with hand-written SQL: these tests keep that SQL in
/// step with the migrations (a renamed column or a new NOT NULL column fails here) and check the JSON it prints.
/// </summary>
public sealed class ImportCeilingTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("crm-ceiling-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task BenchImportCeiling_WritesEveryRowTwice_PrintsBothPassesAsJsonLast()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await CommandLine.RunAsync(["bench", "import-ceiling", "--rows", "3000", "--database", Path.Combine(folder, "ceiling.db")], stdout, stderr);

        Assert.True(code == CommandLine.Ok, stderr.ToString());
        using var json = JsonDocument.Parse(stdout.ToString().TrimEnd().Split('\n')[^1]);
        var root = json.RootElement;
        Assert.Equal(3000, root.GetProperty("rows").GetInt32());
        Assert.True(root.GetProperty("merge_s").GetDouble() > 0);
        Assert.True(root.GetProperty("rows_per_s").GetDouble() > 0);
        // The customers' own indexes are part of the figure: at least the DMS key, the name search and the e-mail look-up.
        Assert.True(root.GetProperty("secondary_indexes").GetInt32() >= 3);
        Assert.True(root.GetProperty("without_secondary_indexes").GetProperty("rows_per_s").GetDouble() > 0);
        Assert.Equal(150_000, root.GetProperty("target_rows_per_s").GetInt32());
        Assert.Contains("without the secondary indexes", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CountsEveryTable_ResultCarriesBothPasses()
    {
        var result = await AutomotiveCrm.Domain.Imports.Bench.ImportCeiling.RunAsync(Path.Combine(folder, "direct.db"), 500);

        Assert.Equal(500, result.Rows);
        Assert.Equal(0, result.WithoutSecondaryIndexes.SecondaryIndexes);
        Assert.True(result.WithIndexes.SecondaryIndexes > 0);
        Assert.True(result.WithIndexes.Seconds > 0);
    }
}
