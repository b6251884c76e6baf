using AutomotiveCrm.Domain.Campaigns.Exports;
using AutomotiveCrm.Web.Campaigns.Exports;
using ClosedXML.Excel;
using UglyToad.PdfPig;

namespace AutomotiveCrm.Tests.Campaigns.Exports;

/// <summary>The call list workbooks read back with ClosedXML (styled and streamed alike), and its PDF with PdfPig.</summary>
public sealed class CallListWorkbookTests
{
    private static List<CallListRow> Rows()
    {
        var rows = new List<CallListRow>
        {
            new(11, "Ms Alex Morgan", "+44 7700 900123 (mobile), +44 113 496 0000 (home)", "Arden Kestrel YA19 KXP", new DateOnly(2026, 3, 14), "Newstar Leeds", true),
            new(12, "Northgate Fleet Ltd (Ann Lee)", "+44 7700 900456 (mobile)", null, null, null, false),
        };
        rows.AddRange(HostileValues.All.Select((v, i) => new CallListRow(100 + i, v, v, v, null, v, i % 2 == 0)));
        return rows;
    }

    private static XLWorkbook Styled(IEnumerable<CallListRow> rows)
    {
        var output = new MemoryStream();
        CallListWorkbook.Write(rows, output, "Test call list");
        output.Position = 0;
        return new XLWorkbook(output);
    }

    private static async Task<XLWorkbook> StreamedAsync(IEnumerable<CallListRow> rows)
    {
        var output = new MemoryStream();
        await CallListStreamWriter.WriteAsync(Async(rows), output, "Test call list");
        output.Position = 0;
        return new XLWorkbook(output);
    }

    private static async IAsyncEnumerable<T> Async<T>(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }

    private static void AssertCallList(XLWorkbook workbook, List<CallListRow> rows)
    {
        var sheet = workbook.Worksheet(CallListColumns.SheetName);
        Assert.Equal(CallListColumns.All.Select(c => c.Header), Enumerable.Range(1, CallListColumns.All.Count).Select(c => sheet.Cell(1, c).GetString()));
        Assert.True(sheet.Cell(1, 1).Style.Font.Bold);
        Assert.Equal(1, sheet.SheetView.SplitRow);
        Assert.Equal(0, sheet.SheetView.SplitColumn);
        Assert.True(sheet.AutoFilter.IsEnabled);
        Assert.Equal($"A1:I{rows.Count + 1}", sheet.AutoFilter.Range.RangeAddress.ToString());
        for (var c = 1; c <= CallListColumns.All.Count; c++)
        {
            Assert.Equal(CallListColumns.All[c - 1].Width, sheet.Column(c).Width, 1);
        }

        var validation = Assert.Single(sheet.DataValidations);
        Assert.Equal(XLAllowedValues.List, validation.AllowedValues);
        Assert.Equal(CallListColumns.OutcomeListFormula, validation.Value);
        Assert.Contains(validation.Ranges, r => r.RangeAddress.ToString() == $"H2:H{rows.Count + 1}");
        foreach (var outcome in CallOutcomes.All)
        {
            Assert.Contains(outcome, validation.Value, StringComparison.Ordinal);
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var r = i + 2;
            var row = rows[i];
            Assert.Equal(row.CustomerId, sheet.Cell(r, 1).GetValue<long>());
            string?[] expected = [row.Customer, row.Phones, row.Vehicle ?? "", null, row.ResponsibleDealer ?? "", row.PhoneMarketingConsent ? "Yes" : "No"];
            for (var c = 0; c < expected.Length; c++)
            {
                if (expected[c] is not { } text)
                {
                    continue;
                }

                var cell = sheet.Cell(r, c + 2);
                Assert.False(cell.HasFormula, $"{cell.Address} holds a formula.");
                Assert.Equal(ExportText.ForSpreadsheet(text), cell.GetString());
                if (text.Length > 0)
                {
                    Assert.Equal(XLDataType.Text, cell.DataType);
                }

                Assert.Equal(ExportText.IsDangerous(text), cell.Style.IncludeQuotePrefix);
            }

            var service = sheet.Cell(r, CallListColumns.LastServiceColumn);
            if (row.LastService is { } last)
            {
                Assert.Equal(XLDataType.DateTime, service.DataType);
                Assert.Equal(last.ToDateTime(TimeOnly.MinValue), service.GetDateTime());
            }
            else
            {
                Assert.True(service.IsEmpty());
            }
        }

        Assert.True(sheet.Row(rows.Count + 2).IsEmpty());
    }

    [Fact]
    public void Styled_ReadBack_HeaderFrozenFilterValidationAndTextCells()
    {
        var rows = Rows();
        using var workbook = Styled(rows);

        AssertCallList(workbook, rows);
    }

    [Fact]
    public async Task Streamed_ReadBack_SameWorkbookAsTheStyledOne()
    {
        var rows = Rows();
        using var workbook = await StreamedAsync(rows);

        AssertCallList(workbook, rows);
    }

    [Fact]
    public async Task Streamed_ManyRows_EveryRowInOrder()
    {
        var rows = ExportBenchmark.CallRows(3000).ToList();
        using var workbook = await StreamedAsync(rows);
        var sheet = workbook.Worksheet(1);

        Assert.Equal(rows.Count + 1, sheet.LastRowUsed().RowNumber());
        Assert.Equal(rows.Select(r => r.Customer), Enumerable.Range(2, rows.Count).Select(r => sheet.Cell(r, 2).GetString()));
        Assert.Equal(rows.Select(r => r.Phones), Enumerable.Range(2, rows.Count).Select(r => sheet.Cell(r, 3).GetString()));
    }

    [Fact]
    public void Pdf_ManyRows_HeaderOnEveryPageAndEveryCustomerPrinted()
    {
        var rows = ExportBenchmark.CallRows(60).Concat(Rows()).ToList();
        using var output = new MemoryStream();

        var pages = CallListPdfWriter.Write(rows, output, "Spring service call list", new DateTime(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc));

        using var pdf = PdfDocument.Open(output.ToArray());
        Assert.Equal(pages, pdf.NumberOfPages);
        Assert.True(pages >= 3);
        var text = string.Join("\n", pdf.GetPages().Select(p => p.Text));
        foreach (var page in pdf.GetPages())
        {
            Assert.Contains("Responsible dealer", page.Text, StringComparison.Ordinal);
            Assert.Contains("Outcome", page.Text, StringComparison.Ordinal);
            Assert.Contains("Spring service call list", page.Text, StringComparison.Ordinal);
            Assert.All(page.Letters, l => Assert.InRange(l.BoundingBox.Right, 0, page.Width));
        }

        Assert.Contains("Ms Alex Morgan", text, StringComparison.Ordinal);
        Assert.Contains("2026-03-14", text, StringComparison.Ordinal);
        Assert.Contains(rows[59].Customer.Replace(" ", "", StringComparison.Ordinal), text.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
