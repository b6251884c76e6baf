using System.Text.Json;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Web.Account;
using AutomotiveCrm.Web.Components;
using AutomotiveCrm.Web.Identity;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using MudBlazor.Services;

namespace AutomotiveCrm.Web.Hosting;

/// <summary>Composition of the web application: services, then the request pipeline.</summary>
public static class CrmWebApplication
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddCrmPersistence(sp => DatabaseConfiguration.Read(
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IWebHostEnvironment>().ContentRootPath));
        builder.Services.AddCrmIdentity();
        builder.Services.AddCrmAccounts();
        AutomotiveCrm.Web.Admin.AdminRegistration.AddCrmAdministration(builder.Services);
        AutomotiveCrm.Web.Imports.ImportScreensRegistration.AddImportScreens(builder.Services);
        builder.Services.AddHostedService<DatabaseInitializer>();
        AutomotiveCrm.Web.Imports.ImportsRegistration.AddCrmImports(builder.Services, builder.Configuration);
        AutomotiveCrm.Web.Dedup.DedupRegistration.AddCrmDedup(builder.Services, builder.Configuration);
        AutomotiveCrm.Web.Campaigns.CampaignsRegistration.AddCrmCampaigns(builder.Services, builder.Configuration);
        AutomotiveCrm.Web.Campaigns.Tracking.TrackingRegistration.AddCrmTracking(builder.Services, builder.Configuration);
        AutomotiveCrm.Web.Rewards.RewardsRegistration.AddCrmRewards(builder.Services, builder.Configuration);
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        builder.Services.AddMudServices();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();

        var app = builder.Build();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseCrmAdministratorTwoFactor();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync }).DisableHttpMetrics();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        AutomotiveCrm.Web.Customers.CustomerEndpoints.MapCustomerEndpoints(app);
        AutomotiveCrm.Web.Imports.ImportScreensRegistration.MapImportScreens(app);
        AutomotiveCrm.Web.Campaigns.CampaignsRegistration.MapCrmCampaigns(app);
        AutomotiveCrm.Web.Campaigns.Tracking.TrackingRegistration.MapCrmTracking(app);
        AutomotiveCrm.Web.Rewards.RewardsRegistration.MapCrmRewards(app);
        app.MapCrmAccountEndpoints();
        return app;
    }

    private static Task WriteHealthAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
