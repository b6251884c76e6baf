using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Imports.Reading;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Imports.Monitoring;

/// <summary>A profile in the list of profiles.</summary>
public sealed record ImportProfileRow(long Id, string Name, string DmsProvider, ImportFileType FileType, string FileNamePattern, bool IsActive,
    DateTime UpdatedAt);

/// <summary>One row of the column mapping editor: a canonical field and where it is in the provider's file (empty: not delivered).</summary>
public sealed class ColumnMappingDraft
{
    public required string Field { get; init; }
    public bool Required { get; init; }
    public string Description { get; init; } = "";
    public string? Source { get; set; }
}

/// <summary>The editable state of a profile (the editor binds to it); <see cref="Version"/> is the one the user loaded.</summary>
public sealed class ImportProfileDraft
{
    public long? Id { get; set; }
    public string Name { get; set; } = "";
    public string DmsProvider { get; set; } = "";
    public ImportFileType FileType { get; set; } = ImportFileType.Customers;
    public string Delimiter { get; set; } = ",";
    /// <summary>Empty: the provider never quotes.</summary>
    public string? Quote { get; set; } = "\"";
    public string Encoding { get; set; } = "utf-8";
    public string DateFormat { get; set; } = "yyyy-MM-dd";
    public string DecimalSeparator { get; set; } = ".";
    public bool HasHeaderRow { get; set; } = true;
    public string FileNamePattern { get; set; } = "*.csv";
    public bool IsActive { get; set; } = true;
    public int Version { get; set; }
    public List<ColumnMappingDraft> Columns { get; set; } = [];

    /// <summary>A new profile of the given type with one (empty) mapping row per canonical field.</summary>
    public static ImportProfileDraft New(ImportFileType type)
    {
        var draft = new ImportProfileDraft { FileType = type };
        draft.ResetColumns([]);
        return draft;
    }

    /// <summary>One row per canonical field of <see cref="FileType"/>, keeping the sources already given for fields of the type.</summary>
    public void ResetColumns(IEnumerable<ColumnMapping> existing)
    {
        var sources = existing.GroupBy(c => c.Field, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Source, StringComparer.OrdinalIgnoreCase);
        foreach (var column in Columns.Where(c => !string.IsNullOrWhiteSpace(c.Source)))
        {
            sources.TryAdd(column.Field, column.Source!);
        }

        Columns = DmsFileSpecs.For(FileType).Fields
            .Select(f => new ColumnMappingDraft { Field = f.Name, Required = f.Required, Description = f.Description, Source = sources.GetValueOrDefault(f.Name) })
            .ToList();
    }

    public static ImportProfileDraft From(ImportProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var draft = new ImportProfileDraft
        {
            Id = profile.Id,
            Name = profile.Name,
            DmsProvider = profile.DmsProvider,
            FileType = profile.FileType,
            Delimiter = profile.Delimiter,
            Quote = profile.Quote,
            Encoding = profile.Encoding,
            DateFormat = profile.DateFormat,
            DecimalSeparator = profile.DecimalSeparator,
            HasHeaderRow = profile.HasHeaderRow,
            FileNamePattern = profile.FileNamePattern,
            IsActive = profile.IsActive,
            Version = profile.Version,
        };
        IReadOnlyList<ColumnMapping> columns;
        try
        {
            columns = ImportProfileRules.ReadColumnMap(profile.ColumnMap);
        }
        catch (DomainException)
        {
            // A damaged map opens with empty sources: the validation below names what is missing.
            columns = [];
        }

        draft.ResetColumns(columns);
        return draft;
    }

    /// <summary>Writes the draft onto a profile (mapping rows without a source are left out).</summary>
    public void ApplyTo(ImportProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        profile.Name = Name.Trim();
        profile.DmsProvider = DmsProvider.Trim();
        profile.FileType = FileType;
        profile.Delimiter = Delimiter;
        profile.Quote = string.IsNullOrEmpty(Quote) ? null : Quote;
        profile.Encoding = Encoding.Trim();
        profile.DateFormat = DateFormat.Trim();
        profile.DecimalSeparator = DecimalSeparator;
        profile.HasHeaderRow = HasHeaderRow;
        profile.FileNamePattern = FileNamePattern.Trim();
        profile.IsActive = IsActive;
        profile.ColumnMap = ImportProfileRules.WriteColumnMap(Columns
            .Where(c => !string.IsNullOrWhiteSpace(c.Source))
            .Select(c => new ColumnMapping(c.Field, c.Source!.Trim())));
    }

    /// <summary>An unsaved profile carrying the draft (for validation and for a test read of a sample file).</summary>
    public ImportProfile ToProfile(long networkId)
    {
        var profile = new ImportProfile { NetworkId = networkId, Name = "", DmsProvider = "" };
        ApplyTo(profile);
        return profile;
    }
}

/// <summary>The profile cannot be saved: every problem, in words an administrator can act on.</summary>
public sealed class ImportProfileValidationException(IReadOnlyList<string> problems)
    : DomainException("The profile was not saved: " + string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>Someone else saved the profile after the user opened it.</summary>
public sealed class ImportProfileConcurrencyException()
    : DomainException("This profile was changed by someone else after you opened it. Reload it to see their change, then make yours again.");

/// <summary>
/// Listing, creating, changing and deactivating import profiles through the caller's (network administrator's)
/// context. A profile is validated with <see cref="ImportProfileRules.Validate"/> before it is saved, and the
/// version the editor loaded must still be the stored one.
/// </summary>
public static class ImportProfileEditing
{
    public static async Task<IReadOnlyList<ImportProfileRow>> ListAsync(CrmDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.ImportProfiles.AsNoTracking()
            .OrderBy(p => p.DmsProvider).ThenBy(p => p.FileType).ThenBy(p => p.Name)
            .Select(p => new ImportProfileRow(p.Id, p.Name, p.DmsProvider, p.FileType, p.FileNamePattern, p.IsActive, p.UpdatedAt))
            .ToListAsync(cancellationToken);
    }

    public static async Task<ImportProfileDraft?> LoadAsync(CrmDbContext db, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var profile = await db.ImportProfiles.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        return profile is null ? null : ImportProfileDraft.From(profile);
    }

    /// <summary>The problems that keep the draft from being saved (rules of the profile, and a unique name).</summary>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(CrmDbContext db, long networkId, ImportProfileDraft draft,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(draft);
        var problems = ImportProfileRules.Validate(draft.ToProfile(networkId)).ToList();
        var name = draft.Name.Trim();
        if (name.Length > 100)
        {
            problems.Add("The name can have at most 100 characters.");
        }

        if (name.Length > 0 && await db.ImportProfiles.AnyAsync(p => p.NetworkId == networkId && p.Name == name && p.Id != (draft.Id ?? 0), cancellationToken))
        {
            problems.Add($"Another profile is already called \"{name}\".");
        }

        return problems;
    }

    /// <summary>Creates or updates the profile; returns its id and new version.</summary>
    /// <exception cref="ImportProfileValidationException">The draft has problems.</exception>
    /// <exception cref="ImportProfileConcurrencyException">The stored version is not the one the draft was loaded at.</exception>
    /// <exception cref="RecordNotFoundException">The profile does not exist (or is another network's).</exception>
    public static async Task<(long Id, int Version)> SaveAsync(CrmDbContext db, long networkId, ImportProfileDraft draft,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(draft);
        var problems = await ProblemsAsync(db, networkId, draft, cancellationToken);
        if (problems.Count > 0)
        {
            throw new ImportProfileValidationException(problems);
        }

        ImportProfile profile;
        if (draft.Id is { } id)
        {
            profile = await db.ImportProfiles.FirstOrDefaultAsync(p => p.Id == id, cancellationToken)
                ?? throw RecordNotFoundException.For<ImportProfile>(id);
            if (profile.Version != draft.Version)
            {
                throw new ImportProfileConcurrencyException();
            }

            // The version the user saw must still be stored when the update runs: a race after this read is caught by the token.
            db.Entry(profile).Property(p => p.Version).OriginalValue = draft.Version;
            profile.Version = draft.Version + 1;
        }
        else
        {
            profile = new ImportProfile { NetworkId = networkId, Name = "", DmsProvider = "" };
            db.ImportProfiles.Add(profile);
        }

        draft.ApplyTo(profile);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ImportProfileConcurrencyException();
        }

        return (profile.Id, profile.Version);
    }

    /// <summary>Deactivates (or reactivates) a profile: inactive profiles are not used for new files.</summary>
    public static async Task<int> SetActiveAsync(CrmDbContext db, long id, int expectedVersion, bool active, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var profile = await db.ImportProfiles.FirstOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw RecordNotFoundException.For<ImportProfile>(id);
        if (profile.Version != expectedVersion)
        {
            throw new ImportProfileConcurrencyException();
        }

        db.Entry(profile).Property(p => p.Version).OriginalValue = expectedVersion;
        profile.Version = expectedVersion + 1;
        profile.IsActive = active;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ImportProfileConcurrencyException();
        }

        return profile.Version;
    }
}
