using System.Collections.Frozen;

namespace AutomotiveCrm.Domain.Imports.Reading;

/// <summary>ISO 3166-1 alpha-2 country codes, and the other ways DMS files write the countries dealers meet most.</summary>
public static class CountryCodes
{
    private const string Iso =
        "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
        "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
        "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO " +
        "JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR " +
        "MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO " +
        "RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV " +
        "TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW";

    /// <summary>Accepted spellings other than the ISO code itself (matched case-insensitively).</summary>
    public static IReadOnlyDictionary<string, string> Synonyms { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["UK"] = "GB",
        ["GBR"] = "GB",
        ["United Kingdom"] = "GB",
        ["Great Britain"] = "GB",
        ["England"] = "GB",
        ["Scotland"] = "GB",
        ["Wales"] = "GB",
        ["Northern Ireland"] = "GB",
        ["Großbritannien"] = "GB",
        ["D"] = "DE",
        ["DEU"] = "DE",
        ["Germany"] = "DE",
        ["Deutschland"] = "DE",
        ["A"] = "AT",
        ["AUT"] = "AT",
        ["Austria"] = "AT",
        ["Österreich"] = "AT",
        ["CHE"] = "CH",
        ["Switzerland"] = "CH",
        ["Schweiz"] = "CH",
        ["IRL"] = "IE",
        ["Ireland"] = "IE",
        ["Irland"] = "IE",
        ["F"] = "FR",
        ["FRA"] = "FR",
        ["France"] = "FR",
        ["Frankreich"] = "FR",
        ["NLD"] = "NL",
        ["Netherlands"] = "NL",
        ["Niederlande"] = "NL",
        ["B"] = "BE",
        ["BEL"] = "BE",
        ["Belgium"] = "BE",
        ["Belgien"] = "BE",
        ["I"] = "IT",
        ["ITA"] = "IT",
        ["Italy"] = "IT",
        ["Italien"] = "IT",
        ["E"] = "ES",
        ["ESP"] = "ES",
        ["Spain"] = "ES",
        ["Spanien"] = "ES",
        ["POL"] = "PL",
        ["Poland"] = "PL",
        ["Polen"] = "PL",
        ["USA"] = "US",
        ["United States"] = "US",
    };

    private static readonly FrozenSet<string> Codes = Iso.Split(' ').ToFrozenSet(StringComparer.Ordinal);
    private static readonly FrozenDictionary<string, string> UpperCodes = Codes.ToFrozenDictionary(c => c, c => c, StringComparer.OrdinalIgnoreCase);
    private static readonly FrozenDictionary<string, string> SynonymLookup = Synonyms.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static bool IsIso(string code) => Codes.Contains(code);

    /// <summary>The ISO code the text stands for, or null.</summary>
    public static string? Normalise(ReadOnlySpan<char> text)
    {
        if (text.Length == 2 && UpperCodes.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(text, out var code))
        {
            return code;
        }

        return SynonymLookup.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(text, out var synonym) ? synonym : null;
    }
}
