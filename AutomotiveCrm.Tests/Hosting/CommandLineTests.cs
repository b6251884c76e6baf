using System.Text.Json;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Hosting;

public sealed class CommandLineTests : IDisposable
{
    private readonly TempFolder temp = new();
    private readonly StringWriter stdout = new();
    private readonly StringWriter stderr = new();

    public void Dispose()
    {
        temp.Dispose();
        stdout.Dispose();
        stderr.Dispose();
    }

    private Task<int> Run(params string[] args) => CommandLine.RunAsync(args, stdout, stderr);

    private string Db => $"--ConnectionStrings:Crm={temp.SqliteConnection()}";

    [Theory]
    [InlineData("migrate")]
    [InlineData("seed-demo")]
    [InlineData("bench")]
    [InlineData("help")]
    public void IsVerb_KnownVerb_True(string verb)
    {
        Assert.True(CommandLine.IsVerb([verb, "--x"]));
    }

    [Fact]
    public void IsVerb_HostArguments_False()
    {
        Assert.False(CommandLine.IsVerb(["--urls", "http://127.0.0.1:5000"]));
        Assert.False(CommandLine.IsVerb([]));
    }

    [Fact]
    public async Task Help_ListsEveryVerb()
    {
        var code = await Run("help");

        Assert.Equal(CommandLine.Ok, code);
        Assert.Contains("migrate", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("seed-demo", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("bench seed", stdout.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "seed-demo", "--customers", "abc" }, "--customers must be a whole number, not 'abc'")]
    [InlineData(new[] { "seed-demo", "--customers", "0" }, "--customers must be between 1 and 1000000, not 0")]
    [InlineData(new[] { "seed-demo", "--customers", "2000000" }, "--customers must be between 1 and 1000000")]
    [InlineData(new[] { "seed-demo", "--customers" }, "--customers needs a value")]
    [InlineData(new[] { "seed-demo", "--reset=yes" }, "--reset takes no value")]
    [InlineData(new[] { "seed-demo", "--colour", "red" }, "seed-demo does not take --colour")]
    [InlineData(new[] { "migrate", "now" }, "unexpected argument 'now'")]
    [InlineData(new[] { "bench" }, "bench needs what to measure")]
    [InlineData(new[] { "bench", "rockets" }, "unknown benchmark 'rockets'")]
    [InlineData(new[] { "seed-demo", "--seed", "1", "--seed", "2" }, "option --seed is given twice")]
    public async Task Run_BadArguments_ExitsWithUsageAndNamesTheProblem(string[] args, string message)
    {
        var code = await Run(args);

        Assert.Equal(CommandLine.Usage, code);
        Assert.Contains(message, stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal("", stdout.ToString());
    }

    [Fact]
    public async Task Migrate_UnknownProvider_FailsNamingTheSetting()
    {
        var code = await Run("migrate", "--Database:Provider=Oracle", Db);

        Assert.Equal(CommandLine.Failed, code);
        Assert.Contains("Database:Provider is 'Oracle'", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_EmptySqliteFile_CreatesTheSchema()
    {
        var code = await Run("migrate", Db);

        Assert.Equal(CommandLine.Ok, code);
        Assert.Contains("Sqlite database migrated", stdout.ToString(), StringComparison.Ordinal);
        await using var db = CrmDatabase.CreateContext(new DatabaseSettings { ConnectionString = temp.SqliteConnection() });
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(0, await db.Customers.CountAsync());
    }

    [Fact]
    public async Task Migrate_Twice_SaysUpToDate()
    {
        await Run("migrate", Db);
        stdout.GetStringBuilder().Clear();

        var code = await Run("migrate", Db);

        Assert.Equal(CommandLine.Ok, code);
        Assert.Contains("up to date", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedDemo_Json_PrintsResultAsLastLine()
    {
        var code = await Run("seed-demo", "--customers", "150", "--json", Db);

        Assert.Equal(CommandLine.Ok, code);
        var last = stdout.ToString().TrimEnd().Split('\n')[^1];
        using var json = JsonDocument.Parse(last);
        // The testers' shape: users (every role at every scope, see Identity/DemoUsersTests) and one sample per group.
        var users = json.RootElement.GetProperty("users").EnumerateArray().ToList();
        Assert.NotEmpty(users);
        Assert.All(users, u => Assert.True(
            u.GetProperty("email").GetString()!.EndsWith(".demo", StringComparison.Ordinal)
            && u.GetProperty("password").GetString()!.Length >= 12
            && u.GetProperty("roles").GetArrayLength() > 0
            && u.GetProperty("scope").GetProperty("level").GetString() is "Network" or "Group" or "Dealer"));
        Assert.Equal(3, json.RootElement.GetProperty("groups").GetArrayLength());
        Assert.Equal(150, json.RootElement.GetProperty("customers").GetInt32());
        await using var db = CrmDatabase.CreateContext(new DatabaseSettings { ConnectionString = temp.SqliteConnection() });
        // The first dedup pass leaves merged records as tombstones, which the Live filter hides: every record is still there.
        Assert.True(await db.Customers.IgnoreQueryFilters().CountAsync() >= 150);
    }

    [Fact]
    public async Task SeedDemo_SeededDatabaseWithoutReset_RefusesAndKeepsData()
    {
        await Run("seed-demo", "--customers", "100", Db);
        await using var before = CrmDatabase.CreateContext(new DatabaseSettings { ConnectionString = temp.SqliteConnection() });
        var count = await before.Customers.CountAsync();

        var code = await Run("seed-demo", "--customers", "120", Db);

        Assert.Equal(CommandLine.Failed, code);
        Assert.Contains("--reset", stderr.ToString(), StringComparison.Ordinal);
        await using var after = CrmDatabase.CreateContext(new DatabaseSettings { ConnectionString = temp.SqliteConnection() });
        Assert.Equal(count, await after.Customers.CountAsync());
    }

    [Fact]
    public async Task BenchSeed_PrintsJsonFiguresLast()
    {
        var code = await Run("bench", "seed", "--customers", "2000", "--database", temp.File("bench.db"));

        Assert.Equal(CommandLine.Ok, code);
        var last = stdout.ToString().TrimEnd().Split('\n')[^1];
        using var json = JsonDocument.Parse(last);
        var root = json.RootElement;
        Assert.Equal(2000, root.GetProperty("customers").GetInt32());
        Assert.True(root.GetProperty("rows").GetInt64() > 2000 * 3, "customers come with addresses, vehicles, relationships, consents");
        Assert.True(root.GetProperty("seconds").GetDouble() > 0);
        Assert.True(root.GetProperty("rows_per_s").GetDouble() > 0);
        Assert.True(root.GetProperty("peak_mb").GetDouble() > 0);
        Assert.True(File.Exists(temp.File("bench.db")));
    }
}
