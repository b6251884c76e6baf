using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Imports.Profiles;
using AutomotiveCrm.Domain.Imports.Reading;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Persistence;

namespace AutomotiveCrm.Domain.Imports.Pipeline;

/// <summary>
/// The type and profile a delivery is read with (from the catalogue), or why there is no usable profile. A file
/// whose type is known is recorded even without a usable profile (as Failed, with <see cref="Problem"/>); a file
/// whose type cannot be told at all is refused with the catalogue's reason.
/// </summary>
internal sealed record ImportProfileResolution(ImportFileType FileType, ImportProfile? Profile, string? Problem)
{
    public static async Task<ImportProfileResolution> ResolveAsync(CrmDbContext db, Dealer dealer, ImportFileType? type, string? profileName,
        string fileName, CancellationToken cancellationToken)
    {
        var lookup = await ImportProfileCatalog.FindAsync(db, dealer.DealerGroup!.NetworkId, dealer.DmsProvider, type, profileName, fileName, cancellationToken);
        if (lookup.Profile is { } profile)
        {
            var problems = ImportProfileRules.Validate(profile);
            return problems.Count == 0
                ? new ImportProfileResolution(type ?? profile.FileType, profile, null)
                : new ImportProfileResolution(type ?? profile.FileType, profile,
                    $"The import profile \"{profile.Name}\" cannot be used: {string.Join(" ", problems)} Correct the profile, then reprocess the file.");
        }

        var reason = lookup.Reason ?? "No import profile reads this file.";
        return type is { } known
            ? new ImportProfileResolution(known, null, $"No import profile for dealer {dealer.Code}'s file: {reason}")
            : throw new DomainException($"The file '{fileName}' for dealer {dealer.Code} was not imported: {reason}");
    }
}
