using System.Globalization;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Vehicles;

namespace AutomotiveCrm.Domain.Dedup.Merging;

/// <summary>
/// The default rule for which of two records' values survives a merge, shared by the merge itself and the review
/// screen's pre-selection: a value only one record has wins; when both have one, the more recently updated record's
/// wins; on equal update times the more complete record's; on a complete tie the first record's (the survivor).
/// </summary>
public static class Survivorship
{
    /// <summary>True when the second record's value should win over the first's.</summary>
    public static bool PrefersSecond(string? first, string? second, DateTime firstUpdated, DateTime secondUpdated, int firstCompleteness,
        int secondCompleteness)
    {
        var hasFirst = !string.IsNullOrWhiteSpace(first);
        var hasSecond = !string.IsNullOrWhiteSpace(second);
        if (hasFirst != hasSecond)
        {
            return hasSecond;
        }

        if (!hasFirst || string.Equals(first, second, StringComparison.Ordinal))
        {
            return false;
        }

        if (firstUpdated != secondUpdated)
        {
            return secondUpdated > firstUpdated;
        }

        return secondCompleteness > firstCompleteness;
    }

    /// <summary>The customer's value of a <see cref="MergeFields"/> field as text (empty: null).</summary>
    public static string? CustomerValue(Customer customer, string field)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return field switch
        {
            MergeFields.Title => customer.Title,
            MergeFields.FirstName => customer.FirstName,
            MergeFields.MiddleName => customer.MiddleName,
            MergeFields.LastName => customer.LastName,
            MergeFields.CompanyName => customer.CompanyName,
            MergeFields.DateOfBirth => customer.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            MergeFields.Email => customer.PrimaryEmail?.Address,
            MergeFields.Phone => customer.PrimaryPhone?.Number,
            MergeFields.Address => FormatAddress(customer.PrimaryAddress),
            MergeFields.ResponsibleDealer => customer.ResponsibleDealerId?.ToString(CultureInfo.InvariantCulture),
            MergeFields.PaymentMethod => customer.PaymentMethod?.ToString(),
            _ => null,
        };
    }

    /// <summary>How many of the merge fields a customer fills: the tie-breaker "most complete".</summary>
    public static int Completeness(Customer customer) => MergeFields.All.Count(f => !string.IsNullOrWhiteSpace(CustomerValue(customer, f)));

    /// <summary>The vehicle's value of a <see cref="VehicleMergeFields"/> field as text (empty: null).</summary>
    public static string? VehicleValue(Vehicle vehicle, string field)
    {
        ArgumentNullException.ThrowIfNull(vehicle);
        return field switch
        {
            VehicleMergeFields.Vin => vehicle.Vin,
            VehicleMergeFields.Plate => vehicle.CurrentPlate,
            VehicleMergeFields.Make => vehicle.Brand?.Name ?? vehicle.Make ?? vehicle.BrandId?.ToString(CultureInfo.InvariantCulture),
            VehicleMergeFields.Model => vehicle.Model,
            VehicleMergeFields.Derivative => vehicle.Derivative,
            VehicleMergeFields.FuelType => vehicle.FuelType?.ToString(),
            VehicleMergeFields.BodyType => vehicle.BodyType?.ToString(),
            VehicleMergeFields.Colour => vehicle.Colour,
            VehicleMergeFields.ModelYear => vehicle.ModelYear?.ToString(CultureInfo.InvariantCulture),
            VehicleMergeFields.FirstRegistration => vehicle.FirstRegistrationDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    public static int Completeness(Vehicle vehicle) => VehicleMergeFields.All.Count(f => !string.IsNullOrWhiteSpace(VehicleValue(vehicle, f)));

    /// <summary>
    /// For the VIN a valid one beats a doubtful one (a check-digit warning) whatever the update times: the typo is
    /// what made the duplicate.
    /// </summary>
    public static bool PrefersSecondVin(Vehicle first, Vehicle second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Vin is not null && second.Vin is not null && (first.VinWarning is null) != (second.VinWarning is null))
        {
            return first.VinWarning is not null;
        }

        return PrefersSecond(first.Vin, second.Vin, first.UpdatedAt, second.UpdatedAt, Completeness(first), Completeness(second));
    }

    public static string? FormatAddress(CustomerAddress? address) =>
        address is null
            ? null
            : string.Join(", ", new[] { address.Line1, address.Line2, address.City, address.Postcode, address.CountryCode }
                .Where(p => !string.IsNullOrWhiteSpace(p))) is { Length: > 0 } text ? text : null;

    /// <summary>Addresses compare on street, postcode and country without case, spaces or punctuation.</summary>
    public static string AddressKey(CustomerAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        static string Squash(string? s) => new((s ?? "").Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        return $"{Squash(address.Line1)}|{Squash(address.Line2)}|{Squash(address.Postcode)}|{Squash(address.CountryCode)}";
    }
}
