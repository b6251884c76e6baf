using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Imports.Profiles;

/// <summary>The profile a file is read with, or why there is none.</summary>
public sealed record ImportProfileLookup(ImportProfile? Profile, string? Reason)
{
    public bool Found => Profile is not null;

    public static ImportProfileLookup Of(ImportProfile profile) => new(profile, null);

    public static ImportProfileLookup NotFound(string reason) => new(null, reason);
}

/// <summary>The import profiles of a network: the built-in defaults, and which profile reads a delivered file.</summary>
public static class ImportProfileCatalog
{
    /// <summary>
    /// Adds the default profiles (<see cref="DefaultImportProfiles"/>) the network lacks, by name; existing profiles,
    /// edited or not, are left alone. Idempotent. Returns how many were added (saved).
    /// </summary>
    public static async Task<int> EnsureDefaultsAsync(CrmDbContext db, long networkId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var existing = await db.ImportProfiles.IgnoreQueryFilters()
            .Where(p => p.NetworkId == networkId)
            .Select(p => p.Name)
            .ToListAsync(cancellationToken);
        var names = existing.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var added = 0;
        foreach (var definition in DefaultImportProfiles.All.Where(d => !names.Contains(d.Name)))
        {
            db.ImportProfiles.Add(definition.ToProfile(networkId));
            added++;
        }

        if (added > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return added;
    }

    /// <summary>
    /// Resolves the profile of a delivered file: the active profile named <paramref name="profileName"/> when given;
    /// else the provider's profile for <paramref name="type"/>; else the provider's profile whose file-name pattern
    /// matches <paramref name="originalFileName"/>. Names and providers compare case-insensitively.
    /// </summary>
    public static async Task<ImportProfileLookup> FindAsync(CrmDbContext db, long networkId, string? dmsProvider,
        ImportFileType? type, string? profileName, string originalFileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var profiles = await db.ImportProfiles.IgnoreQueryFilters()
            .Where(p => p.NetworkId == networkId && p.IsActive)
            .OrderBy(p => p.Name)
            .ToListAsync(cancellationToken);
        return Resolve(profiles, dmsProvider, type, profileName, originalFileName ?? "");
    }

    /// <summary>The resolution rules of <see cref="FindAsync"/> over the network's active profiles.</summary>
    public static ImportProfileLookup Resolve(IReadOnlyList<ImportProfile> activeProfiles, string? dmsProvider,
        ImportFileType? type, string? profileName, string originalFileName)
    {
        ArgumentNullException.ThrowIfNull(activeProfiles);
        var fileName = Path.GetFileName((originalFileName ?? "").Replace('\\', '/'));
        if (!string.IsNullOrWhiteSpace(profileName))
        {
            var named = activeProfiles.FirstOrDefault(p => string.Equals(p.Name, profileName.Trim(), StringComparison.OrdinalIgnoreCase));
            if (named is null)
            {
                return ImportProfileLookup.NotFound($"There is no active import profile named \"{profileName.Trim()}\".");
            }

            if (type is { } wanted && named.FileType != wanted)
            {
                return ImportProfileLookup.NotFound(
                    $"The import profile \"{named.Name}\" reads {Describe(named.FileType)} files, not {Describe(wanted)} files.");
            }

            return ImportProfileLookup.Of(named);
        }

        if (string.IsNullOrWhiteSpace(dmsProvider))
        {
            return ImportProfileLookup.NotFound(
                "The dealer has no DMS provider: set the dealer's DMS provider, or name the import profile to use.");
        }

        var provider = dmsProvider.Trim();
        var ofProvider = activeProfiles.Where(p => string.Equals(p.DmsProvider, provider, StringComparison.OrdinalIgnoreCase)).ToList();
        if (ofProvider.Count == 0)
        {
            return ImportProfileLookup.NotFound($"There is no active import profile for the DMS provider \"{provider}\".");
        }

        if (type is { } fileType)
        {
            var ofType = ofProvider.Where(p => p.FileType == fileType).ToList();
            if (ofType.Count == 1)
            {
                return ImportProfileLookup.Of(ofType[0]);
            }

            if (ofType.Count == 0)
            {
                return ImportProfileLookup.NotFound($"There is no active {provider} import profile for {Describe(fileType)} files.");
            }

            var matching = ofType.Where(p => FileNamePattern.Matches(p.FileNamePattern, fileName)).ToList();
            return matching.Count == 1
                ? ImportProfileLookup.Of(matching[0])
                : ImportProfileLookup.NotFound(
                    $"{provider} has {ofType.Count} active profiles for {Describe(fileType)} files ({string.Join(", ", ofType.Select(p => p.Name))}) " +
                    $"and {(matching.Count == 0 ? "none" : "more than one")} of their file-name patterns matches \"{fileName}\": name the profile to use.");
        }

        var byPattern = ofProvider.Where(p => FileNamePattern.Matches(p.FileNamePattern, fileName)).ToList();
        if (byPattern.Count == 1)
        {
            return ImportProfileLookup.Of(byPattern[0]);
        }

        if (byPattern.Count == 0)
        {
            var patterns = string.Join(", ", ofProvider.Select(p => p.FileNamePattern).Distinct(StringComparer.OrdinalIgnoreCase));
            return ImportProfileLookup.NotFound(
                $"The file name \"{fileName}\" matches none of the {provider} profiles' patterns ({patterns}): rename the file or give its type.");
        }

        return ImportProfileLookup.NotFound(
            $"The file name \"{fileName}\" matches several {provider} profiles ({string.Join(", ", byPattern.Select(p => p.Name))}): give the file's type or the profile.");
    }

    private static string Describe(ImportFileType type) => type switch
    {
        ImportFileType.ServiceHistory => "service history",
        ImportFileType.LabourLines => "labour lines",
        ImportFileType.PartLines => "part lines",
        ImportFileType.NewStock => "new stock",
        ImportFileType.UsedStock => "used stock",
        ImportFileType.FutureBookings => "future bookings",
        ImportFileType.WorkshopTransactions => "workshop transactions",
        _ => type.ToString().ToLowerInvariant(),
    };
}
