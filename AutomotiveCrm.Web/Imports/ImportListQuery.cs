using System.Globalization;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Monitoring;
using Microsoft.AspNetCore.WebUtilities;

namespace AutomotiveCrm.Web.Imports;

/// <summary>
/// The import monitor's view (filters and page) as query-string parameters, so a view can be bookmarked and restored:
/// <c>?dealer=12&amp;type=Customers&amp;status=Failed&amp;from=2026-11-01&amp;to=2026-11-30&amp;page=2&amp;size=50</c>.
/// </summary>
public sealed record ImportListQuery(ImportFileFilter Filter, int Page = 0, int PageSize = 25)
{
    public const int DefaultPageSize = 25;
    public static readonly int[] PageSizes = [10, 25, 50, 100];

    public static ImportListQuery Default { get; } = new(new ImportFileFilter());

    /// <summary>Reads a URI or a bare query string; unknown or malformed values fall back to defaults.</summary>
    public static ImportListQuery Parse(string uriOrQuery)
    {
        ArgumentNullException.ThrowIfNull(uriOrQuery);
        var index = uriOrQuery.IndexOf('?', StringComparison.Ordinal);
        var query = index < 0 ? "" : uriOrQuery[index..];
        var map = QueryHelpers.ParseQuery(query).ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        string? Get(string key) => map.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        T? Enum<T>(string key) where T : struct, Enum =>
            Get(key) is { } text && !int.TryParse(text, out _) && System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value)
                ? value
                : null;
        DateOnly? Day(string key) =>
            DateOnly.TryParseExact(Get(key), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

        var filter = new ImportFileFilter
        {
            DealerId = long.TryParse(Get("dealer"), NumberStyles.None, CultureInfo.InvariantCulture, out var dealer) && dealer > 0 ? dealer : null,
            FileType = Enum<ImportFileType>("type"),
            Status = Enum<ImportStatus>("status"),
            From = Day("from"),
            To = Day("to"),
        };
        var page = int.TryParse(Get("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= 1 ? p - 1 : 0;
        var size = int.TryParse(Get("size"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && PageSizes.Contains(s) ? s : DefaultPageSize;
        return new ImportListQuery(filter, page, size);
    }

    /// <summary>"?dealer=...&amp;..." with only the values that differ from the defaults ("" when none do).</summary>
    public string ToQueryString()
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                pairs.Add(new(key, value));
            }
        }

        Add("dealer", Filter.DealerId?.ToString(CultureInfo.InvariantCulture));
        Add("type", Filter.FileType?.ToString());
        Add("status", Filter.Status?.ToString());
        Add("from", Filter.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("to", Filter.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("page", Page > 0 ? (Page + 1).ToString(CultureInfo.InvariantCulture) : null);
        Add("size", PageSize != DefaultPageSize ? PageSize.ToString(CultureInfo.InvariantCulture) : null);
        return pairs.Count == 0 ? "" : QueryString.Create(pairs).ToUriComponent();
    }
}
