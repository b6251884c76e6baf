using System.Net;
using AutomotiveCrm.Domain.DemoData;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Tests.Identity;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Tenancy;

/// <summary>
/// Every demo user signs in over HTTP, as a new user would, and the application shows exactly what the permission
/// matrix says; records of another group answer exactly like missing ones, on every route that takes an id.
/// </summary>
public sealed class DemoRoleAccessTests(AccountWebFactory factory) : IClassFixture<AccountWebFactory>
{
    private const string Password = DemoUsers.DefaultPassword;

    [Fact]
    public async Task EveryDemoUser_SignsIn_SeesNavigationAndPagesTheMatrixAllows()
    {
        var users = await DemoAccountsAsync();
        Assert.Equal(Enum.GetValues<CrmRole>().Length * 7, users.Count);

        foreach (var (email, level, roles) in users)
        {
            using var client = await SignInAsync(email);
            var permissions = PermissionMatrix.For(roles, level);

            var (home, html) = await client.GetAsync("/");
            Assert.True(home.StatusCode == HttpStatusCode.OK, $"{email}: GET / answered {(int)home.StatusCode}");
            AssertNav(email, html, "customers", permissions.Contains(Permission.ViewCustomers));
            AssertNav(email, html, "wholesale", permissions.Contains(Permission.ViewWholesale));
            AssertNav(email, html, "admin-users", permissions.Contains(Permission.ManageUsers));
            AssertNav(email, html, "admin-dealers", permissions.Contains(Permission.ManageOrganisation));

            await AssertOpensAsync(client, email, "/customers", permissions.Contains(Permission.ViewCustomers));
            await AssertOpensAsync(client, email, "/wholesale", permissions.Contains(Permission.ViewWholesale));
            await AssertOpensAsync(client, email, "/admin/users", permissions.Contains(Permission.ManageUsers));
            await AssertOpensAsync(client, email, "/admin/dealers", permissions.Contains(Permission.ManageOrganisation));
        }
    }

    [Fact]
    public async Task GroupUser_OtherGroupsRecordsById_AnswerLikeMissingOnes()
    {
        long foreignCustomer, foreignVehicle, missing;
        string foreignName, foreignVin;
        await using (var db = factory.CreateSystemContext())
        {
            var customer = await db.Customers.Where(c => c.DealerGroup!.Code == "PENNINE" && c.LastName != null).OrderBy(c => c.Id).FirstAsync();
            (foreignCustomer, foreignName) = (customer.Id, customer.LastName!);
            var vehicle = await db.Vehicles
                .Where(v => v.Vin != null && v.Relationships.All(r => r.DealerGroupId == customer.DealerGroupId) && v.Relationships.Any())
                .OrderBy(v => v.Id).FirstAsync();
            (foreignVehicle, foreignVin) = (vehicle.Id, vehicle.Vin!);
            missing = Math.Max(await db.Customers.MaxAsync(c => c.Id), await db.Vehicles.MaxAsync(v => v.Id)) + 1000;
        }

        using var client = await SignInAsync("sales@nsa-01.demo");

        foreach (var (route, secret) in new[] { ($"/customers/{foreignCustomer}", foreignName), ($"/vehicles/{foreignVehicle}", foreignVin) })
        {
            var (other, otherHtml) = await client.GetAsync(route);
            var (absent, absentHtml) = await client.GetAsync(route[..(route.LastIndexOf('/') + 1)] + missing);

            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, absent.StatusCode);
            Assert.Contains("Not found", otherHtml, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, otherHtml, StringComparison.Ordinal);
            Assert.Equal(Title(absentHtml), Title(otherHtml));
        }
    }

    /// <summary>A page opens (200, no refusal) or is refused (redirect to AccessDenied, or the "Not allowed" content).</summary>
    private static async Task AssertOpensAsync(AccountClient client, string email, string route, bool allowed)
    {
        var (response, html) = await client.GetAsync(route);
        var refused = (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.ToString().Contains("AccessDenied", StringComparison.Ordinal) == true)
            || html.Contains("Not allowed", StringComparison.Ordinal);
        var opened = response.StatusCode == HttpStatusCode.OK && !refused;
        Assert.True(allowed ? opened : refused,
            $"{email}: {route} should be {(allowed ? "open" : "refused")} but answered {(int)response.StatusCode} {response.Headers.Location}");
    }

    private static void AssertNav(string email, string html, string item, bool expected) =>
        Assert.True(html.Contains($"data-nav=\"{item}\"", StringComparison.Ordinal) == expected,
            $"{email}: navigation item '{item}' should be {(expected ? "shown" : "hidden")}");

    private static string Title(string html)
    {
        var start = html.IndexOf("<title>", StringComparison.Ordinal);
        var end = html.IndexOf("</title>", StringComparison.Ordinal);
        return start < 0 || end < start ? "" : html[start..end];
    }

    private async Task<AccountClient> SignInAsync(string email)
    {
        var client = factory.CreateAccountClient();
        var (response, _) = await client.SignInAsync(email, Password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{email}: sign-in answered {(int)response.StatusCode}");
        var next = response.Headers.Location!.ToString();
        if (next.Contains("LoginWith2fa", StringComparison.Ordinal))
        {
            // Administrators must use two-factor sign-in: the demo ones have an authenticator enrolled.
            var relative = next.StartsWith('/') ? next : new Uri(next).PathAndQuery;
            var (verified, _) = await client.SubmitAsync(relative, "login-with-2fa",
                new Dictionary<string, string> { ["Input.TwoFactorCode"] = Totp.Now(DemoUsers.AuthenticatorKey(email, Password)) });
            Assert.True(verified.StatusCode == HttpStatusCode.Redirect, $"{email}: two-factor step answered {(int)verified.StatusCode}");
        }

        return client;
    }

    private async Task<List<(string Email, ScopeLevel Level, List<CrmRole> Roles)>> DemoAccountsAsync()
    {
        await using var db = factory.CreateSystemContext();
        var users = await db.Users.Select(u => new { u.Id, u.Email, u.ScopeLevel }).ToListAsync();
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync();
        return users
            .Select(u => (u.Email!, u.ScopeLevel, roles.Where(r => r.UserId == u.Id).Select(r => Enum.Parse<CrmRole>(r.Name!)).ToList()))
            .OrderBy(u => u.Item1, StringComparer.Ordinal)
            .ToList();
    }
}
