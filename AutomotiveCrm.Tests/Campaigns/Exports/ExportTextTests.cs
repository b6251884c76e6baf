using AutomotiveCrm.Domain.Campaigns.Exports;

namespace AutomotiveCrm.Tests.Campaigns.Exports;

/// <summary>The formula-injection rule shared by every campaign export.</summary>
public sealed class ExportTextTests
{
    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+44 7700 900123", "'+44 7700 900123")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "'\rcmd")]
    [InlineData("＝HYPERLINK(\"x\")", "'＝HYPERLINK(\"x\")")]
    [InlineData("Morgan", "Morgan")]
    [InlineData(" =1", " =1")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Neutralise_FormulaStarts_PrefixedWithApostrophe(string? value, string expected)
    {
        Assert.Equal(expected, ExportText.Neutralise(value));
        Assert.Equal(expected.StartsWith('\''), ExportText.IsDangerous(value));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=cmd|'/c calc'!A1", "'=cmd|'/c calc'!A1")]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    public void CsvField_QuotesAfterNeutralising(string value, string expected)
    {
        Assert.Equal(expected, ExportText.CsvField(value));
    }

    [Fact]
    public void ForSpreadsheet_ControlCharactersRemovedLongValuesCut()
    {
        Assert.Equal("ab\tc\nd😀\ne\nf", ExportText.ForSpreadsheet("a\u0001b\tc\nd\u0000😀\uD800\r\ne\rf"));
        var cut = ExportText.ForSpreadsheet(new string('x', 40_000));
        Assert.Equal(ExportText.ExcelCellLimit, cut.Length);
        Assert.EndsWith("…", cut, StringComparison.Ordinal);
    }
}
