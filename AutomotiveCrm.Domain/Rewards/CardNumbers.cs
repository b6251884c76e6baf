using System.Security.Cryptography;

namespace AutomotiveCrm.Domain.Rewards;

/// <summary>
/// Membership card numbers: the scheme's prefix, random digits, and a Luhn check digit, so a mistyped number (one
/// wrong digit, most swaps of neighbours) is caught at the desk before any look-up.
/// </summary>
public static class CardNumbers
{
    public const int Length = 16;

    /// <summary>A new card number for the prefix (random body; uniqueness is the database's index, callers retry).</summary>
    public static string Create(string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (!prefix.All(char.IsAsciiDigit) || prefix.Length >= Length - 1)
        {
            throw new ArgumentException("A card prefix is a few digits.", nameof(prefix));
        }

        var body = new char[Length - 1];
        prefix.CopyTo(0, body, 0, prefix.Length);
        for (var i = prefix.Length; i < body.Length; i++)
        {
            body[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        }

        var digits = new string(body);
        return digits + CheckDigit(digits);
    }

    /// <summary>The Luhn digit that completes <paramref name="digits"/>.</summary>
    public static char CheckDigit(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        var sum = 0;
        var doubleIt = true; // the rightmost digit of the body is doubled once the check digit is appended
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    /// <summary>Digits only (spaces and dashes as printed on the card are ignored); null when it is not a card number.</summary>
    public static string? Normalise(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }

        var digits = new string(input.Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        return digits.Length is >= 12 and <= 19 && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    public static bool IsValid(string? number) =>
        Normalise(number) is { } digits && CheckDigit(digits[..^1]) == digits[^1];

    /// <summary>Groups of four, as printed.</summary>
    public static string Format(string number) =>
        string.Join(' ', Enumerable.Range(0, (number.Length + 3) / 4).Select(i => number.Substring(i * 4, Math.Min(4, number.Length - i * 4))));
}
