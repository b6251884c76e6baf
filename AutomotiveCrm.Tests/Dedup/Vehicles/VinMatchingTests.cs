using AutomotiveCrm.Domain.Dedup.Vehicles;

namespace AutomotiveCrm.Tests.Dedup.Vehicles;

public sealed class VinMatchingTests
{
    [Theory]
    [InlineData("abc", "abc", 0)]
    [InlineData("abc", "abd", 1)]
    [InlineData("abc", "acb", 1)]
    [InlineData("abc", "ab", 1)]
    [InlineData("abc", "xabc", 1)]
    [InlineData("ca", "abc", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("1HGCM82633A004352", "1HGCM82633A004325", 1)]
    public void Distance_IsTheOptimalStringAlignmentDistance(string a, string b, int expected)
    {
        Assert.Equal(expected, VinMatching.Distance(a, b));
        Assert.Equal(expected, VinMatching.Distance(b, a));
    }

    [Fact]
    public void Distance_WithALimit_StopsAboveIt()
    {
        Assert.Equal(2, VinMatching.Distance("1HGCM82633A004352", "2HGCM82633A004399", 1));
        Assert.Equal(1, VinMatching.Distance("1HGCM82633A004352", "1HGCM82633A004353", 1));
    }

    [Theory]
    [InlineData(" 1hg cm82633a0O4352 ", "1HGCM82633A004352")]
    [InlineData("VF1-TEST-I000Q", "VF1TEST10000")]
    [InlineData("   ", null)]
    public void Normalise_UpperCasesStripsSpacesAndReadsOIQAsDigits(string raw, string? expected) =>
        Assert.Equal(expected, VinMatching.Normalise(raw));

    [Fact]
    public void CheckDigit_AppliesToNorthAmericanVinsOnly()
    {
        Assert.True(VinMatching.CheckDigitValid("1HGCM82633A004352"));
        Assert.False(VinMatching.CheckDigitValid("1HGCM82633A004353"));
        Assert.Null(VinMatching.CheckDigitValid("VF1TEST0000000012"));
    }
}
