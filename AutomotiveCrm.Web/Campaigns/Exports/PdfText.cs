using SkiaSharp;

namespace AutomotiveCrm.Web.Campaigns.Exports;

/// <summary>
/// Fonts for the export PDFs: DejaVu Sans through fontconfig (Latin, Greek, Cyrillic, Hebrew, Arabic), and, for a
/// line with characters it lacks (Chinese, Japanese ...), whatever installed typeface fontconfig offers for them, so a
/// name is printed rather than shown as empty boxes whenever the machine has a font for it.
/// </summary>
internal sealed class PdfText : IDisposable
{
    private readonly Dictionary<int, SKTypeface?> fallbacks = [];
    private readonly Dictionary<SKTypeface, SKFont> probes = [];

    public PdfText()
    {
        Regular = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
        Bold = SKTypeface.FromFamilyName("DejaVu Sans", SKFontStyle.Bold) ?? Regular;
    }

    public SKTypeface Regular { get; }

    public SKTypeface Bold { get; }

    /// <summary>The typeface to draw <paramref name="text"/> with: <paramref name="preferred"/> unless it lacks glyphs a fallback has.</summary>
    public SKTypeface For(string text, SKTypeface preferred)
    {
        if (!probes.TryGetValue(preferred, out var probe))
        {
            probe = new SKFont(preferred);
            probes[preferred] = probe;
        }

        if (text.Length == 0 || probe.ContainsGlyphs(text))
        {
            return preferred;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var codepoint = char.ConvertToUtf32(text, i);
            if (char.IsSurrogatePair(text, i))
            {
                i++;
            }

            if (probe.ContainsGlyph(codepoint))
            {
                continue;
            }

            if (!fallbacks.TryGetValue(codepoint, out var fallback))
            {
                fallback = SKFontManager.Default.MatchCharacter(codepoint);
                fallbacks[codepoint] = fallback;
            }

            return fallback ?? preferred;
        }

        return preferred;
    }

    /// <summary>
    /// Words of <paramref name="text"/> broken into lines no wider than <paramref name="width"/>; a word longer than a
    /// line is broken between characters.
    /// </summary>
    public static List<string> Wrap(string text, SKFont font, float width)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (font.MeasureText(candidate) <= width)
            {
                current = candidate;
                continue;
            }

            if (current.Length > 0)
            {
                lines.Add(current);
            }

            current = word;
            while (font.MeasureText(current) > width && current.Length > 1)
            {
                var take = FittingPrefix(current, font, width);
                lines.Add(current[..take]);
                current = current[take..];
            }
        }

        if (current.Length > 0)
        {
            lines.Add(current);
        }

        return lines;
    }

    /// <summary>The text cut with an ellipsis so that it is no wider than <paramref name="width"/>.</summary>
    public static string Fit(string text, SKFont font, float width)
    {
        if (font.MeasureText(text) <= width)
        {
            return text;
        }

        var room = width - font.MeasureText("…");
        if (room <= 0)
        {
            return "";
        }

        var take = FittingPrefix(text, font, room);
        return text[..take].TrimEnd() + "…";
    }

    /// <summary>How many leading characters fit in <paramref name="width"/> (at least one, never splitting a surrogate pair).</summary>
    private static int FittingPrefix(string text, SKFont font, float width)
    {
        int low = 1, high = text.Length;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (font.MeasureText(text.AsSpan(0, mid)) <= width)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        if (low < text.Length && char.IsLowSurrogate(text[low]) && low > 1)
        {
            low--;
        }

        return low;
    }

    public void Dispose()
    {
        foreach (var probe in probes.Values)
        {
            probe.Dispose();
        }

        foreach (var fallback in fallbacks.Values.Distinct())
        {
            fallback?.Dispose();
        }

        if (!ReferenceEquals(Bold, Regular))
        {
            Bold.Dispose();
        }

        Regular.Dispose();
    }
}
