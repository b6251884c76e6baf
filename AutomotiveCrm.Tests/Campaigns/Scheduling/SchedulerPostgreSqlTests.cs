using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Scheduling;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Campaigns.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace AutomotiveCrm.Tests.Campaigns.Scheduling;

/// <summary>The scheduler on a real PostgreSQL database: clustered ADO store, schema created on first start, a one-off run fires.</summary>
[Collection(PostgreSqlServer.CollectionName)]
public sealed class SchedulerPostgreSqlTests(PostgreSqlServer server)
{
    [Fact]
    public async Task OneOffRun_OnAClusteredPostgreSqlStore_FiresOnce()
    {
        await using var database = await server.CreateDatabaseAsync();
        long campaignId;
        var due = DateTime.UtcNow.AddSeconds(4);
        due = due.AddTicks(-(due.Ticks % TimeSpan.TicksPerSecond));
        await using (var db = database.CreateContext())
        {
            var org = await new OrganisationBuilder().SaveAsync(db);
            var campaign = new Campaign
            {
                NetworkId = org.Network.Id, DealerGroupId = org.Group.Id, OwnerLevel = CampaignOwnerLevel.Group, Name = "PostgreSQL", AudienceJson = "",
                TimeZone = "UTC", CreatedBy = "test", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            };
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync();
            campaignId = campaign.Id;
            await CampaignScheduling.SaveAsync(db, new ScheduleActor("manager@example.com", PermissionMatrix.For(CrmRole.Manager, ScopeLevel.Network)),
                new ScheduleDraft { CampaignId = campaignId, Kind = CampaignScheduleKind.Once, TimeZone = "UTC", Date = due.Date, Time = due.TimeOfDay },
                DateTimeOffset.UtcNow);
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "PostgreSql",
            ["Scheduler:Name"] = "pg-" + Guid.NewGuid().ToString("N"),
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddCrmPersistence(_ => database.Settings);
        builder.Services.AddSingleton(new CampaignSchedulingSettings());
        builder.Services.AddCrmScheduler(builder.Configuration);
        builder.Services.AddTransient<CampaignRunJob>();
        builder.Services.AddSingleton<CampaignTriggers>();
        builder.Services.AddHostedService<CampaignScheduleStartup>();
        using var host = builder.Build();

        await host.StartAsync();
        var metadata = await (await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler()).GetMetadata();
        CampaignRun? run = null;
        for (var i = 0; i < 150 && run is null; i++)
        {
            await Task.Delay(100);
            await using var db = database.CreateContext();
            run = await db.CampaignRuns.AsNoTracking().FirstOrDefaultAsync(r => r.CampaignId == campaignId);
        }

        await host.StopAsync();

        Assert.True(metadata.JobStorePersistent && metadata.JobStoreClustered, metadata.ToString());
        Assert.NotNull(run);
        Assert.Equal((CampaignRunTrigger.Scheduled, due), (run.Trigger, run.DueAt));
        await using var read = database.CreateContext();
        Assert.Equal(1, await read.CampaignRuns.CountAsync(r => r.CampaignId == campaignId));
    }
}
