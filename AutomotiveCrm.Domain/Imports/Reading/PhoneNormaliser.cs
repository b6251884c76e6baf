namespace AutomotiveCrm.Domain.Imports.Reading;

/// <summary>
/// E.164 normalisation for a whole file, in front of <see cref="Common.PhoneNumbers.ToE164"/> (libphonenumber), which
/// costs microseconds a call: too slow for a million rows with three phone columns. Two caches make repeat work cheap:
/// <list type="bullet">
/// <item>the exact text (per country) seen before: its answer;</item>
/// <item>the "shape" of a number written with digits and the usual punctuation only: the country, whether it was
/// international (+ or 00), its digit count and its first six digits. For such numbers libphonenumber's answer is
/// "+country code" followed by the number's digits without a national prefix, and whether the number is possible
/// depends on its length only; so once one number of a shape was normalised by libphonenumber and the answer had that
/// form (verified, with the dropped digits inside the first six), every other number of the shape is normalised the
/// same way without calling it. Shapes whose answer does not have that form always go to libphonenumber.</item>
/// </list>
/// One instance per file (not thread-safe); each cache is bounded.
/// </summary>
internal sealed class PhoneNormaliser
{
    private const int MaxEntries = 100_000;
    private const int ShapeDigits = 6;

    private readonly Dictionary<(string Country, string Text), string?> _exact = [];
    private readonly Dictionary<long, Shape> _shapes = [];

    /// <summary>Either "invalid" for the whole shape, or how to build the E.164 form: prefix + digits[strip..].</summary>
    private sealed record Shape(bool Invalid, string Prefix, int Strip, bool Cacheable);

    public string? ToE164(ReadOnlySpan<char> text, string country)
    {
        Span<char> digits = stackalloc char[32];
        if (country.Length == 2 && char.IsAsciiLetterUpper(country[0]) && char.IsAsciiLetterUpper(country[1])
            && TryDigits(text, digits, out var length, out var international) && length >= 3)
        {
            var leading = 0L;
            for (var i = 0; i < Math.Min(ShapeDigits, length); i++)
            {
                leading = (leading * 10) + (digits[i] - '0');
            }

            // country (10 bits) | international (1) | digit count (6) | first six digits (20)
            var key = ((((country[0] - 'A') * 26L) + (country[1] - 'A')) << 27) | ((international ? 1L : 0L) << 26) | ((long)length << 20) | leading;
            if (_shapes.TryGetValue(key, out var shape) && shape.Cacheable)
            {
                return shape.Invalid ? null : string.Concat(shape.Prefix, digits[shape.Strip..length]);
            }

            var result = Common.PhoneNumbers.ToE164(text.ToString(), country);
            if (shape is null)
            {
                if (_shapes.Count >= MaxEntries)
                {
                    _shapes.Clear();
                }

                _shapes[key] = Learn(result, digits[..length]);
            }

            return result;
        }

        var textKey = (country, text.ToString());
        if (_exact.TryGetValue(textKey, out var cached))
        {
            return cached;
        }

        var answer = Common.PhoneNumbers.ToE164(textKey.Item2, country);
        if (_exact.Count >= MaxEntries)
        {
            _exact.Clear();
        }

        _exact[textKey] = answer;
        return answer;
    }

    private static Shape Learn(string? result, ReadOnlySpan<char> digits)
    {
        if (result is null)
        {
            return new Shape(true, "", 0, true);
        }

        // result = "+" + country code + national significant number; find the suffix of the digits it ends with.
        for (var strip = 0; strip <= Math.Min(ShapeDigits, digits.Length - 1); strip++)
        {
            var tail = digits[strip..];
            if (result.Length > tail.Length && result.AsSpan().EndsWith(tail))
            {
                var prefix = result[..^tail.Length];
                return new Shape(false, prefix, strip, true);
            }
        }

        return new Shape(false, "", 0, Cacheable: false);
    }

    /// <summary>The digits of a number written with digits, spaces and - ( ) / . only (a leading + or 00: international).</summary>
    private static bool TryDigits(ReadOnlySpan<char> text, Span<char> digits, out int length, out bool international)
    {
        length = 0;
        international = false;
        var first = true;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                if (length == digits.Length)
                {
                    return false;
                }

                digits[length++] = c;
                first = false;
            }
            else if (c == '+' && first)
            {
                international = true;
                first = false;
            }
            else if (c is not (' ' or '-' or '(' or ')' or '/' or '.'))
            {
                return false;
            }
        }

        if (!international && length >= 2 && digits[0] == '0' && digits[1] == '0')
        {
            // 0044 ... is +44 ...: drop the two zeros so the shape is the same as the + form.
            digits[2..length].CopyTo(digits);
            length -= 2;
            international = true;
        }

        // "(0)" after a country code is a national prefix some people write; leave such numbers to libphonenumber.
        return !text.Contains("(0)", StringComparison.Ordinal);
    }
}
