using System.Globalization;
using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Reading;

namespace AutomotiveCrm.Web.Imports;

/// <summary>What reading a sample file with a (possibly unsaved) profile showed.</summary>
public sealed record SampleResult(bool Passed, string Summary, IReadOnlyList<string> Fields, IReadOnlyList<DmsRowResult> Rows)
{
    public static SampleResult Failed(string summary) => new(false, summary, [], []);
}

/// <summary>
/// The profile editor's "test with a file": the structure check over the whole sample, then the first rows as the
/// import would read and validate them. Reads only; nothing is stored.
/// </summary>
public static class ImportSampleTest
{
    public static async Task<SampleResult> RunAsync(ImportProfile profile, string path, string fileName, string defaultCountry, int rows,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ImportFormat format;
        try
        {
            format = ImportFormat.FromProfile(profile);
        }
        catch (DomainException ex)
        {
            return SampleResult.Failed(ex.Message);
        }

        var spec = DmsFileSpecs.For(profile.FileType);
        StructureCheckResult check;
        await using (var content = Open(path))
        {
            check = await StructureCheck.RunAsync(content, format, spec, null, cancellationToken);
        }

        if (!check.Passed)
        {
            return SampleResult.Failed($"'{fileName}' fails the structure check: {check.Reason}");
        }

        var read = new List<DmsRowResult>();
        await using (var content = Open(path))
        {
            await foreach (var row in DmsFileReader.ReadAsync(content, format, spec, defaultCountry, cancellationToken))
            {
                read.Add(row);
                if (read.Count >= rows)
                {
                    break;
                }
            }
        }

        var invalid = read.Count(r => !r.IsValid);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"'{fileName}' passes the structure check ({check.DataRows:N0} data rows). The first {read.Count} rows: {read.Count - invalid} valid, {invalid} with problems.");
        return new SampleResult(invalid == 0, summary, format.Columns.Select(c => c.Field).ToList(), read);
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
}
