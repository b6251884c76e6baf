using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;
using AutomotiveCrm.Domain.Campaigns.Exports;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace AutomotiveCrm.Web.Campaigns.Exports;

/// <summary>
/// The call list workbook written as a stream (DocumentFormat.OpenXml's SAX-style <see cref="OpenXmlWriter"/>), for
/// lists too long for ClosedXML's in-memory model: memory stays flat whatever the length. Same columns and the same
/// features as <see cref="CallListWorkbook"/>: a styled header frozen at the top, an auto-filter over the list, explicit
/// widths, dates as dates, the outcome drop-down (a data validation over the whole column), every text an inline
/// string (never a formula) and formula-like text carrying the quote-prefix style (<see cref="ExportText"/>).
/// </summary>
/// <remarks>
/// The zip is written in streaming (create) mode and each part is produced by an <see cref="OpenXmlWriter"/> straight
/// into its zip entry; the small fixed parts (content types, relationships, properties) are written as text. The SDK's
/// own package layer cannot do this: <c>SpreadsheetDocument.Create(stream)</c> opens the zip in update mode, which
/// holds every part in memory until the end, and refuses a write-only package.
/// </remarks>
public static class CallListStreamWriter
{
    private const string StyleHeader = "1";
    private const string StyleQuoted = "2";
    private const string StyleDate = "3";
    private static readonly DateOnly ExcelEpoch = new(1899, 12, 30);

    /// <summary>Writes the workbook; <paramref name="output"/> stays open. Returns the number of customer rows written.</summary>
    public static async Task<int> WriteAsync(IAsyncEnumerable<CallListRow> rows, Stream output, string title, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(output);
        var count = 0;
        var columns = CallListColumns.All;
        var letters = columns.Select((_, i) => ((char)('A' + i)).ToString()).ToArray();
        using (var zip = new ZipArchive(new WriteOnlyStream(output), ZipArchiveMode.Create, leaveOpen: true))
        {
            await WriteTextAsync(zip, "[Content_Types].xml", ContentTypes);
            await WriteTextAsync(zip, "_rels/.rels", PackageRelationships);
            await WriteTextAsync(zip, "docProps/core.xml", CoreProperties(title));
            await WriteTextAsync(zip, "xl/_rels/workbook.xml.rels", WorkbookRelationships);
            await using (var part = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest).Open())
            using (var writer = OpenXmlWriter.Create(part))
            {
                writer.WriteStartElement(new Worksheet());
                writer.WriteStartElement(new SheetViews());
                writer.WriteStartElement(new SheetView { WorkbookViewId = 0, TabSelected = true });
                writer.WriteElement(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen });
                writer.WriteElement(new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } });
                writer.WriteEndElement();
                writer.WriteEndElement();
                writer.WriteStartElement(new Columns());
                // The stored width includes the cell padding (0.71 characters of the default font) that Excel and
                // ClosedXML add to the width a user sees.
                for (var c = 0; c < columns.Count; c++)
                {
                    writer.WriteElement(new Column { Min = (uint)(c + 1), Max = (uint)(c + 1), Width = columns[c].Width + 0.71, CustomWidth = true });
                }

                writer.WriteEndElement();
                writer.WriteStartElement(new SheetData());
                var cells = new CellWriter(writer);
                writer.WriteStartElement(new Row(), [new OpenXmlAttribute("r", "", "1")]);
                for (var c = 0; c < columns.Count; c++)
                {
                    cells.Text(letters[c] + "1", columns[c].Header, StyleHeader);
                }

                writer.WriteEndElement();

                await foreach (var row in rows.WithCancellation(cancellationToken))
                {
                    count++;
                    var r = (count + 1).ToString(CultureInfo.InvariantCulture);
                    writer.WriteStartElement(new Row(), [new OpenXmlAttribute("r", "", r)]);
                    cells.Number(letters[0] + r, row.CustomerId.ToString(CultureInfo.InvariantCulture), null);
                    var texts = CallListColumns.Texts(row);
                    for (var c = 1; c < texts.Length; c++)
                    {
                        if (c == CallListColumns.LastServiceColumn - 1)
                        {
                            if (row.LastService is { } last)
                            {
                                cells.Number(letters[c] + r, (last.DayNumber - ExcelEpoch.DayNumber).ToString(CultureInfo.InvariantCulture), StyleDate);
                            }
                        }
                        else if (texts[c] is { Length: > 0 } text)
                        {
                            cells.Text(letters[c] + r, text, ExportText.IsDangerous(text) ? StyleQuoted : null);
                        }
                    }

                    writer.WriteEndElement();
                }

                writer.WriteEndElement(); // sheetData
                var lastRow = Math.Max(count + 1, 2).ToString(CultureInfo.InvariantCulture);
                writer.WriteElement(new AutoFilter { Reference = $"A1:{letters[^1]}{lastRow}" });
                var outcome = letters[CallListColumns.OutcomeColumn - 1];
                writer.WriteStartElement(new DataValidations { Count = 1 });
                writer.WriteStartElement(new DataValidation
                {
                    Type = DataValidationValues.List,
                    AllowBlank = true,
                    ShowErrorMessage = true,
                    ShowInputMessage = true,
                    ErrorTitle = "Outcome",
                    Error = "Pick an outcome from the list.",
                    SequenceOfReferences = new ListValue<StringValue> { InnerText = $"{outcome}2:{outcome}{lastRow}" },
                });
                writer.WriteElement(new Formula1(CallListColumns.OutcomeListFormula));
                writer.WriteEndElement();
                writer.WriteEndElement();
                writer.WriteEndElement(); // worksheet
            }

            await using (var part = zip.CreateEntry("xl/styles.xml", CompressionLevel.Fastest).Open())
            using (var writer = OpenXmlWriter.Create(part))
            {
                writer.WriteElement(Styles());
            }

            await using (var part = zip.CreateEntry("xl/workbook.xml", CompressionLevel.Fastest).Open())
            using (var writer = OpenXmlWriter.Create(part))
            {
                writer.WriteStartElement(new Workbook());
                writer.WriteStartElement(new Sheets());
                writer.WriteElement(new Sheet { Name = CallListColumns.SheetName, SheetId = 1, Id = "rId1" });
                writer.WriteEndElement();
                writer.WriteStartElement(new DefinedNames());
                writer.WriteElement(new DefinedName($"'{CallListColumns.SheetName}'!$A$1:${letters[^1]}${Math.Max(count + 1, 2)}")
                {
                    Name = "_xlnm._FilterDatabase",
                    LocalSheetId = 0,
                    Hidden = true,
                });
                writer.WriteEndElement();
                writer.WriteEndElement();
            }
        }

        return count;
    }

    private const string ContentTypes =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>" +
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" +
        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>" +
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/>" +
        "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>" +
        "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" +
        "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>" +
        "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>" +
        "</Types>";

    private const string PackageRelationships =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>" +
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>" +
        "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>" +
        "</Relationships>";

    private const string WorkbookRelationships =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>" +
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>" +
        "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>" +
        "</Relationships>";

    private static string CoreProperties(string title) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>" +
        "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" " +
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">" +
        "<dc:title>" + SecurityElement.Escape(ExportText.ForSpreadsheet(title)) + "</dc:title><dc:creator>AutomotiveCrm</dc:creator></cp:coreProperties>";

    private static async Task WriteTextAsync(ZipArchive zip, string name, string content)
    {
        await using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        var bytes = Encoding.UTF8.GetBytes(content);
        await stream.WriteAsync(bytes);
    }

    /// <summary>Default, header (bold on a light fill, wrapped), quote-prefixed text, date (yyyy-mm-dd), wrapped text.</summary>
    private static Stylesheet Styles() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "yyyy-mm-dd" }) { Count = 1 },
        new Fonts(
            new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" })) { Count = 2 },
        new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFDDE5F0" }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid })) { Count = 3 },
        new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
        new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
        new CellFormats(
            new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0 },
            new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top })
            {
                NumberFormatId = 0, FontId = 1, FillId = 2, BorderId = 0, FormatId = 0, ApplyFont = true, ApplyFill = true, ApplyAlignment = true,
            },
            new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, QuotePrefix = true },
            new CellFormat { NumberFormatId = 164, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true },
            new CellFormat(new Alignment { WrapText = true }) { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyAlignment = true })
        { Count = 5 },
        new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });

    /// <summary>Writes cells with reused element templates and attribute lists (one allocation-light call per cell).</summary>
    private sealed class CellWriter(OpenXmlWriter writer)
    {
        private readonly Cell cell = new();
        private readonly CellValue value = new();
        private readonly InlineString inline = new();
        private readonly Text text = new();
        private readonly OpenXmlAttribute[] preserve = [new("xml:space", "http://www.w3.org/XML/1998/namespace", "preserve")];

        public void Text(string reference, string content, string? style)
        {
            writer.WriteStartElement(cell, style is null
                ? [new OpenXmlAttribute("r", "", reference), new OpenXmlAttribute("t", "", "inlineStr")]
                : [new OpenXmlAttribute("r", "", reference), new OpenXmlAttribute("s", "", style), new OpenXmlAttribute("t", "", "inlineStr")]);
            writer.WriteStartElement(inline);
            writer.WriteStartElement(text, preserve);
            writer.WriteString(ExportText.ForSpreadsheet(content));
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        public void Number(string reference, string number, string? style)
        {
            writer.WriteStartElement(cell, style is null
                ? [new OpenXmlAttribute("r", "", reference)]
                : [new OpenXmlAttribute("r", "", reference), new OpenXmlAttribute("s", "", style)]);
            writer.WriteStartElement(value);
            writer.WriteString(number);
            writer.WriteEndElement();
            writer.WriteEndElement();
        }
    }

    /// <summary>Presents a stream as write-only and forward-only, which makes the package stream its parts into the zip.</summary>
    private sealed class WriteOnlyStream(Stream inner) : Stream
    {
        private long written;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => written; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            written += count;
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            written += buffer.Length;
        }

        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
