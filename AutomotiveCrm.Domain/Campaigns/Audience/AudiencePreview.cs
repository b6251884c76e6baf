using AutomotiveCrm.Domain.Customers;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Campaigns.Audience;

/// <summary>One line of the builder's preview grid.</summary>
public sealed record AudiencePreviewRow(
    long CustomerId,
    string Name,
    string? Postcode,
    string? Email,
    string? Phone,
    string? Vehicle,
    string? ResponsibleDealer);

/// <summary>The live count and the paged preview of an audience (both one statement each, run by the database).</summary>
public static class AudiencePreview
{
    public const int DefaultPageSize = 25;

    /// <summary>The number of customers; the token reaches the database command (SQLite interrupts it).</summary>
    public static Task<int> CountAsync(IQueryable<Customer> audience, CancellationToken cancellationToken = default) =>
        audience.CountAsync(cancellationToken);

    /// <summary>
    /// A page of the audience in customer id order: the cheapest stable order, since the database can walk the
    /// primary key and stop after a page instead of sorting every match.
    /// </summary>
    public static async Task<IReadOnlyList<AudiencePreviewRow>> PageAsync(IQueryable<Customer> audience, int page, int pageSize = DefaultPageSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audience);
        ArgumentOutOfRangeException.ThrowIfNegative(page);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var rows = await audience
            .OrderBy(c => c.Id)
            .Skip(page * pageSize)
            .Take(pageSize)
            .Select(c => new
            {
                c.Id,
                c.BuyerType,
                c.Title,
                c.FirstName,
                c.LastName,
                c.CompanyName,
                Postcode = c.Addresses.Where(a => a.IsPrimary).Select(a => a.Postcode).FirstOrDefault(),
                Email = c.Emails.Where(e => e.IsPrimary).Select(e => e.Address).FirstOrDefault(),
                Phone = c.Phones.Where(p => p.IsPrimary).Select(p => p.Number).FirstOrDefault(),
                Vehicle = c.Relationships.Where(r => r.EndDate == null).OrderByDescending(r => r.StartDate)
                    .Select(r => new { Brand = r.Vehicle!.Brand!.Name, r.Vehicle.Make, r.Vehicle.Model, r.Vehicle.CurrentPlate })
                    .FirstOrDefault(),
                Dealer = c.ResponsibleDealer!.Name,
            })
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        return rows.Select(r => new AudiencePreviewRow(
            r.Id,
            r.BuyerType == BuyerType.Company && r.CompanyName is not null
                ? r.CompanyName
                : string.Join(' ', new[] { r.Title, r.FirstName, r.LastName }.Where(p => !string.IsNullOrWhiteSpace(p))),
            r.Postcode,
            r.Email,
            r.Phone,
            r.Vehicle is null ? null : string.Join(' ', new[] { r.Vehicle.Brand ?? r.Vehicle.Make, r.Vehicle.Model, r.Vehicle.CurrentPlate }.Where(p => !string.IsNullOrWhiteSpace(p))),
            r.Dealer)).ToList();
    }
}
