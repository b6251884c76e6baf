using System.Text.Json;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Profiles;
using AutomotiveCrm.Domain.Imports.Samples;
using AutomotiveCrm.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Imports.Pipeline;

public sealed class ImportCommandLineTests : IAsyncLifetime, IDisposable
{
    private readonly StringWriter stdout = new();
    private readonly StringWriter stderr = new();
    private PipelineHarness harness = null!;

    public async Task InitializeAsync() => harness = await PipelineHarness.CreateAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    public void Dispose()
    {
        stdout.Dispose();
        stderr.Dispose();
    }

    private Task<int> Run(params string[] args) => CommandLine.RunAsync(
        [.. args, $"--ConnectionStrings:Crm={harness.Database.Settings.ConnectionString}", $"--Imports:StorePath={harness.Settings.StorePath}"],
        stdout, stderr);

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(harness.Folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    private JsonElement LastJson()
    {
        var last = stdout.ToString().TrimEnd().Split('\n')[^1];
        using var json = JsonDocument.Parse(last);
        return json.RootElement.Clone();
    }

    [Fact]
    public void IsVerb_Import_True()
    {
        Assert.True(CommandLine.IsVerb(["import", "--dealer", "X"]));
    }

    [Fact]
    public async Task Import_GoodFile_CompletedCountsAsJsonLastAndExitZero()
    {
        var path = WriteFile("CUSTOMERS_20260302.csv", RoadstarCustomers.File(
            RoadstarCustomers.Row("C1", "Archer"), RoadstarCustomers.Row("C2", "Baker", dateOfBirth: "31/02/1980"),
            RoadstarCustomers.Row("C1", "Again"), RoadstarCustomers.Row("C3", "Carter")));

        var code = await Run("import", "--dealer", harness.Roadstar, "--type", "customers", path, "--json");

        Assert.True(code == CommandLine.Ok, stderr.ToString());
        var json = LastJson();
        Assert.Equal("Completed", json.GetProperty("status").GetString());
        Assert.Equal((4, 1, 1, 2, 0, 0), (json.GetProperty("rows_read").GetInt32(), json.GetProperty("rejected").GetInt32(),
            json.GetProperty("duplicates").GetInt32(), json.GetProperty("inserted").GetInt32(), json.GetProperty("updated").GetInt32(),
            json.GetProperty("unchanged").GetInt32()));
        Assert.True(json.GetProperty("seconds").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("reason").ValueKind);
        var file = await harness.FileAsync(json.GetProperty("file_id").GetInt64());
        Assert.Equal((ImportChannel.CommandLine, "command line"), (file.Channel, file.DeliveredBy));
        Assert.Contains("Merging", stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("service-history", ImportFileType.ServiceHistory)]
    [InlineData("ServiceHistory", ImportFileType.ServiceHistory)]
    [InlineData("SERVICE_HISTORY", ImportFileType.ServiceHistory)]
    [InlineData("Customers", ImportFileType.Customers)]
    [InlineData("workshop-transactions", ImportFileType.WorkshopTransactions)]
    public void ParseFileType_AnySpelling_TheType(string text, ImportFileType expected)
    {
        Assert.Equal(expected, CommandLine.ParseFileType(text));
    }

    [Fact]
    public async Task Import_UnknownType_UsageNamingTheTypes()
    {
        var path = WriteFile("CUSTOMERS_1.csv", RoadstarCustomers.Many(1));

        var code = await Run("import", "--dealer", harness.Roadstar, "--type", "3", path);

        Assert.Equal(CommandLine.Usage, code);
        Assert.Contains("--type '3' is not a file type: use customers, vehicles, sales, service-history", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_NoDealer_Usage()
    {
        var code = await Run("import", "--type", "customers", WriteFile("CUSTOMERS_1.csv", RoadstarCustomers.Many(1)));

        Assert.Equal(CommandLine.Usage, code);
        Assert.Contains("import needs --dealer CODE", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_MissingFile_Usage()
    {
        var code = await Run("import", "--dealer", harness.Roadstar, "--type", "customers", Path.Combine(harness.Folder, "nope.csv"));

        Assert.Equal(CommandLine.Usage, code);
        Assert.Contains("does not exist", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_UnknownDealer_FailsNamingTheCode()
    {
        var code = await Run("import", "--dealer", "NOBODY", "--type", "customers", WriteFile("CUSTOMERS_1.csv", RoadstarCustomers.Many(1)));

        Assert.Equal(CommandLine.Failed, code);
        Assert.Contains("No dealer has the code 'NOBODY'", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_SameFileTwice_SecondRefusedExitOne()
    {
        var path = WriteFile("CUSTOMERS_1.csv", RoadstarCustomers.Many(5));
        Assert.Equal(CommandLine.Ok, await Run("import", "--dealer", harness.Roadstar, "--type", "customers", path, "--json"));
        var first = LastJson().GetProperty("file_id").GetInt64();

        var code = await Run("import", "--dealer", harness.Roadstar, "--type", "customers", path, "--json");

        Assert.Equal(CommandLine.Failed, code);
        var json = LastJson();
        Assert.Equal("Refused", json.GetProperty("status").GetString());
        Assert.Contains($"file {first} ", json.GetProperty("reason").GetString(), StringComparison.Ordinal);
        await using var db = harness.NewContext();
        Assert.Equal(5, await db.Customers.CountAsync());
    }

    [Fact]
    public async Task Import_StructureFailure_FailedExitOneWithReason()
    {
        var path = WriteFile("CUSTOMERS_bad.csv", "just one line without the headers\r\n");

        var code = await Run("import", "--dealer", harness.Roadstar, "--type", "customers", path, "--json");

        Assert.Equal(CommandLine.Failed, code);
        var json = LastJson();
        Assert.Equal("Failed", json.GetProperty("status").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Import_WerkstattSampleWithoutType_RecognisedByNameAndCompleted()
    {
        var sample = ImportSamples.For(DefaultImportProfiles.WerkstattPlus, ImportFileType.Customers);
        var path = Path.Combine(harness.Folder, sample.FileName);
        await using (var source = ImportSamples.Open(sample))
        await using (var target = File.Create(path))
        {
            await source.CopyToAsync(target);
        }

        var code = await Run("import", "--dealer", harness.Werkstatt, path, "--json");

        Assert.True(code == CommandLine.Ok, stderr.ToString());
        var json = LastJson();
        Assert.Equal(("Completed", sample.DataRows, 0), (json.GetProperty("status").GetString(), json.GetProperty("rows_read").GetInt32(),
            json.GetProperty("rejected").GetInt32()));
    }

    [Fact]
    public async Task Import_WithoutJson_SummaryLine()
    {
        var code = await Run("import", "--dealer", harness.Roadstar, "--type", "customers", WriteFile("CUSTOMERS_1.csv", RoadstarCustomers.Many(2)));

        Assert.Equal(CommandLine.Ok, code);
        Assert.Contains("Completed: 2 rows read, 0 rejected, 0 duplicates, 2 inserted", stdout.ToString(), StringComparison.Ordinal);
    }
}
