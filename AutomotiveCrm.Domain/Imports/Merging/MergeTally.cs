using System.Text.Json;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Imports.Merging;

/// <summary>
/// The outcome of a chunk, row by row. Every row lands in exactly one of Inserted, Updated, Unchanged or Rejects,
/// so Inserted + Updated + Unchanged + Rejects.Count == Rows.Count; a row identical to the stored record counts as
/// Unchanged and is also listed in Duplicates (the "duplicate an existing record exactly").
/// </summary>
internal sealed class MergeTally
{
    private readonly List<MergeDuplicate> _duplicates = [];
    private readonly List<MergeReject> _rejects = [];

    public int Inserted { get; private set; }
    public int Updated { get; private set; }
    public int Unchanged { get; private set; }

    public void Insert() => Inserted++;

    public void Update() => Updated++;

    /// <summary>Same key, same content as stored: unchanged, and set aside as an exact duplicate.</summary>
    public void Same(long lineNumber, string recordKey)
    {
        Unchanged++;
        _duplicates.Add(new MergeDuplicate(lineNumber, recordKey));
    }

    public void Reject(long lineNumber, string? column, string reason) => _rejects.Add(new MergeReject(lineNumber, column, reason));

    public MergeResult ToResult() => new(Inserted, Updated, Unchanged, _duplicates, _rejects.OrderBy(r => r.LineNumber).ToList());

    public static bool SameHash(string stored, string staged) => string.Equals(stored, staged, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Which canonical fields a file carries: those its profile maps to a column. An empty value of a carried field
/// clears the stored one; a field the profile does not map leaves the stored value alone (the file says nothing
/// about it). A file without a readable profile carries every field.
/// </summary>
internal static class CarriedFields
{
    public static async Task<bool[]> LoadAsync(CrmDbContext db, long importFileId, FieldLayout layout, CancellationToken cancellationToken)
    {
        var map = await db.ImportFiles.IgnoreQueryFilters().AsNoTracking()
            .Where(f => f.Id == importFileId)
            .Select(f => f.Profile == null ? null : f.Profile.ColumnMap)
            .FirstOrDefaultAsync(cancellationToken);
        return FromColumnMap(map, layout);
    }

    public static bool[] FromColumnMap(string? columnMap, FieldLayout layout)
    {
        var carried = new bool[layout.Count];
        var names = ReadFields(columnMap);
        if (names.Count == 0)
        {
            Array.Fill(carried, true);
            return carried;
        }

        foreach (var name in names)
        {
            var index = layout.Find(name);
            if (index < 0)
            {
                index = Array.FindIndex(layout.Names, n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
            }

            if (index >= 0)
            {
                carried[index] = true;
            }
        }

        carried[layout.IndexOf(layout.Spec.KeyField)] = true;
        return carried;
    }

    private static List<string> ReadFields(string? columnMap)
    {
        var names = new List<string>();
        if (string.IsNullOrWhiteSpace(columnMap))
        {
            return names;
        }

        try
        {
            using var document = JsonDocument.Parse(columnMap);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return names;
            }

            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in item.EnumerateObject())
                    {
                        if (string.Equals(property.Name, "field", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
                        {
                            names.Add(property.Value.GetString()!);
                        }
                    }
                }
            }
        }
        catch (JsonException)
        {
            names.Clear();
        }

        return names;
    }
}
