using AutomotiveCrm.Domain.Customers;

namespace AutomotiveCrm.Domain.Wholesale;

/// <summary>
/// Survivorship for the wholesale record: for each field, the value of the most recently updated linked retail
/// record that has a non-empty value wins, and the winner's id is kept as the field's source. Ties on the update
/// time go to the higher id (the newer record), so the result never depends on load order.
/// The address is one field: its parts are taken together from one record so that a street never pairs with
/// another record's postcode.
/// </summary>
public static class WholesaleComposer
{
    public static void Compose(WholesaleCustomer target, IReadOnlyCollection<Customer> retailRecords)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(retailRecords);

        var ordered = retailRecords
            .OrderByDescending(c => c.UpdatedAt)
            .ThenByDescending(c => c.Id)
            .ToList();
        var sources = new Dictionary<string, long>();

        target.BuyerType = Pick(ordered, c => (BuyerType?)c.BuyerType, WholesaleFields.BuyerType, sources) ?? BuyerType.Person;
        target.Title = Pick(ordered, c => c.Title, WholesaleFields.Title, sources);
        target.FirstName = Pick(ordered, c => c.FirstName, WholesaleFields.FirstName, sources);
        target.LastName = Pick(ordered, c => c.LastName, WholesaleFields.LastName, sources);
        target.CompanyName = Pick(ordered, c => c.CompanyName, WholesaleFields.CompanyName, sources);
        target.DateOfBirth = Pick(ordered, c => c.DateOfBirth, WholesaleFields.DateOfBirth, sources);
        target.Email = Pick(ordered, c => c.PrimaryEmail?.Address, WholesaleFields.Email, sources);
        target.Phone = Pick(ordered, c => c.PrimaryPhone?.Number, WholesaleFields.Phone, sources);

        var address = Pick(ordered, c => HasAddress(c.PrimaryAddress) ? c.PrimaryAddress : null, WholesaleFields.Address, sources);
        target.AddressLine1 = address?.Line1;
        target.AddressLine2 = address?.Line2;
        target.City = address?.City;
        target.Postcode = address?.Postcode;
        target.CountryCode = address?.CountryCode;

        target.FieldSources = sources;
        target.RetailRecordCount = retailRecords.Count;
    }

    private static bool HasAddress(CustomerAddress? a) =>
        a is not null && !(string.IsNullOrWhiteSpace(a.Line1) && string.IsNullOrWhiteSpace(a.City) && string.IsNullOrWhiteSpace(a.Postcode));

    private static T? Pick<T>(List<Customer> ordered, Func<Customer, T?> value, string field, Dictionary<string, long> sources)
        where T : class
    {
        foreach (var customer in ordered)
        {
            var v = value(customer);
            if (v is not null && (v is not string s || !string.IsNullOrWhiteSpace(s)))
            {
                sources[field] = customer.Id;
                return v;
            }
        }

        return null;
    }

    private static T? Pick<T>(List<Customer> ordered, Func<Customer, T?> value, string field, Dictionary<string, long> sources)
        where T : struct
    {
        foreach (var customer in ordered)
        {
            var v = value(customer);
            if (v.HasValue)
            {
                sources[field] = customer.Id;
                return v;
            }
        }

        return null;
    }
}
