using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Dedup.Merging;
using AutomotiveCrm.Domain.Dedup.Vehicles;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Tests.Dedup.Merging;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Dedup.Vehicles;

/// <summary>Duplicate vehicles per customer: found by VIN (one edit apart), merged with everything attached, undone exactly.</summary>
public sealed class VehicleDuplicateTests : DatabaseTest
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());

    private async Task<(TestOrganisation Org, long CustomerId, long Good, long Typo)> SeedAsync(string typoVin = "1HGCM82633A004353")
    {
        var org = await SeedOrganisationAsync();
        await using var db = NewContext();
        var customer = await new CustomerBuilder().InGroup(org.Group).SaveAsync(db);
        var good = await new VehicleBuilder().OfBrand(org.Brand).WithVin("1HGCM82633A004352").WithPlate("AB12 CDE", new DateOnly(2022, 3, 1)).SaveAsync(db);
        var typo = await new VehicleBuilder().OfBrand(org.Brand).WithVin(typoVin).WithPlate("XY70 ZZZ", new DateOnly(2024, 5, 1)).SaveAsync(db);
        typo.RecordMileage(new DateOnly(2025, 1, 1), 30000, MileageUnit.Miles, MileageSource.ServiceVisit);
        db.Relationships.AddRange(
            new Relationship { DealerId = org.Dealer.Id, CustomerId = customer.Id, VehicleId = good.Id, DealerGroupId = org.Group.Id, Type = RelationshipType.Selling,
                StartDate = new DateOnly(2022, 3, 1) },
            new Relationship { DealerId = org.SecondDealer.Id, CustomerId = customer.Id, VehicleId = typo.Id, DealerGroupId = org.Group.Id,
                Type = RelationshipType.Servicing, StartDate = new DateOnly(2024, 5, 1) });
        await db.SaveChangesAsync();
        return (org, customer.Id, good.Id, typo.Id);
    }

    [Fact]
    public async Task Finder_VinOneEditApart_WritesAReviewCandidateWithItsExplanation()
    {
        var (org, customerId, good, typo) = await SeedAsync();

        await using var db = NewContext();
        var result = await VehicleDuplicateFinder.FindAsync(db, org.Network.Id, clock: Clock);

        Assert.Equal((1, 1, 0), (result.Candidates, result.Review, result.Automatic));
        var candidate = await db.MatchCandidates.SingleAsync();
        Assert.Equal((DedupEntityKind.Vehicle, Math.Min(good, typo), Math.Max(good, typo), customerId, (long?)org.Group.Id, MatchBand.Review),
            (candidate.EntityKind, candidate.LeftId, candidate.RightId, candidate.OwnerCustomerId!.Value, candidate.DealerGroupId, candidate.Band));
        Assert.StartsWith("vin: one edit apart, check digit", candidate.Reasons, StringComparison.Ordinal);
        Assert.Contains("\"field\":\"vin\"", candidate.ExplanationJson, StringComparison.Ordinal);
    }

    /// <summary>An incremental run looks only at the customers it touched, and leaves everyone else's open suggestions alone.</summary>
    [Fact]
    public async Task Finder_ForSomeCustomers_LooksAtTheirVehiclesOnly_OthersSuggestionsStayOpen()
    {
        var (org, first, _, _) = await SeedAsync();
        await using var db = NewContext();
        await VehicleDuplicateFinder.FindAsync(db, org.Network.Id, clock: Clock);
        var second = await new CustomerBuilder().InGroup(org.Group).SaveAsync(db);
        var a = await new VehicleBuilder().OfBrand(org.Brand).WithVin("WVWZZZ1KZ8W654321").SaveAsync(db);
        var b = await new VehicleBuilder().OfBrand(org.Brand).WithVin("WVWZZZ1KZ8W654331").SaveAsync(db);
        foreach (var v in new[] { a, b })
        {
            db.Relationships.Add(new Relationship { DealerId = org.Dealer.Id, CustomerId = second.Id, VehicleId = v.Id, DealerGroupId = org.Group.Id,
                Type = RelationshipType.Servicing, StartDate = new DateOnly(2024, 1, 1) });
        }

        await db.SaveChangesAsync();

        var nobody = await VehicleDuplicateFinder.FindAsync(db, org.Network.Id, clock: Clock, customerIds: []);
        var result = await VehicleDuplicateFinder.FindAsync(db, org.Network.Id, clock: Clock, customerIds: [second.Id]);

        Assert.Equal((0, 0), (nobody.Customers, nobody.Candidates));
        Assert.Equal((1, 1, 1, 0), (result.Customers, result.VehiclePairsCompared, result.Candidates, result.Superseded));
        await using var check = NewContext();
        var open = await check.MatchCandidates.Where(c => c.Status == CandidateStatus.Open).ToListAsync();
        Assert.Equal([first, second.Id], open.Select(c => c.OwnerCustomerId!.Value).Order());
        Assert.Contains(open, c => c.LeftId == Math.Min(a.Id, b.Id) && c.RightId == Math.Max(a.Id, b.Id));
    }

    [Fact]
    public async Task Finder_DifferentVinsSamePlate_AreNotSuggested()
    {
        var org = await SeedOrganisationAsync();
        await using var db = NewContext();
        var customer = await new CustomerBuilder().InGroup(org.Group).SaveAsync(db);
        var a = await new VehicleBuilder().OfBrand(org.Brand).WithVin("VF1RFA00067123456").WithPlate("AB12 CDE", new DateOnly(2020, 1, 1)).SaveAsync(db);
        var b = await new VehicleBuilder().OfBrand(org.Brand).WithVin("WVWZZZ1KZ8W654321").WithPlate("AB12 CDE", new DateOnly(2024, 1, 1)).SaveAsync(db);
        var c = await new VehicleBuilder().OfBrand(org.Brand).WithVin(null).WithPlate("AB12 CDE", new DateOnly(2024, 1, 1)).SaveAsync(db);
        foreach (var v in new[] { a, b, c })
        {
            db.Relationships.Add(new Relationship { DealerId = org.Dealer.Id, CustomerId = customer.Id, VehicleId = v.Id, DealerGroupId = org.Group.Id,
                Type = RelationshipType.Servicing, StartDate = new DateOnly(2024, 1, 1) });
        }

        await db.SaveChangesAsync();
        var result = await VehicleDuplicateFinder.FindAsync(db, org.Network.Id, clock: Clock);

        // a and b: two VINs, a plate that moved; c has no VIN, so plate, make and model suggest it twice.
        Assert.Equal(2, result.Candidates);
        Assert.All(await db.MatchCandidates.ToListAsync(), m => Assert.Contains(c.Id, new[] { m.LeftId, m.RightId }));
    }

    [Fact]
    public async Task Finder_SameVinTwice_IsMergedAutomaticallyWhenAMergerIsGiven()
    {
        var (org, _, good, typo) = await SeedAsync(typoVin: "1HGCM82633A004352");

        await using var db = NewContext();
        var result = await VehicleDuplicateFinder.FindAsync(db, org.Network.Id, merger: new RecordMerger(Clock), clock: Clock);

        Assert.Equal((1, 1), (result.Automatic, result.Merged));
        await using var check = NewContext();
        Assert.Equal(Math.Min(good, typo), (await check.Vehicles.IgnoreQueryFilters().SingleAsync(v => v.Id == Math.Max(good, typo))).MergedIntoId);
        Assert.Equal(CandidateStatus.Merged, (await check.MatchCandidates.SingleAsync()).Status);
    }

    [Fact]
    public async Task VehicleMerge_MovesPlatesMileageRelationships_UndoRestoresExactly()
    {
        var (org, customerId, good, typo) = await SeedAsync();
        await using var db = NewContext();
        await VehicleDuplicateFinder.FindAsync(db, org.Network.Id, clock: Clock);
        var candidate = await db.MatchCandidates.SingleAsync();
        var maxAudit = await db.AuditEntries.MaxAsync(a => a.Id);
        var before = await TableDump.TakeAsync(db, maxAudit);

        var merger = new RecordMerger(Clock);
        var outcome = await merger.MergeVehiclesAsync(db, new MergeRequest(good, typo, candidate.Id, candidate.Score, CandidateVersion: candidate.Version),
            CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Error);
        await using (var check = NewContext())
        {
            var survivor = await check.Vehicles.Include(v => v.Plates).Include(v => v.MileageReadings).SingleAsync(v => v.Id == good);
            Assert.Equal("1HGCM82633A004352", survivor.Vin);
            Assert.Equal(["AB12CDE", "XY70ZZZ"], survivor.Plates.Select(p => p.Plate).Order());
            Assert.Equal("XY70ZZZ", survivor.CurrentPlate);
            Assert.Equal(new DateOnly(2024, 5, 1), survivor.Plates.Single(p => p.Plate == "AB12CDE").ValidTo);
            Assert.Single(survivor.MileageReadings);
            Assert.Equal(2, await check.Relationships.CountAsync(r => r.VehicleId == good && r.CustomerId == customerId));
            Assert.False(await check.Vehicles.AnyAsync(v => v.Id == typo));
            Assert.Equal(good, await CustomerRedirects.ResolveVehicleAsync(check, typo));
        }

        var undone = await merger.UndoAsync(db, outcome.MergeId!.Value, CancellationToken.None);
        Assert.True(undone.Succeeded, undone.Error);
        await using var after = NewContext();
        TableDump.Equal(before, await TableDump.TakeAsync(after, maxAudit));
    }
}
