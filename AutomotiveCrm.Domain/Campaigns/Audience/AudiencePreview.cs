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
        var rows = await PageQuery(audience, page, pageSize).ToListAsync(cancellationToken);
        return rows.Select(r => new AudiencePreviewRow(
            r.Id,
            r.BuyerType == BuyerType.Company && r.CompanyName is not null
                ? r.CompanyName
                : string.Join(' ', new[] { r.Title, r.FirstName, r.LastName }.Where(p => !string.IsNullOrWhiteSpace(p))),
            r.Postcode,
            r.Email,
            r.Phone,
            VehicleText(r.Brand ?? r.Make, r.Model, r.Plate),
            r.Dealer)).ToList();
    }

    private static string? VehicleText(params string?[] parts)
    {
        var text = string.Join(' ', parts.Where(p => !string.IsNullOrWhiteSpace(p)));
        return text.Length == 0 ? null : text;
    }

    /// <summary>The SQL of a preview page (for <c>bench segment --sql</c> and query-plan checks).</summary>
    public static string PageSql(IQueryable<Customer> audience, int page = 0, int pageSize = DefaultPageSize) =>
        PageQuery(audience, page, pageSize).ToQueryString();

    /// <summary>The command of a preview page, parameters bound (for <c>bench segment --plan</c>).</summary>
    public static System.Data.Common.DbCommand PageCommand(IQueryable<Customer> audience, int page = 0, int pageSize = DefaultPageSize) =>
        PageQuery(audience, page, pageSize).CreateDbCommand();

    private static IQueryable<PageLine> PageQuery(IQueryable<Customer> audience, int page, int pageSize) =>
        audience
            .OrderBy(c => c.Id)
            .Skip(page * pageSize)
            .Take(pageSize)
            .Select(c => new PageLine
            {
                Id = c.Id,
                BuyerType = c.BuyerType,
                Title = c.Title,
                FirstName = c.FirstName,
                LastName = c.LastName,
                CompanyName = c.CompanyName,
                Postcode = c.Addresses.Where(a => a.IsPrimary).Select(a => a.Postcode).FirstOrDefault(),
                Email = c.Emails.Where(e => e.IsPrimary).Select(e => e.Address).FirstOrDefault(),
                Phone = c.Phones.Where(p => p.IsPrimary).Select(p => p.Number).FirstOrDefault(),
                // The newest open relationship's vehicle, one scalar subquery per field: each is an index look-up
                // for the page's rows only. (Selecting the vehicle as one object makes EF Core join a ROW_NUMBER()
                // window over every open relationship in the database, seconds at a million customers.) The id
                // breaks ties so that every field comes from the same relationship.
                Brand = c.Relationships.Where(r => r.EndDate == null).OrderByDescending(r => r.StartDate).ThenByDescending(r => r.Id)
                    .Select(r => r.Vehicle!.Brand!.Name).FirstOrDefault(),
                Make = c.Relationships.Where(r => r.EndDate == null).OrderByDescending(r => r.StartDate).ThenByDescending(r => r.Id)
                    .Select(r => r.Vehicle!.Make).FirstOrDefault(),
                Model = c.Relationships.Where(r => r.EndDate == null).OrderByDescending(r => r.StartDate).ThenByDescending(r => r.Id)
                    .Select(r => r.Vehicle!.Model).FirstOrDefault(),
                Plate = c.Relationships.Where(r => r.EndDate == null).OrderByDescending(r => r.StartDate).ThenByDescending(r => r.Id)
                    .Select(r => r.Vehicle!.CurrentPlate).FirstOrDefault(),
                Dealer = c.ResponsibleDealer!.Name,
            })
            .AsNoTracking();

    private sealed class PageLine
    {
        public long Id { get; init; }
        public BuyerType BuyerType { get; init; }
        public string? Title { get; init; }
        public string? FirstName { get; init; }
        public string? LastName { get; init; }
        public string? CompanyName { get; init; }
        public string? Postcode { get; init; }
        public string? Email { get; init; }
        public string? Phone { get; init; }
        public string? Brand { get; init; }
        public string? Make { get; init; }
        public string? Model { get; init; }
        public string? Plate { get; init; }
        public string? Dealer { get; init; }
    }
}
