using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Monitoring;
using AutomotiveCrm.Domain.Campaigns.Scheduling;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Campaigns.Sending;
using AutomotiveCrm.Tests.Imports.Pipeline;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Campaigns.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutomotiveCrm.Tests.Campaigns.Scheduling;

/// <summary>
/// Scheduling, running and cancelling as a user: only with SendCampaigns; scheduled runs through the run job
/// (exactly one run per occurrence, earlier contacts left out, late occurrences recorded, not sent); the monitor's counts.
/// </summary>
public sealed class CampaignSchedulingTests : IAsyncLifetime
{
    private static readonly ScheduleActor Manager = new("manager@example.com", PermissionMatrix.For(CrmRole.Manager, ScopeLevel.Group));
    private static readonly ScheduleActor Marketer = new("marketer@example.com", PermissionMatrix.For(CrmRole.Marketer, ScopeLevel.Group));

    private SendingHarness harness = null!;

    public async Task InitializeAsync() => harness = await SendingHarness.CreateAsync();

    public Task DisposeAsync()
    {
        harness.Dispose();
        return Task.CompletedTask;
    }

    private CrmDbContext GroupUser()
    {
        var db = harness.NewContext();
        db.Scope = new AccessScope(harness.Org.Network.Id, harness.Org.Group.Id, PersonalData: true, Wholesale: false);
        db.Actor = new AuditActor("u1", "user@example.com", AuditSource.UI);
        return db;
    }

    private DateTimeOffset Now => harness.Database.Clock.GetUtcNow();

    private ScheduleDraft Weekly(long campaignId) => new()
    {
        CampaignId = campaignId,
        Kind = CampaignScheduleKind.Weekly,
        TimeZone = "Europe/London",
        Date = Now.UtcDateTime.Date.AddDays(1),
        Time = TimeSpan.FromHours(9),
        Days = ScheduleDays.Monday | ScheduleDays.Friday,
        ExcludePreviouslyContacted = true,
    };

    [Fact]
    public async Task Marketer_WithoutSendCampaigns_CannotScheduleRunOrCancel()
    {
        await harness.AddCustomersAsync(2);
        var campaign = await harness.CreateCampaignAsync();
        var run = await harness.StartRunAsync(campaign.Id);
        await using var db = GroupUser();

        await Assert.ThrowsAsync<CampaignPermissionException>(() => CampaignScheduling.SaveAsync(db, Marketer, Weekly(campaign.Id), Now));
        await Assert.ThrowsAsync<CampaignPermissionException>(() => CampaignScheduling.RunNowAsync(db, harness.Database.Clock, Marketer, campaign.Id, false));
        await Assert.ThrowsAsync<CampaignPermissionException>(() => CampaignScheduling.CancelRunAsync(db, harness.Database.Clock, Marketer, run.Id));

        Assert.False(await db.CampaignSchedules.AnyAsync());
        Assert.Equal(1, await db.CampaignRuns.CountAsync());
        Assert.Equal(CampaignRunStatus.Running, (await harness.RunAsync(run.Id)).Status);
    }

    [Fact]
    public async Task Save_AsManager_StoresTheScheduleAndMarksTheCampaignScheduled()
    {
        var campaign = await harness.CreateCampaignAsync();
        await using (var db = harness.NewContext())
        {
            await db.Campaigns.Where(c => c.Id == campaign.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CampaignStatus.Draft));
        }

        await using (var db = GroupUser())
        {
            await CampaignScheduling.SaveAsync(db, Manager, Weekly(campaign.Id), Now);
        }

        await using var read = GroupUser();
        var loaded = await CampaignScheduling.LoadAsync(read, campaign.Id, Now);
        Assert.Equal((CampaignScheduleKind.Weekly, ScheduleDays.Monday | ScheduleDays.Friday, 1, true), (loaded.Kind, loaded.Days, loaded.Version, loaded.ExcludePreviouslyContacted));
        Assert.Equal(CampaignStatus.Scheduled, await read.Campaigns.Where(c => c.Id == campaign.Id).Select(c => c.Status).SingleAsync());
        var stale = Weekly(campaign.Id);
        await Assert.ThrowsAsync<Domain.Campaigns.Editing.CampaignConcurrencyException>(() => CampaignScheduling.SaveAsync(read, Manager, stale, Now));
    }

    [Fact]
    public async Task Save_AnotherGroupsCampaign_IsNotFound()
    {
        var campaign = await harness.CreateCampaignAsync();
        await using var db = harness.NewContext();
        db.Scope = new AccessScope(harness.Org.Network.Id, harness.Org.Group.Id + 1000, PersonalData: true, Wholesale: false);

        await Assert.ThrowsAsync<RecordNotFoundException>(() => CampaignScheduling.SaveAsync(db, Manager, Weekly(campaign.Id), Now));
    }

    [Fact]
    public async Task RunJob_SameOccurrenceTwice_StartsOneRunAndLeavesOutEarlierContacts()
    {
        await harness.AddCustomersAsync(3);
        var campaign = await harness.CreateCampaignAsync();
        await using (var db = GroupUser())
        {
            await CampaignScheduling.SaveAsync(db, Manager, Weekly(campaign.Id), Now);
        }

        var first = await harness.StartRunAsync(campaign.Id);
        await using (var db = harness.NewContext())
        {
            // The first run reached these three.
            await db.CampaignMessages.Where(m => m.RunId == first.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.State, MessageState.Sent));
        }

        var newcomer = await harness.AddCustomerAsync("Newcomer");
        var job = new CampaignRunJob(new TestSystemContexts(harness.Database), harness.Database.Clock, new CampaignSchedulingSettings(), NullLogger<CampaignRunJob>.Instance);
        var due = Now.UtcDateTime.AddMinutes(-1);

        var run = await job.StartAsync(campaign.Id, due, CancellationToken.None);
        var again = await job.StartAsync(campaign.Id, due, CancellationToken.None);

        Assert.NotNull(run);
        Assert.Equal(run.Id, again!.Id);
        Assert.Equal((CampaignRunTrigger.Scheduled, "scheduler"), (run.Trigger, run.StartedBy));
        Assert.Equal([newcomer.Id], (await harness.MembersAsync(run.Id)).Select(m => m.CustomerId));
        await using var read = harness.NewContext();
        Assert.Equal(2, await read.CampaignRuns.CountAsync(r => r.CampaignId == campaign.Id));
    }

    [Fact]
    public async Task RunJob_OccurrenceMissedLongAgo_IsRecordedCancelledNotSent()
    {
        await harness.AddCustomersAsync(2);
        var campaign = await harness.CreateCampaignAsync();
        await using (var db = GroupUser())
        {
            await CampaignScheduling.SaveAsync(db, Manager, Weekly(campaign.Id), Now);
        }

        var job = new CampaignRunJob(new TestSystemContexts(harness.Database), harness.Database.Clock, new CampaignSchedulingSettings { MaxLateHours = 12 },
            NullLogger<CampaignRunJob>.Instance);

        var run = await job.StartAsync(campaign.Id, Now.UtcDateTime.AddDays(-2), CancellationToken.None);

        Assert.Equal(CampaignRunStatus.Cancelled, run!.Status);
        Assert.Contains("missed", run.StatusReason, StringComparison.Ordinal);
        Assert.Empty(await harness.MessagesAsync(run.Id));
    }

    [Fact]
    public async Task Cancel_AsManager_KeepsSentAndCancelsTheRest_MonitorCountsIt()
    {
        await harness.AddCustomersAsync(4);
        await harness.AddCustomerAsync(email: "");
        var campaign = await harness.CreateCampaignAsync();
        var run = await harness.StartRunAsync(campaign.Id);
        var firstMessage = (await harness.MessagesAsync(run.Id)).First(m => m.State == MessageState.Queued);
        await using (var db = harness.NewContext())
        {
            await db.CampaignMessages.Where(m => m.Id == firstMessage.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, MessageState.Sent).SetProperty(m => m.SentAt, Now.UtcDateTime));
        }

        await using var user = GroupUser();
        var cancelled = await CampaignScheduling.CancelRunAsync(user, harness.Database.Clock, Manager, run.Id);
        var progress = await CampaignMonitor.ProgressAsync(user, run.Id);
        var lines = await CampaignMonitor.RunsAsync(user, campaign.Id);

        Assert.True(cancelled);
        Assert.Equal(CampaignRunStatus.Cancelled, progress.Run.Status);
        Assert.Equal(new StateCounts(0, 0, 1, 0, 4), progress.Run.Counts);
        Assert.Equal([new ReasonCount(CampaignRuns.SkipRunCancelled, 3), new ReasonCount(CampaignRuns.SkipNoEmail, 1)], progress.Skipped);
        Assert.Equal(1, Assert.Single(progress.Timeline).Sent);
        Assert.Equal(progress.Run.Counts, Assert.Single(lines).Counts);
        Assert.False(await CampaignScheduling.CancelRunAsync(user, harness.Database.Clock, Manager, run.Id));
    }
}
