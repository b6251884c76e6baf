using System.Net.Mail;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Consents;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Customers;

public sealed record EmailInput(string? Address, bool IsPrimary);

public sealed record PhoneInput(string? Number, PhoneKind Kind, bool IsPrimary);

public sealed record AddressInput(AddressKind Kind, bool IsPrimary, string? Line1, string? Line2, string? City, string? Region, string? Postcode,
    string? CountryCode);

public sealed record ConsentInput(ConsentChannel Channel, ConsentPurpose Purpose, long? BrandId, long? DealerId, ConsentStatus Status,
    DateTime? RecordedAt, ConsentSource Source, string? Evidence);

/// <summary>
/// Changes to one customer and its contact points and consents, through the caller's (user-scoped) context: a
/// customer the user cannot see is not found. Input is validated with messages keyed by field
/// (<see cref="CustomerValidationException"/>); the profile is saved only over the version the user loaded
/// (<see cref="CustomerConcurrencyException"/> otherwise). Every save is audited by the context.
/// </summary>
public static class CustomerEditing
{
    /// <summary>Saves the profile over <paramref name="expectedVersion"/>; returns the new version.</summary>
    public static async Task<int> UpdateProfileAsync(CrmDbContext db, long customerId, int expectedVersion, CustomerProfile profile,
        TimeProvider clock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(clock);
        var customer = await FindAsync(db, customerId, cancellationToken);
        if (customer.Version != expectedVersion)
        {
            throw new CustomerConcurrencyException();
        }

        var clean = await ValidateProfileAsync(db, customer.DealerGroupId, profile, clock, cancellationToken);
        // The version the user saw is the one the database must still hold when the update runs (a race between
        // this read and the write is caught by the concurrency token too).
        db.Entry(customer).Property(c => c.Version).OriginalValue = expectedVersion;
        customer.BuyerType = clean.BuyerType;
        customer.Title = clean.Title;
        customer.FirstName = clean.FirstName;
        customer.MiddleName = clean.MiddleName;
        customer.LastName = clean.LastName;
        customer.CompanyName = clean.CompanyName;
        customer.DateOfBirth = clean.DateOfBirth;
        customer.ResponsibleDealerId = clean.ResponsibleDealerId;
        customer.PaymentMethod = clean.PaymentMethod;
        customer.InsuredAccidents = clean.InsuredAccidents;
        await SaveAsync(db, cancellationToken);
        return customer.Version;
    }

    /// <summary>Checks and tidies a profile (blank is null, names trimmed); throws the field errors.</summary>
    internal static async Task<CustomerProfile> ValidateProfileAsync(CrmDbContext db, long groupId, CustomerProfile profile, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var clean = profile with
        {
            Title = Text.Clean(profile.Title),
            FirstName = Text.Clean(profile.FirstName),
            MiddleName = Text.Clean(profile.MiddleName),
            LastName = Text.Clean(profile.LastName),
            CompanyName = Text.Clean(profile.CompanyName),
        };
        var errors = new FieldErrors();
        if (clean.BuyerType == BuyerType.Company && clean.CompanyName is null)
        {
            errors.Add(nameof(CustomerProfile.CompanyName), "A company customer needs the company name.");
        }

        if (clean.LastName is null && clean.CompanyName is null)
        {
            errors.Add(nameof(CustomerProfile.LastName), "Enter the last name (or, for a company, the company name).");
        }

        errors.MaxLength(nameof(CustomerProfile.Title), "Title", clean.Title, 20);
        errors.MaxLength(nameof(CustomerProfile.FirstName), "First name", clean.FirstName, 100);
        errors.MaxLength(nameof(CustomerProfile.MiddleName), "Middle name", clean.MiddleName, 100);
        errors.MaxLength(nameof(CustomerProfile.LastName), "Last name", clean.LastName, 100);
        errors.MaxLength(nameof(CustomerProfile.CompanyName), "Company name", clean.CompanyName, 200);
        if (clean.DateOfBirth is { } born)
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            if (born > today)
            {
                errors.Add(nameof(CustomerProfile.DateOfBirth), "The date of birth cannot be in the future.");
            }
            else if (born < today.AddYears(-120))
            {
                errors.Add(nameof(CustomerProfile.DateOfBirth), "The date of birth is more than 120 years ago: check the year.");
            }
            else if (born > today.AddYears(-16))
            {
                errors.Add(nameof(CustomerProfile.DateOfBirth), "A customer must be at least 16 years old: check the year.");
            }
        }

        if (clean.InsuredAccidents is < 0 or > 99)
        {
            errors.Add(nameof(CustomerProfile.InsuredAccidents), "Insured accidents must be between 0 and 99.");
        }

        if (clean.ResponsibleDealerId is { } dealerId
            && !await db.Dealers.AnyAsync(d => d.Id == dealerId && d.DealerGroupId == groupId, cancellationToken))
        {
            errors.Add(nameof(CustomerProfile.ResponsibleDealerId), "The responsible dealer must be a dealer of the customer's group.");
        }

        errors.ThrowIfAny();
        return clean;
    }

    public static async Task<long> AddEmailAsync(CrmDbContext db, long customerId, EmailInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(input);
        var customer = await FindAsync(db, customerId, cancellationToken, c => c.Emails);
        var (address, normalised) = CheckEmail(input.Address);
        if (customer.Emails.Any(e => e.NormalisedAddress == normalised))
        {
            throw CustomerValidationException.For(nameof(EmailInput.Address), $"{address} is already one of this customer's e-mail addresses.");
        }

        var email = new CustomerEmail { Address = address, NormalisedAddress = normalised, IsPrimary = input.IsPrimary || customer.Emails.Count == 0 };
        customer.Emails.Add(email);
        MakePrimary(customer.Emails, email, e => e.IsPrimary, (e, v) => e.IsPrimary = v);
        await SaveAsync(db, cancellationToken);
        return email.Id;
    }

    public static async Task UpdateEmailAsync(CrmDbContext db, long customerId, long emailId, EmailInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(input);
        var customer = await FindAsync(db, customerId, cancellationToken, c => c.Emails);
        var email = customer.Emails.SingleOrDefault(e => e.Id == emailId) ?? throw RecordNotFoundException.For<CustomerEmail>(emailId);
        var (address, normalised) = CheckEmail(input.Address);
        if (customer.Emails.Any(e => e.Id != emailId && e.NormalisedAddress == normalised))
        {
            throw CustomerValidationException.For(nameof(EmailInput.Address), $"{address} is already one of this customer's e-mail addresses.");
        }

        email.Address = address;
        email.NormalisedAddress = normalised;
        email.IsPrimary = input.IsPrimary || (email.IsPrimary && customer.Emails.Count(e => e.IsPrimary) == 1);
        MakePrimary(customer.Emails, email, e => e.IsPrimary, (e, v) => e.IsPrimary = v);
        await SaveAsync(db, cancellationToken);
    }

    public static async Task RemoveEmailAsync(CrmDbContext db, long customerId, long emailId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var customer = await FindAsync(db, customerId, cancellationToken, c => c.Emails);
        var email = customer.Emails.SingleOrDefault(e => e.Id == emailId) ?? throw RecordNotFoundException.For<CustomerEmail>(emailId);
        customer.Emails.Remove(email);
        db.CustomerEmails.Remove(email);
        KeepOnePrimary(customer.Emails, e => e.IsPrimary, (e, v) => e.IsPrimary = v);
        await SaveAsync(db, cancellationToken);
    }

    public static async Task<long> AddPhoneAsync(CrmDbContext db, long customerId, PhoneInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(input);
        var customer = await FindAsync(db, customerId, cancellationToken, c => c.Phones, c => c.Addresses);
        var number = CheckPhone(input.Number, await CountryOfAsync(db, customer, cancellationToken));
        if (customer.Phones.Any(p => p.Number == number))
        {
            throw CustomerValidationException.For(nameof(PhoneInput.Number), $"{number} is already one of this customer's phone numbers.");
        }

        var phone = new CustomerPhone { Number = number, Kind = input.Kind, IsPrimary = input.IsPrimary || customer.Phones.Count == 0 };
        customer.Phones.Add(phone);
        MakePrimary(customer.Phones, phone, p => p.IsPrimary, (p, v) => p.IsPrimary = v);
        await SaveAsync(db, cancellationToken);
        return phone.Id;
    }

    public static async Task UpdatePhoneAsync(CrmDbContext db, long customerId, long phoneId, PhoneInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(input);
        var customer = await FindAsync(db, customerId, cancellationToken, c => c.Phones, c => c.Addresses);
        var phone = customer.Phones.SingleOrDefault(p => p.Id == phoneId) ?? throw RecordNotFoundException.For<CustomerPhone>(phoneId);
        var number = CheckPhone(input.Number, await CountryOfAsync(db, customer, cancellationToken));
        if (customer.Phones.Any(p => p.Id != phoneId && p.Number == number))
        {
            throw CustomerValidationException.For(nameof(PhoneInput.Number), $"{number} is already one of this customer's phone numbers.");
        }

        phone.Number = number;
        phone.Kind = input.Kind;
        phone.IsPrimary = input.IsPrimary || (phone.IsPrimary && customer.Phones.Count(p => p.IsPrimary) == 1);
        MakePrimary(customer.Phones, phone, p => p.IsPrimary, (p, v) => p.IsPrimary = v);
        await SaveAsync(db, cancellationToken);
    }

    public static async Task RemovePhoneAsync(CrmDbContext db, long customerId, long phoneId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var customer = await FindAsync(db, customerId, cancellationToken, c => c.Phones);
        var phone = customer.Phones.SingleOrDefault(p => p.Id == phoneId) ?? throw RecordNotFoundException.For<CustomerPhone>(phoneId);
        customer.Phones.Remove(phone);
        db.CustomerPhones.Remove(phone);
        KeepOnePrimary(customer.Phones, p => p.IsPrimary, (p, v) => p.IsPrimary = v);
        await SaveAsync(db, cancellationToken);
    }

    public static async Task<long> AddAddressAsync(CrmDbContext db, long customerId, AddressInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(input);
        var customer = await FindAsync(db, customerId, cancellationToken, c => c.Addresses);
        var address = new CustomerAddress { CountryCode = "GB" };
        Apply(address, CheckAddress(input));
        address.IsPrimary = input.IsPrimary || customer.Addresses.Count == 0;
        customer.Addresses.Add(address);
        MakePrimary(customer.Addresses, address, a => a.IsPrimary, (a, v) => a.IsPrimary = v);
        await SaveAsync(db, cancellationToken);
        return address.Id;
    }

    public static async Task UpdateAddressAsync(CrmDbContext db, long customerId, long addressId, AddressInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(input);
        var customer = await FindAsync(db, customerId, cancellationToken, c => c.Addresses);
        var address = customer.Addresses.SingleOrDefault(a => a.Id == addressId) ?? throw RecordNotFoundException.For<CustomerAddress>(addressId);
        Apply(address, CheckAddress(input));
        address.IsPrimary = input.IsPrimary || (address.IsPrimary && customer.Addresses.Count(a => a.IsPrimary) == 1);
        MakePrimary(customer.Addresses, address, a => a.IsPrimary, (a, v) => a.IsPrimary = v);
        await SaveAsync(db, cancellationToken);
    }

    public static async Task RemoveAddressAsync(CrmDbContext db, long customerId, long addressId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var customer = await FindAsync(db, customerId, cancellationToken, c => c.Addresses);
        var address = customer.Addresses.SingleOrDefault(a => a.Id == addressId) ?? throw RecordNotFoundException.For<CustomerAddress>(addressId);
        customer.Addresses.Remove(address);
        db.CustomerAddresses.Remove(address);
        KeepOnePrimary(customer.Addresses, a => a.IsPrimary, (a, v) => a.IsPrimary = v);
        await SaveAsync(db, cancellationToken);
    }

    /// <summary>
    /// Appends a consent statement (history is never edited: a change of mind is a new statement). The scope must
    /// be a brand of the customer's network or a dealer of the customer's group.
    /// </summary>
    public static async Task<long> AddConsentAsync(CrmDbContext db, long customerId, ConsentInput input, TimeProvider clock,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(clock);
        var customer = await db.Customers.Where(c => c.Id == customerId)
            .Select(c => new { c.Id, c.DealerGroupId, c.DealerGroup!.NetworkId })
            .SingleOrDefaultAsync(cancellationToken) ?? throw RecordNotFoundException.For<Customer>(customerId);
        var errors = new FieldErrors();
        if ((input.BrandId is null) == (input.DealerId is null))
        {
            errors.Add(nameof(ConsentInput.BrandId), "Choose either one brand or one dealer the consent is for.");
        }
        else if (input.BrandId is { } brandId && !await db.Brands.AnyAsync(b => b.Id == brandId && b.NetworkId == customer.NetworkId, cancellationToken))
        {
            errors.Add(nameof(ConsentInput.BrandId), "The brand must be one of the network's brands.");
        }
        else if (input.DealerId is { } dealerId
            && !await db.Dealers.AnyAsync(d => d.Id == dealerId && d.DealerGroupId == customer.DealerGroupId, cancellationToken))
        {
            errors.Add(nameof(ConsentInput.DealerId), "The dealer must be one of the customer's group's dealers.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var recordedAt = input.RecordedAt is { } at ? DateTime.SpecifyKind(at, at.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : at.Kind).ToUniversalTime() : now;
        // A few minutes of clock difference between the desk's device and the server are not a future statement.
        if (recordedAt > now.AddMinutes(5))
        {
            errors.Add(nameof(ConsentInput.RecordedAt), "A consent cannot be recorded for a time in the future.");
        }

        if (input.Evidence is { Length: > 1000 })
        {
            errors.Add(nameof(ConsentInput.Evidence), "Evidence can have at most 1000 characters.");
        }

        errors.ThrowIfAny();
        var record = ConsentState.Create(customer.Id, input.Channel, input.Purpose, input.BrandId, input.DealerId, input.Status, recordedAt,
            input.Source, input.Evidence);
        db.ConsentRecords.Add(record);
        await SaveAsync(db, cancellationToken);
        return record.Id;
    }

    /// <summary>Checks an e-mail address; returns it trimmed and its normalised (lower-case) form.</summary>
    public static (string Address, string Normalised) CheckEmail(string? raw, string field = nameof(EmailInput.Address))
    {
        var address = Text.Clean(raw);
        if (address is null)
        {
            throw CustomerValidationException.For(field, "Enter an e-mail address.");
        }

        if (address.Length > 254)
        {
            throw CustomerValidationException.For(field, "An e-mail address can have at most 254 characters.");
        }

        // MailAddress accepts display names and bare local parts; an address we can send to has exactly one @ and
        // a domain with a dot, and no spaces.
        var at = address.IndexOf('@', StringComparison.Ordinal);
        if (!MailAddress.TryCreate(address, out var parsed) || parsed.Address != address || at <= 0
            || address.IndexOf('@', at + 1) >= 0 || !address[(at + 1)..].Contains('.', StringComparison.Ordinal)
            || address.Any(char.IsWhiteSpace) || address.EndsWith('.'))
        {
            throw CustomerValidationException.For(field, $"'{address}' is not a valid e-mail address.");
        }

        return (address, address.ToLowerInvariant());
    }

    /// <summary>Reads a phone number for the customer's country; returns E.164 or throws naming the field.</summary>
    public static string CheckPhone(string? raw, string countryCode, string field = nameof(PhoneInput.Number))
    {
        if (Text.Clean(raw) is null)
        {
            throw CustomerValidationException.For(field, "Enter a phone number.");
        }

        return Common.PhoneNumbers.ToE164(raw, countryCode)
            ?? throw CustomerValidationException.For(field, $"Phone number '{raw!.Trim()}' is not a possible number in {countryCode.ToUpperInvariant()} (or add the international prefix).");
    }

    private static AddressInput CheckAddress(AddressInput input)
    {
        var clean = input with
        {
            Line1 = Text.Clean(input.Line1),
            Line2 = Text.Clean(input.Line2),
            City = Text.Clean(input.City),
            Region = Text.Clean(input.Region),
            Postcode = Text.Clean(input.Postcode)?.ToUpperInvariant(),
            CountryCode = Text.Clean(input.CountryCode)?.ToUpperInvariant(),
        };
        var errors = new FieldErrors();
        if (clean.Line1 is null && clean.Postcode is null)
        {
            errors.Add(nameof(AddressInput.Line1), "Enter at least the first line or the postcode.");
        }

        if (clean.CountryCode is not { Length: 2 } country || !country.All(char.IsAsciiLetterUpper))
        {
            errors.Add(nameof(AddressInput.CountryCode), "Enter the country as a two-letter code (GB, DE, FR...).");
        }

        errors.MaxLength(nameof(AddressInput.Line1), "Line 1", clean.Line1, 200);
        errors.MaxLength(nameof(AddressInput.Line2), "Line 2", clean.Line2, 200);
        errors.MaxLength(nameof(AddressInput.City), "City", clean.City, 100);
        errors.MaxLength(nameof(AddressInput.Region), "Region", clean.Region, 100);
        errors.MaxLength(nameof(AddressInput.Postcode), "Postcode", clean.Postcode, 16);
        errors.ThrowIfAny();
        return clean;
    }

    private static void Apply(CustomerAddress address, AddressInput input)
    {
        address.Kind = input.Kind;
        address.Line1 = input.Line1;
        address.Line2 = input.Line2;
        address.City = input.City;
        address.Region = input.Region;
        address.Postcode = input.Postcode;
        address.CountryCode = input.CountryCode!;
    }

    /// <summary>The country the customer's phones are read for: the primary address's, else the network's market.</summary>
    private static async Task<string> CountryOfAsync(CrmDbContext db, Customer customer, CancellationToken cancellationToken) =>
        customer.PrimaryAddress?.CountryCode
        ?? await db.DealerGroups.Where(g => g.Id == customer.DealerGroupId).Select(g => g.Network!.CountryCode).SingleOrDefaultAsync(cancellationToken)
        ?? "GB";

    private static void MakePrimary<T>(List<T> items, T chosen, Func<T, bool> isPrimary, Action<T, bool> setPrimary)
    {
        if (!isPrimary(chosen))
        {
            return;
        }

        foreach (var item in items.Where(i => !ReferenceEquals(i, chosen) && isPrimary(i)))
        {
            setPrimary(item, false);
        }
    }

    private static void KeepOnePrimary<T>(List<T> items, Func<T, bool> isPrimary, Action<T, bool> setPrimary)
    {
        if (items.Count > 0 && !items.Any(isPrimary))
        {
            setPrimary(items[0], true);
        }
    }

    private static async Task<Customer> FindAsync(CrmDbContext db, long customerId, CancellationToken cancellationToken,
        params System.Linq.Expressions.Expression<Func<Customer, object>>[] includes)
    {
        IQueryable<Customer> query = db.Customers.Where(c => c.Id == customerId);
        foreach (var include in includes)
        {
            query = query.Include(include);
        }

        return await query.SingleOrDefaultAsync(cancellationToken) ?? throw RecordNotFoundException.For<Customer>(customerId);
    }

    private static async Task SaveAsync(CrmDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            throw new CustomerConcurrencyException("This customer was changed by someone else while you were saving. Reload and try again.", ex);
        }
    }
}
