using AutomotiveCrm.Domain.Campaigns.Exports;

namespace AutomotiveCrm.Tests.Campaigns.Exports;

/// <summary>Address blocks per destination country, and the country line only for mail going abroad.</summary>
public sealed class AddressFormatTests
{
    private static PostalAddress Address(string country, string town, string postcode, string? region = null, string? organisation = null) =>
        new("Ms Alex Morgan", organisation, "12 Station Road", null, town, region, postcode, country);

    [Fact]
    public void Lines_Britain_TownInCapitalsPostcodeAloneNoCountryAtHome()
    {
        var lines = AddressFormat.Lines(Address("GB", "Leeds", "ls11aa", region: "West Yorkshire"), "GB");

        Assert.Equal(["Ms Alex Morgan", "12 Station Road", "LEEDS", "LS1 1AA"], lines);
    }

    [Fact]
    public void Lines_GermanyFromBritain_PostcodeBeforeTownAndCountryLine()
    {
        var lines = AddressFormat.Lines(Address("DE", "München", "80331"), "GB");

        Assert.Equal(["Ms Alex Morgan", "12 Station Road", "80331 München", "GERMANY"], lines);
    }

    [Fact]
    public void Lines_France_TownInCapitalsAfterPostcode()
    {
        var lines = AddressFormat.Lines(Address("FR", "Saint-Étienne", "42000"), "FR");

        Assert.Equal("42000 SAINT-ÉTIENNE", lines[^1]);
    }

    [Fact]
    public void Lines_Netherlands_PostcodeSpacedTwoSpacesBeforeTownInCapitals()
    {
        var lines = AddressFormat.Lines(Address("NL", "Amsterdam", "1012ab"), "NL");

        Assert.Equal("1012 AB  AMSTERDAM", lines[^1]);
    }

    [Fact]
    public void Lines_UnitedStatesFromGermany_TownStateZipInCapitalsThenCountry()
    {
        var lines = AddressFormat.Lines(Address("US", "Springfield", "62704", region: "IL"), "DE");

        Assert.Equal(["SPRINGFIELD IL 62704", "UNITED STATES"], lines.TakeLast(2));
    }

    [Fact]
    public void Lines_Italy_CapTownProvinceInCapitals()
    {
        var lines = AddressFormat.Lines(Address("IT", "Roma", "00144", region: "RM"), "IT");

        Assert.Equal("00144 ROMA RM", lines[^1]);
    }

    [Fact]
    public void Lines_Spain_PostcodeTownThenProvinceWhenDifferent()
    {
        var lines = AddressFormat.Lines(Address("ES", "Dos Hermanas", "41700", region: "Sevilla"), "ES");
        var capital = AddressFormat.Lines(Address("ES", "Madrid", "28001", region: "Madrid"), "ES");

        Assert.Equal(["41700 Dos Hermanas", "Sevilla"], lines.TakeLast(2));
        Assert.Equal("28001 Madrid", capital[^1]);
    }

    [Fact]
    public void Lines_UnknownCountry_FallbackPostcodeTownRegionAndCountry()
    {
        var lines = AddressFormat.Lines(Address("BR", "Campinas", "13010-111", region: "SP"), "GB");

        Assert.Equal(["13010-111 Campinas", "SP", "BRAZIL"], lines.TakeLast(3));
    }

    [Fact]
    public void Lines_CompanyWithContact_CompanyFirstThenPerson()
    {
        var lines = AddressFormat.Lines(Address("GB", "York", "YO1 7HH", organisation: "Northgate Fleet Ltd"), "GB");

        Assert.Equal(["Northgate Fleet Ltd", "Ms Alex Morgan"], lines.Take(2));
    }

    [Fact]
    public void Lines_ControlCharactersAndLineBreaks_BecomeSingleSpaces()
    {
        var address = new PostalAddress("Alex\r\nMorgan", null, "12\tStation   Road", null, "York", null, "YO1 7HH", "GB");

        var lines = AddressFormat.Lines(address, "GB");

        Assert.Equal(["Alex Morgan", "12 Station Road", "YORK", "YO1 7HH"], lines);
    }

    [Theory]
    [InlineData("12 Station Road", "York", null, true)]
    [InlineData("12 Station Road", null, "YO1 7HH", true)]
    [InlineData(null, "York", "YO1 7HH", false)]
    [InlineData("12 Station Road", " ", null, false)]
    public void IsDeliverable_NeedsStreetAndTownOrPostcode(string? line1, string? town, string? postcode, bool expected)
    {
        Assert.Equal(expected, new PostalAddress("A", null, line1, null, town, null, postcode, "GB").IsDeliverable);
    }
}
