using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Imports.Profiles;
using AutomotiveCrm.Domain.Organisation;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>
/// The fixed organisation of the demo: one network (NSC-UK) with four brands and three dealer groups. Newstar Auto
/// (NEWSTAR) has three dealerships of different brands (NSA-01..03); Pennine Motor Group (PMG-01..04) and Thames
/// Valley Cars (TVC-01..04) have four each, some of which only service. Dealer codes are the short keys DMS
/// imports use. Customers and vehicles refer to these rows by id, so they are saved before anything else.
/// </summary>
public sealed class DemoOrganisation
{
    public const string NetworkCode = "NSC-UK";

    private readonly Dictionary<long, Dealer[]> _dealersByGroup;
    private readonly Dictionary<(long DealerId, long BrandId), DealerBrand> _dealerBrands;

    private DemoOrganisation(Network network, bool created)
    {
        Network = network;
        Created = created;
        Brands = network.Brands.OrderBy(b => b.Code, StringComparer.Ordinal).ToList();
        Groups = network.Groups.OrderBy(g => g.Code, StringComparer.Ordinal).ToList();
        Dealers = Groups.SelectMany(g => g.Dealers.OrderBy(d => d.Code, StringComparer.Ordinal)).ToList();
        _dealersByGroup = Groups.ToDictionary(g => g.Id, g => g.Dealers.OrderBy(d => d.Code, StringComparer.Ordinal).ToArray());
        _dealerBrands = Dealers.SelectMany(d => d.Brands).ToDictionary(db => (db.DealerId, db.BrandId));
    }

    public Network Network { get; }
    /// <summary>Whether <see cref="EnsureAsync"/> inserted the organisation (false: it was already there).</summary>
    public bool Created { get; }
    /// <summary>Brands by code: ARDEN, BELMONT, CALEDON, DOVERN.</summary>
    public IReadOnlyList<Brand> Brands { get; }
    /// <summary>Groups by code: NEWSTAR, PENNINE, THAMES.</summary>
    public IReadOnlyList<DealerGroup> Groups { get; }
    public IReadOnlyList<Dealer> Dealers { get; }

    public IReadOnlyList<Dealer> DealersOf(long groupId) => _dealersByGroup[groupId];

    public bool Sells(Dealer dealer, long brandId) => _dealerBrands.TryGetValue((dealer.Id, brandId), out var db) && db.Sells;

    public bool Services(Dealer dealer, long brandId) => _dealerBrands.TryGetValue((dealer.Id, brandId), out var db) && db.Services;

    /// <summary>
    /// Saves the demo organisation, or loads it when a previous run left it behind (an interrupted seed, or one
    /// whose customers were deleted). A partial organisation under the demo network's code is refused: reseed with
    /// Reset to start clean.
    /// </summary>
    public static async Task<DemoOrganisation> EnsureAsync(CrmDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var existing = await db.Networks
            .Include(n => n.Brands)
            .Include(n => n.Groups).ThenInclude(g => g.Dealers).ThenInclude(d => d.Brands)
            .AsSplitQuery()
            .FirstOrDefaultAsync(n => n.Code == NetworkCode, cancellationToken);
        var expected = Build();
        if (existing is not null)
        {
            var complete = existing.Brands.Count == expected.Brands.Count
                && existing.Groups.Count == expected.Groups.Count
                && existing.Groups.SelectMany(g => g.Dealers).Count() == expected.Groups.SelectMany(g => g.Dealers).Count();
            if (!complete)
            {
                throw new DomainException($"The database holds part of the demo organisation ({NetworkCode}); seed with Reset to replace it.");
            }

            return new DemoOrganisation(existing, created: false);
        }

        db.Networks.Add(expected);
        await db.SaveChangesAsync(cancellationToken);
        return new DemoOrganisation(expected, created: true);
    }

    /// <summary>
    /// The organisation with ids 1..n assigned in memory, for generating demo data without a database (tests, the
    /// generator's own checks). Never save it: the ids would collide with the store's.
    /// </summary>
    public static DemoOrganisation CreateDetached()
    {
        var network = Build();
        network.Id = 1;
        long brandId = 0, groupId = 0, dealerId = 0;
        foreach (var brand in network.Brands)
        {
            brand.Id = ++brandId;
            brand.NetworkId = network.Id;
        }

        foreach (var group in network.Groups)
        {
            group.Id = ++groupId;
            group.NetworkId = network.Id;
            foreach (var dealer in group.Dealers)
            {
                dealer.Id = ++dealerId;
                dealer.DealerGroupId = group.Id;
                foreach (var db in dealer.Brands)
                {
                    db.DealerId = dealer.Id;
                    db.BrandId = db.Brand!.Id;
                }
            }
        }

        return new DemoOrganisation(network, created: false);
    }

    private static Network Build()
    {
        var network = new Network
        {
            Code = NetworkCode,
            Name = "National Sales Company UK",
            CountryCode = "GB",
            Currency = "GBP",
            TimeZone = "Europe/London",
        };
        var arden = new Brand { Code = "ARDEN", Name = "Arden", Network = network };
        var belmont = new Brand { Code = "BELMONT", Name = "Belmont", Network = network };
        var caledon = new Brand { Code = "CALEDON", Name = "Caledon", Network = network };
        var dovern = new Brand { Code = "DOVERN", Name = "Dovern", Network = network };
        network.Brands.AddRange([arden, belmont, caledon, dovern]);

        // Newstar Auto: three dealerships, each the franchise of a different brand.
        var newstar = Group(network, "NEWSTAR", "Newstar Auto",
            Site("NSA-01", "Newstar Arden Leeds", "Kirkstall Road", "Leeds", "LS4 2AZ", "+441134960101", (arden, true, true)),
            Site("NSA-02", "Newstar Belmont York", "Clifton Moor Gate", "York", "YO30 4WR", "+441904960102", (belmont, true, true)),
            Site("NSA-03", "Newstar Caledon Harrogate", "Wetherby Road", "Harrogate", "HG2 7SA", "+441423960103", (caledon, true, true)));
        var pennine = Group(network, "PENNINE", "Pennine Motor Group",
            Site("PMG-01", "Pennine Arden & Dovern Manchester", "Chester Road", "Manchester", "M16 0GW", "+441614960201", (arden, true, true), (dovern, true, true)),
            Site("PMG-02", "Pennine Belmont Bolton", "Chorley New Road", "Bolton", "BL1 5BT", "+441204960202", (belmont, true, true)),
            Site("PMG-03", "Pennine Service Centre Oldham", "Manchester Street", "Oldham", "OL8 1UZ", "+441614960203", (caledon, false, true), (dovern, false, true), (arden, false, true)),
            Site("PMG-04", "Pennine Dovern Stockport", "Wellington Road North", "Stockport", "SK4 1LW", "+441614960204", (dovern, true, true)));
        var thames = Group(network, "THAMES", "Thames Valley Cars",
            Site("TVC-01", "Thames Valley Caledon Reading", "Basingstoke Road", "Reading", "RG2 0HB", "+441184960301", (caledon, true, true), (belmont, false, true)),
            Site("TVC-02", "Thames Valley Belmont Slough", "Bath Road", "Slough", "SL1 4DX", "+441753960302", (belmont, true, true)),
            Site("TVC-03", "Thames Valley Arden Oxford", "Botley Road", "Oxford", "OX2 0HA", "+441865960303", (arden, true, true), (dovern, true, false)),
            Site("TVC-04", "Thames Valley Bodyshop & Service Swindon", "Cheney Manor Road", "Swindon", "SN2 2PJ", "+441793960304", (arden, false, true), (caledon, false, true), (dovern, false, true)));
        network.Groups.AddRange([newstar, pennine, thames]);

        // The dealers' management systems alternate between the two fictional DMS providers whose profiles and
        // sample files ship with the app (Imports/Profiles, Imports/Samples).
        var dealers = network.Groups.SelectMany(g => g.Dealers).OrderBy(d => d.Code, StringComparer.Ordinal).ToList();
        for (var i = 0; i < dealers.Count; i++)
        {
            dealers[i].DmsProvider = DefaultImportProfiles.Providers[i % DefaultImportProfiles.Providers.Count];
        }

        return network;
    }

    private static DealerGroup Group(Network network, string code, string name, params Dealer[] dealers)
    {
        var group = new DealerGroup { Code = code, Name = name, Network = network };
        foreach (var dealer in dealers)
        {
            dealer.DealerGroup = group;
            group.Dealers.Add(dealer);
        }

        return group;
    }

    private static Dealer Site(string code, string name, string street, string city, string postcode, string phone,
        params (Brand Brand, bool Sells, bool Services)[] brands)
    {
        var dealer = new Dealer
        {
            Code = code,
            Name = name,
            AddressLine1 = street,
            City = city,
            Postcode = postcode,
            CountryCode = "GB",
            Phone = phone,
            Email = $"sales.{code.ToLowerInvariant()}@dealers.example",
        };
        foreach (var (brand, sells, services) in brands)
        {
            dealer.Brands.Add(new DealerBrand { Dealer = dealer, Brand = brand, Sells = sells, Services = services });
        }

        return dealer;
    }
}
