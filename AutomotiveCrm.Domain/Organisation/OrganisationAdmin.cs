using System.Net.Mail;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Organisation;

public sealed record BrandRow(long Id, string Code, string Name);

public sealed record BrandDraft(string? Code, string? Name);

public sealed record DealerGroupRow(long Id, string Code, string Name, int Dealers);

public sealed record DealerGroupDraft(string? Code, string? Name);

/// <summary>A brand a dealer sells and/or services, as the dealer form edits it.</summary>
public sealed record DealerBrandDraft(long BrandId, bool Sells, bool Services);

public sealed record DealerDraft(
    long GroupId,
    string? Code,
    string? Name,
    string? AddressLine1,
    string? City,
    string? Postcode,
    string? CountryCode,
    string? Phone,
    string? Email,
    IReadOnlyList<DealerBrandDraft> Brands);

public sealed record DealerRow(long Id, long GroupId, string GroupName, string Code, string Name, string? City, string CountryCode,
    IReadOnlyList<string> BrandsSold, IReadOnlyList<string> BrandsServiced);

/// <summary>
/// Administration of the organisation: brands, dealer groups and dealers of one network. Codes are keys that DMS
/// imports use, so they are stored trimmed and in upper case and are unique across the database (the unique indexes
/// say so too; the checks here give the user a message instead of a constraint error). Every change is audited by
/// the context's interceptor. Only network administrators get here (<c>Permission.ManageOrganisation</c>).
/// </summary>
public static class OrganisationAdmin
{
    public static async Task<IReadOnlyList<BrandRow>> BrandsAsync(CrmDbContext db, long networkId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Brands.AsNoTracking().Where(b => b.NetworkId == networkId).OrderBy(b => b.Name)
            .Select(b => new BrandRow(b.Id, b.Code, b.Name)).ToListAsync(cancellationToken);
    }

    /// <summary>Creates (id null) or edits a brand of the network; returns its id.</summary>
    public static async Task<long> SaveBrandAsync(CrmDbContext db, long networkId, long? id, BrandDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(draft);
        var code = Code(draft.Code, "brand");
        var name = Required(draft.Name, "The brand's name", 100);
        if (await db.Brands.AnyAsync(b => b.Code == code && b.Id != (id ?? 0), cancellationToken))
        {
            throw new DomainException($"Another brand already has the code {code}.");
        }

        var brand = id is { } existing
            ? await db.Brands.FirstOrDefaultAsync(b => b.Id == existing && b.NetworkId == networkId, cancellationToken) ?? throw RecordNotFoundException.For<Brand>(existing)
            : db.Brands.Add(new Brand { NetworkId = await NetworkAsync(db, networkId, cancellationToken), Code = code, Name = name }).Entity;
        brand.Code = code;
        brand.Name = name;
        await db.SaveChangesAsync(cancellationToken);
        return brand.Id;
    }

    public static async Task<IReadOnlyList<DealerGroupRow>> GroupsAsync(CrmDbContext db, long networkId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.DealerGroups.AsNoTracking().Where(g => g.NetworkId == networkId).OrderBy(g => g.Name)
            .Select(g => new DealerGroupRow(g.Id, g.Code, g.Name, g.Dealers.Count)).ToListAsync(cancellationToken);
    }

    /// <summary>Creates (id null) or edits a dealer group of the network; returns its id.</summary>
    public static async Task<long> SaveGroupAsync(CrmDbContext db, long networkId, long? id, DealerGroupDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(draft);
        var code = Code(draft.Code, "dealer group");
        var name = Required(draft.Name, "The group's name", 200);
        if (await db.DealerGroups.IgnoreQueryFilters().AnyAsync(g => g.Code == code && g.Id != (id ?? 0), cancellationToken))
        {
            throw new DomainException($"Another dealer group already has the code {code}.");
        }

        var group = id is { } existing
            ? await db.DealerGroups.FirstOrDefaultAsync(g => g.Id == existing && g.NetworkId == networkId, cancellationToken) ?? throw RecordNotFoundException.For<DealerGroup>(existing)
            : db.DealerGroups.Add(new DealerGroup { NetworkId = await NetworkAsync(db, networkId, cancellationToken), Code = code, Name = name }).Entity;
        group.Code = code;
        group.Name = name;
        await db.SaveChangesAsync(cancellationToken);
        return group.Id;
    }

    public static async Task<IReadOnlyList<DealerRow>> DealersAsync(CrmDbContext db, long networkId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.Dealers.AsNoTracking()
            .Where(d => d.DealerGroup!.NetworkId == networkId)
            .OrderBy(d => d.DealerGroup!.Name).ThenBy(d => d.Name)
            .Select(d => new
            {
                d.Id,
                d.DealerGroupId,
                GroupName = d.DealerGroup!.Name,
                d.Code,
                d.Name,
                d.City,
                d.CountryCode,
                Brands = d.Brands.Select(b => new { b.Brand!.Name, b.Sells, b.Services }).ToList(),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(d => new DealerRow(d.Id, d.DealerGroupId, d.GroupName, d.Code, d.Name, d.City, d.CountryCode,
                d.Brands.Where(b => b.Sells).Select(b => b.Name).Order(StringComparer.CurrentCulture).ToList(),
                d.Brands.Where(b => b.Services).Select(b => b.Name).Order(StringComparer.CurrentCulture).ToList()))
            .ToList();
    }

    /// <summary>The dealer as the form edits it, or null when it does not exist or is not visible.</summary>
    public static async Task<DealerDraft?> DealerAsync(CrmDbContext db, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var d = await db.Dealers.AsNoTracking().Include(x => x.Brands).FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
        return d is null
            ? null
            : new DealerDraft(d.DealerGroupId, d.Code, d.Name, d.AddressLine1, d.City, d.Postcode, d.CountryCode, d.Phone, d.Email,
                d.Brands.Select(b => new DealerBrandDraft(b.BrandId, b.Sells, b.Services)).ToList());
    }

    /// <summary>Creates (id null) or edits a dealer with the brands it sells and services; returns its id.</summary>
    public static async Task<long> SaveDealerAsync(CrmDbContext db, long networkId, long? id, DealerDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(draft);
        var code = Code(draft.Code, "dealer");
        var name = Required(draft.Name, "The dealer's name", 200);
        var country = Required(draft.CountryCode, "The country", 2).ToUpperInvariant();
        if (country.Length != 2 || !country.All(char.IsAsciiLetterUpper))
        {
            throw new DomainException("The country is a two-letter ISO code, such as GB.");
        }

        var email = Optional(draft.Email, "The e-mail address", 254);
        if (email is not null && !MailAddress.TryCreate(email, out _))
        {
            throw new DomainException($"'{email}' is not an e-mail address.");
        }

        if (!await db.DealerGroups.AnyAsync(g => g.Id == draft.GroupId && g.NetworkId == networkId, cancellationToken))
        {
            throw new DomainException("Choose the dealer group the dealer belongs to.");
        }

        // Codes are unique across every group: look past the reader's filter so a clash is never hidden.
        if (await db.Dealers.IgnoreQueryFilters().AnyAsync(d => d.Code == code && d.Id != (id ?? 0), cancellationToken))
        {
            throw new DomainException($"Another dealer already has the code {code}.");
        }

        var brandIds = draft.Brands.Where(b => b.Sells || b.Services).Select(b => b.BrandId).Distinct().ToList();
        var known = await db.Brands.Where(b => b.NetworkId == networkId && brandIds.Contains(b.Id)).CountAsync(cancellationToken);
        if (known != brandIds.Count)
        {
            throw new DomainException("A brand chosen for the dealer is not a brand of the network.");
        }

        Dealer dealer;
        if (id is { } existing)
        {
            dealer = await db.Dealers.Include(d => d.Brands).FirstOrDefaultAsync(d => d.Id == existing, cancellationToken)
                ?? throw RecordNotFoundException.For<Dealer>(existing);
            if (dealer.DealerGroupId != draft.GroupId
                && (await db.Relationships.IgnoreQueryFilters().AnyAsync(r => r.DealerId == existing, cancellationToken)
                    || await db.Customers.IgnoreQueryFilters().AnyAsync(c => c.ResponsibleDealerId == existing, cancellationToken)))
            {
                // Relationships carry the dealer's group: moving a dealer with history would split it across groups.
                throw new DomainException("The dealer has relationships or customers in its group: it cannot move to another group.");
            }
        }
        else
        {
            dealer = db.Dealers.Add(new Dealer { Code = code, Name = name, CountryCode = country }).Entity;
        }

        dealer.DealerGroupId = draft.GroupId;
        dealer.Code = code;
        dealer.Name = name;
        dealer.CountryCode = country;
        dealer.AddressLine1 = Optional(draft.AddressLine1, "The address", 200);
        dealer.City = Optional(draft.City, "The city", 100);
        dealer.Postcode = Optional(draft.Postcode, "The postcode", 16)?.ToUpperInvariant();
        dealer.Phone = Optional(draft.Phone, "The phone number", 20);
        dealer.Email = email;

        foreach (var stale in dealer.Brands.Where(b => !brandIds.Contains(b.BrandId)).ToList())
        {
            dealer.Brands.Remove(stale);
        }

        foreach (var wanted in draft.Brands.Where(b => b.Sells || b.Services).GroupBy(b => b.BrandId).Select(g => g.Last()))
        {
            var link = dealer.Brands.FirstOrDefault(b => b.BrandId == wanted.BrandId);
            if (link is null)
            {
                dealer.Brands.Add(new DealerBrand { Dealer = dealer, BrandId = wanted.BrandId, Sells = wanted.Sells, Services = wanted.Services });
            }
            else
            {
                link.Sells = wanted.Sells;
                link.Services = wanted.Services;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return dealer.Id;
    }

    private static async Task<long> NetworkAsync(CrmDbContext db, long networkId, CancellationToken cancellationToken) =>
        await db.Networks.AnyAsync(n => n.Id == networkId, cancellationToken)
            ? networkId
            : throw RecordNotFoundException.For<Network>(networkId);

    private static string Code(string? raw, string what)
    {
        var code = Text.Clean(raw)?.ToUpperInvariant() ?? throw new DomainException($"The {what}'s code is required.");
        if (code.Length > 32 || !code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new DomainException($"The {what}'s code has at most 32 letters, digits, '-' or '_'.");
        }

        return code;
    }

    private static string Required(string? raw, string what, int maxLength) =>
        Optional(raw, what, maxLength) ?? throw new DomainException($"{what} is required.");

    private static string? Optional(string? raw, string what, int maxLength)
    {
        var value = Text.Clean(raw);
        return value is not null && value.Length > maxLength ? throw new DomainException($"{what} has at most {maxLength} characters.") : value;
    }
}
