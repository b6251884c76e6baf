using System.Security.Claims;
using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Scheduling;
using AutomotiveCrm.Domain.Campaigns.Sending;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Tests.Campaigns.Sending;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Support;
using MudBlazor.Services;
using AutomotiveCrm.Tests.Layout;
using AutomotiveCrm.Web.Campaigns.Monitoring;
using AutomotiveCrm.Web.Campaigns.Scheduling;
using AutomotiveCrm.Web.Identity;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace AutomotiveCrm.Tests.Campaigns.Scheduling;

/// <summary>The schedule editor and the run monitor rendered by bUnit over a real SQLite database.</summary>
public sealed class ScheduleScreensTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private SendingHarness harness = null!;
    private BunitContext? context;

    public async Task InitializeAsync() => harness = await SendingHarness.CreateAsync();

    public async Task DisposeAsync()
    {
        if (context is not null)
        {
            await context.DisposeAsync();
        }
    }

    public void Dispose() => harness.Dispose();

    private ClaimsPrincipal Principal(CrmRole role) => TestPrincipals.Create(ScopeLevel.Group, harness.Org.Network.Id, harness.Org.Group.Id, null, role);

    /// <summary>A bUnit context as a group user with the role: MudBlazor, the user-scoped contexts, an unstarted in-memory scheduler.</summary>
    private CrmPrincipal SignIn(CrmRole role)
    {
        var principal = Principal(role);
        var user = CrmClaims.Read(principal)!;
        context = new BunitContext();
        context.Services.AddMudServices(options => options.PopoverOptions.CheckForPopoverProvider = false);
        context.Services.AddSingleton<TimeProvider>(harness.Database.Clock);
        context.Services.AddCrmPersistence(_ => harness.Database.Settings);
        context.Services.AddScoped<ScopeSelection>();
        context.Services.AddSingleton<ICurrentAccess>(new FixedAccess(AccessScope.ForUser(user.Level, user.NetworkId, user.GroupId, user.Roles),
            new Domain.Audit.AuditActor(user.UserId, user.UserName, Domain.Audit.AuditSource.UI)));
        context.Services.AddQuartz(q => q.ConfigureScheduler(s => s.InstanceName = "bunit-" + Guid.NewGuid().ToString("N")));
        context.Services.AddSingleton<CampaignTriggers>();
        context.Services.AddScoped<CampaignScheduleService>();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        var auth = context.AddAuthorization();
        auth.SetAuthorized(user.UserName);
        auth.SetRoles([.. user.Roles.Select(r => r.ToString())]);
        auth.SetClaims([.. principal.Claims.Where(c => c.Type != ClaimTypes.Role && c.Type != ClaimTypes.Name)]);
        context.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        context.Render<MudBlazor.MudPopoverProvider>();
        return user;
    }

    private async Task<Campaign> WeeklyCampaignAsync()
    {
        var campaign = await harness.CreateCampaignAsync();
        await using var db = harness.NewContext();
        await CampaignScheduling.SaveAsync(db, new ScheduleActor("manager@example.com", PermissionMatrix.For(CrmRole.Manager, ScopeLevel.Group)),
            new ScheduleDraft
            {
                CampaignId = campaign.Id, Kind = CampaignScheduleKind.Weekly, TimeZone = "Europe/Berlin",
                Date = harness.Database.Clock.GetUtcNow().UtcDateTime.Date.AddDays(1), Time = new TimeSpan(9, 30, 0),
                Days = ScheduleDays.Tuesday | ScheduleDays.Saturday,
            },
            harness.Database.Clock.GetUtcNow());
        return campaign;
    }

    [Fact]
    public async Task ScheduleEditor_Marketer_SeesTheScheduleButCannotSaveOrRun()
    {
        var campaign = await WeeklyCampaignAsync();
        var user = SignIn(CrmRole.Marketer);

        var editor = context!.Render<CampaignScheduleEditor>(p => p.Add(e => e.CampaignId, campaign.Id).Add(e => e.User, user));

        editor.WaitForAssertion(() => Assert.NotNull(editor.Find("[data-testid=schedule-not-allowed]")), Wait);
        Assert.True(editor.Find("[data-testid=save-schedule]").HasAttribute("disabled"));
        Assert.True(editor.Find("[data-testid=run-now]").HasAttribute("disabled"));
        Assert.Equal(5, editor.FindAll("[data-testid=fire-time]").Count);
    }

    [Fact]
    public async Task ScheduleEditor_Manager_ShowsNextFiveRunsInTheZone_AndSavesTheTrigger()
    {
        var campaign = await WeeklyCampaignAsync();
        var user = SignIn(CrmRole.Manager);

        var editor = context!.Render<CampaignScheduleEditor>(p => p.Add(e => e.CampaignId, campaign.Id).Add(e => e.User, user));
        editor.WaitForAssertion(() => Assert.Equal(5, editor.FindAll("[data-testid=fire-time]").Count), Wait);
        var shown = editor.FindAll("[data-testid=fire-time]").Select(e => e.TextContent).ToList();
        await editor.Find("[data-testid=save-schedule]").ClickAsync(new());

        Assert.Empty(editor.FindAll("[data-testid=schedule-not-allowed]"));
        Assert.All(shown, text => Assert.Contains("09:30", text, StringComparison.Ordinal));
        Assert.All(shown, text => Assert.True(text.StartsWith("Tue", StringComparison.Ordinal) || text.StartsWith("Sat", StringComparison.Ordinal), text));
        editor.WaitForAssertion(() => Assert.Equal("Schedule saved.", editor.Find("[data-testid=schedule-message]").TextContent.Trim()), Wait);
        var scheduler = await context!.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var trigger = await scheduler.GetTrigger(CampaignTriggers.TriggerKeyFor(campaign.Id));
        Assert.NotNull(trigger);
        await using var db = harness.NewContext();
        Assert.Equal(2, await db.CampaignSchedules.Where(s => s.CampaignId == campaign.Id).Select(s => s.Version).SingleAsync());
    }

    [Fact]
    public async Task RunMonitor_ShowsCountsReasonsDownloadsAndCancel()
    {
        await harness.AddCustomersAsync(3);
        await harness.AddCustomerAsync("NoMail", email: "");
        var campaign = await harness.CreateCampaignAsync();
        var run = await harness.StartRunAsync(campaign.Id);
        await using (var db = harness.NewContext())
        {
            var first = await db.CampaignMessages.Where(m => m.RunId == run.Id && m.State == MessageState.Queued).OrderBy(m => m.Id).FirstAsync();
            await db.CampaignMessages.Where(m => m.Id == first.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, MessageState.Sent).SetProperty(m => m.SentAt, harness.Database.Clock.GetUtcNow().UtcDateTime));
        }

        SignIn(CrmRole.Manager);

        var page = context!.Render<CampaignRunPage>(p => p.Add(r => r.RunId, run.Id));

        page.WaitForAssertion(() => Assert.Equal("1", page.Find("[data-testid=count-sent]").TextContent.Trim()), Wait);
        Assert.Equal("2", page.Find("[data-testid=count-queued]").TextContent.Trim());
        Assert.Equal("1", page.Find("[data-testid=count-skipped]").TextContent.Trim());
        Assert.Equal("Running", page.Find("[data-testid=run-status]").GetAttribute("data-status"));
        Assert.Contains(CampaignRuns.SkipNoEmail, page.Find("[data-testid=skip-reasons]").TextContent, StringComparison.Ordinal);
        Assert.Contains($"/campaigns/runs/{run.Id}/labels.pdf", page.Find("[data-testid=run-downloads]").InnerHtml, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=cancel-run]"));
        Assert.NotNull(page.Find("[data-testid=run-chart]"));
    }
}
