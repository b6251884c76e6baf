using AutomotiveCrm.Domain.Vehicles;

namespace AutomotiveCrm.Domain.Imports.Merging;

/// <summary>
/// Vehicles file. A vehicle belongs to the network, not to a dealer: a new DMS vehicle number is first matched by
/// VIN to a vehicle the network already knows (from another dealer's file, a sale, a visit), so the same car is never
/// doubled, and only then created. The DMS's values overwrite the stored ones; an empty value leaves a stored one
/// alone, because another dealer's file may have supplied it. The plate goes through the plate history and the
/// odometer reading is appended once.
/// </summary>
internal sealed class VehicleMerger() : EfMerger(ImportFileType.Vehicles)
{
    private static readonly FieldLayout Fields = FieldLayout.For(ImportFileType.Vehicles);
    private static readonly int VinField = Fields.IndexOf("vin");
    private static readonly int RegistrationField = Fields.IndexOf("registration");
    private static readonly int MakeField = Fields.IndexOf("make");
    private static readonly int ModelField = Fields.IndexOf("model");
    private static readonly int DerivativeField = Fields.IndexOf("derivative");
    private static readonly int BodyTypeField = Fields.IndexOf("body_type");
    private static readonly int FuelTypeField = Fields.IndexOf("fuel_type");
    private static readonly int TransmissionField = Fields.IndexOf("transmission");
    private static readonly int ColourField = Fields.IndexOf("colour");
    private static readonly int ModelYearField = Fields.IndexOf("model_year");
    private static readonly int FirstRegistrationField = Fields.IndexOf("first_registration_date");
    private static readonly int MileageField = Fields.IndexOf("mileage");
    private static readonly int MileageDateField = Fields.IndexOf("mileage_date");
    private static readonly int MileageUnitField = Fields.IndexOf("mileage_unit");

    protected override async Task PrepareAsync(MergeSession session, IReadOnlyList<MergeItem> items, CancellationToken cancellationToken)
    {
        await session.LoadBrandsAsync(cancellationToken);
        await session.LoadVehiclesAsync(items.Select(i => (string?)i.Row.Key), items.Select(i => i.Row.Text(VinField)), [], cancellationToken);
        await session.LoadMileageAsync(cancellationToken);
    }

    protected override RowOutcome MergeRow(MergeSession session, MergeItem item)
    {
        var row = item.Row;
        var vin = VehicleRows.CheckVin(row, VinField);
        var details = VehicleRows.ReadDetails(row, session.Today, ModelField, DerivativeField, BodyTypeField, FuelTypeField, TransmissionField,
            ColourField, ModelYearField, FirstRegistrationField);
        var mileage = MergeSession.Mileage(row, MileageField);
        var mileageOn = row.Date(MileageDateField) ?? session.Today;
        var unit = row.Choice<MileageUnit>(MileageUnitField) ?? MileageUnit.Kilometres;
        var make = row.Text(MakeField);
        var plate = row.Text(RegistrationField);

        var vehicle = (item.Record is null ? null : session.VehicleById(item.Record.EntityId)) ?? session.VehicleByVin(vin);
        var inserted = vehicle is null;
        vehicle ??= session.NewVehicle(vin);
        session.SetVin(vehicle, vin, VinField);
        session.SetMake(vehicle, make);
        details.ApplyTo(vehicle);
        session.ReportPlate(vehicle, plate, inserted || vehicle.Plates.Count == 0 ? details.FirstRegistration ?? session.Today : session.Today);
        if (mileage is { } value)
        {
            session.AddMileage(vehicle, mileageOn, value, unit, MileageSource.Import);
        }

        vehicle.SourceFileId = session.FileId;
        session.RememberDmsId(row.Key, vehicle);
        return new RowOutcome(vehicle, inserted);
    }
}

/// <summary>Vehicle details as a row gives them; only values present are written (an empty one keeps the stored value).</summary>
internal sealed record VehicleDetails(string? Model, string? Derivative, BodyType? BodyType, FuelType? FuelType, Transmission? Transmission,
    string? Colour, int? ModelYear, DateOnly? FirstRegistration)
{
    public void ApplyTo(Vehicle vehicle)
    {
        vehicle.Model = Model ?? vehicle.Model;
        vehicle.Derivative = Derivative ?? vehicle.Derivative;
        vehicle.BodyType = BodyType ?? vehicle.BodyType;
        vehicle.FuelType = FuelType ?? vehicle.FuelType;
        vehicle.Transmission = Transmission ?? vehicle.Transmission;
        vehicle.Colour = Colour ?? vehicle.Colour;
        vehicle.ModelYear = ModelYear ?? vehicle.ModelYear;
        vehicle.FirstRegistrationDate = FirstRegistration ?? vehicle.FirstRegistrationDate;
    }
}

/// <summary>Reading the vehicle fields several file types share.</summary>
internal static class VehicleRows
{
    /// <summary>The VIN, refused when it is malformed (a wrong check digit only warns, as at the desk).</summary>
    public static string? CheckVin(StagedRow row, int field)
    {
        var raw = row.Text(field);
        if (raw is null)
        {
            return null;
        }

        var check = Vin.Check(raw);
        return check.IsValid ? check.Normalised : throw row.Reject(field, check.Error ?? "not a valid VIN.");
    }

    public static VehicleDetails ReadDetails(StagedRow row, DateOnly today, int model, int derivative, int bodyType, int fuelType, int transmission,
        int colour, int modelYear, int firstRegistration)
    {
        var year = modelYear < 0 ? null : row.Int(modelYear);
        if (year is { } y && (y < 1900 || y > today.Year + 2))
        {
            throw row.Reject(modelYear, $"{y} is not a plausible model year.");
        }

        var registered = firstRegistration < 0 ? null : row.Date(firstRegistration);
        if (registered is { } r && (r.Year < 1900 || r > today.AddYears(1)))
        {
            throw row.Reject(firstRegistration, $"{r:yyyy-MM-dd} is not a plausible date of first registration.");
        }

        return new VehicleDetails(
            model < 0 ? null : row.Text(model, 80),
            derivative < 0 ? null : row.Text(derivative, 120),
            bodyType < 0 ? null : row.Choice<BodyType>(bodyType),
            fuelType < 0 ? null : row.Choice<FuelType>(fuelType),
            transmission < 0 ? null : row.Choice<Transmission>(transmission),
            colour < 0 ? null : row.Text(colour, 40),
            year,
            registered);
    }

    /// <summary>
    /// The vehicle a sale, visit or booking row means: by the dealer's DMS vehicle number, else by VIN, else by the
    /// current plate (when exactly one vehicle carries it). Nothing changes yet: <see cref="VehicleReference.Materialise"/>
    /// does that once the whole row has been checked. With <paramref name="required"/>, a DMS number that is not
    /// known and comes without a VIN is refused.
    /// </summary>
    public static VehicleReference Find(MergeSession session, StagedRow row, int idField, int vinField, int plateField,
        int makeField, int modelField, bool required)
    {
        var dmsId = idField < 0 ? null : row.Text(idField);
        var vin = vinField < 0 ? null : CheckVin(row, vinField);
        var plate = plateField < 0 ? null : row.Text(plateField);
        var make = makeField < 0 ? null : row.Text(makeField);
        var model = modelField < 0 ? null : row.Text(modelField, 80);
        var vehicle = session.VehicleByDmsId(dmsId) ?? session.VehicleByVin(vin) ?? (vin is null ? session.VehicleByPlate(plate) : null);
        if (vehicle is null && vin is null && dmsId is not null && required)
        {
            throw row.Reject(idField,
                $"vehicle {dmsId} is not known for dealer {session.Target.DealerCode}: import the vehicles file first, or give the VIN.");
        }

        return new VehicleReference(vehicle, vin, plate, make, model, vinField);
    }
}

/// <summary>A vehicle a row refers to: found, or to be created from the row's VIN, make, model and plate.</summary>
internal sealed record VehicleReference(Vehicle? Found, string? Vin, string? Plate, string? Make, string? Model, int VinField)
{
    /// <summary>Whether there is a vehicle (found, or a VIN to create one from).</summary>
    public bool Exists => Found is not null || Vin is not null;

    /// <summary>
    /// The vehicle, created when only its VIN is known; a known vehicle gets from the row only what it lacks (the
    /// vehicles file is the authority on the rest) and the plate if it is news.
    /// </summary>
    public (Vehicle Vehicle, bool Created) Materialise(MergeSession session, DateOnly plateFrom)
    {
        var vehicle = Found ?? session.VehicleByVin(Vin);
        var created = vehicle is null;
        if (vehicle is null)
        {
            vehicle = session.NewVehicle(Vin ?? throw new InvalidOperationException("Nothing identifies the vehicle."));
            session.SetMake(vehicle, Make);
            vehicle.Model = Model;
        }
        else
        {
            if (vehicle.BrandId is null && vehicle.Make is null)
            {
                session.SetMake(vehicle, Make);
            }

            vehicle.Model ??= Model;
            if (vehicle.Vin is null && Vin is not null)
            {
                session.SetVin(vehicle, Vin, VinField);
            }
        }

        session.ReportPlate(vehicle, Plate, plateFrom);
        return (vehicle, created);
    }
}
