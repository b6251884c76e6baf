using System.Globalization;
using System.Text;
using AutomotiveCrm.Domain.Campaigns.Exports;

namespace AutomotiveCrm.Web.Campaigns.Exports;

/// <summary>
/// The labels for a print house (mail merge, franking): one row per label in print order, the address block split
/// into columns Line 1 .. Line 7 exactly as the label prints it, then the parts a print house sorts and checks by.
/// UTF-8 with a byte-order mark (Excel reads it as UTF-8), RFC 4180 quoting, CRLF line ends, and every field
/// neutralised against formula injection (<see cref="ExportText"/>).
/// </summary>
public static class PrintHouseCsv
{
    public const int AddressColumns = 7;

    public static IReadOnlyList<string> Header { get; } =
    [
        "Sequence", "Customer id",
        .. Enumerable.Range(1, AddressColumns).Select(i => string.Create(CultureInfo.InvariantCulture, $"Line {i}")),
        "Recipient", "Organisation", "Street", "Street 2", "Town", "Region", "Postcode", "Country code", "Country",
    ];

    public static async Task WriteAsync(IReadOnlyList<LabelRow> labels, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(output);
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true);
        await writer.WriteAsync(Row(Header));
        for (var i = 0; i < labels.Count; i++)
        {
            var label = labels[i];
            var a = label.Address;
            // A block longer than the columns (it cannot be on the sheets either) keeps its end: town and country.
            var lines = label.Lines.Count <= AddressColumns
                ? label.Lines
                : [.. label.Lines.Take(AddressColumns - 2), string.Join(", ", label.Lines.Skip(AddressColumns - 2).Take(label.Lines.Count - AddressColumns + 1)), label.Lines[^1]];
            var fields = new List<string?>(Header.Count)
            {
                (i + 1).ToString(CultureInfo.InvariantCulture),
                label.CustomerId.ToString(CultureInfo.InvariantCulture),
            };
            fields.AddRange(Enumerable.Range(0, AddressColumns).Select(c => c < lines.Count ? lines[c] : ""));
            fields.AddRange([a.Recipient, a.Organisation, a.Line1, a.Line2, a.Town, a.Region, a.Postcode, a.CountryCode, AddressFormat.CountryName(a.CountryCode)]);
            await writer.WriteAsync(Row(fields));
            if (i % 1000 == 999)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        await writer.FlushAsync(cancellationToken);
    }

    private static string Row(IEnumerable<string?> fields) => string.Join(',', fields.Select(ExportText.CsvField)) + "\r\n";
}
