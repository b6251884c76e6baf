using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Relationships;
using AutomotiveCrm.Domain.Vehicles;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>The kinds of error a planted duplicate carries compared with the record it duplicates.</summary>
[Flags]
public enum DuplicateErrors
{
    /// <summary>The same person typed in again exactly.</summary>
    None = 0,
    NameTypo = 1,
    SwappedNames = 2,
    Nickname = 4,
    MovedHouse = 8,
    NewEmail = 16,
    DroppedMiddleName = 32,
    DateOfBirthDayMonthSwapped = 64,
    /// <summary>The duplicate belongs to another dealer group than the original (the same person known to two groups).</summary>
    OtherGroup = 128,
    /// <summary>The original has a phone number and the duplicate none.</summary>
    MissingPhone = 256,
    /// <summary>The original has a date of birth and the duplicate none.</summary>
    MissingDateOfBirth = 512,
}

/// <summary>A retail record planted as a second record of an existing person.</summary>
public sealed record PlantedDuplicate(Customer Duplicate, Customer Original, DuplicateErrors Errors);

/// <summary>How a planted second vehicle record differs from the vehicle it duplicates.</summary>
public enum VehicleDuplicateKind
{
    /// <summary>One character of the VIN mistyped, no plate recorded.</summary>
    VinTypo,
    /// <summary>No VIN recorded; the same plate, make and model.</summary>
    PlateWithoutVin,
    /// <summary>The same VIN and plate keyed in again from another system.</summary>
    SameVin,
}

/// <summary>A second vehicle record of the same car, linked to the same customer.</summary>
public sealed record PlantedVehicleDuplicate(Vehicle Duplicate, Vehicle Original, VehicleDuplicateKind Kind);

/// <summary>
/// One batch of generated demo data: whole blocks of customers with everything that hangs off them. Entities are
/// linked by navigation (relationships point at their customer and vehicle objects; addresses, e-mails, phones,
/// consents and the wholesale record hang off the customer; plates and mileage off the vehicle) and carry no ids of
/// their own, so the same batch can go through EF Core or through the SQLite bulk writer, which assigns ids.
/// Organisation rows are referenced by id only.
/// </summary>
public sealed class DemoBatch
{
    internal DemoBatch(int firstCustomerIndex, List<Customer> customers, List<Vehicle> vehicles, List<Relationship> relationships,
        List<PlantedDuplicate> duplicates, List<PlantedVehicleDuplicate>? vehicleDuplicates = null)
    {
        FirstCustomerIndex = firstCustomerIndex;
        Customers = customers;
        Vehicles = vehicles;
        Relationships = relationships;
        Duplicates = duplicates;
        VehicleDuplicates = vehicleDuplicates ?? [];
        RowCount = CountRows();
    }

    /// <summary>Index of the batch's first customer in the whole data set (0-based).</summary>
    public int FirstCustomerIndex { get; }
    /// <summary>Retail records in generation order, planted duplicates included.</summary>
    public IReadOnlyList<Customer> Customers { get; }
    public IReadOnlyList<Vehicle> Vehicles { get; }
    public IReadOnlyList<Relationship> Relationships { get; }
    public IReadOnlyList<PlantedDuplicate> Duplicates { get; }
    /// <summary>Vehicles among <see cref="Vehicles"/> planted as second records of another vehicle of the same customer.</summary>
    public IReadOnlyList<PlantedVehicleDuplicate> VehicleDuplicates { get; }
    /// <summary>Rows the batch occupies in all tables (customers with their wholesale records and contacts, vehicles, ...).</summary>
    public long RowCount { get; }

    private long CountRows()
    {
        long rows = Relationships.Count;
        foreach (var c in Customers)
        {
            rows += 2 + c.Addresses.Count + c.Emails.Count + c.Phones.Count + c.Consents.Count; // + its wholesale record
        }

        foreach (var v in Vehicles)
        {
            rows += 1 + v.Plates.Count + v.MileageReadings.Count;
        }

        return rows;
    }
}
