using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Relationships;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Customers;

public sealed record CustomerProfile(
    BuyerType BuyerType,
    string? Title,
    string? FirstName,
    string? MiddleName,
    string? LastName,
    string? CompanyName,
    DateOnly? DateOfBirth,
    long? ResponsibleDealerId,
    PaymentMethod? PaymentMethod,
    int InsuredAccidents);

public sealed record EmailView(long Id, string Address, bool IsPrimary);

public sealed record PhoneView(long Id, PhoneKind Kind, string Number, bool IsPrimary);

public sealed record AddressView(long Id, AddressKind Kind, bool IsPrimary, string? Line1, string? Line2, string? City, string? Region,
    string? Postcode, string CountryCode);

/// <summary>A consent statement with the name of the brand or dealer it is about.</summary>
public sealed record ConsentView(long Id, ConsentChannel Channel, ConsentPurpose Purpose, long? BrandId, long? DealerId, string ScopeName,
    ConsentStatus Status, DateTime RecordedAt, ConsentSource Source, string? Evidence);

/// <summary>One period of a relationship between a dealer and the customer through a vehicle.</summary>
public sealed record RelationshipPeriod(long Id, RelationshipType Type, DateOnly StartDate, DateOnly? EndDate, RelationshipEndReason? EndReason);

/// <summary>The periods of one dealer with one vehicle, oldest first.</summary>
public sealed record DealerTimeline(long DealerId, string DealerName, IReadOnlyList<RelationshipPeriod> Periods);

public sealed record CustomerVehicle(long VehicleId, string? Vin, string? Plate, string? Make, string? Model, int? ModelYear, bool IsCurrent,
    IReadOnlyList<DealerTimeline> Dealers);

/// <summary>A dealer or brand a consent may be given for.</summary>
public sealed record ScopeOption(long Id, string Name);

public sealed record CustomerDetail(
    long Id,
    long DealerGroupId,
    string GroupName,
    string DisplayName,
    CustomerProfile Profile,
    string? ResponsibleDealerName,
    CustomerSource Source,
    string? SourceReference,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Version,
    string CountryCode,
    IReadOnlyList<EmailView> Emails,
    IReadOnlyList<PhoneView> Phones,
    IReadOnlyList<AddressView> Addresses,
    IReadOnlyList<ConsentView> ConsentHistory,
    IReadOnlyList<ConsentView> CurrentConsents,
    IReadOnlyList<CustomerVehicle> Vehicles,
    IReadOnlyList<ScopeOption> GroupDealers,
    IReadOnlyList<ScopeOption> NetworkBrands);

/// <summary>Everything the customer page shows, read through the caller's (user-scoped) context.</summary>
public static class CustomerDetails
{
    /// <summary>The customer, or null when it does not exist or the context's scope cannot see it (the two look alike).</summary>
    public static async Task<CustomerDetail?> LoadAsync(CrmDbContext db, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var customer = await db.Customers.AsNoTracking()
            .Where(c => c.Id == id)
            .Include(c => c.DealerGroup!).ThenInclude(g => g.Network)
            .Include(c => c.ResponsibleDealer)
            .Include(c => c.Emails)
            .Include(c => c.Phones)
            .Include(c => c.Addresses)
            .AsSplitQuery()
            .SingleOrDefaultAsync(cancellationToken);
        if (customer is null)
        {
            return null;
        }

        var networkId = customer.DealerGroup!.NetworkId;
        var dealers = await db.Dealers.AsNoTracking().Where(d => d.DealerGroupId == customer.DealerGroupId)
            .OrderBy(d => d.Name).Select(d => new ScopeOption(d.Id, d.Name)).ToListAsync(cancellationToken);
        var brands = await db.Brands.AsNoTracking().Where(b => b.NetworkId == networkId)
            .OrderBy(b => b.Name).Select(b => new ScopeOption(b.Id, b.Name)).ToListAsync(cancellationToken);

        var consentRecords = await db.ConsentRecords.AsNoTracking().Where(r => r.CustomerId == id)
            .OrderByDescending(r => r.RecordedAt).ThenByDescending(r => r.Id)
            .ToListAsync(cancellationToken);
        var dealerNames = dealers.ToDictionary(d => d.Id, d => d.Name);
        var brandNames = brands.ToDictionary(b => b.Id, b => b.Name);
        string ScopeName(long? brandId, long? dealerId) => brandId is { } b
            ? brandNames.GetValueOrDefault(b, $"Brand {b}")
            : dealerNames.GetValueOrDefault(dealerId ?? 0, $"Dealer {dealerId}");
        var history = consentRecords.Select(r => new ConsentView(r.Id, r.Channel, r.Purpose, r.BrandId, r.DealerId, ScopeName(r.BrandId, r.DealerId),
            r.Status, r.RecordedAt, r.Source, r.Evidence)).ToList();
        var byId = history.ToDictionary(h => h.Id);
        var current = ConsentState.Current(consentRecords).Select(c => byId[c.RecordId]).ToList();

        var relationships = await db.Relationships.AsNoTracking().Where(r => r.CustomerId == id)
            .Select(r => new
            {
                r.Id,
                r.VehicleId,
                r.DealerId,
                DealerName = r.Dealer!.Name,
                r.Type,
                r.StartDate,
                r.EndDate,
                r.EndReason,
                r.Vehicle!.Vin,
                r.Vehicle.CurrentPlate,
                Make = r.Vehicle.Brand != null ? r.Vehicle.Brand.Name : r.Vehicle.Make,
                r.Vehicle.Model,
                r.Vehicle.ModelYear,
            })
            .ToListAsync(cancellationToken);
        var vehicles = relationships
            .GroupBy(r => r.VehicleId)
            .Select(v =>
            {
                var first = v.First();
                var timelines = v.GroupBy(r => (r.DealerId, r.DealerName))
                    .Select(d => new DealerTimeline(d.Key.DealerId, d.Key.DealerName, d
                        .OrderBy(r => r.StartDate).ThenBy(r => r.Id)
                        .Select(r => new RelationshipPeriod(r.Id, r.Type, r.StartDate, r.EndDate, r.EndReason)).ToList()))
                    .OrderBy(d => d.DealerName)
                    .ToList();
                return new CustomerVehicle(v.Key, first.Vin, first.CurrentPlate, first.Make, first.Model, first.ModelYear,
                    v.Any(r => r.EndDate is null), timelines);
            })
            // Vehicles the customer has now first, then by the most recent relationship.
            .OrderByDescending(v => v.IsCurrent)
            .ThenByDescending(v => v.Dealers.SelectMany(d => d.Periods).Max(p => p.StartDate))
            .ToList();

        var country = customer.PrimaryAddress?.CountryCode ?? customer.DealerGroup.Network?.CountryCode ?? "GB";
        return new CustomerDetail(
            customer.Id,
            customer.DealerGroupId,
            customer.DealerGroup.Name,
            customer.DisplayName,
            new CustomerProfile(customer.BuyerType, customer.Title, customer.FirstName, customer.MiddleName, customer.LastName,
                customer.CompanyName, customer.DateOfBirth, customer.ResponsibleDealerId, customer.PaymentMethod, customer.InsuredAccidents),
            customer.ResponsibleDealer?.Name,
            customer.Source,
            customer.SourceReference,
            customer.CreatedAt,
            customer.UpdatedAt,
            customer.Version,
            country,
            customer.Emails.OrderByDescending(e => e.IsPrimary).ThenBy(e => e.Id).Select(e => new EmailView(e.Id, e.Address, e.IsPrimary)).ToList(),
            customer.Phones.OrderByDescending(p => p.IsPrimary).ThenBy(p => p.Id).Select(p => new PhoneView(p.Id, p.Kind, p.Number, p.IsPrimary)).ToList(),
            customer.Addresses.OrderByDescending(a => a.IsPrimary).ThenBy(a => a.Id)
                .Select(a => new AddressView(a.Id, a.Kind, a.IsPrimary, a.Line1, a.Line2, a.City, a.Region, a.Postcode, a.CountryCode)).ToList(),
            history,
            current,
            vehicles,
            dealers,
            brands);
    }
}
