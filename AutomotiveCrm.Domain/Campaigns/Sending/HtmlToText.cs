using System.Net;
using System.Text.RegularExpressions;

namespace AutomotiveCrm.Domain.Campaigns.Sending;

/// <summary>
/// The generated plain-text part of an e-mail: block elements become line breaks, list items dashes, links
/// "text (url)", everything else is reduced to its text. Enough for the sanitised HTML the editor produces; it is not
/// a general HTML renderer.
/// </summary>
public static partial class HtmlToText
{
    public static string Convert(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var text = Invisible().Replace(html, "");
        text = Link().Replace(text, m =>
        {
            var label = Tag().Replace(m.Groups["text"].Value, "").Trim();
            var url = WebUtility.HtmlDecode(m.Groups["url"].Value);
            return label.Length == 0 || WebUtility.HtmlDecode(label) == url ? url : $"{label} ({url})";
        });
        text = LineBreak().Replace(text, "\n");
        text = ListItem().Replace(text, "\n- ");
        text = BlockEnd().Replace(text, "\n\n");
        text = Tag().Replace(text, "");
        text = WebUtility.HtmlDecode(text).Replace('\u00a0', ' ');
        var lines = text.ReplaceLineEndings("\n").Split('\n').Select(l => Spaces().Replace(l, " ").Trim());
        text = string.Join('\n', lines);
        return ManyBreaks().Replace(text, "\n\n").Trim() + "\n";
    }

    [GeneratedRegex(@"<(script|style|head|title)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Invisible();

    [GeneratedRegex("<a\\b[^>]*?href\\s*=\\s*[\"'](?<url>[^\"']*)[\"'][^>]*>(?<text>.*?)</a\\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Link();

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"<li\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ListItem();

    [GeneratedRegex(@"</(p|div|h[1-6]|ul|ol|table|tr|blockquote)\s*>|<hr\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnd();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"[ \t]+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex ManyBreaks();
}
