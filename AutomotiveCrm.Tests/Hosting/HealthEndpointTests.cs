using System.Net;
using System.Text.Json;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.AspNetCore.Mvc.Testing;
using AutomotiveCrm.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AutomotiveCrm.Tests.Hosting;

public sealed class HealthEndpointTests : IClassFixture<CrmWebFactory>
{
    private readonly CrmWebFactory factory;

    public HealthEndpointTests(CrmWebFactory factory) => this.factory = factory;

    [Fact]
    public async Task Health_FreshInstall_IsHealthyAfterMigrationAndDemoSeed()
    {
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        await using var db = factory.Services.GetRequiredService<ISystemDbContextFactory>().CreateDbContext();
        Assert.Equal(factory.DemoCustomers, await db.Customers.CountAsync());
    }

    [Fact]
    public async Task Overview_Anonymous_RedirectsToSignIn()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location?.IsAbsoluteUri == true
            ? response.Headers.Location.PathAndQuery
            : response.Headers.Location?.OriginalString.TrimStart('.') ?? "", StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task UnknownRoute_AnswersNotFound()
    {
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/no-such-page", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task DatabaseHealthCheck_UnmigratedDatabase_IsUnhealthyNamingPendingMigrations()
    {
        using var temp = new TempFolder();
        var settings = new DatabaseSettings { ConnectionString = temp.SqliteConnection() };
        await using (var db = CrmDatabase.CreateContext(settings))
        {
            await db.Database.OpenConnectionAsync(); // creates the empty file
        }

        var services = new ServiceCollection().AddCrmPersistence(_ => settings).BuildServiceProvider();
        var check = ActivatorUtilities.CreateInstance<DatabaseHealthCheck>(services);

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("pending", result.Description, StringComparison.Ordinal);
    }
}
