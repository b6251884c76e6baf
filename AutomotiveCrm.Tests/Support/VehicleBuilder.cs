using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Vehicles;

namespace AutomotiveCrm.Tests.Support;

/// <summary>
/// A vehicle for tests: by default an Alder-branded petrol hatchback first registered on 1 March 2022, with a
/// valid European VIN unique within the test run and no plate. A network is required.
/// </summary>
public sealed class VehicleBuilder
{
    private static int _vinCounter;

    private readonly List<(string Plate, DateOnly From)> _plates = [];
    private long _networkId;
    private long? _brandId;
    private string? _vin = NextVin();
    private string? _model = "Aster";
    private FuelType? _fuelType = FuelType.Petrol;
    private BodyType? _bodyType = BodyType.Hatchback;
    private DateOnly? _firstRegistration = new(2022, 3, 1);

    /// <summary>A VIN of a European manufacturer (no check digit rule), different on every call.</summary>
    public static string NextVin() => $"VF1TEST{Interlocked.Increment(ref _vinCounter):D10}";

    public VehicleBuilder InNetwork(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        _networkId = network.Id;
        return this;
    }

    public VehicleBuilder OfBrand(Brand brand, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(brand);
        _networkId = _networkId == 0 ? brand.NetworkId : _networkId;
        _brandId = brand.Id;
        _model = model ?? _model;
        return this;
    }

    /// <summary>Raw VIN as a user or an import would give it; it goes through <see cref="Vehicle.SetVin"/>.</summary>
    public VehicleBuilder WithVin(string? vin)
    {
        _vin = vin;
        return this;
    }

    /// <summary>Adds a plate from a date; plates are applied in the order given, like <see cref="Vehicle.ChangePlate"/>.</summary>
    public VehicleBuilder WithPlate(string plate, DateOnly from)
    {
        _plates.Add((plate, from));
        return this;
    }

    public VehicleBuilder WithFuel(FuelType fuelType)
    {
        _fuelType = fuelType;
        return this;
    }

    public VehicleBuilder FirstRegisteredOn(DateOnly date)
    {
        _firstRegistration = date;
        return this;
    }

    public Vehicle Build()
    {
        if (_networkId == 0)
        {
            throw new InvalidOperationException("A vehicle belongs to a network: call InNetwork or OfBrand with saved entities.");
        }

        var vehicle = new Vehicle
        {
            NetworkId = _networkId,
            BrandId = _brandId,
            Model = _model,
            FuelType = _fuelType,
            BodyType = _bodyType,
            FirstRegistrationDate = _firstRegistration,
        };
        vehicle.SetVin(_vin);
        foreach (var (plate, from) in _plates)
        {
            vehicle.ChangePlate(plate, from);
        }

        return vehicle;
    }

    public async Task<Vehicle> SaveAsync(CrmDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var vehicle = Build();
        db.Vehicles.Add(vehicle);
        await db.SaveChangesAsync(cancellationToken);
        return vehicle;
    }
}
