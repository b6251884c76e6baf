using System.Globalization;
using AutomotiveCrm.Domain.Imports.Monitoring;
using SkiaSharp;

namespace AutomotiveCrm.Web.Imports.Reports;

/// <summary>
/// The daily import KPI report as a PDF (SkiaSharp's PDF backend): A4 portrait pages with a title, the day and
/// scope, the totals, a bar chart of rows per dealer, a table of every dealer that continues over as many pages as
/// it needs (its header repeated), and the failures with their reasons. Text is DejaVu Sans through fontconfig.
/// </summary>
public static class ImportKpiPdf
{
    private const float PageWidth = 595f;   // A4 in points
    private const float PageHeight = 842f;
    private const float Margin = 40f;
    private const float ContentWidth = PageWidth - (2 * Margin);
    private const int ChartDealers = 20;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly SKColor Ink = new(0x21, 0x21, 0x21);
    private static readonly SKColor Muted = new(0x6b, 0x6b, 0x6b);
    private static readonly SKColor Rule = new(0xd0, 0xd0, 0xd0);
    private static readonly SKColor Band = new(0xf3, 0xf5, 0xf8);
    private static readonly SKColor Primary = new(0x1e, 0x3a, 0x5f);
    private static readonly SKColor Failure = new(0xc6, 0x28, 0x28);

    /// <summary>The chart's segments of a dealer's rows read, in stacking order.</summary>
    private static readonly (string Label, SKColor Colour, Func<ImportKpiRow, long> Value)[] Segments =
    [
        ("Inserted", new SKColor(0x2e, 0x7d, 0x32), r => r.RowsInserted),
        ("Updated", new SKColor(0x1e, 0x88, 0xe5), r => r.RowsUpdated),
        ("Unchanged", new SKColor(0xb0, 0xbe, 0xc5), r => r.RowsUnchanged),
        ("Duplicate", new SKColor(0xf9, 0xa8, 0x25), r => r.RowsDuplicate),
        ("Rejected", Failure, r => r.RowsRejected),
    ];

    private static readonly (string Header, float Width, bool Right, Func<ImportKpiRow, string> Value)[] Columns =
    [
        ("Dealer", 62, false, r => r.DealerCode),
        ("Group", 58, false, r => r.GroupCode),
        ("Files", 30, true, r => N(r.FilesReceived)),
        ("Done", 30, true, r => N(r.FilesCompleted)),
        ("Failed", 34, true, r => N(r.FilesFailed)),
        ("Refused", 40, true, r => N(r.FilesRefused)),
        ("Read", 45, true, r => N(r.RowsRead)),
        ("Rejected", 45, true, r => N(r.RowsRejected)),
        ("Dupl.", 38, true, r => N(r.RowsDuplicate)),
        ("Inserted", 45, true, r => N(r.RowsInserted)),
        ("Updated", 44, true, r => N(r.RowsUpdated)),
        ("Unchanged", 44, true, r => N(r.RowsUnchanged)),
    ];

    public static string N(long value) => value.ToString("N0", Invariant);

    public static string FileName(ImportKpiReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return string.Create(Invariant, $"import-report-{report.Day:yyyy-MM-dd}.pdf");
    }

    /// <summary>Writes the report to <paramref name="output"/> (which stays open).</summary>
    public static void Write(ImportKpiReport report, Stream output, DateTime generatedAtUtc)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var metadata = new SKDocumentPdfMetadata
        {
            Title = string.Create(Invariant, $"Daily import report {report.Day:yyyy-MM-dd} - {report.ScopeName}"),
            Author = "AutomotiveCrm",
            Creator = "AutomotiveCrm",
            Creation = generatedAtUtc,
            Modified = generatedAtUtc,
        };
        using var document = SKDocument.CreatePdf(output, metadata);
        using var pages = new PageWriter(document, report, generatedAtUtc);
        pages.Begin();
        WriteHeading(pages, report);
        WriteTotals(pages, report.Totals);
        WriteChart(pages, report.Dealers);
        WriteTable(pages, report);
        WriteFailures(pages, report.Failures);
        pages.Finish();
        document.Close();
    }

    private static void WriteHeading(PageWriter pages, ImportKpiReport report)
    {
        pages.Text("Daily import report", Margin, pages.Y + 22, pages.Title, Primary);
        pages.Y += 34;
        pages.Text(string.Create(Invariant, $"{report.ScopeName} · {report.Day:yyyy-MM-dd} ({report.Day.ToString("dddd d MMMM yyyy", Invariant)}, {report.TimeZoneId})"),
            Margin, pages.Y + 12, pages.Body, Ink);
        pages.Y += 18;
        pages.Text(string.Create(Invariant, $"Files counted on the day they were received; {report.Dealers.Count} dealers in scope."),
            Margin, pages.Y + 10, pages.Small, Muted);
        pages.Y += 24;
    }

    private static void WriteTotals(PageWriter pages, ImportKpiRow totals)
    {
        pages.Section("Totals");
        (string Label, long Value, bool Alarm)[] files =
        [
            ("Files received", totals.FilesReceived, false), ("Completed", totals.FilesCompleted, false),
            ("Failed", totals.FilesFailed, totals.FilesFailed > 0), ("Refused", totals.FilesRefused, totals.FilesRefused > 0),
            ("Still running", totals.FilesRunning, false),
        ];
        (string Label, long Value, bool Alarm)[] rows =
        [
            ("Rows read", totals.RowsRead, false), ("Rejected", totals.RowsRejected, totals.RowsRejected > 0),
            ("Duplicates", totals.RowsDuplicate, false), ("Inserted", totals.RowsInserted, false),
            ("Updated", totals.RowsUpdated, false), ("Unchanged", totals.RowsUnchanged, false),
        ];
        foreach (var line in new[] { files, rows })
        {
            pages.EnsureSpace(44);
            var width = ContentWidth / line.Length;
            for (var i = 0; i < line.Length; i++)
            {
                var x = Margin + (i * width);
                pages.Fill(new SKRect(x + 2, pages.Y, x + width - 2, pages.Y + 40), Band);
                pages.Text(N(line[i].Value), x + 8, pages.Y + 19, pages.Figure, line[i].Alarm ? Failure : Ink);
                pages.Text(line[i].Label, x + 8, pages.Y + 33, pages.Small, Muted);
            }

            pages.Y += 46;
        }

        pages.Y += 8;
    }

    private static void WriteChart(PageWriter pages, IReadOnlyList<ImportKpiRow> dealers)
    {
        var shown = dealers.Where(d => d.RowsRead > 0).OrderByDescending(d => d.RowsRead).ThenBy(d => d.DealerCode, StringComparer.Ordinal)
            .Take(ChartDealers).ToList();
        var withRows = dealers.Count(d => d.RowsRead > 0);
        pages.Section(withRows > ChartDealers ? string.Create(Invariant, $"Rows per dealer (the {ChartDealers} largest of {withRows})") : "Rows per dealer");
        if (shown.Count == 0)
        {
            pages.Line("No rows were read on this day.", pages.Body, Muted);
            pages.Y += 8;
            return;
        }

        const float labelWidth = 70f;
        const float valueWidth = 60f;
        const float barHeight = 11f;
        const float rowHeight = 15f;
        var barArea = ContentWidth - labelWidth - valueWidth;
        var max = shown.Max(d => d.RowsRead);

        // Legend first, so it is on the page with the first bars.
        pages.EnsureSpace(18 + rowHeight);
        var legendX = Margin + labelWidth;
        foreach (var (label, colour, _) in Segments)
        {
            pages.Fill(new SKRect(legendX, pages.Y + 2, legendX + 9, pages.Y + 11), colour);
            pages.Text(label, legendX + 12, pages.Y + 10, pages.Small, Ink);
            legendX += 18 + pages.Small.MeasureText(label);
        }

        pages.Y += 18;
        foreach (var dealer in shown)
        {
            pages.EnsureSpace(rowHeight);
            pages.Text(dealer.DealerCode, Margin, pages.Y + 9, pages.Small, Ink);
            var x = Margin + labelWidth;
            foreach (var (_, colour, value) in Segments)
            {
                var width = barArea * value(dealer) / max;
                if (width > 0)
                {
                    pages.Fill(new SKRect(x, pages.Y, x + width, pages.Y + barHeight), colour);
                    x += width;
                }
            }

            pages.TextRight(N(dealer.RowsRead), PageWidth - Margin, pages.Y + 9, pages.Small, Ink);
            pages.Y += rowHeight;
        }

        pages.Y += 10;
    }

    private static void WriteTable(PageWriter pages, ImportKpiReport report)
    {
        pages.Section("Dealers");
        const float rowHeight = 14f;
        pages.EnsureSpace(rowHeight * 3);
        TableHeader(pages);
        var index = 0;
        foreach (var row in report.Dealers)
        {
            if (pages.EnsureSpace(rowHeight))
            {
                pages.Line("Dealers (continued)", pages.Bold, Primary);
                TableHeader(pages);
            }

            if (index++ % 2 == 1)
            {
                pages.Fill(new SKRect(Margin, pages.Y, PageWidth - Margin, pages.Y + rowHeight), Band);
            }

            TableRow(pages, row, pages.Small, row.FilesFailed > 0 ? Failure : Ink);
            pages.Y += rowHeight;
        }

        pages.EnsureSpace(rowHeight + 2);
        pages.Stroke(Margin, pages.Y, PageWidth - Margin, pages.Y, Ink);
        TableRow(pages, report.Totals, pages.SmallBold, Ink);
        pages.Y += rowHeight + 12;
    }

    private static void TableHeader(PageWriter pages)
    {
        var x = Margin;
        foreach (var (header, width, right, _) in Columns)
        {
            if (right)
            {
                pages.TextRight(header, x + width - 3, pages.Y + 10, pages.SmallBold, Ink);
            }
            else
            {
                pages.Text(header, x + 3, pages.Y + 10, pages.SmallBold, Ink);
            }

            x += width;
        }

        pages.Y += 14;
        pages.Stroke(Margin, pages.Y - 1, PageWidth - Margin, pages.Y - 1, Rule);
    }

    private static void TableRow(PageWriter pages, ImportKpiRow row, SKFont font, SKColor colour)
    {
        var x = Margin;
        foreach (var (_, width, right, value) in Columns)
        {
            var text = PageWriter.Fit(value(row), font, width - 6);
            if (right)
            {
                pages.TextRight(text, x + width - 3, pages.Y + 10, font, colour);
            }
            else
            {
                pages.Text(text, x + 3, pages.Y + 10, font, colour);
            }

            x += width;
        }
    }

    private static void WriteFailures(PageWriter pages, IReadOnlyList<ImportKpiFailure> failures)
    {
        pages.Section(failures.Count == 0 ? "Failures" : string.Create(Invariant, $"Failures ({failures.Count})"));
        if (failures.Count == 0)
        {
            pages.Line("No file failed or was refused on this day.", pages.Body, Muted);
            return;
        }

        foreach (var failure in failures)
        {
            var heading = string.Create(Invariant,
                $"{failure.DealerCode} · {failure.FileType} · {failure.Status} · import {failure.FileId} · received {failure.ReceivedAt:HH:mm} UTC");
            var lines = PageWriter.Wrap(failure.Reason, pages.Small, ContentWidth - 10);
            var name = PageWriter.Wrap(failure.OriginalName, pages.Small, ContentWidth - 10);
            pages.EnsureSpace(14 + (12 * Math.Min(lines.Count + name.Count, 4)));
            pages.Line(heading, pages.SmallBold, Failure);
            foreach (var line in name)
            {
                pages.EnsureSpace(12);
                pages.Text(line, Margin + 10, pages.Y + 9, pages.Small, Ink);
                pages.Y += 12;
            }

            foreach (var line in lines)
            {
                pages.EnsureSpace(12);
                pages.Text(line, Margin + 10, pages.Y + 9, pages.Small, Muted);
                pages.Y += 12;
            }

            pages.Y += 6;
        }
    }

    /// <summary>Pages, fonts and the vertical cursor; a new page repeats the running header and numbers the footer.</summary>
    private sealed class PageWriter : IDisposable
    {
        private readonly SKDocument document;
        private readonly ImportKpiReport report;
        private readonly DateTime generatedAt;
        private readonly SKTypeface regular = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
        private readonly SKTypeface bold = SKTypeface.FromFamilyName("DejaVu Sans", SKFontStyle.Bold) ?? SKTypeface.Default;
        private readonly SKPaint paint = new() { IsAntialias = true };
        private SKCanvas? canvas;
        private int pageNumber;

        public PageWriter(SKDocument document, ImportKpiReport report, DateTime generatedAt)
        {
            this.document = document;
            this.report = report;
            this.generatedAt = generatedAt;
            Title = new SKFont(bold, 20);
            Heading = new SKFont(bold, 12.5f);
            Figure = new SKFont(bold, 13);
            Body = new SKFont(regular, 10);
            Bold = new SKFont(bold, 10);
            Small = new SKFont(regular, 7.5f);
            SmallBold = new SKFont(bold, 7.5f);
        }

        public SKFont Title { get; }
        public SKFont Heading { get; }
        public SKFont Figure { get; }
        public SKFont Body { get; }
        public SKFont Bold { get; }
        public SKFont Small { get; }
        public SKFont SmallBold { get; }

        public float Y { get; set; }

        private const float Bottom = PageHeight - Margin - 16;

        public void Begin()
        {
            canvas = document.BeginPage(PageWidth, PageHeight);
            pageNumber++;
            Y = Margin;
            if (pageNumber > 1)
            {
                Text(string.Create(Invariant, $"Daily import report · {report.ScopeName} · {report.Day:yyyy-MM-dd}"), Margin, Y + 8, Small, Muted);
                Y += 20;
            }

            Text(string.Create(Invariant, $"Page {pageNumber} · generated {generatedAt:yyyy-MM-dd HH:mm} UTC by AutomotiveCrm"),
                Margin, PageHeight - Margin + 10, Small, Muted);
        }

        /// <summary>Starts a new page when <paramref name="height"/> does not fit; true when it did.</summary>
        public bool EnsureSpace(float height)
        {
            if (Y + height <= Bottom)
            {
                return false;
            }

            document.EndPage();
            Begin();
            return true;
        }

        public void Finish() => document.EndPage();

        public void Section(string title)
        {
            EnsureSpace(40);
            Text(title, Margin, Y + 13, Heading, Primary);
            Y += 18;
            Stroke(Margin, Y, PageWidth - Margin, Y, Rule);
            Y += 6;
        }

        public void Line(string text, SKFont font, SKColor colour)
        {
            EnsureSpace(font.Size + 6);
            Text(Fit(text, font, ContentWidth), Margin, Y + font.Size, font, colour);
            Y += font.Size + 6;
        }

        public void Text(string text, float x, float baseline, SKFont font, SKColor colour)
        {
            paint.Color = colour;
            paint.Style = SKPaintStyle.Fill;
            canvas!.DrawText(text, x, baseline, SKTextAlign.Left, font, paint);
        }

        public void TextRight(string text, float right, float baseline, SKFont font, SKColor colour)
        {
            paint.Color = colour;
            paint.Style = SKPaintStyle.Fill;
            canvas!.DrawText(text, right, baseline, SKTextAlign.Right, font, paint);
        }

        public void Fill(SKRect rect, SKColor colour)
        {
            paint.Color = colour;
            paint.Style = SKPaintStyle.Fill;
            canvas!.DrawRect(rect, paint);
        }

        public void Stroke(float x0, float y0, float x1, float y1, SKColor colour)
        {
            paint.Color = colour;
            paint.Style = SKPaintStyle.Stroke;
            paint.StrokeWidth = 0.6f;
            canvas!.DrawLine(x0, y0, x1, y1, paint);
        }

        /// <summary>The text cut (with an ellipsis) to fit <paramref name="width"/>.</summary>
        public static string Fit(string text, SKFont font, float width)
        {
            if (font.MeasureText(text) <= width)
            {
                return text;
            }

            var length = text.Length;
            while (length > 1 && font.MeasureText(text.AsSpan(0, length)) + font.MeasureText("…") > width)
            {
                length--;
            }

            return text[..length] + "…";
        }

        /// <summary>Lines of at most <paramref name="width"/>: broken at spaces, or inside a word too long for a line.</summary>
        public static List<string> Wrap(string text, SKFont font, float width)
        {
            var lines = new List<string>();
            foreach (var paragraph in Clean(text).Split('\n'))
            {
                var line = "";
                foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var candidate = line.Length == 0 ? word : line + " " + word;
                    if (font.MeasureText(candidate) <= width)
                    {
                        line = candidate;
                        continue;
                    }

                    if (line.Length > 0)
                    {
                        lines.Add(line);
                    }

                    line = word;
                    while (font.MeasureText(line) > width && line.Length > 1)
                    {
                        var cut = line.Length - 1;
                        while (cut > 1 && font.MeasureText(line.AsSpan(0, cut)) > width)
                        {
                            cut--;
                        }

                        lines.Add(line[..cut]);
                        line = line[cut..];
                    }
                }

                if (line.Length > 0)
                {
                    lines.Add(line);
                }
            }

            return lines;
        }

        /// <summary>Control characters (from file names and raw text) drawn as spaces; line breaks kept.</summary>
        private static string Clean(string text) =>
            new(text.ReplaceLineEndings("\n").Select(c => c != '\n' && char.IsControl(c) ? ' ' : c).ToArray());

        public void Dispose()
        {
            Title.Dispose();
            Heading.Dispose();
            Figure.Dispose();
            Body.Dispose();
            Bold.Dispose();
            Small.Dispose();
            SmallBold.Dispose();
            paint.Dispose();
            regular.Dispose();
            bold.Dispose();
        }
    }
}
