using System.Linq.Expressions;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Vehicles;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Customers;

public enum CustomerSort
{
    Name,
    Postcode,
    Updated,
    Created,
}

/// <summary>What the customer list shows: all optional; the tenant filter of the context applies on top.</summary>
public sealed record CustomerFilter
{
    /// <summary>Quick search: a name prefix, e-mail, phone, postcode, VIN or plate.</summary>
    public string? Text { get; init; }
    /// <summary>One dealer group (network users, who see several).</summary>
    public long? GroupId { get; init; }
    public long? ResponsibleDealerId { get; init; }
    public BuyerType? BuyerType { get; init; }
    public PaymentMethod? PaymentMethod { get; init; }
    public CustomerSource? Source { get; init; }
    public bool? HasEmail { get; init; }
    public bool? HasPhone { get; init; }
    public CustomerSort Sort { get; init; } = CustomerSort.Name;
    public bool Descending { get; init; }
}

/// <summary>One line of the customer list (and of its exports).</summary>
public sealed record CustomerRow(
    long Id,
    string DisplayName,
    string GroupName,
    string? Email,
    string? Phone,
    string? Postcode,
    string? ResponsibleDealer,
    int Vehicles,
    DateTime UpdatedAt,
    DateTime CreatedAt);

public sealed record CustomerSearchResult(IReadOnlyList<CustomerRow> Rows, int Total);

/// <summary>
/// The customer list: filtering, quick search, sorting and paging all happen in the database (the list must stay
/// fast over a million customers). The quick-search kinds are combined with OR; the contact and vehicle kinds are
/// looked up through their own indexes (e-mail, phone number, postcode, VIN, plate) and joined by customer id.
/// </summary>
public static class CustomerSearch
{
    /// <summary>The page of rows and the total number of matches.</summary>
    public static async Task<CustomerSearchResult> SearchAsync(CrmDbContext db, CustomerFilter filter, int skip, int take,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var query = await FilterAsync(db, filter, cancellationToken);
        var total = await query.CountAsync(cancellationToken);
        var rows = await Project(Sort(query, filter)).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500))
            .ToListAsync(cancellationToken);
        return new CustomerSearchResult(rows.Select(r => r.ToRow()).ToList(), total);
    }

    /// <summary>Every matching row in list order, read as a stream (exports).</summary>
    public static async IAsyncEnumerable<CustomerRow> StreamAsync(CrmDbContext db, CustomerFilter filter,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var query = await FilterAsync(db, filter, cancellationToken);
        await foreach (var row in Project(Sort(query, filter)).AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return row.ToRow();
        }
    }

    /// <summary>The filtered customers, unsorted: the one place the list's conditions are written.</summary>
    public static async Task<IQueryable<Customer>> FilterAsync(CrmDbContext db, CustomerFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        var query = db.Customers.AsNoTracking();
        if (filter.GroupId is { } groupId)
        {
            query = query.Where(c => c.DealerGroupId == groupId);
        }

        if (filter.ResponsibleDealerId is { } dealerId)
        {
            query = query.Where(c => c.ResponsibleDealerId == dealerId);
        }

        if (filter.BuyerType is { } buyerType)
        {
            query = query.Where(c => c.BuyerType == buyerType);
        }

        if (filter.PaymentMethod is { } payment)
        {
            query = query.Where(c => c.PaymentMethod == payment);
        }

        if (filter.Source is { } source)
        {
            query = query.Where(c => c.Source == source);
        }

        if (filter.HasEmail is { } hasEmail)
        {
            query = hasEmail ? query.Where(c => c.Emails.Any()) : query.Where(c => !c.Emails.Any());
        }

        if (filter.HasPhone is { } hasPhone)
        {
            query = hasPhone ? query.Where(c => c.Phones.Any()) : query.Where(c => !c.Phones.Any());
        }

        var text = Text.Clean(filter.Text);
        if (text is not null)
        {
            var country = await MarketCountryAsync(db, cancellationToken);
            query = QuickSearch(db, query, text, country);
        }

        return query;
    }

    /// <summary>The country phone numbers typed without a prefix are read for: the market of the user's network.</summary>
    public static async Task<string> MarketCountryAsync(CrmDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var networkId = db.Scope.NetworkId;
        var country = networkId is null
            ? await db.Networks.OrderBy(n => n.Id).Select(n => n.CountryCode).FirstOrDefaultAsync(cancellationToken)
            : await db.Networks.Where(n => n.Id == networkId).Select(n => n.CountryCode).FirstOrDefaultAsync(cancellationToken);
        return country ?? "GB";
    }

    private static IQueryable<Customer> QuickSearch(CrmDbContext db, IQueryable<Customer> query, string text, string country)
    {
        var kinds = new List<Expression<Func<Customer, bool>>> { NameMatch(db, text) };

        // Contact and vehicle kinds: an id list from their own index, only when the text can be of that kind.
        var lower = text.ToLowerInvariant();
        if (lower.Contains('@', StringComparison.Ordinal) || (lower.Contains('.', StringComparison.Ordinal) && !lower.Contains(' ', StringComparison.Ordinal)))
        {
            var high = lower + '\uffff';
            var emailIds = db.CustomerEmails
                .Where(e => string.Compare(e.NormalisedAddress, lower) >= 0 && string.Compare(e.NormalisedAddress, high) < 0)
                .Select(e => e.CustomerId);
            kinds.Add(c => emailIds.Contains(c.Id));
        }

        if (LooksLikePhone(text) && Common.PhoneNumbers.ToE164(text, country) is { } e164)
        {
            var phoneIds = db.CustomerPhones.Where(p => p.Number == e164).Select(p => p.CustomerId);
            kinds.Add(c => phoneIds.Contains(c.Id));
        }

        foreach (var postcode in PostcodeForms(text))
        {
            var postcodeHigh = postcode + '\uffff';
            var postcodeIds = db.CustomerAddresses
                .Where(a => string.Compare(a.Postcode, postcode) >= 0 && string.Compare(a.Postcode, postcodeHigh) < 0)
                .Select(a => a.CustomerId);
            kinds.Add(c => postcodeIds.Contains(c.Id));
        }

        var vin = Vin.Normalise(text);
        if (vin is { Length: >= 8 and <= 17 } && vin.All(char.IsAsciiLetterOrDigit) && vin.Any(char.IsAsciiDigit))
        {
            // A VIN is matched from its start: a full VIN exactly, a partial one as a prefix (index range).
            var vinHigh = vin + '\uffff';
            var vinVehicles = db.Vehicles.Where(v => string.Compare(v.Vin, vin) >= 0 && string.Compare(v.Vin, vinHigh) < 0).Select(v => v.Id);
            var vinCustomers = db.Relationships.Where(r => vinVehicles.Contains(r.VehicleId)).Select(r => r.CustomerId);
            kinds.Add(c => vinCustomers.Contains(c.Id));
        }

        var plate = PlateRegistration.Normalise(text);
        if (plate is { Length: >= 2 and <= 10 } && plate.Any(char.IsAsciiDigit) && text.Length <= 12)
        {
            // Every plate the vehicle ever carried: a customer is often remembered by an earlier plate.
            var plateVehicles = db.PlateRegistrations.Where(p => p.Plate == plate).Select(p => p.VehicleId);
            var plateCustomers = db.Relationships.Where(r => plateVehicles.Contains(r.VehicleId)).Select(r => r.CustomerId);
            kinds.Add(c => plateCustomers.Contains(c.Id));
        }

        return query.Where(AnyOf(kinds));
    }

    /// <summary>A prefix of first, last or company name, or "first last" / "last first" as two prefixes, ignoring case.</summary>
    private static Expression<Func<Customer, bool>> NameMatch(CrmDbContext db, string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var whole = LikePrefix(text);
        if (db.Provider == DatabaseProvider.PostgreSql)
        {
            // PostgreSQL's LIKE is case-sensitive; ILIKE is not.
            if (words.Length < 2)
            {
                return c => EF.Functions.ILike(c.LastName!, whole, "\\") || EF.Functions.ILike(c.FirstName!, whole, "\\")
                    || EF.Functions.ILike(c.CompanyName!, whole, "\\");
            }

            var pgFirst = LikePrefix(words[0]);
            var pgRest = LikePrefix(string.Join(' ', words.Skip(1)));
            return c => EF.Functions.ILike(c.LastName!, whole, "\\") || EF.Functions.ILike(c.FirstName!, whole, "\\")
                || EF.Functions.ILike(c.CompanyName!, whole, "\\")
                || (EF.Functions.ILike(c.FirstName!, pgFirst, "\\") && EF.Functions.ILike(c.LastName!, pgRest, "\\"))
                || (EF.Functions.ILike(c.LastName!, pgFirst, "\\") && EF.Functions.ILike(c.FirstName!, pgRest, "\\"));
        }

        // SQLite's LIKE ignores ASCII case; SQL Server's default collations ignore case as well.
        if (words.Length < 2)
        {
            return c => EF.Functions.Like(c.LastName, whole, "\\") || EF.Functions.Like(c.FirstName, whole, "\\")
                || EF.Functions.Like(c.CompanyName, whole, "\\");
        }

        var first = LikePrefix(words[0]);
        var rest = LikePrefix(string.Join(' ', words.Skip(1)));
        return c => EF.Functions.Like(c.LastName, whole, "\\") || EF.Functions.Like(c.FirstName, whole, "\\")
            || EF.Functions.Like(c.CompanyName, whole, "\\")
            || (EF.Functions.Like(c.FirstName, first, "\\") && EF.Functions.Like(c.LastName, rest, "\\"))
            || (EF.Functions.Like(c.LastName, first, "\\") && EF.Functions.Like(c.FirstName, rest, "\\"));
    }

    private static Expression<Func<Customer, bool>> AnyOf(List<Expression<Func<Customer, bool>>> predicates)
    {
        var parameter = Expression.Parameter(typeof(Customer), "c");
        var body = predicates
            .Select(p => new ParameterSwap(p.Parameters[0], parameter).Visit(p.Body))
            .Aggregate(Expression.OrElse);
        return Expression.Lambda<Func<Customer, bool>>(body, parameter);
    }

    private sealed class ParameterSwap(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }

    /// <summary>Digits with the usual separators and at least six digits: worth reading as a phone number.</summary>
    internal static bool LooksLikePhone(string text) =>
        text.All(ch => char.IsAsciiDigit(ch) || ch is '+' or ' ' or '-' or '(' or ')' or '.' or '/')
        && text.Count(char.IsAsciiDigit) >= 6;

    /// <summary>
    /// Postcodes are stored as written (upper case, "LS1 4AB"); a search may leave out the space. Returns the forms
    /// to look for as prefixes, or none when the text cannot be the start of a postcode (it must hold a digit).
    /// </summary>
    internal static List<string> PostcodeForms(string text)
    {
        var upper = text.Trim().ToUpperInvariant();
        if (upper.Length is < 2 or > 10 || !upper.Any(char.IsAsciiDigit) || !upper.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is ' ' or '-'))
        {
            return [];
        }

        var compact = new string(upper.Where(char.IsAsciiLetterOrDigit).ToArray());
        // A full UK-style postcode typed without its space: the inward code is the last three characters.
        var spaced = compact.Length is >= 5 and <= 7 && !upper.Contains(' ', StringComparison.Ordinal)
            ? compact[..^3] + " " + compact[^3..]
            : upper;
        return spaced == upper ? [upper] : [upper, spaced];
    }

    private static string LikePrefix(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal) + "%";

    private static IQueryable<Customer> Sort(IQueryable<Customer> query, CustomerFilter filter) => (filter.Sort, filter.Descending) switch
    {
        (CustomerSort.Postcode, false) => query
            .OrderBy(c => c.Addresses.OrderByDescending(a => a.IsPrimary).ThenBy(a => a.Id).Select(a => a.Postcode).FirstOrDefault())
            .ThenBy(c => c.Id),
        (CustomerSort.Postcode, true) => query
            .OrderByDescending(c => c.Addresses.OrderByDescending(a => a.IsPrimary).ThenBy(a => a.Id).Select(a => a.Postcode).FirstOrDefault())
            .ThenByDescending(c => c.Id),
        (CustomerSort.Updated, false) => query.OrderBy(c => c.UpdatedAt).ThenBy(c => c.Id),
        (CustomerSort.Updated, true) => query.OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id),
        (CustomerSort.Created, false) => query.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id),
        (CustomerSort.Created, true) => query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id),
        // A company is listed under its company name, a person under the last name.
        (_, false) => query
            .OrderBy(c => c.BuyerType == BuyerType.Company && c.CompanyName != null ? c.CompanyName : c.LastName)
            .ThenBy(c => c.FirstName).ThenBy(c => c.Id),
        (_, true) => query
            .OrderByDescending(c => c.BuyerType == BuyerType.Company && c.CompanyName != null ? c.CompanyName : c.LastName)
            .ThenByDescending(c => c.FirstName).ThenByDescending(c => c.Id),
    };

    private static IQueryable<RawRow> Project(IQueryable<Customer> query) => query.Select(c => new RawRow
    {
        Id = c.Id,
        BuyerType = c.BuyerType,
        Title = c.Title,
        FirstName = c.FirstName,
        LastName = c.LastName,
        CompanyName = c.CompanyName,
        GroupName = c.DealerGroup!.Name,
        Email = c.Emails.OrderByDescending(e => e.IsPrimary).ThenBy(e => e.Id).Select(e => e.Address).FirstOrDefault(),
        Phone = c.Phones.OrderByDescending(p => p.IsPrimary).ThenBy(p => p.Id).Select(p => p.Number).FirstOrDefault(),
        Postcode = c.Addresses.OrderByDescending(a => a.IsPrimary).ThenBy(a => a.Id).Select(a => a.Postcode).FirstOrDefault(),
        ResponsibleDealer = c.ResponsibleDealer == null ? null : c.ResponsibleDealer.Name,
        Vehicles = c.Relationships.Select(r => r.VehicleId).Distinct().Count(),
        UpdatedAt = c.UpdatedAt,
        CreatedAt = c.CreatedAt,
    });

    /// <summary>Builds the name a person reads, like <see cref="Customer.DisplayName"/>, from projected columns.</summary>
    public static string DisplayName(BuyerType buyerType, string? title, string? firstName, string? lastName, string? companyName) =>
        new Customer { BuyerType = buyerType, Title = title, FirstName = firstName, LastName = lastName, CompanyName = companyName }.DisplayName;

    private sealed class RawRow
    {
        public long Id { get; init; }
        public BuyerType BuyerType { get; init; }
        public string? Title { get; init; }
        public string? FirstName { get; init; }
        public string? LastName { get; init; }
        public string? CompanyName { get; init; }
        public string GroupName { get; init; } = "";
        public string? Email { get; init; }
        public string? Phone { get; init; }
        public string? Postcode { get; init; }
        public string? ResponsibleDealer { get; init; }
        public int Vehicles { get; init; }
        public DateTime UpdatedAt { get; init; }
        public DateTime CreatedAt { get; init; }

        public CustomerRow ToRow() => new(Id, DisplayName(BuyerType, Title, FirstName, LastName, CompanyName), GroupName, Email, Phone,
            Postcode, ResponsibleDealer, Vehicles, UpdatedAt, CreatedAt);
    }
}
