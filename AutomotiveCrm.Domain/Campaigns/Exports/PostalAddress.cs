using System.Globalization;

namespace AutomotiveCrm.Domain.Campaigns.Exports;

/// <summary>A postal address as the labels and the print house need it: who, where, which country (ISO 3166-1 alpha-2).</summary>
public sealed record PostalAddress(
    string? Recipient,
    string? Organisation,
    string? Line1,
    string? Line2,
    string? Town,
    string? Region,
    string? Postcode,
    string CountryCode)
{
    /// <summary>Enough to deliver: a street line and a town or postcode.</summary>
    public bool IsDeliverable =>
        (!string.IsNullOrWhiteSpace(Line1) || !string.IsNullOrWhiteSpace(Line2))
        && (!string.IsNullOrWhiteSpace(Town) || !string.IsNullOrWhiteSpace(Postcode));
}

/// <summary>
/// Lays an address out as the destination country's post expects it (the lines of the label, top to bottom). The
/// customs taken: GB town in capitals and the postcode alone on the last line (no county); IE town, county, Eircode;
/// US, CA, AU "TOWN REGION POSTCODE" in capitals; FR and MC "POSTCODE TOWN" with the town in capitals; NL
/// "1234 AB  TOWN" (two spaces, capitals); IT "CAP TOWN PR" in capitals with the province code; DE, ES and the rest of
/// continental Europe "POSTCODE Town" (ES adds the province when it differs from the town); anywhere else "POSTCODE
/// Town" and the region on its own line. A country line in English capitals ends the block only when the address is
/// abroad from the sender's country (UPU practice).
/// </summary>
public static class AddressFormat
{
    private enum Style
    {
        PostcodeFirst,
        PostcodeFirstUpperTown,
        British,
        Irish,
        NorthAmerican,
        Dutch,
        Italian,
        Spanish,
        Fallback,
    }

    private static readonly Dictionary<string, Style> Styles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GB"] = Style.British, ["IM"] = Style.British, ["JE"] = Style.British, ["GG"] = Style.British,
        ["IE"] = Style.Irish,
        ["US"] = Style.NorthAmerican, ["CA"] = Style.NorthAmerican, ["AU"] = Style.NorthAmerican,
        ["FR"] = Style.PostcodeFirstUpperTown, ["MC"] = Style.PostcodeFirstUpperTown,
        ["NL"] = Style.Dutch,
        ["IT"] = Style.Italian, ["SM"] = Style.Italian, ["VA"] = Style.Italian,
        ["ES"] = Style.Spanish,
        ["DE"] = Style.PostcodeFirst, ["AT"] = Style.PostcodeFirst, ["CH"] = Style.PostcodeFirst, ["LI"] = Style.PostcodeFirst,
        ["BE"] = Style.PostcodeFirst, ["LU"] = Style.PostcodeFirst, ["DK"] = Style.PostcodeFirst, ["NO"] = Style.PostcodeFirst,
        ["SE"] = Style.PostcodeFirst, ["FI"] = Style.PostcodeFirst, ["IS"] = Style.PostcodeFirst, ["PL"] = Style.PostcodeFirst,
        ["CZ"] = Style.PostcodeFirst, ["SK"] = Style.PostcodeFirst, ["SI"] = Style.PostcodeFirst, ["HR"] = Style.PostcodeFirst,
        ["HU"] = Style.PostcodeFirst, ["PT"] = Style.PostcodeFirst, ["GR"] = Style.PostcodeFirst, ["EE"] = Style.PostcodeFirst,
    };

    /// <summary>The label lines of <paramref name="address"/> sent from <paramref name="senderCountry"/>.</summary>
    public static IReadOnlyList<string> Lines(PostalAddress address, string senderCountry)
    {
        ArgumentNullException.ThrowIfNull(address);
        var country = (address.CountryCode ?? "").Trim().ToUpperInvariant();
        var style = Styles.GetValueOrDefault(country, Style.Fallback);
        var lines = new List<string>(7);
        Add(lines, address.Organisation);
        Add(lines, address.Recipient);
        Add(lines, address.Line1);
        Add(lines, address.Line2);

        var town = ExportText.SingleLine(address.Town);
        var region = ExportText.SingleLine(address.Region);
        var postcode = NormalisePostcode(address.Postcode, country);
        switch (style)
        {
            case Style.British:
                Composed(lines, Upper(town));
                Composed(lines, postcode);
                break;
            case Style.Irish:
                Composed(lines, town);
                Composed(lines, region);
                Composed(lines, postcode);
                break;
            case Style.NorthAmerican:
                Composed(lines, Upper(Join(" ", town, region, postcode)));
                break;
            case Style.PostcodeFirstUpperTown:
                Composed(lines, Join(" ", postcode, Upper(town)));
                break;
            case Style.Dutch:
                Composed(lines, Join("  ", postcode, Upper(town)));
                break;
            case Style.Italian:
                Composed(lines, Upper(Join(" ", postcode, town, region.Length == 2 ? region : "")));
                break;
            case Style.Spanish:
                Composed(lines, Join(" ", postcode, town));
                if (!region.Equals(town, StringComparison.OrdinalIgnoreCase))
                {
                    Composed(lines, region);
                }

                break;
            case Style.PostcodeFirst:
                Composed(lines, Join(" ", postcode, town));
                break;
            default:
                Composed(lines, Join(" ", postcode, town));
                Composed(lines, region);
                break;
        }

        if (country.Length > 0 && !country.Equals((senderCountry ?? "").Trim(), StringComparison.OrdinalIgnoreCase))
        {
            lines.Add(CountryName(country));
        }

        return lines;
    }

    /// <summary>The country in English capitals, as the last line of a label going abroad.</summary>
    public static string CountryName(string countryCode)
    {
        try
        {
            return new RegionInfo(countryCode).EnglishName.ToUpperInvariant();
        }
        catch (ArgumentException)
        {
            return countryCode.ToUpperInvariant();
        }
    }

    /// <summary>The postcode as the country writes it: GB and NL with their inward space, capitals where letters occur.</summary>
    public static string NormalisePostcode(string? postcode, string countryCode)
    {
        var text = ExportText.SingleLine(postcode).ToUpperInvariant();
        if (text.Length == 0)
        {
            return "";
        }

        var compact = text.Replace(" ", "", StringComparison.Ordinal);
        switch (countryCode.ToUpperInvariant())
        {
            case "GB" or "IM" or "JE" or "GG" when compact.Length is >= 5 and <= 7 && compact.All(char.IsAsciiLetterOrDigit):
                return string.Concat(compact.AsSpan(0, compact.Length - 3), " ", compact.AsSpan(compact.Length - 3));
            case "NL" when compact.Length == 6 && compact[..4].All(char.IsAsciiDigit) && compact[4..].All(char.IsAsciiLetter):
                return string.Concat(compact.AsSpan(0, 4), " ", compact.AsSpan(4));
            default:
                return text;
        }
    }

    /// <summary>The key labels are sorted by: the postcode without spaces, in capitals (ordinal, so digits come first).</summary>
    public static string PostcodeSortKey(string? postcode) =>
        ExportText.SingleLine(postcode).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    private static void Add(List<string> lines, string? value)
    {
        var line = ExportText.SingleLine(value);
        if (line.Length > 0)
        {
            lines.Add(line);
        }
    }

    /// <summary>A line made of parts already cleaned: kept as composed (the Dutch two spaces survive).</summary>
    private static void Composed(List<string> lines, string line)
    {
        if (line.Length > 0)
        {
            lines.Add(line);
        }
    }

    private static string Upper(string value) => value.ToUpper(CultureInfo.InvariantCulture);

    private static string Join(string separator, params string[] parts) =>
        string.Join(separator, parts.Where(p => p.Length > 0));
}
