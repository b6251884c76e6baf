using AutomotiveCrm.Domain.Campaigns.Exports;
using ClosedXML.Excel;

namespace AutomotiveCrm.Web.Campaigns.Exports;

/// <summary>
/// The call list's columns, shared by the styled workbook, the streamed workbook and the PDF. There is no salesperson
/// column: the model has no salesperson (customers, relationships and sales carry none).
/// </summary>
public static class CallListColumns
{
    public const string SheetName = "Call list";

    /// <summary>Header, width in Excel character units, and whether the column is filled in by the caller.</summary>
    public static IReadOnlyList<(string Header, double Width)> All { get; } =
    [
        ("Customer id", 12), ("Customer", 34), ("Phones", 34), ("Vehicle", 30), ("Last service", 13), ("Responsible dealer", 26),
        ("Phone marketing consent", 12), ("Outcome", 24), ("Notes", 48),
    ];

    public const int OutcomeColumn = 8;
    public const int LastServiceColumn = 5;

    /// <summary>The drop-down's list as a data-validation formula: the values in quotes, comma-separated.</summary>
    public static string OutcomeListFormula => "\"" + string.Join(',', CallOutcomes.All) + "\"";

    public static string Consent(bool consent) => consent ? "Yes" : "No";

    public static string?[] Texts(CallListRow row) =>
        [null, row.Customer, row.Phones, row.Vehicle, null, row.ResponsibleDealer, Consent(row.PhoneMarketingConsent), "", ""];
}

/// <summary>
/// The call list as a styled workbook with ClosedXML, for lists of ordinary size (ClosedXML holds the workbook in memory;
/// long lists use <see cref="CallListStreamWriter"/>): a bold shaded header row that stays frozen, an auto-filter over
/// the list, explicit column widths (measuring text needs System.Drawing, absent on Linux), the last service as a date,
/// and the outcome column with a drop-down. Text is written with <c>SetValue</c>, so it is always a string cell, never
/// a formula; a value that starts like a formula also gets the quote-prefix style (<see cref="ExportText"/>).
/// </summary>
public static class CallListWorkbook
{
    public static void Write(IEnumerable<CallListRow> rows, Stream output, string title)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(output);
        using var workbook = new XLWorkbook();
        workbook.Properties.Title = title;
        workbook.Properties.Author = "AutomotiveCrm";
        var sheet = workbook.Worksheets.Add(CallListColumns.SheetName);
        var columns = CallListColumns.All;
        for (var c = 0; c < columns.Count; c++)
        {
            sheet.Cell(1, c + 1).SetValue(columns[c].Header);
            sheet.Column(c + 1).Width = columns[c].Width;
        }

        var header = sheet.Range(1, 1, 1, columns.Count);
        header.Style.Font.Bold = true;
        header.Style.Fill.BackgroundColor = XLColor.FromArgb(0xDD, 0xE5, 0xF0);
        header.Style.Alignment.WrapText = true;
        header.Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;

        var r = 1;
        foreach (var row in rows)
        {
            r++;
            sheet.Cell(r, 1).SetValue(row.CustomerId);
            var texts = CallListColumns.Texts(row);
            for (var c = 1; c < texts.Length; c++)
            {
                if (texts[c] is { Length: > 0 } text)
                {
                    var cell = sheet.Cell(r, c + 1);
                    cell.SetValue(ExportText.ForSpreadsheet(text));
                    if (ExportText.IsDangerous(text))
                    {
                        cell.Style.IncludeQuotePrefix = true;
                    }
                }
            }

            if (row.LastService is { } last)
            {
                var cell = sheet.Cell(r, CallListColumns.LastServiceColumn);
                cell.SetValue(last.ToDateTime(TimeOnly.MinValue));
                cell.Style.DateFormat.Format = "yyyy-mm-dd";
            }
        }

        var lastRow = Math.Max(r, 2);
        sheet.SheetView.FreezeRows(1);
        sheet.Range(1, 1, lastRow, columns.Count).SetAutoFilter();
        var outcome = sheet.Range(2, CallListColumns.OutcomeColumn, lastRow, CallListColumns.OutcomeColumn).SetDataValidation();
        outcome.List(CallListColumns.OutcomeListFormula, true);
        outcome.IgnoreBlanks = true;
        outcome.ShowErrorMessage = true;
        outcome.ErrorTitle = "Outcome";
        outcome.ErrorMessage = "Pick an outcome from the list.";
        sheet.Range(2, CallListColumns.OutcomeColumn + 1, lastRow, CallListColumns.OutcomeColumn + 1).Style.Alignment.WrapText = true;
        workbook.SaveAs(output);
    }
}
