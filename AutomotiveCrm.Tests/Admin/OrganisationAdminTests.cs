using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Admin;

/// <summary>Brands, dealer groups and dealers as the administration screens create and edit them.</summary>
public sealed class OrganisationAdminTests : IDisposable
{
    private readonly SqliteTestDatabase database = new();

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task SaveDealer_New_StoresCodeInUpperCaseWithBrandsSoldAndServiced()
    {
        var org = await SeedAsync();

        long id;
        await using (var db = database.CreateContext())
        {
            id = await OrganisationAdmin.SaveDealerAsync(db, org.Network.Id, null, Draft(org.Group.Id, " t-n3 ",
                new DealerBrandDraft(org.Brand.Id, Sells: true, Services: true), new DealerBrandDraft(org.OtherBrand.Id, Sells: false, Services: true)));
        }

        await using var read = database.CreateContext();
        var dealer = await read.Dealers.Include(d => d.Brands).SingleAsync(d => d.Id == id);
        Assert.Equal(("T-N3", org.Group.Id), (dealer.Code, dealer.DealerGroupId));
        Assert.Equal([(org.Brand.Id, true, true), (org.OtherBrand.Id, false, true)],
            dealer.Brands.OrderBy(b => b.BrandId).Select(b => (b.BrandId, b.Sells, b.Services)));
    }

    [Fact]
    public async Task SaveDealer_DuplicateCode_IsRefusedWithMessage()
    {
        var org = await SeedAsync();
        await using var db = database.CreateContext();

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            OrganisationAdmin.SaveDealerAsync(db, org.Network.Id, null, Draft(org.OtherGroup.Id, org.Dealer.Code.ToLowerInvariant())));

        Assert.Contains("already has the code", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, await db.Dealers.CountAsync());
    }

    [Fact]
    public async Task SaveDealer_EditKeepingOwnCode_Succeeds()
    {
        var org = await SeedAsync();

        await using (var db = database.CreateContext())
        {
            await OrganisationAdmin.SaveDealerAsync(db, org.Network.Id, org.Dealer.Id, Draft(org.Group.Id, org.Dealer.Code) with { Name = "Northgate Alder Leeds North" });
        }

        await using var read = database.CreateContext();
        var dealer = await read.Dealers.Include(d => d.Brands).SingleAsync(d => d.Id == org.Dealer.Id);
        Assert.Equal("Northgate Alder Leeds North", dealer.Name);
        Assert.Empty(dealer.Brands);
    }

    [Fact]
    public async Task SaveDealer_MissingNameOrBadCountry_IsRefused()
    {
        var org = await SeedAsync();
        await using var db = database.CreateContext();

        await Assert.ThrowsAsync<DomainException>(() =>
            OrganisationAdmin.SaveDealerAsync(db, org.Network.Id, null, Draft(org.Group.Id, "T-N9") with { Name = "  " }));
        await Assert.ThrowsAsync<DomainException>(() =>
            OrganisationAdmin.SaveDealerAsync(db, org.Network.Id, null, Draft(org.Group.Id, "T-N9") with { CountryCode = "GBR" }));
    }

    [Fact]
    public async Task SaveBrandAndGroup_DuplicateCode_IsRefused()
    {
        var org = await SeedAsync();
        await using var db = database.CreateContext();

        await Assert.ThrowsAsync<DomainException>(() => OrganisationAdmin.SaveBrandAsync(db, org.Network.Id, null, new BrandDraft(org.Brand.Code, "Alder again")));
        await Assert.ThrowsAsync<DomainException>(() => OrganisationAdmin.SaveGroupAsync(db, org.Network.Id, null, new DealerGroupDraft(org.Group.Code, "Again")));
    }

    [Fact]
    public async Task SaveGroup_Renamed_IsAudited()
    {
        var org = await SeedAsync();

        await using (var db = database.CreateContext())
        {
            await OrganisationAdmin.SaveGroupAsync(db, org.Network.Id, org.Group.Id, new DealerGroupDraft(org.Group.Code, "Northgate Motors"));
        }

        await using var read = database.CreateContext();
        var audit = await read.AuditEntries.Where(a => a.EntityType == nameof(DealerGroup) && a.Action == AuditAction.Update).SingleAsync();
        Assert.Contains("Northgate Motors", audit.Changes, StringComparison.Ordinal);
    }

    private static DealerDraft Draft(long groupId, string code, params DealerBrandDraft[] brands) =>
        new(groupId, code, "New Dealer", "1 High Street", "Harrogate", "hg1 1aa", "gb", null, "sales@example.com", brands);

    private async Task<TestOrganisation> SeedAsync()
    {
        await using var db = database.CreateContext();
        return await new OrganisationBuilder().SaveAsync(db);
    }
}
