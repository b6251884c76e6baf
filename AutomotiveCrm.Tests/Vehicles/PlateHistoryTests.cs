using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Vehicles;
using AutomotiveCrm.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Tests.Vehicles;

public sealed class PlateHistoryTests : IDisposable
{
    private static readonly DateOnly Registered = new(2022, 3, 1);
    private static readonly DateOnly Replated = new(2024, 9, 1);

    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public void ChangePlate_FirstPlate_BecomesCurrentWithOpenPeriod()
    {
        var vehicle = new Vehicle();

        var registration = vehicle.ChangePlate("ab12 cde", Registered);

        Assert.Equal(("AB12CDE", Registered, (DateOnly?)null), (registration.Plate, registration.ValidFrom, registration.ValidTo));
        Assert.Equal("AB12CDE", vehicle.CurrentPlate);
    }

    [Fact]
    public void ChangePlate_NewPlate_ClosesPreviousPeriodOnItsFirstDay()
    {
        var vehicle = new Vehicle();
        var first = vehicle.ChangePlate("AB12 CDE", Registered);

        vehicle.ChangePlate("CH3RRY", Replated);

        Assert.Equal(Replated, first.ValidTo);
        Assert.Equal("CH3RRY", vehicle.CurrentPlate);
        Assert.Equal([("AB12CDE", Registered, (DateOnly?)Replated), ("CH3RRY", Replated, null)],
            vehicle.Plates.Select(p => (p.Plate, p.ValidFrom, p.ValidTo)));
    }

    [Fact]
    public void ChangePlate_SamePlateWrittenDifferently_KeepsCurrentRegistration()
    {
        var vehicle = new Vehicle();
        var first = vehicle.ChangePlate("AB12 CDE", Registered);

        var again = vehicle.ChangePlate("ab12-cde", Replated);

        Assert.Same(first, again);
        Assert.Single(vehicle.Plates);
        Assert.Null(first.ValidTo);
    }

    [Fact]
    public void ChangePlate_BeforeCurrentPlateStarted_ThrowsDomainException()
    {
        var vehicle = new Vehicle();
        vehicle.ChangePlate("AB12 CDE", Replated);

        Assert.Throws<DomainException>(() => vehicle.ChangePlate("XY99 ZZZ", Registered));

        Assert.Equal("AB12CDE", vehicle.CurrentPlate);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("--")]
    public void ChangePlate_Empty_ThrowsDomainException(string plate)
    {
        var vehicle = new Vehicle();

        Assert.Throws<DomainException>(() => vehicle.ChangePlate(plate, Registered));
    }

    [Fact]
    public async Task ChangePlate_OnSavedVehicle_HistoryPersistsInOrder()
    {
        long vehicleId;
        await using (var db = _database.CreateContext())
        {
            var org = await new OrganisationBuilder().SaveAsync(db);
            vehicleId = (await new VehicleBuilder().OfBrand(org.Brand).WithPlate("AB12 CDE", Registered).SaveAsync(db)).Id;
        }

        await using (var db = _database.CreateContext())
        {
            var vehicle = await db.Vehicles.Include(v => v.Plates).SingleAsync(v => v.Id == vehicleId);
            vehicle.ChangePlate("CH3RRY", Replated);
            await db.SaveChangesAsync();
        }

        await using var fresh = _database.CreateContext();
        var saved = await fresh.Vehicles.Include(v => v.Plates).SingleAsync(v => v.Id == vehicleId);
        Assert.Equal("CH3RRY", saved.CurrentPlate);
        Assert.Equal([("AB12CDE", Registered, (DateOnly?)Replated), ("CH3RRY", Replated, null)],
            saved.Plates.OrderBy(p => p.ValidFrom).Select(p => (p.Plate, p.ValidFrom, p.ValidTo)));
    }

    [Fact]
    public void RecordMileage_Negative_ThrowsDomainException()
    {
        var vehicle = new Vehicle();

        Assert.Throws<DomainException>(() => vehicle.RecordMileage(Registered, -1, MileageUnit.Kilometres, MileageSource.Desk));

        Assert.Empty(vehicle.MileageReadings);
    }
}
