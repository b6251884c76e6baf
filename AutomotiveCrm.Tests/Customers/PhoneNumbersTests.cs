using DomainPhoneNumbers = AutomotiveCrm.Domain.Common.PhoneNumbers;

namespace AutomotiveCrm.Tests.Customers;

/// <summary>Phones are stored in E.164, read in the customer's country unless written internationally.</summary>
public sealed class PhoneNumbersTests
{
    [Theory]
    [InlineData("07700 900123", "GB", "+447700900123")]
    [InlineData("(0113) 496 0000", "GB", "+441134960000")]
    [InlineData("+44 7700 900123", "GB", "+447700900123")]
    [InlineData("(201) 555-0123", "US", "+12015550123")]
    [InlineData("201.555.0123", "us", "+12015550123")]
    [InlineData("030 12345678", "DE", "+493012345678")]
    [InlineData("0151 23456789", "DE", "+4915123456789")]
    public void ToE164_NationalOrInternationalNumber_ReturnsE164(string raw, string country, string expected)
    {
        var e164 = DomainPhoneNumbers.ToE164(raw, country);

        Assert.Equal(expected, e164);
    }

    [Theory]
    [InlineData("0044 7700 900123", "DE", "+447700900123")]
    [InlineData("+1 201 555 0123", "GB", "+12015550123")]
    [InlineData("0049 30 12345678", "GB", "+493012345678")]
    public void ToE164_InternationalPrefix_IgnoresCustomersCountry(string raw, string country, string expected)
    {
        var e164 = DomainPhoneNumbers.ToE164(raw, country);

        Assert.Equal(expected, e164);
    }

    [Theory]
    [InlineData("call me maybe")]
    [InlineData("12")]
    [InlineData("+44")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void ToE164_Garbage_ReturnsNull(string? raw)
    {
        var e164 = DomainPhoneNumbers.ToE164(raw, "GB");

        Assert.Null(e164);
    }

    [Theory]
    [InlineData("+447911123456", true)]
    [InlineData("+4915123456789", true)]
    [InlineData("+441134960000", false)]
    [InlineData("not a number", false)]
    public void IsMobile_E164Number_TellsMobileLines(string e164, bool expected)
    {
        var mobile = DomainPhoneNumbers.IsMobile(e164);

        Assert.Equal(expected, mobile);
    }
}
