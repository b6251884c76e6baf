using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Vehicles;

/// <summary>Everything the vehicle page shows, as far as the reading context may see.</summary>
public sealed record VehicleDetails(
    long Id,
    string? Vin,
    string? VinWarning,
    string? CurrentPlate,
    string? Make,
    string? Model,
    string? Derivative,
    BodyType? BodyType,
    FuelType? FuelType,
    Transmission? Transmission,
    string? Colour,
    int? ModelYear,
    DateOnly? FirstRegistrationDate,
    DateTime UpdatedAt,
    IReadOnlyList<PlatePeriod> Plates,
    IReadOnlyList<MileagePoint> Mileage,
    IReadOnlyList<VehicleRelationship> Relationships)
{
    /// <summary>Customers who hold the vehicle now (a current relationship): the possible sellers of a sale.</summary>
    public IReadOnlyList<VehicleCustomer> CurrentCustomers { get; } = Relationships
        .Where(r => r.EndDate is null)
        .GroupBy(r => r.CustomerId)
        .Select(g => new VehicleCustomer(g.Key, g.First().CustomerName, g.First().GroupId, g.First().GroupName))
        .OrderBy(c => c.Name, StringComparer.CurrentCulture)
        .ToList();

    /// <summary>Every customer the vehicle has been linked to, with their relationships, current holders first.</summary>
    public IReadOnlyList<VehicleOwnership> Ownership { get; } = Relationships
        .GroupBy(r => r.CustomerId)
        .Select(g => new VehicleOwnership(
            g.Key,
            g.First().CustomerName,
            g.First().GroupName,
            g.Min(r => r.StartDate),
            g.Any(r => r.EndDate is null) ? null : g.Max(r => r.EndDate),
            g.OrderByDescending(r => r.StartDate).ToList()))
        .OrderBy(o => o.Until is null ? 0 : 1)
        .ThenByDescending(o => o.Until)
        .ThenByDescending(o => o.From)
        .ToList();

    public string Title => string.Join(' ', new[] { Make, Model, Derivative }.Where(p => !string.IsNullOrWhiteSpace(p))) is { Length: > 0 } name
        ? name
        : Vin ?? CurrentPlate ?? $"Vehicle {Id}";
}

public sealed record PlatePeriod(string Plate, DateOnly ValidFrom, DateOnly? ValidTo);

public sealed record MileagePoint(DateOnly ReadOn, int Value, MileageUnit Unit, MileageSource Source, string? DealerName);

public sealed record VehicleRelationship(
    long Id,
    long CustomerId,
    string CustomerName,
    long GroupId,
    string GroupName,
    long DealerId,
    string DealerName,
    RelationshipType Type,
    DateOnly StartDate,
    DateOnly? EndDate,
    RelationshipEndReason? EndReason,
    PaymentMethod? PaymentMethod);

public sealed record VehicleCustomer(long Id, string Name, long GroupId, string GroupName);

/// <summary>One customer's time with the vehicle: from the first relationship to the end of the last (null while current).</summary>
public sealed record VehicleOwnership(long CustomerId, string CustomerName, string GroupName, DateOnly From, DateOnly? Until,
    IReadOnlyList<VehicleRelationship> Relationships);

/// <summary>
/// Reads a vehicle for its page. The context's tenant filters decide what is visible: a vehicle none of the
/// reader's customers ever had is not found, and relationships of other dealer groups are left out.
/// </summary>
public static class VehicleDetailsQuery
{
    /// <summary>The vehicle, or null when it does not exist or the context may not see it (the caller cannot tell which).</summary>
    public static async Task<VehicleDetails?> LoadAsync(CrmDbContext db, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var vehicle = await db.Vehicles.AsNoTracking()
            .Where(v => v.Id == id)
            .Select(v => new
            {
                v.Id,
                v.Vin,
                v.VinWarning,
                v.CurrentPlate,
                Make = v.Brand != null ? v.Brand.Name : v.Make,
                v.Model,
                v.Derivative,
                v.BodyType,
                v.FuelType,
                v.Transmission,
                v.Colour,
                v.ModelYear,
                v.FirstRegistrationDate,
                v.UpdatedAt,
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (vehicle is null)
        {
            return null;
        }

        var plates = await db.PlateRegistrations.AsNoTracking()
            .Where(p => p.VehicleId == id)
            .OrderByDescending(p => p.ValidFrom)
            .Select(p => new PlatePeriod(p.Plate, p.ValidFrom, p.ValidTo))
            .ToListAsync(cancellationToken);

        var readings = await db.MileageReadings.AsNoTracking()
            .Where(m => m.VehicleId == id)
            .OrderBy(m => m.ReadOn).ThenBy(m => m.Id)
            .Select(m => new { m.ReadOn, m.Value, m.Unit, m.Source, m.DealerId })
            .ToListAsync(cancellationToken);
        var dealerIds = readings.Where(r => r.DealerId is not null).Select(r => r.DealerId!.Value).Distinct().ToList();
        // Only dealers the reader may see are named; another group's workshop stays anonymous.
        var dealerNames = await db.Dealers.AsNoTracking()
            .Where(d => dealerIds.Contains(d.Id))
            .ToDictionaryAsync(d => d.Id, d => d.Name, cancellationToken);
        var mileage = readings
            .Select(r => new MileagePoint(r.ReadOn, r.Value, r.Unit, r.Source,
                r.DealerId is { } dealerId && dealerNames.TryGetValue(dealerId, out var name) ? name : null))
            .ToList();

        var rows = await db.Relationships.AsNoTracking()
            .Where(r => r.VehicleId == id)
            .Select(r => new
            {
                r.Id,
                r.CustomerId,
                r.Customer!.BuyerType,
                r.Customer.CompanyName,
                r.Customer.Title,
                r.Customer.FirstName,
                r.Customer.LastName,
                r.DealerGroupId,
                GroupName = r.Customer.DealerGroup!.Name,
                r.DealerId,
                DealerName = r.Dealer!.Name,
                r.Type,
                r.StartDate,
                r.EndDate,
                r.EndReason,
                r.PaymentMethod,
            })
            .ToListAsync(cancellationToken);
        var relationships = rows
            .Select(r => new VehicleRelationship(r.Id, r.CustomerId,
                CustomerName(r.BuyerType, r.CompanyName, r.Title, r.FirstName, r.LastName, r.CustomerId),
                r.DealerGroupId, r.GroupName, r.DealerId, r.DealerName, r.Type, r.StartDate, r.EndDate, r.EndReason, r.PaymentMethod))
            .OrderByDescending(r => r.EndDate is null)
            .ThenByDescending(r => r.StartDate)
            .ThenBy(r => r.Id)
            .ToList();

        return new VehicleDetails(vehicle.Id, vehicle.Vin, vehicle.VinWarning, vehicle.CurrentPlate, vehicle.Make, vehicle.Model,
            vehicle.Derivative, vehicle.BodyType, vehicle.FuelType, vehicle.Transmission, vehicle.Colour, vehicle.ModelYear,
            vehicle.FirstRegistrationDate, vehicle.UpdatedAt, plates, mileage, relationships);
    }

    /// <summary>The same rule as <see cref="Customer.DisplayName"/>, for a projected row.</summary>
    internal static string CustomerName(BuyerType buyerType, string? companyName, string? title, string? firstName, string? lastName, long id)
    {
        var name = buyerType == BuyerType.Company && companyName is not null
            ? companyName
            : string.Join(' ', new[] { title, firstName, lastName }.Where(p => !string.IsNullOrWhiteSpace(p)));
        return name.Length > 0 ? name : $"Customer {id}";
    }
}
