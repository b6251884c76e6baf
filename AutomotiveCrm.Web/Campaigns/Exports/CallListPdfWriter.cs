using System.Globalization;
using AutomotiveCrm.Domain.Campaigns.Exports;
using SkiaSharp;

namespace AutomotiveCrm.Web.Campaigns.Exports;

/// <summary>
/// The call list as a printable PDF: A4 landscape, a table whose header row is repeated on every page, each row two
/// lines high (customer and phones may wrap to a second line, then are cut with an ellipsis), the outcome as tick
/// boxes and a ruled notes column to fill in by hand. Text is printed as it is: nothing in a PDF is evaluated.
/// </summary>
public static class CallListPdfWriter
{
    private const float PageWidth = 842f;   // A4 landscape in points
    private const float PageHeight = 595f;
    private const float Margin = 28f;
    private const float RowHeight = 24f;
    private const float HeaderHeight = 16f;
    private static readonly SKColor Ink = new(0x21, 0x21, 0x21);
    private static readonly SKColor Muted = new(0x6b, 0x6b, 0x6b);
    private static readonly SKColor Rule = new(0xc8, 0xc8, 0xc8);
    private static readonly SKColor Band = new(0xdd, 0xe5, 0xf0);

    /// <summary>Column header and width in points (the notes column takes the rest of the page).</summary>
    private static readonly (string Header, float Width)[] Columns =
    [
        ("Customer", 140), ("Phones", 130), ("Vehicle", 120), ("Last service", 54), ("Responsible dealer", 100), ("Consent", 40),
        ("Outcome", 118), ("Notes", PageWidth - (2 * Margin) - 702),
    ];

    private static readonly string[] OutcomeMarks = ["Interested", "Not int.", "No answer", "Wrong no.", "Call back"];

    /// <summary>Writes the list; returns the number of pages.</summary>
    public static int Write(IReadOnlyList<CallListRow> rows, Stream output, string title, DateTime generatedAtUtc)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(output);
        var metadata = new SKDocumentPdfMetadata { Title = title, Author = "AutomotiveCrm", Creator = "AutomotiveCrm", Creation = generatedAtUtc, Modified = generatedAtUtc };
        using var document = SKDocument.CreatePdf(output, metadata);
        using var text = new PdfText();
        using var font = new SKFont(text.Regular, 7.5f) { Subpixel = true, Hinting = SKFontHinting.None, LinearMetrics = true };
        using var paint = new SKPaint { IsAntialias = true };
        var perPage = (int)((PageHeight - (2 * Margin) - 30 - HeaderHeight) / RowHeight);
        var pages = Math.Max(1, (rows.Count + perPage - 1) / perPage);
        for (var page = 0; page < pages; page++)
        {
            var canvas = document.BeginPage(PageWidth, PageHeight);
            font.Typeface = text.Bold;
            font.Size = 11;
            paint.Color = Ink;
            canvas.DrawText(PdfText.Fit(title, font, PageWidth - (2 * Margin) - 200), Margin, Margin + 10, SKTextAlign.Left, font, paint);
            font.Typeface = text.Regular;
            font.Size = 7.5f;
            paint.Color = Muted;
            canvas.DrawText(string.Create(CultureInfo.InvariantCulture, $"Page {page + 1} of {pages} · {rows.Count:N0} customers · generated {generatedAtUtc:yyyy-MM-dd HH:mm} UTC"),
                PageWidth - Margin, Margin + 10, SKTextAlign.Right, font, paint);

            var y = Margin + 24;
            paint.Color = Band;
            paint.Style = SKPaintStyle.Fill;
            canvas.DrawRect(new SKRect(Margin, y, PageWidth - Margin, y + HeaderHeight), paint);
            font.Typeface = text.Bold;
            paint.Color = Ink;
            var x = Margin;
            foreach (var (header, width) in Columns)
            {
                canvas.DrawText(header, x + 3, y + 11, SKTextAlign.Left, font, paint);
                x += width;
            }

            y += HeaderHeight;
            if (rows.Count == 0)
            {
                font.Typeface = text.Regular;
                canvas.DrawText("Nobody in this audience can be called.", Margin + 3, y + 14, SKTextAlign.Left, font, paint);
            }

            for (var i = page * perPage; i < Math.Min(rows.Count, (page + 1) * perPage); i++)
            {
                DrawRow(canvas, rows[i], y, text, font, paint);
                y += RowHeight;
            }

            document.EndPage();
        }

        document.Close();
        return pages;
    }

    private static void DrawRow(SKCanvas canvas, CallListRow row, float y, PdfText text, SKFont font, SKPaint paint)
    {
        string[] cells =
        [
            row.Customer, row.Phones, row.Vehicle ?? "", row.LastService?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
            row.ResponsibleDealer ?? "", CallListColumns.Consent(row.PhoneMarketingConsent),
        ];
        paint.Style = SKPaintStyle.Fill;
        paint.Color = Ink;
        var x = Margin;
        for (var c = 0; c < cells.Length; c++)
        {
            var width = Columns[c].Width - 6;
            var lines = PdfText.Wrap(ExportText.SingleLine(cells[c]), Face(text, font, cells[c]), width);
            for (var l = 0; l < Math.Min(2, lines.Count); l++)
            {
                var line = l == 1 && lines.Count > 2 ? PdfText.Fit(lines[1] + " …", font, width) : lines[l];
                canvas.DrawText(line, x + 3, y + 9 + (l * 9), SKTextAlign.Left, font, paint);
            }

            x += Columns[c].Width;
        }

        // The outcome as boxes to tick.
        font.Typeface = text.Regular;
        font.Size = 5.5f;
        paint.Color = Muted;
        var boxX = x + 3;
        foreach (var mark in OutcomeMarks.Take(3))
        {
            DrawBox(canvas, paint, boxX, y + 3.5f);
            canvas.DrawText(mark, boxX + 7, y + 9, SKTextAlign.Left, font, paint);
            boxX += 38;
        }

        boxX = x + 3;
        foreach (var mark in OutcomeMarks.Skip(3))
        {
            DrawBox(canvas, paint, boxX, y + 13.5f);
            canvas.DrawText(mark, boxX + 7, y + 19, SKTextAlign.Left, font, paint);
            boxX += 38;
        }

        font.Size = 7.5f;
        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = 0.5f;
        paint.Color = Rule;
        canvas.DrawLine(Margin, y + RowHeight, PageWidth - Margin, y + RowHeight, paint);
    }

    private static SKFont Face(PdfText text, SKFont font, string value)
    {
        font.Typeface = text.For(value, text.Regular);
        font.Size = 7.5f;
        return font;
    }

    private static void DrawBox(SKCanvas canvas, SKPaint paint, float x, float y)
    {
        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = 0.5f;
        canvas.DrawRect(new SKRect(x, y, x + 5, y + 5), paint);
        paint.Style = SKPaintStyle.Fill;
    }
}
