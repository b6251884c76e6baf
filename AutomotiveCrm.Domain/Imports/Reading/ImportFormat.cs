using System.Text;

namespace AutomotiveCrm.Domain.Imports.Reading;

/// <summary>One column of a profile: the canonical field and where it is in the file (header name, or 1-based number).</summary>
public sealed record ColumnMapping(string Field, string Source);

/// <summary>A validated import profile, ready for reading: what the reader and the structure check need.</summary>
public sealed class ImportFormat
{
    public required char Delimiter { get; init; }
    public char? Quote { get; init; }
    public required Encoding Encoding { get; init; }
    public required string DateFormat { get; init; }
    public char DecimalSeparator { get; init; } = '.';
    public bool HasHeaderRow { get; init; } = true;
    public required IReadOnlyList<ColumnMapping> Columns { get; init; }

    /// <summary>Builds the format of a profile; throws <see cref="Common.DomainException"/> listing every problem of an invalid profile.</summary>
    public static ImportFormat FromProfile(ImportProfile profile) => throw new NotImplementedException("H1");
}

/// <summary>Validation and (de)serialisation of import profiles.</summary>
public static class ImportProfileRules
{
    /// <summary>Every problem of the profile, in words an administrator can act on; empty when it can be used.</summary>
    public static IReadOnlyList<string> Validate(ImportProfile profile) => throw new NotImplementedException("H1");

    public static IReadOnlyList<ColumnMapping> ReadColumnMap(string json) => throw new NotImplementedException("H1");

    public static string WriteColumnMap(IEnumerable<ColumnMapping> columns) => throw new NotImplementedException("H1");
}
