using AutomotiveCrm.Domain.Customers;

namespace AutomotiveCrm.Web.Customers;

/// <summary>The editable copy of a profile the form binds to (records are immutable; inputs need setters).</summary>
public sealed class ProfileForm
{
    public BuyerType BuyerType { get; set; }
    public string? Title { get; set; }
    public string? FirstName { get; set; }
    public string? MiddleName { get; set; }
    public string? LastName { get; set; }
    public string? CompanyName { get; set; }
    public DateTime? DateOfBirth { get; set; }
    public long? ResponsibleDealerId { get; set; }
    public PaymentMethod? PaymentMethod { get; set; }
    public int InsuredAccidents { get; set; }

    public static ProfileForm From(CustomerProfile p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new ProfileForm
        {
            BuyerType = p.BuyerType,
            Title = p.Title,
            FirstName = p.FirstName,
            MiddleName = p.MiddleName,
            LastName = p.LastName,
            CompanyName = p.CompanyName,
            DateOfBirth = p.DateOfBirth?.ToDateTime(TimeOnly.MinValue),
            ResponsibleDealerId = p.ResponsibleDealerId,
            PaymentMethod = p.PaymentMethod,
            InsuredAccidents = p.InsuredAccidents,
        };
    }

    public CustomerProfile ToProfile() => new(BuyerType, Title, FirstName, MiddleName, LastName, CompanyName,
        DateOfBirth is { } d ? DateOnly.FromDateTime(d) : null, ResponsibleDealerId, PaymentMethod, InsuredAccidents);
}
