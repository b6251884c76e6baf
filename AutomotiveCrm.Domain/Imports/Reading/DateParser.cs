using System.Globalization;

namespace AutomotiveCrm.Domain.Imports.Reading;

/// <summary>
/// Reads dates in one exact format. Formats made of day, month and year numbers with literal separators
/// (dd.MM.yyyy, yyyy-MM-dd, d/M/yy ...) are parsed by hand, which is several times faster than
/// <see cref="DateOnly.TryParseExact(ReadOnlySpan{char}, ReadOnlySpan{char}, IFormatProvider?, DateTimeStyles, out DateOnly)"/>;
/// any other format (month names ...) goes to the framework.
/// </summary>
internal sealed class DateParser
{
    private enum Part
    {
        Literal,
        Day,
        Month,
        Year2,
        Year4,
    }

    private readonly record struct Token(Part Part, int MinDigits, int MaxDigits, char Literal);

    private readonly string _format;
    private readonly Token[]? _tokens;

    public DateParser(string format)
    {
        _format = format;
        _tokens = Compile(format);
    }

    public bool TryParse(ReadOnlySpan<char> text, out DateOnly date)
    {
        date = default;
        if (_tokens is null)
        {
            return DateOnly.TryParseExact(text, _format, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
        }

        int day = 0, month = 0, year = 0, p = 0;
        foreach (var token in _tokens)
        {
            if (token.Part == Part.Literal)
            {
                if (p >= text.Length || text[p] != token.Literal)
                {
                    return false;
                }

                p++;
                continue;
            }

            var value = 0;
            var digits = 0;
            while (digits < token.MaxDigits && p < text.Length && char.IsAsciiDigit(text[p]))
            {
                value = (value * 10) + (text[p] - '0');
                p++;
                digits++;
            }

            if (digits < token.MinDigits)
            {
                return false;
            }

            switch (token.Part)
            {
                case Part.Day:
                    day = value;
                    break;
                case Part.Month:
                    month = value;
                    break;
                case Part.Year2:
                    year = CultureInfo.InvariantCulture.Calendar.ToFourDigitYear(value);
                    break;
                default:
                    year = value;
                    break;
            }
        }

        if (p != text.Length || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>yyyy-MM-dd without the formatting machinery.</summary>
    public static string Iso(DateOnly date) => string.Create(10, date, static (span, d) =>
    {
        Write4(span, d.Year);
        span[4] = '-';
        Write2(span[5..], d.Month);
        span[7] = '-';
        Write2(span[8..], d.Day);
    });

    /// <summary>yyyy-MM-ddTHH:mm:ss.</summary>
    public static string Iso(DateTime value) => string.Create(19, value, static (span, d) =>
    {
        Write4(span, d.Year);
        span[4] = '-';
        Write2(span[5..], d.Month);
        span[7] = '-';
        Write2(span[8..], d.Day);
        span[10] = 'T';
        Write2(span[11..], d.Hour);
        span[13] = ':';
        Write2(span[14..], d.Minute);
        span[16] = ':';
        Write2(span[17..], d.Second);
    });

    private static void Write4(Span<char> span, int value)
    {
        span[0] = (char)('0' + (value / 1000 % 10));
        span[1] = (char)('0' + (value / 100 % 10));
        span[2] = (char)('0' + (value / 10 % 10));
        span[3] = (char)('0' + (value % 10));
    }

    private static void Write2(Span<char> span, int value)
    {
        span[0] = (char)('0' + (value / 10));
        span[1] = (char)('0' + (value % 10));
    }

    private static Token[]? Compile(string format)
    {
        var tokens = new List<Token>();
        var i = 0;
        bool day = false, month = false, year = false;
        while (i < format.Length)
        {
            var c = format[i];
            var run = 1;
            while (i + run < format.Length && format[i + run] == c)
            {
                run++;
            }

            switch (c)
            {
                case 'd' when run <= 2:
                    tokens.Add(new Token(Part.Day, run, 2, default));
                    day = true;
                    break;
                case 'M' when run <= 2:
                    tokens.Add(new Token(Part.Month, run, 2, default));
                    month = true;
                    break;
                case 'y' when run == 2:
                    tokens.Add(new Token(Part.Year2, 2, 2, default));
                    year = true;
                    break;
                case 'y' when run == 4:
                    tokens.Add(new Token(Part.Year4, 4, 4, default));
                    year = true;
                    break;
                case '-' or '.' or '/' or ' ' or '_':
                    for (var k = 0; k < run; k++)
                    {
                        tokens.Add(new Token(Part.Literal, 0, 0, c));
                    }

                    break;
                default:
                    return null;
            }

            i += run;
        }

        // A variable-width number followed directly by another number is ambiguous (dMyyyy): leave it to the framework.
        for (var k = 0; k + 1 < tokens.Count; k++)
        {
            if (tokens[k].Part != Part.Literal && tokens[k + 1].Part != Part.Literal && tokens[k].MinDigits != tokens[k].MaxDigits)
            {
                return null;
            }
        }

        return day && month && year ? [.. tokens] : null;
    }
}
