using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Tests.Support;
using AutomotiveCrm.Web.Customers;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutomotiveCrm.Tests.Dedup.Screens;

/// <summary>Old ids after a merge: a tombstone's page leads to the survivor, which shows what was merged into it.</summary>
public sealed class CustomerMergeLinksTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private readonly SqliteTestDatabase database = new();
    private BunitContext context = null!;
    private TestOrganisation org = null!;
    private Customer survivor = null!;
    private Customer tombstone = null!;
    private Customer otherGroupsTombstone = null!;
    private RecordMerge merge = null!;

    public async Task InitializeAsync()
    {
        await using (var db = database.CreateContext())
        {
            org = await new OrganisationBuilder().SaveAsync(db);
            survivor = await new CustomerBuilder().InGroup(org.Group).Named("Alex", "Morgan").SaveAsync(db);
            tombstone = await new CustomerBuilder().InGroup(org.Group).Named("Alexander", "<i>Morgan</i>").SaveAsync(db);
            var otherSurvivor = await new CustomerBuilder().InGroup(org.OtherGroup).Named("Hidden", "Othergroup").SaveAsync(db);
            otherGroupsTombstone = await new CustomerBuilder().InGroup(org.OtherGroup).Named("Hidden", "Othergroup").SaveAsync(db);

            // What a merge leaves behind, written directly (bulk updates, past the save rules the merger itself works
            // with): the tombstones point at their survivors, the merge row says who and when.
            var at = database.Clock.GetUtcNow().UtcDateTime;
            await db.Customers.Where(c => c.Id == tombstone.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.MergedIntoId, survivor.Id).SetProperty(c => c.MergedAt, at));
            await db.Customers.Where(c => c.Id == otherGroupsTombstone.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.MergedIntoId, otherSurvivor.Id).SetProperty(c => c.MergedAt, at));
            merge = new RecordMerge
            {
                NetworkId = org.Network.Id, DealerGroupId = org.Group.Id, Level = DedupLevel.Retail, EntityKind = DedupEntityKind.Customer,
                SurvivorId = survivor.Id, MergedId = tombstone.Id, Score = 17.25, MergedAt = at, MergedBy = "steward@example.com",
                SnapshotJson = "{}",
            };
            db.RecordMerges.Add(merge);
            await db.SaveChangesAsync();
        }

        context = DedupScreenContext.Create(database, DedupScreenContext.GroupSteward(org));
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    public void Dispose() => database.Dispose();

    private NavigationManager Navigation => context.Services.GetRequiredService<NavigationManager>();

    [Fact]
    public void CustomerPage_TombstoneId_RedirectsToSurvivorWithNotice()
    {
        context.Render<CustomerPage>(p => p.Add(c => c.Id, tombstone.Id));

        Assert.EndsWith($"/customers/{survivor.Id}?mergedFrom={tombstone.Id}", Navigation.Uri, StringComparison.Ordinal);
        var page = context.Render<CustomerPage>(p => p.Add(c => c.Id, survivor.Id));
        page.WaitForAssertion(() => Assert.Contains($"Record {tombstone.Id} was merged into this one", page.Find("[data-testid=merged-notice]").TextContent, StringComparison.Ordinal), Wait);
    }

    [Fact]
    public void CustomerPage_Survivor_ShowsMergedFromWithUndoLinkForStewards()
    {
        var page = context.Render<CustomerPage>(p => p.Add(c => c.Id, survivor.Id));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=merged-from]")), Wait);
        var line = page.Find($"[data-merge='{merge.Id}']");
        Assert.Contains("steward@example.com", line.TextContent, StringComparison.Ordinal);
        Assert.Contains("score 17.3", line.TextContent, StringComparison.Ordinal);
        Assert.Contains("<i>Morgan</i>", line.TextContent, StringComparison.Ordinal);
        Assert.Empty(line.QuerySelectorAll("i"));
        Assert.Equal($"/dedup/merges?merge={merge.Id}", page.Find("[data-testid=undo-link]").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=merged-notice]"));
    }

    [Fact]
    public void CustomerPage_OtherGroupsTombstone_IsNotFoundLikeMissing()
    {
        var page = context.Render<CustomerPage>(p => p.Add(c => c.Id, otherGroupsTombstone.Id));

        page.WaitForAssertion(() => Assert.Contains("Not found", page.Markup, StringComparison.Ordinal), Wait);
        Assert.DoesNotContain("mergedFrom", Navigation.Uri, StringComparison.Ordinal);
        Assert.DoesNotContain("Othergroup", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SurvivorOf_FollowsAChainAndIgnoresLiveRecords()
    {
        Customer third;
        await using (var db = database.CreateContext())
        {
            third = await new CustomerBuilder().InGroup(org.Group).Named("Alex", "Morgan-Smith").SaveAsync(db);
            await db.Customers.Where(c => c.Id == survivor.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.MergedIntoId, third.Id));
        }

        await using var check = database.CreateContext();

        Assert.Equal(third.Id, await Web.Dedup.CustomerMergeLinks.SurvivorOfAsync(check, tombstone.Id));
        Assert.Null(await Web.Dedup.CustomerMergeLinks.SurvivorOfAsync(check, third.Id));
        Assert.Null(await Web.Dedup.CustomerMergeLinks.SurvivorOfAsync(check, 987_654));
    }
}
