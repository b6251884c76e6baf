using System.Globalization;
using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Dedup.Review;
using Microsoft.AspNetCore.WebUtilities;

namespace AutomotiveCrm.Web.Dedup;

/// <summary>
/// The review queue's view as query-string parameters, so a view can be bookmarked and the comparison page knows the
/// queue it walks through: <c>?kind=Vehicle&amp;level=Retail&amp;group=3&amp;band=Review&amp;reason=email&amp;status=Open&amp;page=2&amp;size=50</c>.
/// </summary>
public sealed record DedupQueueQuery(ReviewQueueFilter Filter)
{
    public const int DefaultPageSize = 25;
    public static readonly int[] PageSizes = [10, 25, 50, 100];

    public static DedupQueueQuery Default { get; } = new(new ReviewQueueFilter());

    /// <summary>Reads a URI or a bare query string; unknown or malformed values fall back to the defaults.</summary>
    public static DedupQueueQuery Parse(string uriOrQuery)
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

        var filter = new ReviewQueueFilter
        {
            Kind = Enum<DedupEntityKind>("kind") ?? DedupEntityKind.Customer,
            Level = Enum<DedupLevel>("level"),
            DealerGroupId = long.TryParse(Get("group"), NumberStyles.None, CultureInfo.InvariantCulture, out var group) && group > 0 ? group : null,
            Band = Enum<MatchBand>("band"),
            // Reasons are field names of the engine (letters, digits, underscores); anything else is not one.
            Reason = Get("reason") is { Length: <= 64 } reason && reason.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? reason : null,
            Status = Enum<CandidateStatus>("status") ?? CandidateStatus.Open,
            Page = int.TryParse(Get("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= 1 ? p - 1 : 0,
            PageSize = int.TryParse(Get("size"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && PageSizes.Contains(s) ? s : DefaultPageSize,
        };
        return new DedupQueueQuery(filter);
    }

    /// <summary>"?kind=...&amp;..." with only the values that differ from the defaults ("" when none do).</summary>
    public string ToQueryString(bool withPage = true)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                pairs.Add(new(key, value));
            }
        }

        Add("kind", Filter.Kind != DedupEntityKind.Customer ? Filter.Kind.ToString() : null);
        Add("level", Filter.Level?.ToString());
        Add("group", Filter.DealerGroupId?.ToString(CultureInfo.InvariantCulture));
        Add("band", Filter.Band?.ToString());
        Add("reason", Filter.Reason);
        Add("status", Filter.Status != CandidateStatus.Open ? Filter.Status.ToString() : null);
        if (withPage)
        {
            Add("page", Filter.Page > 0 ? (Filter.Page + 1).ToString(CultureInfo.InvariantCulture) : null);
            Add("size", Filter.PageSize != DefaultPageSize ? Filter.PageSize.ToString(CultureInfo.InvariantCulture) : null);
        }

        return pairs.Count == 0 ? "" : QueryString.Create(pairs).ToUriComponent();
    }

    /// <summary>The comparison page of a candidate, carrying the queue's filters (not its page) so J/K and "next" walk the same queue.</summary>
    public string CandidateHref(long candidateId) =>
        "/dedup/candidates/" + candidateId.ToString(CultureInfo.InvariantCulture) + ToQueryString(withPage: false);

    public string QueueHref() => "/dedup" + ToQueryString(withPage: false);
}
