using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Vehicles;

namespace AutomotiveCrm.Tests.Vehicles;

public sealed class VinTests
{
    // A North American VIN (first character 1-5) whose position-9 check digit is correct.
    private const string NorthAmericanVin = "1M8GDM9AXKP042788";

    [Fact]
    public void Check_NorthAmericanVinWithCorrectCheckDigit_IsValidWithoutWarning()
    {
        var check = Vin.Check(NorthAmericanVin);

        Assert.Equal((true, (string?)null, (string?)null), (check.IsValid, check.Error, check.Warning));
    }

    [Fact]
    public void Check_AnotherNorthAmericanVinWithCorrectCheckDigit_IsValidWithoutWarning()
    {
        var check = Vin.Check("1HGCM82633A004352");

        Assert.Null(check.Warning);
    }

    [Fact]
    public void Check_NorthAmericanVinWithWrongCheckDigit_IsValidWithWarningNamingTheExpectedDigit()
    {
        var check = Vin.Check("1M8GDM9A1KP042788");

        Assert.True(check.IsValid);
        Assert.NotNull(check.Warning);
        Assert.Contains("should be X", check.Warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WVWZZZ1JZXW000001")]
    [InlineData("VF1RFB00X12345678")]
    [InlineData("SAJAA1234B1234567")]
    public void Check_NonNorthAmericanVinWhateverPositionNine_HasNoWarning(string vin)
    {
        var check = Vin.Check(vin);

        Assert.Equal((true, (string?)null), (check.IsValid, check.Warning));
    }

    [Theory]
    [InlineData("1M8GDM9AXKP04278")]
    [InlineData("1M8GDM9AXKP0427889")]
    [InlineData("ABC")]
    public void Check_NotSeventeenCharacters_IsInvalid(string vin)
    {
        var check = Vin.Check(vin);

        Assert.False(check.IsValid);
        Assert.Contains("17 characters", check.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WVWZZZ1JZXW00000I", 'I')]
    [InlineData("WVWZZZ1JZXW00000O", 'O')]
    [InlineData("WVWZZZ1JZXW00000Q", 'Q')]
    public void Check_ContainsIOrOOrQ_IsInvalid(string vin, char letter)
    {
        var check = Vin.Check(vin);

        Assert.False(check.IsValid);
        Assert.Contains($"letter {letter}", check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_PunctuationInside_IsInvalid()
    {
        var check = Vin.Check("WVWZZZ1JZXW00000*");

        Assert.False(check.IsValid);
    }

    [Fact]
    public void Check_LowerCaseWithSpacesAndDashes_IsNormalised()
    {
        var check = Vin.Check(" 1m8gdm9a-xkp 042788 ");

        Assert.Equal((NorthAmericanVin, true, (string?)null), (check.Normalised, check.IsValid, check.Warning));
    }

    [Fact]
    public void ComputeCheckDigit_KnownVin_MatchesPositionNine()
    {
        var digit = Vin.ComputeCheckDigit(NorthAmericanVin);

        Assert.Equal('X', digit);
    }

    [Fact]
    public void SetVin_WrongCheckDigit_KeepsVinAndStoresWarning()
    {
        var vehicle = new Vehicle();

        vehicle.SetVin("1m8gdm9a1kp042788");

        Assert.Equal("1M8GDM9A1KP042788", vehicle.Vin);
        Assert.NotNull(vehicle.VinWarning);
    }

    [Fact]
    public void SetVin_Invalid_ThrowsDomainExceptionAndKeepsPreviousVin()
    {
        var vehicle = new Vehicle();
        vehicle.SetVin(NorthAmericanVin);

        Assert.Throws<DomainException>(() => vehicle.SetVin("1M8GDM9AXKP0427O8"));

        Assert.Equal(NorthAmericanVin, vehicle.Vin);
    }

    [Fact]
    public void SetVin_Blank_ClearsVinAndWarning()
    {
        var vehicle = new Vehicle();
        vehicle.SetVin("1M8GDM9A1KP042788");

        vehicle.SetVin("  ");

        Assert.Equal(((string?)null, (string?)null), (vehicle.Vin, vehicle.VinWarning));
    }
}
