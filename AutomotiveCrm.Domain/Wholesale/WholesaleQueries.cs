using System.Globalization;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Vehicles;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Wholesale;

// Queries lower-case in SQL (ToLower().StartsWith/Contains): the StringComparison overloads CA1862 asks for do not
// translate on every provider, and PostgreSQL compares case-sensitively.
#pragma warning disable CA1862

public sealed record WholesaleListRow(long Id, string Name, string? Email, string? Phone, string? Postcode, string? City,
    int RetailRecordCount, DateTime UpdatedAt);

public sealed record WholesaleListPage(IReadOnlyList<WholesaleListRow> Rows, int Total);

/// <summary>One computed field of a wholesale record and the retail record it was taken from.</summary>
/// <param name="Field">The field's name in <see cref="WholesaleCustomer.FieldSources"/> (see <see cref="WholesaleFields"/>).</param>
/// <param name="Source">The retail record the value came from; null when the field is empty or the record is not visible.</param>
/// <param name="SourceCustomerId">The id of that retail record as stored, even when the reader cannot see it.</param>
public sealed record WholesaleFieldValue(string Field, string Label, string? Value, long? SourceCustomerId, WholesaleRetailRecord? Source);

/// <summary>A retail record linked to a wholesale record.</summary>
public sealed record WholesaleRetailRecord(long Id, string Name, long GroupId, string GroupCode, string GroupName, DateTime UpdatedAt);

public sealed record WholesaleDetails(long Id, string Name, int RetailRecordCount, DateTime CreatedAt, DateTime UpdatedAt,
    IReadOnlyList<WholesaleFieldValue> Fields, IReadOnlyList<WholesaleRetailRecord> RetailRecords);

/// <summary>The network users' view of wholesale records; the context's filters keep it from anyone else.</summary>
public static class WholesaleQueries
{
    /// <summary>Wholesale records whose name, e-mail or postcode starts with <paramref name="search"/>, by name, one page.</summary>
    public static async Task<WholesaleListPage> SearchAsync(CrmDbContext db, string? search, int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var query = db.WholesaleCustomers.AsNoTracking();
        var term = search?.Trim().ToLowerInvariant();
        if (!string.IsNullOrEmpty(term))
        {
            var postcode = term.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
            query = query.Where(w => w.LastName!.ToLower().StartsWith(term)
                || w.FirstName!.ToLower().StartsWith(term)
                || w.CompanyName!.ToLower().StartsWith(term)
                || w.Email!.ToLower().StartsWith(term)
                || w.Postcode!.Replace(" ", "").ToUpper().StartsWith(postcode));
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderBy(w => w.LastName).ThenBy(w => w.FirstName).ThenBy(w => w.CompanyName).ThenBy(w => w.Id)
            .Skip(skip).Take(take)
            .Select(w => new
            {
                w.Id,
                w.BuyerType,
                w.CompanyName,
                w.Title,
                w.FirstName,
                w.LastName,
                w.Email,
                w.Phone,
                w.Postcode,
                w.City,
                w.RetailRecordCount,
                w.UpdatedAt,
            })
            .ToListAsync(cancellationToken);
        return new WholesaleListPage(
            rows.Select(r => new WholesaleListRow(r.Id, VehicleDetailsQuery.CustomerName(r.BuyerType, r.CompanyName, r.Title, r.FirstName, r.LastName, r.Id),
                r.Email, r.Phone, r.Postcode, r.City, r.RetailRecordCount, r.UpdatedAt)).ToList(),
            total);
    }

    /// <summary>The wholesale record with the source of each field, or null when it does not exist or is not visible.</summary>
    public static async Task<WholesaleDetails?> LoadAsync(CrmDbContext db, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var record = await db.WholesaleCustomers.AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (record is null)
        {
            return null;
        }

        // The retail records as far as the reader sees them (a network user who picked one group sees that group's).
        var rows = await db.Customers.AsNoTracking()
            .Where(c => c.WholesaleCustomerId == id)
            .Select(c => new
            {
                c.Id,
                c.BuyerType,
                c.CompanyName,
                c.Title,
                c.FirstName,
                c.LastName,
                c.DealerGroupId,
                GroupCode = c.DealerGroup!.Code,
                GroupName = c.DealerGroup.Name,
                c.UpdatedAt,
            })
            .ToListAsync(cancellationToken);
        var retail = rows
            .Select(r => new WholesaleRetailRecord(r.Id, VehicleDetailsQuery.CustomerName(r.BuyerType, r.CompanyName, r.Title, r.FirstName, r.LastName, r.Id),
                r.DealerGroupId, r.GroupCode, r.GroupName, r.UpdatedAt))
            .OrderByDescending(r => r.UpdatedAt)
            .ThenBy(r => r.Id)
            .ToList();
        var byId = retail.ToDictionary(r => r.Id);

        var fields = WholesaleFields.All
            .Select(field =>
            {
                long? sourceId = record.FieldSources.TryGetValue(field, out var s) ? s : null;
                return new WholesaleFieldValue(field, Label(field), Value(record, field), sourceId,
                    sourceId is { } sid && byId.TryGetValue(sid, out var source) ? source : null);
            })
            .ToList();
        return new WholesaleDetails(record.Id, record.DisplayName is { Length: > 0 } name ? name : $"Wholesale customer {record.Id}",
            record.RetailRecordCount, record.CreatedAt, record.UpdatedAt, fields, retail);
    }

    private static string Label(string field) => field switch
    {
        WholesaleFields.BuyerType => "Buyer type",
        WholesaleFields.FirstName => "First name",
        WholesaleFields.LastName => "Last name",
        WholesaleFields.CompanyName => "Company",
        WholesaleFields.DateOfBirth => "Date of birth",
        WholesaleFields.Email => "E-mail",
        _ => field,
    };

    private static string? Value(WholesaleCustomer w, string field) => field switch
    {
        WholesaleFields.BuyerType => w.BuyerType.ToString(),
        WholesaleFields.Title => w.Title,
        WholesaleFields.FirstName => w.FirstName,
        WholesaleFields.LastName => w.LastName,
        WholesaleFields.CompanyName => w.CompanyName,
        WholesaleFields.DateOfBirth => w.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        WholesaleFields.Email => w.Email,
        WholesaleFields.Phone => w.Phone,
        WholesaleFields.Address => string.Join(", ", new[] { w.AddressLine1, w.AddressLine2, w.City, w.Postcode, w.CountryCode }
            .Where(p => !string.IsNullOrWhiteSpace(p))) is { Length: > 0 } address ? address : null,
        _ => null,
    };
}
