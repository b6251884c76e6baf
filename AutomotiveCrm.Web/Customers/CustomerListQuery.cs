using System.Globalization;
using AutomotiveCrm.Domain.Customers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace AutomotiveCrm.Web.Customers;

/// <summary>
/// The customer list's whole view (filters, quick search, sort, page) as query-string parameters, so a view can be
/// bookmarked, restored on load and handed to the export endpoints unchanged.
/// </summary>
public sealed record CustomerListQuery(CustomerFilter Filter, int Page = 0, int PageSize = 25)
{
    public const int DefaultPageSize = 25;
    public static readonly int[] PageSizes = [10, 25, 50, 100];

    public static CustomerListQuery Default { get; } = new(new CustomerFilter());

    /// <summary>Reads a URI or a bare query string ("?q=..."); unknown or malformed values fall back to defaults.</summary>
    public static CustomerListQuery Parse(string uriOrQuery)
    {
        ArgumentNullException.ThrowIfNull(uriOrQuery);
        var index = uriOrQuery.IndexOf('?', StringComparison.Ordinal);
        var query = index < 0 ? (uriOrQuery.Contains('=', StringComparison.Ordinal) ? uriOrQuery : "") : uriOrQuery[index..];
        return Parse(QueryHelpers.ParseQuery(query));
    }

    public static CustomerListQuery Parse(IEnumerable<KeyValuePair<string, StringValues>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var map = values.ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        string? Get(string key) => map.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        long? Id(string key) => long.TryParse(Get(key), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;
        T? Enum<T>(string key) where T : struct, Enum =>
            System.Enum.TryParse<T>(Get(key), ignoreCase: true, out var value) && System.Enum.IsDefined(value) && !int.TryParse(Get(key), out _) ? value : null;
        bool? YesNo(string key) => Get(key)?.ToUpperInvariant() switch
        {
            "YES" or "TRUE" or "1" => true,
            "NO" or "FALSE" or "0" => false,
            _ => null,
        };

        var filter = new CustomerFilter
        {
            Text = Get("q"),
            GroupId = Id("group"),
            ResponsibleDealerId = Id("dealer"),
            BuyerType = Enum<BuyerType>("buyer"),
            PaymentMethod = Enum<PaymentMethod>("payment"),
            Source = Enum<CustomerSource>("source"),
            HasEmail = YesNo("email"),
            HasPhone = YesNo("phone"),
            Sort = Enum<CustomerSort>("sort") ?? CustomerSort.Name,
            Descending = YesNo("desc") ?? false,
        };
        var page = int.TryParse(Get("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= 1 ? p - 1 : 0;
        var size = int.TryParse(Get("size"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && PageSizes.Contains(s) ? s : DefaultPageSize;
        return new CustomerListQuery(filter, page, size);
    }

    /// <summary>"?q=...&amp;sort=..." with only the values that differ from the defaults ("" when none do).</summary>
    public string ToQueryString(bool includePaging = true)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                pairs.Add(new(key, value));
            }
        }

        Add("q", Filter.Text?.Trim());
        Add("group", Filter.GroupId?.ToString(CultureInfo.InvariantCulture));
        Add("dealer", Filter.ResponsibleDealerId?.ToString(CultureInfo.InvariantCulture));
        Add("buyer", Filter.BuyerType?.ToString());
        Add("payment", Filter.PaymentMethod?.ToString());
        Add("source", Filter.Source?.ToString());
        Add("email", Filter.HasEmail is { } e ? (e ? "yes" : "no") : null);
        Add("phone", Filter.HasPhone is { } ph ? (ph ? "yes" : "no") : null);
        Add("sort", Filter.Sort == CustomerSort.Name ? null : Filter.Sort.ToString().ToLowerInvariant());
        Add("desc", Filter.Descending ? "yes" : null);
        if (includePaging)
        {
            Add("page", Page > 0 ? (Page + 1).ToString(CultureInfo.InvariantCulture) : null);
            Add("size", PageSize != DefaultPageSize ? PageSize.ToString(CultureInfo.InvariantCulture) : null);
        }

        return pairs.Count == 0 ? "" : QueryString.Create(pairs).ToUriComponent();
    }
}
