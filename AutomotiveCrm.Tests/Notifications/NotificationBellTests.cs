using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Notifications;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Layout;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Identity;
using AutomotiveCrm.Web.Notifications;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace AutomotiveCrm.Tests.Notifications;

/// <summary>The app bar's notification bell: what a group's import user sees, and acknowledging a notice.</summary>
public sealed class NotificationBellTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly SqliteTestDatabase database = new();
    private readonly BunitContext context = new();
    private TestOrganisation org = null!;
    private SystemNotification ownFailure = null!;

    public async Task InitializeAsync()
    {
        await using (var db = database.CreateContext())
        {
            org = await new OrganisationBuilder().SaveAsync(db);
            SystemNotification Notice(long? group, string title, DateTime at, DateTime? acknowledged = null) => new()
            {
                NetworkId = org.Network.Id,
                DealerGroupId = group,
                Category = "import-failed",
                Severity = NotificationSeverity.Error,
                Title = title,
                Message = $"{title}: the delimiter is wrong. <script>alert(1)</script>",
                Link = "/imports/1",
                CreatedAt = at,
                AcknowledgedAt = acknowledged,
            };
            ownFailure = Notice(org.Group.Id, "Import failed: CUST_a.csv (T-N1)", new DateTime(2026, 11, 24, 2, 0, 0, DateTimeKind.Utc));
            db.SystemNotifications.AddRange(
                ownFailure,
                Notice(org.Group.Id, "Import failed: VEH_b.csv (T-N2)", new DateTime(2026, 11, 24, 3, 0, 0, DateTimeKind.Utc)),
                Notice(org.Group.Id, "Import failed: old.csv (T-N1)", new DateTime(2026, 11, 20, 3, 0, 0, DateTimeKind.Utc), acknowledged: DateTime.UtcNow),
                Notice(org.OtherGroup.Id, "Import failed: SOUTH_secret.csv (T-S1)", new DateTime(2026, 11, 24, 4, 0, 0, DateTimeKind.Utc)),
                Notice(null, "Unknown dealer folder XYZ", new DateTime(2026, 11, 24, 5, 0, 0, DateTimeKind.Utc)));
            await db.SaveChangesAsync();
        }

        context.Services.AddMudServices(options => options.PopoverOptions.CheckForPopoverProvider = false);
        context.Services.AddCrmPersistence(_ => database.Settings);
        context.Services.AddSingleton<ICurrentAccess>(new FixedAccess(AccessScope.ForUser(ScopeLevel.Group, org.Network.Id, org.Group.Id, [CrmRole.DataSteward])));
        context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    public void Dispose() => database.Dispose();

    private static CrmPrincipal User(long networkId, long groupId, params CrmRole[] roles) =>
        CrmClaims.Read(TestPrincipals.Create(ScopeLevel.Group, networkId, groupId, null, roles))!;

    [Fact]
    public async Task Bell_GroupDataSteward_CountsOwnGroupsOpenNoticesAndAcknowledges()
    {
        var popovers = context.Render<MudPopoverProvider>();
        var bell = context.Render<NotificationBell>(p => p.Add(b => b.User, User(org.Network.Id, org.Group.Id, CrmRole.DataSteward)));
        bell.WaitForAssertion(() => Assert.Equal("2", bell.Find(".mud-badge").TextContent.Trim()), Wait);

        bell.Find("[data-testid=notification-bell] button").Click();

        popovers.WaitForAssertion(() => Assert.Equal(2, popovers.FindAll("[data-testid=notification-item]").Count), Wait);
        var items = popovers.FindAll("[data-testid=notification-item]").Select(i => i.TextContent).ToList();
        Assert.Contains("VEH_b.csv", items[0], StringComparison.Ordinal);
        Assert.Contains("CUST_a.csv", items[1], StringComparison.Ordinal);
        Assert.DoesNotContain("SOUTH_secret", popovers.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Unknown dealer folder", popovers.Markup, StringComparison.Ordinal);
        Assert.Empty(popovers.FindAll("[data-testid=notification-list] script"));

        popovers.FindAll("[data-testid=acknowledge]")[1].Click();

        bell.WaitForAssertion(() => Assert.Equal("1", bell.Find(".mud-badge").TextContent.Trim()), Wait);
        await using var db = database.CreateContext();
        var acknowledged = await db.SystemNotifications.SingleAsync(n => n.Id == ownFailure.Id);
        Assert.NotNull(acknowledged.AcknowledgedAt);
        Assert.Equal("pat@example.com", acknowledged.AcknowledgedBy);
    }

    [Fact]
    public void Bell_UserWithoutManageImports_NotShown()
    {
        var bell = context.Render<NotificationBell>(p => p.Add(b => b.User, User(org.Network.Id, org.Group.Id, CrmRole.Sales)));

        Assert.Empty(bell.FindAll("[data-testid=notification-bell]"));
    }

    [Fact]
    public async Task Queries_NetworkUser_SeesNetworkAndEveryGroupsNotices()
    {
        await using var db = database.CreateContext();
        db.Scope = AccessScope.ForUser(ScopeLevel.Network, org.Network.Id, null, [CrmRole.Administrator]);

        var inbox = await NotificationQueries.UnacknowledgedAsync(db);

        Assert.Equal(4, inbox.Count);
        Assert.Equal("Unknown dealer folder XYZ", inbox.Latest[0].Title);
    }
}
