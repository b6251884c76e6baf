using AutomotiveCrm.Domain.Campaigns.Content;

namespace AutomotiveCrm.Tests.Campaigns.Content;

public sealed class SmsSegmentsTests
{
    public static TheoryData<string, string, SmsEncoding, int, int, int> Cases => new()
    {
        // name, text, encoding, units, segments, remaining
        { "empty", "", SmsEncoding.Gsm7, 0, 0, 160 },
        { "one word", "Hello", SmsEncoding.Gsm7, 5, 1, 155 },
        { "160 basic", new string('a', 160), SmsEncoding.Gsm7, 160, 1, 0 },
        { "161 basic", new string('a', 161), SmsEncoding.Gsm7, 161, 2, 145 },
        { "306 basic", new string('a', 306), SmsEncoding.Gsm7, 306, 2, 0 },
        { "307 basic", new string('a', 307), SmsEncoding.Gsm7, 307, 3, 152 },
        { "GSM accents", "Müller, Åsa & Ñuñez £5 @ café", SmsEncoding.Gsm7, 29, 1, 131 },
        { "euro counts two", "€", SmsEncoding.Gsm7, 2, 1, 158 },
        { "80 euros fill one", new string('€', 80), SmsEncoding.Gsm7, 160, 1, 0 },
        // 76 pairs fill 152 of the first part's 153 septets; the 77th pair cannot be split, so 5 pairs go to part two.
        { "81 euros need two", new string('€', 81), SmsEncoding.Gsm7, 162, 2, 143 },
        { "extension table", "^{}\\[~]|", SmsEncoding.Gsm7, 16, 1, 144 },
        // 152 + escape pair: the pair does not fit in the 153-septet part, so it starts the second one.
        { "escape never split", new string('a', 152) + "€" + new string('a', 8), SmsEncoding.Gsm7, 162, 2, 143 },
        { "emoji", "Hi 🙂", SmsEncoding.Ucs2, 5, 1, 65 },
        { "70 UCS-2", new string('ł', 70), SmsEncoding.Ucs2, 70, 1, 0 },
        { "71 UCS-2", new string('ł', 71), SmsEncoding.Ucs2, 71, 2, 63 },
        { "134 UCS-2", new string('ł', 134), SmsEncoding.Ucs2, 134, 2, 0 },
        // 66 + a surrogate pair: the pair does not fit in the 67-unit part, so it starts the second one.
        { "surrogate never split", new string('ł', 66) + "😀" + new string('ł', 4), SmsEncoding.Ucs2, 72, 2, 61 },
        { "lower-case c cedilla is not GSM", "ç", SmsEncoding.Ucs2, 1, 1, 69 },
        { "typographic quote", "It’s", SmsEncoding.Ucs2, 4, 1, 66 },
        { "Cyrillic", "Привет", SmsEncoding.Ucs2, 6, 1, 64 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Measure_RealCases_MatchNetworkRules(string name, string text, SmsEncoding encoding, int units, int segments, int remaining)
    {
        var size = SmsSegments.Measure(text);

        Assert.True(encoding == size.Encoding, $"{name}: encoding {size.Encoding}");
        Assert.True(units == size.Units, $"{name}: units {size.Units}");
        Assert.True(segments == size.Segments, $"{name}: segments {size.Segments}");
        Assert.True(remaining == size.Remaining, $"{name}: remaining {size.Remaining}");
    }

    [Fact]
    public void Measure_NonGsmText_NamesTheCharactersResponsible()
    {
        var size = SmsSegments.Measure("Book “now” 🙂 today");

        Assert.Equal(["“", "”", "🙂"], size.NonGsmCharacters);
    }

    [Fact]
    public void ToGsm7Friendly_TypographicPunctuation_BecomesGsm7()
    {
        var friendly = SmsSegments.ToGsm7Friendly("It’s “time” – book…");

        Assert.Equal("It's \"time\" - book...", friendly);
        Assert.Equal(SmsEncoding.Gsm7, SmsSegments.Measure(friendly).Encoding);
    }
}
