using AutomotiveCrm.Domain.Customers;

namespace AutomotiveCrm.Domain.Imports.Merging;

/// <summary>An address as a DMS row gives it (parts the file does not carry are null and keep the stored part).</summary>
internal sealed record ImportedAddress(string? Line1, string? Line2, string? City, string? Region, string? Postcode, string CountryCode);

/// <summary>
/// How a DMS row's contact points land on a customer without piling up. The DMS owns one "slot" per kind of
/// contact: the primary e-mail address, the first phone of each kind (mobile, home, work; the primary one of the
/// kind first) and the primary address. A row's value replaces its slot in place (an address that moved is one
/// address that changed, not a second one), or fills an empty slot; any other contact point holding the same value
/// is removed as a duplicate; every other contact point, the ones the desk added, stays.
/// </summary>
/// <remarks>
/// A carried field left empty by the DMS leaves its slot alone: nothing says whether the DMS or the desk filled it,
/// and an import never deletes what a person may have typed. Removed rows are handed to <c>remove</c> so that an EF
/// Core caller can mark them deleted; a new customer's lists simply fill up.
/// </remarks>
internal static class ImportedContacts
{
    public static void SetEmail(Customer customer, string? address, Action<object> remove)
    {
        if (address is null)
        {
            return;
        }

        var normalised = address.Trim().ToLowerInvariant();
        var slot = customer.Emails.FirstOrDefault(e => e.IsPrimary);
        if (slot is null)
        {
            slot = customer.Emails.FirstOrDefault(e => e.NormalisedAddress == normalised);
            if (slot is null)
            {
                slot = new CustomerEmail { Address = address, NormalisedAddress = normalised, IsPrimary = true };
                customer.Emails.Add(slot);
            }

            slot.IsPrimary = true;
        }

        if (slot.Address != address)
        {
            slot.Address = address;
        }

        if (slot.NormalisedAddress != normalised)
        {
            slot.NormalisedAddress = normalised;
        }

        foreach (var duplicate in customer.Emails.Where(e => !ReferenceEquals(e, slot) && e.NormalisedAddress == normalised).ToList())
        {
            customer.Emails.Remove(duplicate);
            remove(duplicate);
        }
    }

    /// <summary>Numbers by kind (E.164); a number the row already gave for an earlier kind counts once, for that kind.</summary>
    public static void SetPhones(Customer customer, ReadOnlySpan<(PhoneKind Kind, bool Carried, string? Number)> phones, Action<object> remove)
    {
        var given = new List<string>(3);
        foreach (var (kind, carried, number) in phones)
        {
            if (!carried || number is null || given.Contains(number))
            {
                continue;
            }

            given.Add(number);
            var slot = customer.Phones.Where(p => p.Kind == kind).OrderByDescending(p => p.IsPrimary).ThenBy(p => p.Id).FirstOrDefault();
            if (slot is null)
            {
                slot = customer.Phones.FirstOrDefault(p => p.Number == number);
                if (slot is null)
                {
                    slot = new CustomerPhone { Kind = kind, Number = number };
                    customer.Phones.Add(slot);
                }
            }
            else if (slot.Number != number)
            {
                slot.Number = number;
            }

            foreach (var duplicate in customer.Phones.Where(p => !ReferenceEquals(p, slot) && p.Number == number && !IsSlot(customer, p)).ToList())
            {
                customer.Phones.Remove(duplicate);
                remove(duplicate);
            }
        }

        if (customer.Phones.Count > 0 && !customer.Phones.Any(p => p.IsPrimary))
        {
            customer.Phones.OrderBy(p => p.Kind).ThenBy(p => p.Id).First().IsPrimary = true;
        }
    }

    private static bool IsSlot(Customer customer, CustomerPhone phone) =>
        ReferenceEquals(customer.Phones.Where(p => p.Kind == phone.Kind).OrderByDescending(p => p.IsPrimary).ThenBy(p => p.Id).First(), phone);

    /// <summary>The address slot; <paramref name="carried"/> says which parts the file carries (line1, line2, city, region, postcode, country).</summary>
    public static void SetAddress(Customer customer, ImportedAddress address, ReadOnlySpan<bool> carried, AddressKind kind, Action<object> remove)
    {
        if (address.Line1 is null && address.Line2 is null && address.City is null && address.Region is null && address.Postcode is null)
        {
            return;
        }

        var slot = customer.Addresses.FirstOrDefault(a => a.IsPrimary)
            ?? customer.Addresses.FirstOrDefault(a => SameAddress(a, address));
        if (slot is null)
        {
            slot = new CustomerAddress { Kind = kind, CountryCode = address.CountryCode };
            customer.Addresses.Add(slot);
        }

        slot.IsPrimary = true;
        Set(carried[0], address.Line1, slot.Line1, v => slot.Line1 = v);
        Set(carried[1], address.Line2, slot.Line2, v => slot.Line2 = v);
        Set(carried[2], address.City, slot.City, v => slot.City = v);
        Set(carried[3], address.Region, slot.Region, v => slot.Region = v);
        Set(carried[4], address.Postcode, slot.Postcode, v => slot.Postcode = v);
        if (carried[5] && slot.CountryCode != address.CountryCode)
        {
            slot.CountryCode = address.CountryCode;
        }

        foreach (var duplicate in customer.Addresses.Where(a => !ReferenceEquals(a, slot) && SameAddress(a, slot)).ToList())
        {
            customer.Addresses.Remove(duplicate);
            remove(duplicate);
        }
    }

    private static void Set(bool carried, string? value, string? current, Action<string?> set)
    {
        if (carried && !string.Equals(value, current, StringComparison.Ordinal))
        {
            set(value);
        }
    }

    private static bool SameAddress(CustomerAddress a, ImportedAddress b) =>
        Same(a.Line1, b.Line1) && Same(a.Line2, b.Line2) && Same(a.City, b.City) && Same(a.Postcode, b.Postcode) && Same(a.CountryCode, b.CountryCode);

    private static bool SameAddress(CustomerAddress a, CustomerAddress b) =>
        Same(a.Line1, b.Line1) && Same(a.Line2, b.Line2) && Same(a.City, b.City) && Same(a.Postcode, b.Postcode) && Same(a.CountryCode, b.CountryCode);

    private static bool Same(string? a, string? b) =>
        string.Equals(a?.Trim(), b?.Trim(), StringComparison.OrdinalIgnoreCase);
}
