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

    /// <summary>The first id window <see cref="PageAsync"/> looks in; each next one is twice as wide.</summary>
    internal const long FirstWindow = 16_384;

    /// <summary>Windows after which the rest of the id range is searched in one go.</summary>
    internal const int MaxWindows = 7;

    /// <summary>
    /// A page of the audience in customer id order (a stable order that needs no sort of the matches).
    /// </summary>
    /// <remarks>
    /// The page's ids are found window by window over the id range (16k ids, then 32k, ...): "id in this window"
    /// makes the database walk the primary key and stop early. Without it, a scope over several groups lets SQLite
    /// start from the group index, test every customer of the network and sort them all for 25 rows (about a second
    /// at a million customers). Then the page's rows are read by their ids.
    /// </remarks>
    public static async Task<IReadOnlyList<AudiencePreviewRow>> PageAsync(IQueryable<Customer> audience, int page, int pageSize = DefaultPageSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audience);
        ArgumentOutOfRangeException.ThrowIfNegative(page);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var ids = await PageIdsAsync(audience, page, pageSize, cancellationToken);
        if (ids.Count == 0)
        {
            return [];
        }

        var rows = await PageQuery(audience.Where(c => ids.Contains(c.Id)), 0, pageSize).ToListAsync(cancellationToken);
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

    /// <summary>The ids of the page, in id order, searched window by window (see <see cref="PageAsync"/>).</summary>
    internal static async Task<List<long>> PageIdsAsync(IQueryable<Customer> audience, int page, int pageSize, CancellationToken cancellationToken)
    {
        var wanted = (page + 1) * pageSize;
        var found = new List<long>(wanted);
        var after = 0L;
        var width = FirstWindow;
        for (var window = 0; found.Count < wanted; window++)
        {
            var from = after;
            var needed = wanted - found.Count;
            if (window == MaxWindows)
            {
                found.AddRange(await audience.Where(c => c.Id > from).OrderBy(c => c.Id).Select(c => c.Id).Take(needed).ToListAsync(cancellationToken));
                break;
            }

            var to = from + width;
            found.AddRange(await audience.Where(c => c.Id > from && c.Id <= to).OrderBy(c => c.Id).Select(c => c.Id).Take(needed)
                .ToListAsync(cancellationToken));
            after = to;
            width *= 2;
        }

        return found.Skip(page * pageSize).Take(pageSize).ToList();
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
