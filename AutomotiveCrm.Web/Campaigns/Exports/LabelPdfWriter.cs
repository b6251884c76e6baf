using AutomotiveCrm.Domain.Campaigns.Exports;
using SkiaSharp;

namespace AutomotiveCrm.Web.Campaigns.Exports;

/// <summary>
/// Address labels as a PDF (SkiaSharp's PDF backend) for printing on label sheets: the labels in the order given (the
/// row query sorts them by postcode), row by row across each page. Every label's text stays inside its label: the
/// block is first set in one line per address line, shrinking the type down to 7 pt if a line is too long; if that is
/// not enough, long lines wrap (again from the largest size down to 5.5 pt); what still does not fit is cut with an
/// ellipsis. The block is centred vertically and left-aligned inside a padding.
/// </summary>
public static class LabelPdfWriter
{
    public const float MinFontSize = 5.5f;
    private const float ShrinkFloor = 7f;
    private const float LineSpacing = 1.18f;
    private const float PaddingXmm = 3f;
    private const float PaddingYmm = 1.5f;

    /// <summary>Writes <paramref name="labels"/> on the sheets of <paramref name="grid"/>; returns the number of pages.</summary>
    public static int Write(IReadOnlyList<LabelRow> labels, LabelGrid grid, Stream output, string title, DateTime generatedAtUtc, bool outlines = false)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(output);
        var metadata = new SKDocumentPdfMetadata
        {
            Title = title,
            Author = "AutomotiveCrm",
            Creator = "AutomotiveCrm",
            Creation = generatedAtUtc,
            Modified = generatedAtUtc,
        };
        using var document = SKDocument.CreatePdf(output, metadata);
        using var text = new PdfText();
        // Unhinted, linear metrics: hinting costs the PDF backend about half its time per glyph and means nothing in a vector file.
        using var font = new SKFont(text.Regular, grid.Spec.MaxFontSize) { Subpixel = true, Hinting = SKFontHinting.None, LinearMetrics = true };
        using var ink = new SKPaint { IsAntialias = true, Color = SKColors.Black, Style = SKPaintStyle.Fill };
        using var rule = new SKPaint { IsAntialias = true, Color = new SKColor(0xbb, 0xbb, 0xbb), Style = SKPaintStyle.Stroke, StrokeWidth = 0.4f };
        var perPage = grid.Spec.LabelsPerPage;
        var pages = Math.Max(1, (labels.Count + perPage - 1) / perPage);
        var padX = PaddingXmm * LabelSheetSpec.PointsPerMm;
        var padY = PaddingYmm * LabelSheetSpec.PointsPerMm;
        for (var page = 0; page < pages; page++)
        {
            var canvas = document.BeginPage(grid.PageWidth, grid.PageHeight);
            if (labels.Count == 0)
            {
                font.Typeface = text.Regular;
                font.Size = 10;
                canvas.DrawText("No customer of this audience has a postal address.", grid.Left, grid.Top + 20, SKTextAlign.Left, font, ink);
            }

            for (var slot = 0; slot < perPage; slot++)
            {
                var index = (page * perPage) + slot;
                var (x, y, width, height) = grid.Label(slot);
                if (outlines)
                {
                    canvas.DrawRoundRect(new SKRect(x, y, x + width, y + height), 4, 4, rule);
                }

                if (index >= labels.Count)
                {
                    continue;
                }

                var block = Layout(labels[index].Lines, text, font, width - (2 * padX), height - (2 * padY), grid.Spec.MaxFontSize);
                var top = y + padY + ((height - (2 * padY) - block.Height) / 2);
                var baseline = top + block.Ascent;
                foreach (var (line, typeface) in block.Lines)
                {
                    font.Typeface = typeface;
                    font.Size = block.Size;
                    canvas.DrawText(line, x + padX, baseline, SKTextAlign.Left, font, ink);
                    baseline += block.Size * LineSpacing;
                }
            }

            document.EndPage();
        }

        document.Close();
        return pages;
    }

    /// <summary>A label's text set at one size: its lines (each with the typeface that has its glyphs) and its height.</summary>
    internal sealed record Block(float Size, IReadOnlyList<(string Text, SKTypeface Typeface)> Lines, float Ascent, float Height);

    /// <summary>Sets <paramref name="lines"/> into a box of <paramref name="width"/> x <paramref name="height"/> points.</summary>
    internal static Block Layout(IReadOnlyList<string> lines, PdfText text, SKFont font, float width, float height, float maxSize)
    {
        var faces = lines.Select(l => text.For(l, text.Regular)).ToList();
        // One line per address line, as large as fits (postal sorting machines read lines).
        for (var size = maxSize; size >= ShrinkFloor; size -= 0.5f)
        {
            var candidate = Set(lines.Select((l, i) => (l, faces[i])).ToList(), font, size);
            if (candidate.Height <= height && candidate.Lines.All(l => Measure(font, l, size) <= width))
            {
                return candidate;
            }
        }

        // Then wrap the long lines, again from the largest size down.
        List<(string, SKTypeface)> wrapped = [];
        for (var size = maxSize; size >= MinFontSize; size -= 0.5f)
        {
            wrapped = [];
            for (var i = 0; i < lines.Count; i++)
            {
                font.Typeface = faces[i];
                font.Size = size;
                wrapped.AddRange(PdfText.Wrap(lines[i], font, width).Select(w => (w, faces[i])));
            }

            var candidate = Set(wrapped, font, size);
            if (candidate.Height <= height)
            {
                return candidate;
            }
        }

        // Last resort at the smallest size: as many lines as fit, the last one cut with an ellipsis.
        var smallest = Set(wrapped, font, MinFontSize);
        var room = Math.Max(1, (int)Math.Floor(((height - smallest.Height) / (MinFontSize * LineSpacing)) + wrapped.Count));
        while (room > 1 && Set(wrapped.Take(room).ToList(), font, MinFontSize).Height > height)
        {
            room--;
        }

        var kept = wrapped.Take(room).ToList();
        if (kept.Count < wrapped.Count)
        {
            var (last, face) = kept[^1];
            font.Typeface = face;
            font.Size = MinFontSize;
            kept[^1] = (PdfText.Fit(last + " …", font, width), face);
        }

        return Set(kept, font, MinFontSize);
    }

    private static Block Set(List<(string Text, SKTypeface Typeface)> lines, SKFont font, float size)
    {
        float ascent = 0, descent = 0;
        foreach (var face in lines.Select(l => l.Typeface).Distinct())
        {
            font.Typeface = face;
            font.Size = size;
            var metrics = font.Metrics;
            ascent = Math.Max(ascent, -metrics.Ascent);
            descent = Math.Max(descent, metrics.Descent);
        }

        var height = lines.Count == 0 ? 0 : ((lines.Count - 1) * size * LineSpacing) + ascent + descent;
        return new Block(size, lines, ascent, height);
    }

    private static float Measure(SKFont font, (string Text, SKTypeface Typeface) line, float size)
    {
        font.Typeface = line.Typeface;
        font.Size = size;
        return font.MeasureText(line.Text);
    }
}
