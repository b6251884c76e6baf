using AutomotiveCrm.Web.Rewards.Printing;
using UglyToad.PdfPig;

namespace AutomotiveCrm.Tests.Rewards;

public sealed class PrintingTests
{
    [Fact]
    public void Code128_Patterns_AreElevenModulesAndDistinct()
    {
        Assert.Equal(107, Code128.Patterns.Length);
        Assert.All(Code128.Patterns[..106], p => Assert.Equal(11, p.Sum(c => c - '0')));
        Assert.Equal(13, Code128.Patterns[106].Sum(c => c - '0'));
        Assert.Equal(107, Code128.Patterns.Distinct().Count());
    }

    [Fact]
    public void Code128_TextInSetB_HasStartValuesAndModulo103Check()
    {
        // "AB": start B (104), 'A' = 33, 'B' = 34; check = (104 + 1*33 + 2*34) % 103 = 102.
        Assert.Equal([104, 33, 34, 102], Code128.Symbols("AB"));
    }

    [Fact]
    public void Code128_CardNumber_UsesSetCPairs()
    {
        var symbols = Code128.Symbols("7001234512345678");

        Assert.Equal(105, symbols[0]);
        Assert.Equal([70, 1, 23, 45, 12, 34, 56, 78], symbols.Skip(1).Take(8));
        Assert.Equal(10, symbols.Count);
    }

    [Fact]
    public void Code128_MixedText_SwitchesToSetCForLongDigitRuns()
    {
        var symbols = Code128.Symbols("V261202-AB");

        Assert.Equal(104, symbols[0]);
        Assert.Equal('V' - 32, symbols[1]);
        Assert.Equal(99, symbols[2]);
        Assert.Equal([26, 12, 2], symbols.Skip(3).Take(3));
        Assert.Equal(100, symbols[6]);
    }

    [Fact]
    public void Voucher_Pdf_CarriesVoucherNumberRewardAndReversal()
    {
        var pdf = RewardPdfs.Voucher(new VoucherContent("V261202-ABCD1234", "Northgate Alder Leeds", "Alex Morgan", "Gold", "•••• 1486",
            "Free car wash", "Car wash", 150, 0, "GBP", new DateTime(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc), "desk.user", 350,
            Reversed: true, new DateTime(2026, 12, 2, 10, 0, 0, DateTimeKind.Utc), "Customer changed their mind"));

        using var document = PdfDocument.Open(pdf);
        var text = string.Join(" ", document.GetPages().Select(p => p.Text));
        Assert.Contains("V261202-ABCD1234", text, StringComparison.Ordinal);
        Assert.Contains("Free car wash", text, StringComparison.Ordinal);
        Assert.Contains("REVERSED", text, StringComparison.Ordinal);
        Assert.Contains("Customer changed their mind", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Card_Pdf_ShowsTheFormattedNumber()
    {
        var pdf = RewardPdfs.Card(new CardContent("Gold", "Northgate Motor Group", "7001234512345678", "Alex Morgan", new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc)));

        using var document = PdfDocument.Open(pdf);
        var text = string.Join(" ", document.GetPages().Select(p => p.Text));
        Assert.Contains("7001 2345 1234 5678", text, StringComparison.Ordinal);
        Assert.Contains("Alex Morgan", text, StringComparison.Ordinal);
    }
}
