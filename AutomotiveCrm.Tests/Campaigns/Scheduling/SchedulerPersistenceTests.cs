using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Scheduling;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Tests.Campaigns.Sending;
using AutomotiveCrm.Web.Campaigns.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AutomotiveCrm.Tests.Campaigns.Scheduling;

/// <summary>
/// The real Quartz scheduler on its persistent SQLite job store (in the test's database file), stopped and started
/// again like an app restart: triggers survive, and a one-off run that fell due while the app was down fires once.
/// </summary>
public sealed class SchedulerPersistenceTests : IAsyncLifetime
{
    private static readonly ScheduleActor Manager = new("manager@example.com", PermissionMatrix.For(CrmRole.Manager, ScopeLevel.Network));
    private readonly string schedulerName = "persistence-" + Guid.NewGuid().ToString("N");
    private SendingHarness harness = null!;

    public async Task InitializeAsync() => harness = await SendingHarness.CreateAsync();

    public Task DisposeAsync()
    {
        harness.Dispose();
        return Task.CompletedTask;
    }

    private IHost App()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Scheduler:Name"] = schedulerName,
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddCrmPersistence(_ => harness.Database.Settings);
        builder.Services.AddSingleton(new CampaignSchedulingSettings());
        builder.Services.AddCrmScheduler(builder.Configuration);
        builder.Services.AddTransient<CampaignRunJob>();
        builder.Services.AddSingleton<CampaignTriggers>();
        builder.Services.AddHostedService<CampaignScheduleStartup>();
        return builder.Build();
    }

    private async Task SaveAsync(ScheduleDraft draft)
    {
        await using var db = harness.NewContext();
        await CampaignScheduling.SaveAsync(db, Manager, draft, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task RecurringTrigger_SurvivesARestart_WithTheSameNextFireTime()
    {
        var campaign = await harness.CreateCampaignAsync();
        var tomorrow = DateTime.UtcNow.Date.AddDays(1);
        await SaveAsync(new ScheduleDraft
        {
            CampaignId = campaign.Id, Kind = CampaignScheduleKind.Daily, TimeZone = "America/New_York", Date = tomorrow, Time = TimeSpan.FromHours(7),
        });
        DateTimeOffset? before;
        using (var first = App())
        {
            await first.StartAsync();
            var triggers = first.Services.GetRequiredService<CampaignTriggers>();
            await triggers.SyncAsync(campaign.Id);
            before = await triggers.NextFireTimeAsync(campaign.Id);
            await first.StopAsync();
        }

        using var second = App();
        await second.StartAsync();
        var after = await second.Services.GetRequiredService<CampaignTriggers>().NextFireTimeAsync(campaign.Id);
        await second.StopAsync();

        Assert.NotNull(before);
        Assert.Equal(before, after);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        Assert.Equal(new TimeSpan(7, 0, 0), TimeZoneInfo.ConvertTime(after!.Value, zone).TimeOfDay);
        await using var db = harness.NewContext();
        Assert.Equal(1, await db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM QRTZ_TRIGGERS WHERE SCHED_NAME = {0}", schedulerName).SingleAsync());
    }

    [Fact]
    public async Task OneOffRun_DueWhileTheAppWasDown_FiresOnceAfterTheRestart()
    {
        await harness.AddCustomersAsync(2);
        var campaign = await harness.CreateCampaignAsync();
        var due = DateTime.UtcNow.AddSeconds(3);
        due = due.AddTicks(-(due.Ticks % TimeSpan.TicksPerSecond));
        await SaveAsync(new ScheduleDraft { CampaignId = campaign.Id, Kind = CampaignScheduleKind.Once, TimeZone = "UTC", Date = due.Date, Time = due.TimeOfDay });
        using (var first = App())
        {
            await first.StartAsync();
            await first.StopAsync();
        }

        await Task.Delay(due - DateTime.UtcNow + TimeSpan.FromSeconds(1));
        using var second = App();
        await second.StartAsync();
        CampaignRun? run = null;
        for (var i = 0; i < 100 && run is null; i++)
        {
            await Task.Delay(100);
            await using var db = harness.NewContext();
            run = await db.CampaignRuns.AsNoTracking().FirstOrDefaultAsync(r => r.CampaignId == campaign.Id);
        }

        await Task.Delay(500);
        await second.StopAsync();

        Assert.NotNull(run);
        Assert.Equal((CampaignRunTrigger.Scheduled, 2), (run.Trigger, run.MemberCount));
        Assert.Equal(due, run.DueAt);
        await using var read = harness.NewContext();
        Assert.Equal(1, await read.CampaignRuns.CountAsync(r => r.CampaignId == campaign.Id));
    }
}
