using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Customers;

/// <summary>What the create form collects. <see cref="GroupId"/> matters only for network users, who pick the group.</summary>
public sealed record NewCustomer
{
    public long? GroupId { get; init; }
    public BuyerType BuyerType { get; init; }
    public string? Title { get; init; }
    public string? FirstName { get; init; }
    public string? MiddleName { get; init; }
    public string? LastName { get; init; }
    public string? CompanyName { get; init; }
    public DateOnly? DateOfBirth { get; init; }
    public long? ResponsibleDealerId { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public PhoneKind PhoneKind { get; init; } = PhoneKind.Mobile;
    public string? Line1 { get; init; }
    public string? City { get; init; }
    public string? Postcode { get; init; }
    /// <summary>The address's country and the one the phone is read for; the network's market when empty.</summary>
    public string? CountryCode { get; init; }
}

/// <summary>An existing customer of the same group that shares the new one's e-mail or phone.</summary>
public sealed record DuplicateMatch(long CustomerId, string DisplayName, string MatchedOn, string Value);

/// <summary>Either the new customer's id, or the possible duplicates that stopped the save.</summary>
public sealed record CreationResult(long? CustomerId, IReadOnlyList<DuplicateMatch> Duplicates)
{
    public bool Created => CustomerId is not null;
}

/// <summary>
/// Creates retail customers at the desk. Before saving, and live while the user types, it looks for customers of the
/// same group with the same e-mail or phone: a warning, not a block (full deduplication is a separate process);
/// the user confirms to create anyway.
/// </summary>
public static class CustomerCreation
{
    /// <summary>
    /// The dealer group a new customer goes into: a group or dealer user's own; a network user's pick, which must be
    /// a group they can see.
    /// </summary>
    public static async Task<long> ResolveGroupAsync(CrmDbContext db, long? requestedGroupId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var groupId = db.Scope.GroupId ?? requestedGroupId;
        if (groupId is null)
        {
            throw CustomerValidationException.For(nameof(NewCustomer.GroupId), "Choose the dealer group the customer belongs to.");
        }

        if (requestedGroupId is { } requested && requested != groupId)
        {
            throw CustomerValidationException.For(nameof(NewCustomer.GroupId), "You can only create customers in your own dealer group.");
        }

        if (!await db.DealerGroups.AnyAsync(g => g.Id == groupId, cancellationToken))
        {
            throw CustomerValidationException.For(nameof(NewCustomer.GroupId), "Choose the dealer group the customer belongs to.");
        }

        return groupId.Value;
    }

    /// <summary>
    /// Customers of <paramref name="groupId"/> with the same normalised e-mail or E.164 phone. Inputs that cannot be
    /// read (half-typed) are ignored: this is a hint while typing, not validation.
    /// </summary>
    public static async Task<IReadOnlyList<DuplicateMatch>> FindDuplicatesAsync(CrmDbContext db, long groupId, string? email, string? phone,
        string? countryCode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var normalisedEmail = Text.Clean(email)?.ToLowerInvariant();
        var country = Text.Clean(countryCode) ?? await CustomerSearch.MarketCountryAsync(db, cancellationToken);
        var e164 = Common.PhoneNumbers.ToE164(phone, country);
        if (normalisedEmail is null && e164 is null)
        {
            return [];
        }

        var matches = new List<DuplicateMatch>();
        if (normalisedEmail is not null)
        {
            var byEmail = await db.CustomerEmails.AsNoTracking()
                .Where(e => e.NormalisedAddress == normalisedEmail && e.Customer!.DealerGroupId == groupId)
                .Select(e => new { e.CustomerId, e.Address, e.Customer!.BuyerType, e.Customer.Title, e.Customer.FirstName, e.Customer.LastName, e.Customer.CompanyName })
                .Take(20)
                .ToListAsync(cancellationToken);
            matches.AddRange(byEmail.Select(m => new DuplicateMatch(m.CustomerId,
                CustomerSearch.DisplayName(m.BuyerType, m.Title, m.FirstName, m.LastName, m.CompanyName), "e-mail", m.Address)));
        }

        if (e164 is not null)
        {
            var byPhone = await db.CustomerPhones.AsNoTracking()
                .Where(p => p.Number == e164 && p.Customer!.DealerGroupId == groupId)
                .Select(p => new { p.CustomerId, p.Number, p.Customer!.BuyerType, p.Customer.Title, p.Customer.FirstName, p.Customer.LastName, p.Customer.CompanyName })
                .Take(20)
                .ToListAsync(cancellationToken);
            matches.AddRange(byPhone.Select(m => new DuplicateMatch(m.CustomerId,
                CustomerSearch.DisplayName(m.BuyerType, m.Title, m.FirstName, m.LastName, m.CompanyName), "phone", m.Number)));
        }

        return matches.OrderBy(m => m.CustomerId).ThenBy(m => m.MatchedOn).ToList();
    }

    /// <summary>
    /// Validates and saves a new customer. When customers of the group share its e-mail or phone and
    /// <paramref name="createDespiteDuplicates"/> is false, nothing is saved and the matches come back.
    /// </summary>
    public static async Task<CreationResult> CreateAsync(CrmDbContext db, NewCustomer input, bool createDespiteDuplicates, TimeProvider clock,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(clock);
        var groupId = await ResolveGroupAsync(db, input.GroupId, cancellationToken);
        var market = await db.DealerGroups.Where(g => g.Id == groupId).Select(g => g.Network!.CountryCode).SingleAsync(cancellationToken);
        var country = Text.Clean(input.CountryCode)?.ToUpperInvariant() ?? market;

        var errors = new Dictionary<string, string>();
        CustomerProfile? profile = null;
        try
        {
            profile = await CustomerEditing.ValidateProfileAsync(db, groupId,
                new CustomerProfile(input.BuyerType, input.Title, input.FirstName, input.MiddleName, input.LastName, input.CompanyName,
                    input.DateOfBirth, input.ResponsibleDealerId, null, 0), clock, cancellationToken);
        }
        catch (CustomerValidationException ex)
        {
            foreach (var (field, message) in ex.Errors)
            {
                errors[field] = message;
            }
        }

        (string Address, string Normalised)? email = null;
        if (Text.Clean(input.Email) is not null)
        {
            try
            {
                email = CustomerEditing.CheckEmail(input.Email, nameof(NewCustomer.Email));
            }
            catch (CustomerValidationException ex)
            {
                errors[nameof(NewCustomer.Email)] = ex.Message;
            }
        }

        string? phone = null;
        if (Text.Clean(input.Phone) is not null)
        {
            try
            {
                phone = CustomerEditing.CheckPhone(input.Phone, country, nameof(NewCustomer.Phone));
            }
            catch (CustomerValidationException ex)
            {
                errors[nameof(NewCustomer.Phone)] = ex.Message;
            }
        }

        if (country is not { Length: 2 } || !country.All(char.IsAsciiLetterUpper))
        {
            errors[nameof(NewCustomer.CountryCode)] = "Enter the country as a two-letter code (GB, DE, FR...).";
        }

        if (errors.Count > 0)
        {
            throw new CustomerValidationException(errors);
        }

        if (!createDespiteDuplicates)
        {
            var duplicates = await FindDuplicatesAsync(db, groupId, email?.Normalised, phone, country, cancellationToken);
            if (duplicates.Count > 0)
            {
                return new CreationResult(null, duplicates);
            }
        }

        var customer = new Customer
        {
            DealerGroupId = groupId,
            BuyerType = profile!.BuyerType,
            Title = profile.Title,
            FirstName = profile.FirstName,
            MiddleName = profile.MiddleName,
            LastName = profile.LastName,
            CompanyName = profile.CompanyName,
            DateOfBirth = profile.DateOfBirth,
            ResponsibleDealerId = profile.ResponsibleDealerId,
            Source = CustomerSource.Manual,
        };
        if (email is { } e)
        {
            customer.Emails.Add(new CustomerEmail { Address = e.Address, NormalisedAddress = e.Normalised, IsPrimary = true });
        }

        if (phone is not null)
        {
            customer.Phones.Add(new CustomerPhone { Number = phone, Kind = input.PhoneKind, IsPrimary = true });
        }

        if (Text.Clean(input.Line1) is not null || Text.Clean(input.Postcode) is not null || Text.Clean(input.City) is not null)
        {
            customer.Addresses.Add(new CustomerAddress
            {
                Kind = AddressKind.Home,
                IsPrimary = true,
                Line1 = Text.Clean(input.Line1),
                City = Text.Clean(input.City),
                Postcode = Text.Clean(input.Postcode)?.ToUpperInvariant(),
                CountryCode = country,
            });
        }

        db.Customers.Add(customer);
        await db.SaveChangesAsync(cancellationToken);
        return new CreationResult(customer.Id, []);
    }
}
