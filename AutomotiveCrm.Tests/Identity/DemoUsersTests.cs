using System.Text.Json;
using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Tests.Hosting;
using AutomotiveCrm.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Identity;

/// <summary>The demo users and the JSON that <c>seed-demo --json</c> prints for testers.</summary>
public sealed class DemoUsersTests : IDisposable
{
    private static readonly string[] Groups = ["NEWSTAR", "PENNINE", "THAMES"];

    private readonly TempFolder temp = new();
    private readonly StringWriter stdout = new();
    private readonly StringWriter stderr = new();

    public void Dispose()
    {
        temp.Dispose();
        stdout.Dispose();
        stderr.Dispose();
    }

    private string Db => $"--ConnectionStrings:Crm={temp.SqliteConnection()}";

    private DatabaseSettings Settings => new() { ConnectionString = temp.SqliteConnection() };

    private async Task<JsonElement> SeedJsonAsync(params string[] extra)
    {
        stdout.GetStringBuilder().Clear();
        var code = await CommandLine.RunAsync(["seed-demo", "--customers", "40", "--json", Db, .. extra], stdout, stderr);
        Assert.True(code == CommandLine.Ok, stderr.ToString());
        var last = stdout.ToString().TrimEnd().Split('\n')[^1];
        using var json = JsonDocument.Parse(last);
        return json.RootElement.Clone();
    }

    [Fact]
    public async Task SeedDemoJson_Users_EveryRoleAtEveryLevel()
    {
        var root = await SeedJsonAsync();

        var users = root.GetProperty("users").EnumerateArray().ToList();
        var roles = Enum.GetNames<CrmRole>();
        Assert.Equal(roles.Length * 7, users.Count);
        string Level(JsonElement u) => u.GetProperty("scope").GetProperty("level").GetString()!;
        string? Group(JsonElement u) => u.GetProperty("scope").GetProperty("group").GetString();
        string? Dealer(JsonElement u) => u.GetProperty("scope").GetProperty("dealer").GetString();
        IEnumerable<string> Roles(IEnumerable<JsonElement> list) =>
            list.SelectMany(u => u.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!)).Order();

        var network = users.Where(u => Level(u) == "Network").ToList();
        Assert.Equal(roles.Order(), Roles(network));
        Assert.All(network, u => Assert.True(Group(u) is null && Dealer(u) is null));
        Assert.Contains(network, u => u.GetProperty("email").GetString() == "admin@network.demo");
        foreach (var group in Groups)
        {
            var inGroup = users.Where(u => Level(u) == "Group" && Group(u) == group).ToList();
            Assert.Equal(roles.Order(), Roles(inGroup));
            Assert.All(inGroup, u => Assert.Null(Dealer(u)));
            var atDealer = users.Where(u => Level(u) == "Dealer" && Group(u) == group).ToList();
            Assert.Equal(roles.Order(), Roles(atDealer));
            Assert.Single(atDealer.Select(Dealer).Distinct());
        }

        Assert.Contains(users, u => u.GetProperty("email").GetString() == "sales@newstar.demo");
        Assert.Contains(users, u => u.GetProperty("email").GetString() == "sales@nsa-01.demo");
        Assert.All(users, u => Assert.Equal(DemoUsers.DefaultPassword, u.GetProperty("password").GetString()));
        // Administrators come with their enrolled authenticator key; nobody else has one.
        Assert.All(users, u => Assert.Equal(
            u.GetProperty("roles")[0].GetString() == "Administrator",
            u.GetProperty("totpKey").ValueKind == JsonValueKind.String));

        var groups = root.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(Groups, groups.Select(g => g.GetProperty("code").GetString()));
        Assert.All(groups, g => Assert.True(g.GetProperty("customerId").GetInt64() > 0 && g.GetProperty("vehicleId").GetInt64() > 0));
    }

    [Fact]
    public async Task SeedDemo_Users_StoredWithScopeRolesAndTwoFactor()
    {
        await SeedJsonAsync();

        await using var db = CrmDatabase.CreateContext(Settings);
        Assert.Equal(49, await db.Users.CountAsync());
        var dealerSales = await db.Users.SingleAsync(u => u.NormalizedEmail == "SALES@NSA-01.DEMO");
        var dealer = await db.Dealers.SingleAsync(d => d.Code == "NSA-01");
        Assert.Equal((ScopeLevel.Dealer, dealer.DealerGroupId, dealer.Id), (dealerSales.ScopeLevel, dealerSales.DealerGroupId, dealerSales.DealerId));
        var roleNames = await db.Roles.Select(r => r.Name).OrderBy(n => n).ToListAsync();
        Assert.Equal(Enum.GetNames<CrmRole>().Order(), roleNames);
        var admin = await db.Users.SingleAsync(u => u.NormalizedEmail == "ADMIN@NETWORK.DEMO");
        Assert.True(admin.TwoFactorEnabled);
        Assert.Equal(210_000, SignInTests.Pbkdf2Iterations(admin.PasswordHash!));
    }

    [Fact]
    public async Task SeedDemo_ResetTwice_SameUsersOnce()
    {
        await SeedJsonAsync();

        var root = await SeedJsonAsync("--reset", "--password", "Other-Password-2027");

        await using var db = CrmDatabase.CreateContext(Settings);
        Assert.Equal(49, await db.Users.CountAsync());
        Assert.Equal(Enum.GetNames<CrmRole>().Length, await db.Roles.CountAsync());
        Assert.All(root.GetProperty("users").EnumerateArray(), u => Assert.Equal("Other-Password-2027", u.GetProperty("password").GetString()));
    }

    [Fact]
    public async Task SeedDemo_WeakPassword_UsageError()
    {
        var code = await CommandLine.RunAsync(["seed-demo", "--password", "short", Db], stdout, stderr);

        Assert.Equal(CommandLine.Usage, code);
        Assert.Contains("--password refused", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AuthenticatorKey_SameInputs_StableBase32()
    {
        var key = DemoUsers.AuthenticatorKey("admin@network.demo", DemoUsers.DefaultPassword);

        Assert.Equal(key, DemoUsers.AuthenticatorKey("ADMIN@network.demo", DemoUsers.DefaultPassword));
        Assert.Matches("^[A-Z2-7]{32}$", key);
        Assert.NotEqual(key, DemoUsers.AuthenticatorKey("admin@network.demo", "Other-Password-2027"));
    }
}
