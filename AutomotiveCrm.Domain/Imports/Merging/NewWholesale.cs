using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Wholesale;

namespace AutomotiveCrm.Domain.Imports.Merging;

/// <summary>
/// <see cref="WholesaleComposer.Compose"/> for the one case of a new customer's own wholesale record: with a single
/// retail record, every non-empty field comes from it and names it as its source. Written out because it runs once
/// per imported customer; a test holds it to the composer's result.
/// </summary>
internal static class NewWholesale
{
    public static void Compose(WholesaleCustomer target, Customer customer)
    {
        var id = customer.Id;
        var sources = new Dictionary<string, long>(WholesaleFields.All.Count) { [WholesaleFields.BuyerType] = id };
        target.BuyerType = customer.BuyerType;
        target.Title = Text(customer.Title, WholesaleFields.Title, id, sources);
        target.FirstName = Text(customer.FirstName, WholesaleFields.FirstName, id, sources);
        target.LastName = Text(customer.LastName, WholesaleFields.LastName, id, sources);
        target.CompanyName = Text(customer.CompanyName, WholesaleFields.CompanyName, id, sources);
        target.DateOfBirth = customer.DateOfBirth;
        if (customer.DateOfBirth is not null)
        {
            sources[WholesaleFields.DateOfBirth] = id;
        }

        target.Email = Text(customer.PrimaryEmail?.Address, WholesaleFields.Email, id, sources);
        target.Phone = Text(customer.PrimaryPhone?.Number, WholesaleFields.Phone, id, sources);
        var address = customer.PrimaryAddress;
        if (address is not null && !(string.IsNullOrWhiteSpace(address.Line1) && string.IsNullOrWhiteSpace(address.City) && string.IsNullOrWhiteSpace(address.Postcode)))
        {
            sources[WholesaleFields.Address] = id;
            target.AddressLine1 = address.Line1;
            target.AddressLine2 = address.Line2;
            target.City = address.City;
            target.Postcode = address.Postcode;
            target.CountryCode = address.CountryCode;
        }
        else
        {
            target.AddressLine1 = target.AddressLine2 = target.City = target.Postcode = target.CountryCode = null;
        }

        target.FieldSources = sources;
        target.RetailRecordCount = 1;
    }

    private static string? Text(string? value, string field, long id, Dictionary<string, long> sources)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        sources[field] = id;
        return value;
    }
}
