using System.Globalization;
using AutomotiveCrm.Domain.Customers;
using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Dedup;

/// <summary>One merge into a surviving customer, as the customer page and the merge history's focus card show it.</summary>
public sealed record CustomerMergeRow(long MergeId, DedupLevel Level, long SurvivorId, string SurvivorName, long MergedId, string MergedName,
    double? Score, bool Automatic, DateTime MergedAt, string MergedBy, DateTime? UndoneAt, string? UndoneBy);

/// <summary>
/// How old customer ids keep resolving after a merge, and what a survivor was merged from. Every read goes through the
/// caller's user-scoped context with only the "Live" filter lifted (tombstones become visible, the tenant filter
/// stays): a tombstone of another group stays as invisible as a missing record.
/// </summary>
public static class CustomerMergeLinks
{
    private static readonly string[] Live = [CrmDbContext.LiveFilter];

    /// <summary>The live record a tombstone id was merged into (following later merges); null when the id is live, missing or not visible.</summary>
    public static Task<long?> SurvivorOfAsync(CrmDbContext db, long customerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return MergeChains.SurvivorOfAsync(db.Customers, customerId, cancellationToken);
    }

    /// <summary>Where an old id leads: the survivor's page, telling it which record the visitor asked for.</summary>
    public static string SurvivorHref(long survivorId, long requestedId) =>
        string.Create(CultureInfo.InvariantCulture, $"/customers/{survivorId}?mergedFrom={requestedId}");

    /// <summary>The <c>mergedFrom</c> id of a customer page address, if any.</summary>
    public static long? MergedFromParameter(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var index = uri.IndexOf('?', StringComparison.Ordinal);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(index < 0 ? "" : uri[index..]);
        return query.TryGetValue("mergedFrom", out var value) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    /// <summary>The customer merges into <paramref name="survivorId"/> (retail merges; wholesale links keep both records), newest first.</summary>
    public static async Task<IReadOnlyList<CustomerMergeRow>> MergedFromAsync(CrmDbContext db, long survivorId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var merges = await db.RecordMerges.AsNoTracking()
            .Where(m => m.EntityKind == DedupEntityKind.Customer && m.Level == DedupLevel.Retail && m.SurvivorId == survivorId)
            .OrderByDescending(m => m.MergedAt).ThenByDescending(m => m.Id).Take(50)
            .ToListAsync(cancellationToken);
        return await ToRowsAsync(db, merges, cancellationToken);
    }

    /// <summary>One customer merge or link by id; null when it is missing or the user's scope does not see it.</summary>
    public static async Task<CustomerMergeRow?> FindAsync(CrmDbContext db, long mergeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var merge = await db.RecordMerges.AsNoTracking().Where(m => m.Id == mergeId && m.EntityKind == DedupEntityKind.Customer)
            .ToListAsync(cancellationToken);
        return (await ToRowsAsync(db, merge, cancellationToken)).SingleOrDefault();
    }

    private static async Task<IReadOnlyList<CustomerMergeRow>> ToRowsAsync(CrmDbContext db, List<RecordMerge> merges, CancellationToken cancellationToken)
    {
        var ids = merges.SelectMany(m => new[] { m.SurvivorId, m.MergedId }).Distinct().ToList();
        var names = await db.Customers.IgnoreQueryFilters(Live).AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.BuyerType, c.Title, c.FirstName, c.LastName, c.CompanyName })
            .ToDictionaryAsync(c => c.Id, c => CustomerSearch.DisplayName(c.BuyerType, c.Title, c.FirstName, c.LastName, c.CompanyName), cancellationToken);
        string Name(long id) => names.TryGetValue(id, out var name) ? name : $"Record {id}";
        return merges.Select(m => new CustomerMergeRow(m.Id, m.Level, m.SurvivorId, Name(m.SurvivorId), m.MergedId, Name(m.MergedId), m.Score, m.Automatic,
            m.MergedAt, m.MergedBy, m.UndoneAt, m.UndoneBy)).ToList();
    }
}
