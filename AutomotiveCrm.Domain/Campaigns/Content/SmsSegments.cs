using System.Globalization;
using System.Text;

namespace AutomotiveCrm.Domain.Campaigns.Content;

/// <summary>How an SMS text is encoded on the network.</summary>
public enum SmsEncoding
{
    /// <summary>The GSM 03.38 7-bit default alphabet (with its extension table): 160 septets, 153 per part when split.</summary>
    Gsm7,
    /// <summary>Anything outside it (emoji, most accented capitals, Cyrillic ...): UCS-2, 70 characters, 67 per part.</summary>
    Ucs2,
}

/// <summary>The size of an SMS text: encoding, length in its units, parts, and what is left in the last part.</summary>
/// <param name="Units">Septets for GSM-7 (extension characters count two), UTF-16 code units for UCS-2.</param>
/// <param name="NonGsmCharacters">The characters that force UCS-2 (so the editor can point at them).</param>
public sealed record SmsSize(SmsEncoding Encoding, int Units, int Segments, int PerSegment, int Remaining, IReadOnlyList<string> NonGsmCharacters)
{
    public override string ToString() => Segments == 0
        ? "empty"
        : string.Create(CultureInfo.InvariantCulture,
            $"{Units} {(Encoding == SmsEncoding.Gsm7 ? "GSM-7 characters" : "UCS-2 characters")}, {Segments} part{(Segments == 1 ? "" : "s")}, {Remaining} left");
}

/// <summary>
/// Counts SMS parts the way the network does. GSM-7: the basic table costs one septet per character, the extension
/// table (<c>^ { } \ [ ~ ] | €</c> and form feed) two (an escape plus the character); a single message holds 160
/// septets, a concatenated one 153 per part (the user-data header takes 7), and an escape pair is never split across
/// parts. Any character outside both tables switches the whole message to UCS-2: 70 code units, 67 per part, and a
/// surrogate pair (most emoji) is never split either.
/// </summary>
public static class SmsSegments
{
    public const int Gsm7Single = 160;
    public const int Gsm7Part = 153;
    public const int Ucs2Single = 70;
    public const int Ucs2Part = 67;

    // GSM 03.38 basic character set, in table order (0x00-0x7F); 0x1B is the escape to the extension table.
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Extension = "\f^{}\\[~]|€";

    private static readonly HashSet<char> BasicSet = [.. Basic.Where(c => c != '\u001b')];
    private static readonly HashSet<char> ExtensionSet = [.. Extension];

    public static bool IsGsm7(char c) => BasicSet.Contains(c) || ExtensionSet.Contains(c);

    public static SmsSize Measure(string? text)
    {
        text ??= "";
        var nonGsm = new List<string>();
        var septetsPerChar = new List<int>(text.Length);
        foreach (var c in text)
        {
            if (BasicSet.Contains(c))
            {
                septetsPerChar.Add(1);
            }
            else if (ExtensionSet.Contains(c))
            {
                septetsPerChar.Add(2);
            }
            else
            {
                septetsPerChar.Add(0);
            }
        }

        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            var element = enumerator.GetTextElement();
            if (element.Any(c => !IsGsm7(c)) && !nonGsm.Contains(element))
            {
                nonGsm.Add(element);
            }
        }

        if (nonGsm.Count == 0)
        {
            var units = septetsPerChar.Sum();
            var segments = CountParts(septetsPerChar, Gsm7Single, Gsm7Part, out var remaining);
            return new SmsSize(SmsEncoding.Gsm7, units, segments, segments <= 1 ? Gsm7Single : Gsm7Part, remaining, nonGsm);
        }

        // UCS-2 (as sent today: UTF-16): each code unit costs one, and a surrogate pair must stay in one part.
        var costs = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                costs.Add(2);
                i++;
            }
            else
            {
                costs.Add(1);
            }
        }

        var ucsSegments = CountParts(costs, Ucs2Single, Ucs2Part, out var ucsRemaining);
        return new SmsSize(SmsEncoding.Ucs2, text.Length, ucsSegments, ucsSegments <= 1 ? Ucs2Single : Ucs2Part, ucsRemaining, nonGsm);
    }

    /// <summary>Parts needed for indivisible items of the given costs; <paramref name="remaining"/> is the room left in the last part.</summary>
    private static int CountParts(List<int> costs, int single, int part, out int remaining)
    {
        var total = costs.Sum();
        if (total == 0)
        {
            remaining = single;
            return 0;
        }

        if (total <= single)
        {
            remaining = single - total;
            return 1;
        }

        var parts = 1;
        var used = 0;
        foreach (var cost in costs)
        {
            if (used + cost > part)
            {
                parts++;
                used = 0;
            }

            used += cost;
        }

        remaining = part - used;
        return parts;
    }

    /// <summary>The text with the characters that force UCS-2 replaced by close GSM-7 equivalents where one exists.</summary>
    public static string ToGsm7Friendly(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '\u2018' or '\u2019' or '\u201a' or '\u2032' => "'",
                '\u201c' or '\u201d' or '\u201e' or '\u2033' => "\"",
                '\u2013' or '\u2014' => "-",
                '\u2026' => "...",
                '\u00a0' => " ",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }
}
