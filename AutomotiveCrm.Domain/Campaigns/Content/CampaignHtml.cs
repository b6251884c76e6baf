using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Ganss.Xss;

namespace AutomotiveCrm.Domain.Campaigns.Content;

/// <summary>
/// Makes e-mail HTML safe to store and send: no scripts, no event handlers, no forms or frames, no <c>javascript:</c>
/// or <c>data:</c> URLs, and only the CSS properties e-mail layouts need (no positioning, so nothing can be laid over
/// the message or the mail client). Liquid merge fields survive untouched, also inside attributes such as
/// <c>href="{{ unsubscribe_url }}"</c>: they are set aside before the sanitiser parses the HTML and put back after.
/// </summary>
public static partial class CampaignHtml
{
    /// <summary>The CSS properties kept; everything else (position, z-index, behaviour, expressions ...) is dropped.</summary>
    public static IReadOnlySet<string> AllowedCss { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "color", "background-color", "background", "font", "font-family", "font-size", "font-style", "font-weight", "line-height",
        "letter-spacing", "text-align", "text-decoration", "text-transform", "vertical-align", "white-space",
        "margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
        "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
        "border", "border-top", "border-right", "border-bottom", "border-left", "border-color", "border-style", "border-width",
        "border-radius", "border-collapse", "border-spacing",
        "width", "max-width", "min-width", "height", "max-height", "min-height", "display", "list-style-type",
    };

    private static readonly string[] AllowedTags =
    [
        "a", "abbr", "b", "blockquote", "br", "caption", "center", "code", "col", "colgroup", "div", "em", "font", "h1", "h2", "h3", "h4", "h5",
        "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "small", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
        "th", "thead", "tr", "u", "ul",
    ];

    private static readonly string[] AllowedAttributes =
    [
        "align", "alt", "bgcolor", "border", "cellpadding", "cellspacing", "class", "color", "colspan", "dir", "face", "height", "href", "lang",
        "rowspan", "size", "src", "style", "target", "title", "valign", "width",
    ];

    private static HtmlSanitizer NewSanitizer()
    {
        var sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(AllowedTags, StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(AllowedAttributes, StringComparer.OrdinalIgnoreCase),
            AllowedCssProperties = new HashSet<string>(AllowedCss, StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto", "tel"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href", "src", "background"], StringComparer.OrdinalIgnoreCase),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
        });
        sanitizer.KeepChildNodes = true;
        return sanitizer;
    }

    /// <summary>
    /// The sanitised HTML. Liquid is kept verbatim (HTML entities inside it, which an editor writes for quotes, are
    /// decoded so <c>default: "Customer"</c> works), and images served by the app keep their app-relative address.
    /// </summary>
    public static string Sanitise(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return "";
        }

        // The visual editor aligns with classes of its own stylesheet, which no mail client has: make them inline styles.
        html = QuillAlign().Replace(html, m => $"style=\"text-align: {m.Groups[1].Value}\"");
        var liquid = new List<string>();
        var shielded = Liquid().Replace(html, m =>
        {
            liquid.Add(DecodeLiquid(m.Value));
            return Placeholder(liquid.Count - 1);
        });
        // Liquid that is not closed would swallow everything after it: it is left as text for the validator to flag.
        var clean = NewSanitizer().Sanitize(shielded);
        var restored = PlaceholderPattern().Replace(clean, m =>
        {
            var index = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return index < liquid.Count ? liquid[index] : "";
        });
        return restored.Trim();
    }

    /// <summary>
    /// Turns the non-breaking spaces a WYSIWYG editor writes for every ordinary space into spaces, keeping one where
    /// it separates two spaces (so a deliberate double space survives).
    /// </summary>
    public static string NormaliseSpaces(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var text = html.Replace("&#160;", "&nbsp;", StringComparison.Ordinal).Replace("\u00a0", "&nbsp;", StringComparison.Ordinal);
        var builder = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (string.CompareOrdinal(text, i, "&nbsp;", 0, 6) == 0)
            {
                var prevSpace = builder.Length > 0 && builder[^1] == ' ';
                builder.Append(prevSpace ? "&nbsp;" : " ");
                i += 6;
                continue;
            }

            builder.Append(text[i]);
            i++;
        }

        return builder.ToString();
    }

    private static string DecodeLiquid(string value) =>
        WebUtility.HtmlDecode(value).Replace('\u00a0', ' ').Replace('\u201c', '"').Replace('\u201d', '"');

    // Letters only: the sanitiser neither encodes nor drops them, in text or in a URL.
    private static string Placeholder(int index) => "liquidfield" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "x";

    [GeneratedRegex(@"\{\{.*?\}\}|\{%.*?%\}", RegexOptions.Singleline)]
    private static partial Regex Liquid();

    [GeneratedRegex("class=\"ql-align-(center|right|justify)\"")]
    private static partial Regex QuillAlign();

    [GeneratedRegex(@"liquidfield(\d+)x")]
    private static partial Regex PlaceholderPattern();
}
