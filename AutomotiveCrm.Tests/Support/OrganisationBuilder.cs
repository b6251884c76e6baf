using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Persistence;

namespace AutomotiveCrm.Tests.Support;

/// <summary>
/// The organisation most tests need, saved and ready: one network selling two brands, the customer's own dealer
/// group with two dealers, and another group with one dealer (the one a retail record may not deal with).
/// The entities come back detached from the context that saved them: use their ids in other contexts.
/// </summary>
public sealed record TestOrganisation(
    Network Network,
    Brand Brand,
    Brand OtherBrand,
    DealerGroup Group,
    Dealer Dealer,
    Dealer SecondDealer,
    DealerGroup OtherGroup,
    Dealer OtherGroupDealer);

/// <summary>Builds a <see cref="TestOrganisation"/>; codes carry a prefix so two organisations can share a database.</summary>
public sealed class OrganisationBuilder
{
    private string _prefix = "T";
    private string _countryCode = "GB";

    /// <summary>Prefix for every code (network, brands, groups, dealers are unique by code).</summary>
    public OrganisationBuilder WithCodePrefix(string prefix)
    {
        _prefix = prefix;
        return this;
    }

    /// <summary>The market's country: the network's and every dealer's (phones and postcodes are read for it).</summary>
    public OrganisationBuilder InCountry(string countryCode)
    {
        _countryCode = countryCode;
        return this;
    }

    public async Task<TestOrganisation> SaveAsync(CrmDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var network = new Network
        {
            Code = $"{_prefix}-NET",
            Name = $"{_prefix} Motor Network",
            CountryCode = _countryCode,
            Currency = _countryCode == "GB" ? "GBP" : "EUR",
            TimeZone = "Europe/London",
        };
        var brand = new Brand { Network = network, Code = $"{_prefix}-ALDER", Name = "Alder" };
        var otherBrand = new Brand { Network = network, Code = $"{_prefix}-BIRCH", Name = "Birch" };

        var group = new DealerGroup { Network = network, Code = $"{_prefix}-NORTH", Name = "Northgate Motor Group" };
        var dealer = NewDealer(group, "N1", "Northgate Alder Leeds", brand);
        var secondDealer = NewDealer(group, "N2", "Northgate Service Centre York", brand, otherBrand);
        var otherGroup = new DealerGroup { Network = network, Code = $"{_prefix}-SOUTH", Name = "Southbank Cars" };
        var otherGroupDealer = NewDealer(otherGroup, "S1", "Southbank Alder Brighton", brand);

        db.Networks.Add(network);
        db.AddRange(dealer, secondDealer, otherGroupDealer);
        await db.SaveChangesAsync(cancellationToken);
        return new TestOrganisation(network, brand, otherBrand, group, dealer, secondDealer, otherGroup, otherGroupDealer);
    }

    private Dealer NewDealer(DealerGroup group, string code, string name, params Brand[] brands)
    {
        var dealer = new Dealer
        {
            DealerGroup = group,
            Code = $"{_prefix}-{code}",
            Name = name,
            CountryCode = _countryCode,
        };
        group.Dealers.Add(dealer);
        foreach (var brand in brands)
        {
            dealer.Brands.Add(new DealerBrand { Dealer = dealer, Brand = brand, Sells = true, Services = true });
        }

        return dealer;
    }
}
