using AutomotiveCrm.Domain.Customers;

namespace AutomotiveCrm.Web.Customers;

/// <summary>The create form's fields, bound by the inputs and turned into a <see cref="NewCustomer"/>.</summary>
public sealed class NewCustomerForm
{
    public long? GroupId { get; set; }
    public BuyerType BuyerType { get; set; }
    public string? Title { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? CompanyName { get; set; }
    public DateTime? DateOfBirth { get; set; }
    public long? ResponsibleDealerId { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public PhoneKind PhoneKind { get; set; } = PhoneKind.Mobile;
    public string? Line1 { get; set; }
    public string? City { get; set; }
    public string? Postcode { get; set; }
    public string? CountryCode { get; set; }

    public NewCustomer ToInput() => new()
    {
        GroupId = GroupId,
        BuyerType = BuyerType,
        Title = Title,
        FirstName = FirstName,
        LastName = LastName,
        CompanyName = CompanyName,
        DateOfBirth = DateOfBirth is { } d ? DateOnly.FromDateTime(d) : null,
        ResponsibleDealerId = ResponsibleDealerId,
        Email = Email,
        Phone = Phone,
        PhoneKind = PhoneKind,
        Line1 = Line1,
        City = City,
        Postcode = Postcode,
        CountryCode = CountryCode,
    };
}
