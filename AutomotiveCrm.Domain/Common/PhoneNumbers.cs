using PhoneNumbers;

namespace AutomotiveCrm.Domain.Common;

/// <summary>Normalises telephone numbers to E.164 (+447700900123) using the region of the customer's country.</summary>
public static class PhoneNumbers
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// Returns the E.164 form, or null when the text is not a possible number for the region.
    /// A number written with a leading + or 00 is read as international whatever the region.
    /// </summary>
    public static string? ToE164(string? raw, string countryCode)
    {
        var text = Text.Clean(raw);
        if (text is null)
        {
            return null;
        }

        if (text.StartsWith("00", StringComparison.Ordinal))
        {
            text = "+" + text[2..];
        }

        try
        {
            var number = Util.Parse(text, countryCode.ToUpperInvariant());
            if (!Util.IsPossibleNumber(number))
            {
                return null;
            }

            return Util.Format(number, PhoneNumberFormat.E164);
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>Whether the number is a mobile (SMS-capable) line; unknown types answer false.</summary>
    public static bool IsMobile(string e164)
    {
        try
        {
            var type = Util.GetNumberType(Util.Parse(e164, null));
            return type is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }
}
