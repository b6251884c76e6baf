using System.Globalization;
using System.Text;

namespace AutomotiveCrm.Domain.Dedup.Matching;

/// <summary>
/// Normalisation of the matched fields: one canonical form per value, computed once per record, so that comparisons
/// and blocking keys see "José  O'Neill" and "jose oneill" as the same text.
/// </summary>
public static class MatchText
{
    /// <summary>
    /// Lower case, diacritics folded (é → e, ß → ss, ø → o), punctuation dropped, runs of spaces and hyphens turned
    /// into one space. Null for blank input.
    /// </summary>
    public static string? Fold(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var builder = new StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var raw in value)
        {
            var c = raw;
            if (c < 128)
            {
                if (char.IsAsciiLetterOrDigit(c))
                {
                    Append(builder, char.ToLowerInvariant(c), ref pendingSpace);
                }
                else if (c is ' ' or '-' or '_' or '/' or ',' or '.' or '\t' or '&')
                {
                    // Separators split words; apostrophes and other punctuation simply vanish (O'Neill → oneill).
                    pendingSpace = builder.Length > 0 && c != '.' || pendingSpace;
                }

                continue;
            }

            var special = Special(c);
            if (special is not null)
            {
                foreach (var s in special)
                {
                    Append(builder, s, ref pendingSpace);
                }

                continue;
            }

            var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
            foreach (var d in decomposed)
            {
                if (CharUnicodeInfo.GetUnicodeCategory(d) == UnicodeCategory.NonSpacingMark)
                {
                    continue;
                }

                if (char.IsLetterOrDigit(d))
                {
                    Append(builder, char.ToLowerInvariant(d), ref pendingSpace);
                }
                else if (char.IsWhiteSpace(d))
                {
                    pendingSpace = builder.Length > 0;
                }
            }
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    private static void Append(StringBuilder builder, char c, ref bool pendingSpace)
    {
        if (pendingSpace && builder.Length > 0)
        {
            builder.Append(' ');
        }

        pendingSpace = false;
        builder.Append(c);
    }

    /// <summary>Letters that Unicode decomposition does not fold to ASCII.</summary>
    private static string? Special(char c) => c switch
    {
        'ß' => "ss",
        'æ' or 'Æ' => "ae",
        'ø' or 'Ø' => "o",
        'œ' or 'Œ' => "oe",
        'ł' or 'Ł' => "l",
        'đ' or 'Đ' => "d",
        'þ' or 'Þ' => "th",
        'ı' => "i",
        '\u2019' or '\u2018' or '`' or '´' => "",
        _ => null,
    };

    /// <summary>A name: folded, with spaces and hyphens removed ("Mary-Ann" and "Mary Ann" agree), titles dropped.</summary>
    public static string? Name(string? value)
    {
        var folded = Fold(value);
        if (folded is null)
        {
            return null;
        }

        return folded.Replace(" ", "", StringComparison.Ordinal) is { Length: > 0 } squeezed ? squeezed : null;
    }

    /// <summary>
    /// An e-mail address for matching: lower case, trimmed, the plus-tag dropped (ann+cars@x → ann@x), and for
    /// Gmail the dots in the user part dropped and googlemail.com read as gmail.com (the provider ignores both).
    /// Null when the text is not an address.
    /// </summary>
    public static string? Email(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim().ToLowerInvariant();
        var at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1)
        {
            return null;
        }

        var user = text[..at];
        var domain = text[(at + 1)..];
        var plus = user.IndexOf('+', StringComparison.Ordinal);
        if (plus > 0)
        {
            user = user[..plus];
        }

        if (domain is "googlemail.com")
        {
            domain = "gmail.com";
        }

        if (domain is "gmail.com")
        {
            user = user.Replace(".", "", StringComparison.Ordinal);
        }

        return user.Length == 0 ? null : user + "@" + domain;
    }

    /// <summary>The user part of a normalised address (before the @).</summary>
    public static string? EmailUser(string? normalisedEmail)
    {
        if (normalisedEmail is null)
        {
            return null;
        }

        var at = normalisedEmail.IndexOf('@', StringComparison.Ordinal);
        return at > 0 ? normalisedEmail[..at] : null;
    }

    /// <summary>
    /// A postcode in its country's canonical form: upper case without spaces, except that British and Irish-style
    /// inward codes keep their single space ("sw1a1aa" → "SW1A 1AA"); leading zeros of numeric codes are kept.
    /// </summary>
    public static string? Postcode(string? value, string? countryCode)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        if (builder.Length == 0)
        {
            return null;
        }

        var compact = builder.ToString();
        var country = countryCode?.ToUpperInvariant();
        if (country is "GB" or "UK" or "IM" or "JE" or "GG" && compact.Length is >= 5 and <= 7)
        {
            return compact[..^3] + " " + compact[^3..];
        }

        if (country is "NL" && compact.Length == 6)
        {
            return compact[..4] + " " + compact[4..];
        }

        return compact;
    }

    /// <summary>
    /// The "outward" part of a postcode that identifies a district: for British codes the part before the space,
    /// otherwise all but the last two characters (numeric codes: the first digits).
    /// </summary>
    public static string? PostcodeDistrict(string? postcode)
    {
        if (postcode is null)
        {
            return null;
        }

        var space = postcode.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0)
        {
            return postcode[..space];
        }

        return postcode.Length > 3 ? postcode[..^2] : null;
    }

    /// <summary>A phone number in E.164 for the customer's country; falls back to its digits when not a possible number.</summary>
    public static string? Phone(string? value, string? countryCode)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (value.StartsWith('+') && value.Length > 6 && value.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0)
        {
            return value;
        }

        var e164 = Common.PhoneNumbers.ToE164(value, string.IsNullOrEmpty(countryCode) ? "GB" : countryCode);
        if (e164 is not null)
        {
            return e164;
        }

        var digits = new string(value.Where(char.IsAsciiDigit).ToArray());
        return digits.Length >= 6 ? digits : null;
    }

    /// <summary>Words of an address line for token comparison, with the usual street-type abbreviations expanded.</summary>
    public static string? AddressLine(string? value)
    {
        var folded = Fold(value);
        if (folded is null)
        {
            return null;
        }

        var words = folded.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = words[i] switch
            {
                "st" or "str" => "street",
                "rd" => "road",
                "ave" or "av" => "avenue",
                "ln" => "lane",
                "dr" => "drive",
                "cres" or "cr" => "crescent",
                "ct" => "court",
                "pl" => "place",
                "cl" => "close",
                "sq" => "square",
                "gdns" => "gardens",
                "tce" or "terr" => "terrace",
                "cct" or "cir" => "circuit",
                "hwy" => "highway",
                "pde" => "parade",
                "apt" or "flat" or "unit" => "unit",
                _ => words[i],
            };
        }

        return string.Join(' ', words);
    }
}
