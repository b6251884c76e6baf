using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Tests.Layout;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Components.Layout;
using AutomotiveCrm.Web.Dedup;
using AutomotiveCrm.Web.Identity;
using Bunit;

namespace AutomotiveCrm.Tests.Dedup.Screens;

/// <summary>How a steward finds the queue: the navigation entry (by permission) and the overview tile (open candidates in scope).</summary>
public sealed class DedupEntryPointsTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private readonly SqliteTestDatabase database = new();
    private BunitContext context = null!;
    private TestOrganisation org = null!;

    public async Task InitializeAsync()
    {
        await using (var db = database.CreateContext())
        {
            org = await new OrganisationBuilder().SaveAsync(db);
            var a = await new CustomerBuilder().InGroup(org.Group).Named("Alex", "Morgan").SaveAsync(db);
            var b = await new CustomerBuilder().InGroup(org.Group).Named("Alex", "Morgan").SaveAsync(db);
            var c = await new CustomerBuilder().InGroup(org.Group).Named("Sam", "Carter").SaveAsync(db);
            var d = await new CustomerBuilder().InGroup(org.Group).Named("Sam", "Carter").SaveAsync(db);
            var x = await new CustomerBuilder().InGroup(org.OtherGroup).Named("Hidden", "Othergroup").SaveAsync(db);
            var y = await new CustomerBuilder().InGroup(org.OtherGroup).Named("Hidden", "Othergroup").SaveAsync(db);
            await new CandidateSeed(a, b).SaveAsync(db, org.Network.Id);
            await new CandidateSeed(c, d) { Status = Domain.Dedup.CandidateStatus.NotDuplicate }.SaveAsync(db, org.Network.Id);
            await new CandidateSeed(x, y).SaveAsync(db, org.Network.Id);
        }

        context = DedupScreenContext.Create(database, DedupScreenContext.GroupSteward(org));
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    public void Dispose() => database.Dispose();

    [Theory]
    [InlineData(CrmRole.DataSteward, true)]
    [InlineData(CrmRole.Sales, false)]
    [InlineData(CrmRole.Manager, false)]
    public void NavMenu_DuplicatesEntry_OnlyForThoseWhoReviewDuplicates(CrmRole role, bool shown)
    {
        var user = CrmClaims.Read(TestPrincipals.Create(ScopeLevel.Group, org.Network.Id, org.Group.Id, null, role))!;

        var menu = context.Render<NavMenu>(p => p.Add(m => m.User, user));

        Assert.Equal(shown, menu.FindAll("[data-nav=duplicates]").Count == 1);
        if (shown)
        {
            Assert.Equal("/dedup", menu.Find("[data-nav=duplicates]").GetAttribute("href"));
        }
    }

    [Fact]
    public void DedupTile_CountsOpenCandidatesInScopeOnly()
    {
        var tile = context.Render<DedupTile>();

        tile.WaitForAssertion(() => Assert.Equal("1", tile.Find("[data-figure='Open duplicate candidates']").TextContent), Wait);
        Assert.Equal("/dedup", tile.Find("[data-testid=dedup-tile-link]").GetAttribute("href"));
    }
}
