using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Imports.Merging;
using AutomotiveCrm.Domain.Wholesale;

namespace AutomotiveCrm.Tests.Imports.Merging;

/// <summary>The import's shortcut for a new customer's wholesale record must give what <see cref="WholesaleComposer"/> gives.</summary>
public sealed class NewWholesaleTests
{
    public static TheoryData<int> Shapes => new() { 0, 1, 2, 3, 4 };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Compose_SingleRetailRecord_EqualsTheComposer(int shape)
    {
        var customer = Shape(shape);
        var expected = new WholesaleCustomer();
        var actual = new WholesaleCustomer();

        WholesaleComposer.Compose(expected, [customer]);
        NewWholesale.Compose(actual, customer);

        Assert.Equal(
            (expected.BuyerType, expected.Title, expected.FirstName, expected.LastName, expected.CompanyName, expected.DateOfBirth, expected.Email, expected.Phone),
            (actual.BuyerType, actual.Title, actual.FirstName, actual.LastName, actual.CompanyName, actual.DateOfBirth, actual.Email, actual.Phone));
        Assert.Equal((expected.AddressLine1, expected.AddressLine2, expected.City, expected.Postcode, expected.CountryCode, expected.RetailRecordCount),
            (actual.AddressLine1, actual.AddressLine2, actual.City, actual.Postcode, actual.CountryCode, actual.RetailRecordCount));
        Assert.Equal(expected.FieldSources.OrderBy(p => p.Key), actual.FieldSources.OrderBy(p => p.Key));
    }

    private static Customer Shape(int shape)
    {
        var customer = new Customer { Id = 40 + shape, LastName = "Morgan" };
        switch (shape)
        {
            case 1:
                customer.Title = "Dr";
                customer.FirstName = "Alex";
                customer.DateOfBirth = new DateOnly(1980, 1, 2);
                customer.Emails.Add(new CustomerEmail { Address = "a@example.com", NormalisedAddress = "a@example.com", IsPrimary = true });
                customer.Phones.Add(new CustomerPhone { Number = "+447700900123", IsPrimary = true });
                customer.Addresses.Add(new CustomerAddress { Line1 = "1 Park Row", Line2 = "Flat 2", City = "Leeds", Postcode = "LS1 4AB", CountryCode = "GB", IsPrimary = true });
                break;
            case 2:
                customer.BuyerType = BuyerType.Company;
                customer.CompanyName = "Morgan Ltd";
                customer.FirstName = "  ";
                customer.Addresses.Add(new CustomerAddress { Region = "Yorkshire", CountryCode = "GB", IsPrimary = true });
                break;
            case 3:
                customer.Phones.Add(new CustomerPhone { Number = "+441130000000", Kind = PhoneKind.Home });
                customer.Addresses.Add(new CustomerAddress { Postcode = "LS2 9JT", CountryCode = "GB" });
                break;
            case 4:
                customer.LastName = null;
                customer.CompanyName = "Only Company";
                break;
        }

        return customer;
    }
}
