using System.Globalization;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>A planted duplicate as stored: the duplicate's customer id and the id of the record it duplicates.</summary>
public sealed record PlantedDuplicatePair(long DuplicateId, long OriginalId);

/// <summary>
/// How demo records say what they are, in <see cref="Customers.Customer.SourceReference"/>:
/// <c>demo:{index}</c> for every demo customer (its 0-based index in the generated data), and
/// <c>demo:{index}:dup-of:{original index}</c> for a planted duplicate. The marker lives in the database, so a
/// deduplication run can be scored later, by another process, on any provider, without the seeding run's memory;
/// ids are not used in it because EF Core only knows them after the save. Dedup logic must never read it.
/// </summary>
public static class DemoSourceReference
{
    public const string Prefix = "demo:";
    private const string DuplicateOf = ":dup-of:";

    public static string Format(int index, int? duplicateOf) =>
        duplicateOf is { } original
            ? string.Create(CultureInfo.InvariantCulture, $"{Prefix}{index}{DuplicateOf}{original}")
            : string.Create(CultureInfo.InvariantCulture, $"{Prefix}{index}");

    public static bool TryParse(string? sourceReference, out int index, out int? duplicateOf)
    {
        index = 0;
        duplicateOf = null;
        if (sourceReference is null || !sourceReference.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = sourceReference.AsSpan(Prefix.Length);
        var marker = rest.IndexOf(DuplicateOf, StringComparison.Ordinal);
        var indexText = marker < 0 ? rest : rest[..marker];
        if (!int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out index))
        {
            return false;
        }

        if (marker >= 0)
        {
            if (!int.TryParse(rest[(marker + DuplicateOf.Length)..], NumberStyles.None, CultureInfo.InvariantCulture, out var original))
            {
                return false;
            }

            duplicateOf = original;
        }

        return true;
    }

    /// <summary>Every planted duplicate in the database with the id of the record it duplicates, by duplicate id.</summary>
    public static async Task<IReadOnlyList<PlantedDuplicatePair>> LoadPlantedDuplicatesAsync(CrmDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var demo = await db.Customers.AsNoTracking()
            .Where(c => c.SourceReference != null && c.SourceReference.StartsWith(Prefix))
            .Select(c => new { c.Id, c.SourceReference })
            .ToListAsync(cancellationToken);
        var idByIndex = new Dictionary<int, long>(demo.Count);
        var duplicates = new List<(long Id, int Original)>();
        foreach (var row in demo)
        {
            if (TryParse(row.SourceReference, out var index, out var original))
            {
                idByIndex[index] = row.Id;
                if (original is { } o)
                {
                    duplicates.Add((row.Id, o));
                }
            }
        }

        return duplicates
            .Where(d => idByIndex.ContainsKey(d.Original))
            .Select(d => new PlantedDuplicatePair(d.Id, idByIndex[d.Original]))
            .OrderBy(p => p.DuplicateId)
            .ToList();
    }
}
