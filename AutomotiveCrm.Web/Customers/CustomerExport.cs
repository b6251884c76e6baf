using System.Globalization;
using System.Text;
using AutomotiveCrm.Domain.Customers;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace AutomotiveCrm.Web.Customers;

/// <summary>
/// Writes the customer list to CSV and XLSX row by row, whatever its length. Every text cell that a spreadsheet
/// could read as a formula (starting with = + - @, a tab or a carriage return) is prefixed with a single quote:
/// customer data is typed by the public and by imports, and must never run in a marketer's Excel.
/// </summary>
public static class CustomerExport
{
    public static readonly string[] Headers =
        ["Id", "Name", "Dealer group", "E-mail", "Phone", "Postcode", "Responsible dealer", "Vehicles", "Updated (UTC)", "Created (UTC)"];

    /// <summary>The cell as a spreadsheet will show it, never as a formula.</summary>
    public static string Neutralise(string? value) => AutomotiveCrm.Domain.Campaigns.Exports.ExportText.Neutralise(value);

    /// <summary>UTF-8 with a byte-order mark (so Excel reads it as UTF-8), RFC 4180 quoting, CRLF line ends.</summary>
    public static async Task WriteCsvAsync(IAsyncEnumerable<CustomerRow> rows, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 64 * 1024, leaveOpen: true);
        await writer.WriteAsync(string.Join(',', Headers.Select(Quote)) + "\r\n");
        var count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(string.Join(',', Cells(row).Select(c => Quote(Neutralise(c)))) + "\r\n");
            if (++count % 1000 == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        await writer.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// One worksheet written with <see cref="OpenXmlWriter"/> (SAX-style: rows are not held in memory). The package
    /// needs a seekable stream: give it a file or a memory stream, then copy that to a response.
    /// </summary>
    public static async Task WriteXlsxAsync(IAsyncEnumerable<CustomerRow> rows, Stream seekableOutput, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var document = SpreadsheetDocument.Create(seekableOutput, SpreadsheetDocumentType.Workbook);
        var workbookPart = document.AddWorkbookPart();
        var sheetPart = workbookPart.AddNewPart<WorksheetPart>();
        using (var writer = OpenXmlWriter.Create(sheetPart))
        {
            writer.WriteStartElement(new Worksheet());
            // Fixed widths: measuring text to fit columns needs fonts the server may not have.
            writer.WriteStartElement(new Columns());
            double[] widths = [10, 32, 24, 32, 18, 12, 28, 10, 20, 20];
            for (var i = 0; i < widths.Length; i++)
            {
                writer.WriteElement(new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = widths[i], CustomWidth = true });
            }

            writer.WriteEndElement();
            writer.WriteStartElement(new SheetData());
            WriteRow(writer, Headers.Select(h => (object?)h));
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                WriteRow(writer, [row.Id, row.DisplayName, row.GroupName, row.Email, row.Phone, row.Postcode, row.ResponsibleDealer, row.Vehicles,
                    Timestamp(row.UpdatedAt), Timestamp(row.CreatedAt)]);
            }

            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        using (var writer = OpenXmlWriter.Create(workbookPart))
        {
            writer.WriteStartElement(new Workbook());
            writer.WriteStartElement(new Sheets());
            writer.WriteElement(new Sheet { Name = "Customers", SheetId = 1, Id = workbookPart.GetIdOfPart(sheetPart) });
            writer.WriteEndElement();
            writer.WriteEndElement();
        }
    }

    private static void WriteRow(OpenXmlWriter writer, IEnumerable<object?> values)
    {
        writer.WriteStartElement(new Row());
        foreach (var value in values)
        {
            if (value is long or int)
            {
                writer.WriteElement(new Cell
                {
                    DataType = CellValues.Number,
                    CellValue = new CellValue(Convert.ToString(value, CultureInfo.InvariantCulture)!),
                });
            }
            else
            {
                writer.WriteElement(new Cell
                {
                    DataType = CellValues.InlineString,
                    InlineString = new InlineString(new Text(XmlSafe(Neutralise(value as string))) { Space = SpaceProcessingModeValues.Preserve }),
                });
            }
        }

        writer.WriteEndElement();
    }

    private static IEnumerable<string> Cells(CustomerRow row) =>
    [
        row.Id.ToString(CultureInfo.InvariantCulture), row.DisplayName, row.GroupName, row.Email ?? "", row.Phone ?? "", row.Postcode ?? "",
        row.ResponsibleDealer ?? "", row.Vehicles.ToString(CultureInfo.InvariantCulture), Timestamp(row.UpdatedAt), Timestamp(row.CreatedAt),
    ];

    private static string Timestamp(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    /// <summary>XML 1.0 cannot carry most control characters; an imported value may contain them.</summary>
    private static string XmlSafe(string value) =>
        value.Any(ch => ch < 0x20 && ch is not ('\t' or '\n' or '\r'))
            ? new string(value.Where(ch => ch >= 0x20 || ch is '\t' or '\n' or '\r').ToArray())
            : value;
}
