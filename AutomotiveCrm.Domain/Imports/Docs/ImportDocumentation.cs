using System.Globalization;
using System.Text;
using AutomotiveCrm.Domain.Imports.Profiles;
using AutomotiveCrm.Domain.Imports.Reading;
using AutomotiveCrm.Domain.Imports.Samples;

namespace AutomotiveCrm.Domain.Imports.Docs;

/// <summary>
/// The Markdown tables of the import documentation (this folder), rendered from the code that defines them: the
/// column specifications (<see cref="DmsFileSpecs"/>), the providers' default profiles, the choice synonyms. A test
/// requires the documents to contain these tables exactly, so the documentation cannot drift from the code; when it
/// fails it prints the table to paste.
/// </summary>
public static class ImportDocumentation
{
    /// <summary>The document of a file type: customers.md, service-history.md ...</summary>
    public static string FileNameOf(ImportFileType type) => type switch
    {
        ImportFileType.ServiceHistory => "service-history.md",
        ImportFileType.LabourLines => "labour-lines.md",
        ImportFileType.PartLines => "part-lines.md",
        ImportFileType.NewStock => "new-stock.md",
        ImportFileType.UsedStock => "used-stock.md",
        ImportFileType.FutureBookings => "future-bookings.md",
        ImportFileType.WorkshopTransactions => "workshop-transactions.md",
        _ => type.ToString().ToLowerInvariant() + ".md",
    };

    /// <summary>The canonical columns of a file type: field, kind, required, maximum length, allowed values, meaning.</summary>
    public static string FieldTable(DmsFileSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var text = new StringBuilder();
        text.Append("| Field | Kind | Required | Max length | Allowed values | Description |\n");
        text.Append("| --- | --- | --- | --- | --- | --- |\n");
        foreach (var field in spec.Fields)
        {
            var required = field.Name == spec.KeyField ? "yes (record key)" : field.Required ? "yes" : "";
            var allowed = field.AllowedValues.Count == 0 ? "" : string.Join(", ", field.AllowedValues);
            text.Append(CultureInfo.InvariantCulture,
                $"| `{field.Name}` | {KindText(field.Kind)} | {required} | {field.MaxLength} | {allowed} | {Escape(field.Description)} |\n");
        }

        return text.ToString();
    }

    /// <summary>Each canonical field with the column each provider's default profile reads it from.</summary>
    public static string ProviderColumnTable(ImportFileType type)
    {
        var spec = DmsFileSpecs.For(type);
        var profiles = DefaultImportProfiles.Providers.Select(p => DefaultImportProfiles.For(p, type)).ToList();
        var text = new StringBuilder();
        text.Append("| Field |");
        foreach (var profile in profiles)
        {
            text.Append(CultureInfo.InvariantCulture, $" {profile.DmsProvider} |");
        }

        text.Append('\n').Append("| --- |");
        foreach (var _ in profiles)
        {
            text.Append(" --- |");
        }

        text.Append('\n');
        foreach (var field in spec.Fields)
        {
            text.Append(CultureInfo.InvariantCulture, $"| `{field.Name}` |");
            foreach (var profile in profiles)
            {
                var source = profile.Columns.FirstOrDefault(c => c.Field == field.Name)?.Source;
                var shown = source is null ? "(not delivered)" : profile.HasHeaderRow ? $"`{source}`" : $"column {source}";
                text.Append(CultureInfo.InvariantCulture, $" {shown} |");
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The file format of each provider's profile for a type, and its sample file.</summary>
    public static string ProviderFormatTable(ImportFileType type)
    {
        var text = new StringBuilder();
        text.Append("| Provider | Profile | File names | Delimiter | Quote | Encoding | Dates | Decimals | Header row | Sample |\n");
        text.Append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        foreach (var provider in DefaultImportProfiles.Providers)
        {
            var p = DefaultImportProfiles.For(provider, type);
            var sample = ImportSamples.For(provider, type);
            var folder = provider.Replace(" ", "", StringComparison.Ordinal);
            text.Append(CultureInfo.InvariantCulture,
                $"| {provider} | {p.Name} | `{p.FileNamePattern}` | `{Printable(p.Delimiter)}` | `{p.Quote}` | {p.Encoding} | `{p.DateFormat}` | `{p.DecimalSeparator}` | {(p.HasHeaderRow ? "yes" : "no")} | [{sample.FileName}](../Samples/{folder}/{sample.FileName}) ({sample.DataRows} rows) |\n");
        }

        return text.ToString();
    }

    /// <summary>Every choice field's allowed values and the synonyms the reader accepts for them.</summary>
    public static string ChoiceSynonymTable()
    {
        var text = new StringBuilder();
        text.Append("| Field | Value | Also accepted |\n");
        text.Append("| --- | --- | --- |\n");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in DmsFileSpecs.All.SelectMany(s => s.Fields).Where(f => f.Kind == DmsFieldKind.Choice && seen.Add(f.Name)))
        {
            ChoiceSynonyms.ByField.TryGetValue(field.Name, out var synonyms);
            foreach (var value in field.AllowedValues)
            {
                var words = synonyms is not null && synonyms.TryGetValue(value, out var list) ? string.Join(", ", list) : "";
                text.Append(CultureInfo.InvariantCulture, $"| `{field.Name}` | {value} | {Escape(words)} |\n");
            }
        }

        return text.ToString();
    }

    /// <summary>The country spellings accepted besides the ISO 3166-1 alpha-2 codes.</summary>
    public static string CountrySynonymTable()
    {
        var text = new StringBuilder();
        text.Append("| Code | Also accepted |\n");
        text.Append("| --- | --- |\n");
        foreach (var group in CountryCodes.Synonyms.GroupBy(p => p.Value).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"| {group.Key} | {string.Join(", ", group.Select(p => p.Key))} |\n");
        }

        return text.ToString();
    }

    /// <summary>The index of the file type documents.</summary>
    public static string FileTypeIndex()
    {
        var text = new StringBuilder();
        text.Append("| File type | Record key | Document | Purpose |\n");
        text.Append("| --- | --- | --- | --- |\n");
        foreach (var spec in DmsFileSpecs.All)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"| {spec.FileType} | `{spec.KeyField}` | [{FileNameOf(spec.FileType)}]({FileNameOf(spec.FileType)}) | {Escape(spec.Description)} |\n");
        }

        return text.ToString();
    }

    private static string KindText(DmsFieldKind kind) => kind switch
    {
        DmsFieldKind.Key => "key",
        DmsFieldKind.Text => "text",
        DmsFieldKind.Date => "date",
        DmsFieldKind.DateTime => "date and time",
        DmsFieldKind.WholeNumber => "whole number",
        DmsFieldKind.Number => "number",
        DmsFieldKind.Vin => "VIN",
        DmsFieldKind.Email => "e-mail",
        DmsFieldKind.Phone => "phone",
        DmsFieldKind.Country => "country",
        DmsFieldKind.Choice => "choice",
        DmsFieldKind.Flag => "yes/no",
        _ => kind.ToString(),
    };

    private static string Printable(string delimiter) => delimiter == "\t" ? "\\t" : delimiter;

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
