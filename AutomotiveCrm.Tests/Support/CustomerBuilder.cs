using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Persistence;
using DomainPhoneNumbers = AutomotiveCrm.Domain.Common.PhoneNumbers;

namespace AutomotiveCrm.Tests.Support;

/// <summary>
/// A retail customer for tests. By default a private person, "Alex Morgan", with no contact details: each test
/// adds what it is about, so the arrange step reads as the scenario
/// (<c>new CustomerBuilder().InGroup(org.Group).WithEmail("alex@example.com").SaveAsync(db)</c>).
/// A dealer group is required: every retail record belongs to one.
/// </summary>
public sealed class CustomerBuilder
{
    private readonly List<CustomerEmail> _emails = [];
    private readonly List<CustomerPhone> _phones = [];
    private readonly List<CustomerAddress> _addresses = [];
    private long _dealerGroupId;
    private long? _wholesaleCustomerId;
    private long? _responsibleDealerId;
    private BuyerType _buyerType = BuyerType.Person;
    private string? _title;
    private string? _firstName = "Alex";
    private string? _lastName = "Morgan";
    private string? _companyName;
    private DateOnly? _dateOfBirth;
    private string _countryCode = "GB";

    public CustomerBuilder InGroup(DealerGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return InGroup(group.Id);
    }

    public CustomerBuilder InGroup(long dealerGroupId)
    {
        _dealerGroupId = dealerGroupId;
        return this;
    }

    public CustomerBuilder Named(string? firstName, string? lastName)
    {
        _firstName = firstName;
        _lastName = lastName;
        return this;
    }

    public CustomerBuilder WithTitle(string? title)
    {
        _title = title;
        return this;
    }

    /// <summary>A company buyer; the names stay as the contact person's.</summary>
    public CustomerBuilder AsCompany(string companyName)
    {
        _buyerType = BuyerType.Company;
        _companyName = companyName;
        return this;
    }

    public CustomerBuilder BornOn(DateOnly dateOfBirth)
    {
        _dateOfBirth = dateOfBirth;
        return this;
    }

    /// <summary>The country phone numbers without an international prefix are read for (GB unless told).</summary>
    public CustomerBuilder InCountry(string countryCode)
    {
        _countryCode = countryCode;
        return this;
    }

    /// <summary>Adds an e-mail address; the first one added is the primary.</summary>
    public CustomerBuilder WithEmail(string address)
    {
        _emails.Add(new CustomerEmail
        {
            Address = address,
            NormalisedAddress = address.Trim().ToLowerInvariant(),
            IsPrimary = _emails.Count == 0,
        });
        return this;
    }

    /// <summary>Adds a phone (normalised to E.164 like user input is); the first one added is the primary.</summary>
    public CustomerBuilder WithPhone(string number, PhoneKind kind = PhoneKind.Mobile)
    {
        var e164 = DomainPhoneNumbers.ToE164(number, _countryCode)
            ?? throw new ArgumentException($"'{number}' is not a phone number in {_countryCode}.", nameof(number));
        _phones.Add(new CustomerPhone { Number = e164, Kind = kind, IsPrimary = _phones.Count == 0 });
        return this;
    }

    /// <summary>Adds a home address; the first one added is the primary.</summary>
    public CustomerBuilder WithAddress(string line1, string city, string postcode, string? countryCode = null)
    {
        _addresses.Add(new CustomerAddress
        {
            Kind = AddressKind.Home,
            Line1 = line1,
            City = city,
            Postcode = postcode,
            CountryCode = countryCode ?? _countryCode,
            IsPrimary = _addresses.Count == 0,
        });
        return this;
    }

    /// <summary>The same real person as another retail record: both share one wholesale record.</summary>
    public CustomerBuilder SamePersonAs(Customer other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _wholesaleCustomerId = other.WholesaleCustomerId != 0
            ? other.WholesaleCustomerId
            : throw new ArgumentException("Save the other customer first: its wholesale record is made on save.", nameof(other));
        return this;
    }

    public CustomerBuilder WithResponsibleDealer(Dealer dealer)
    {
        ArgumentNullException.ThrowIfNull(dealer);
        _responsibleDealerId = dealer.Id;
        return this;
    }

    public Customer Build()
    {
        if (_dealerGroupId == 0)
        {
            throw new InvalidOperationException("A retail customer belongs to a dealer group: call InGroup with a saved group.");
        }

        var customer = new Customer
        {
            DealerGroupId = _dealerGroupId,
            WholesaleCustomerId = _wholesaleCustomerId ?? 0,
            ResponsibleDealerId = _responsibleDealerId,
            BuyerType = _buyerType,
            Title = _title,
            FirstName = _firstName,
            LastName = _lastName,
            CompanyName = _companyName,
            DateOfBirth = _dateOfBirth,
            Source = CustomerSource.Manual,
        };
        // Fresh child objects per build, so one builder can make several customers.
        customer.Emails.AddRange(_emails.Select(e => new CustomerEmail { Address = e.Address, NormalisedAddress = e.NormalisedAddress, IsPrimary = e.IsPrimary }));
        customer.Phones.AddRange(_phones.Select(p => new CustomerPhone { Number = p.Number, Kind = p.Kind, IsPrimary = p.IsPrimary }));
        customer.Addresses.AddRange(_addresses.Select(a => new CustomerAddress
        {
            Kind = a.Kind,
            Line1 = a.Line1,
            City = a.City,
            Postcode = a.Postcode,
            CountryCode = a.CountryCode,
            IsPrimary = a.IsPrimary,
        }));
        return customer;
    }

    public async Task<Customer> SaveAsync(CrmDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var customer = Build();
        db.Customers.Add(customer);
        await db.SaveChangesAsync(cancellationToken);
        return customer;
    }
}
