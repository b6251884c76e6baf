using System.Globalization;
using System.Text;
using AutomotiveCrm.Domain.Organisation;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>
/// Look-ups the block generator needs, computed once per organisation and shared read-only by every block:
/// which dealers of a group sell or service which brand, which make a brand is, and the e-mail spelling of names.
/// </summary>
internal sealed class DemoCatalogue
{
    public DemoCatalogue(DemoOrganisation organisation)
    {
        Organisation = organisation;
        NetworkId = organisation.Network.Id;
        Groups = [.. organisation.Groups];
        GroupRegions = Groups.Select((g, i) => g.Code switch
        {
            "NEWSTAR" => 0,
            "PENNINE" => 1,
            "THAMES" => 2,
            _ => i % 3,
        }).ToArray();
        // Pennine is the largest group; the others share the rest evenly.
        GroupCumulativeWeights = Cumulative(Groups.Select(g => g.Code == "PENNINE" ? 4 : 3));

        var brandsByCode = organisation.Brands.ToDictionary(b => b.Code, StringComparer.Ordinal);
        foreach (var make in DemoVocabulary.Makes)
        {
            if (make.BrandCode is not null && brandsByCode.TryGetValue(make.BrandCode, out var brand))
            {
                MakeByBrand[brand.Id] = make;
                BrandOfMake[make] = brand.Id;
            }
        }

        OtherMakes = DemoVocabulary.Makes.Where(m => !BrandOfMake.ContainsKey(m)).ToArray();
        Dealers = Groups.Select(g => organisation.DealersOf(g.Id).ToArray()).ToArray();
        Sellers = Dealers.Select(ds => ds.Where(d => organisation.Brands.Any(b => organisation.Sells(d, b.Id))).ToArray()).ToArray();
        foreach (var dealer in organisation.Dealers)
        {
            BrandsSoldBy[dealer.Id] = organisation.Brands.Where(b => organisation.Sells(dealer, b.Id)).Select(b => b.Id).ToArray();
        }

        Servicers = Dealers.Select(ds => organisation.Brands.ToDictionary(
            b => b.Id,
            b => ds.Where(d => organisation.Services(d, b.Id)).ToArray())).ToArray();
        ServicedBrands = Servicers.Select(s => s.Where(kv => kv.Value.Length > 0).Select(kv => kv.Key).Order().ToArray()).ToArray();

        foreach (var name in DemoVocabulary.MaleFirstNames.Concat(DemoVocabulary.FemaleFirstNames).Concat(DemoVocabulary.LastNames))
        {
            EmailSpelling.TryAdd(name, ToEmailSpelling(name));
        }

        if (Sellers.Any(s => s.Length == 0) || Dealers.Any(d => d.Length == 0))
        {
            throw new InvalidOperationException("Every demo dealer group needs dealers, and at least one that sells.");
        }
    }

    public DemoOrganisation Organisation { get; }
    public long NetworkId { get; }
    public DealerGroup[] Groups { get; }
    /// <summary>Index into <see cref="DemoVocabulary.TownsByRegion"/> of each group's home region.</summary>
    public int[] GroupRegions { get; }
    public int[] GroupCumulativeWeights { get; }
    public Dealer[][] Dealers { get; }
    /// <summary>Per group: dealers that sell at least one brand.</summary>
    public Dealer[][] Sellers { get; }
    public Dictionary<long, long[]> BrandsSoldBy { get; } = [];
    /// <summary>Per group: brand id to the dealers of the group that service it.</summary>
    public Dictionary<long, Dealer[]>[] Servicers { get; }
    /// <summary>Per group: brands at least one of its dealers services.</summary>
    public long[][] ServicedBrands { get; }
    public Dictionary<long, DemoMake> MakeByBrand { get; } = [];
    public Dictionary<DemoMake, long> BrandOfMake { get; } = [];
    public DemoMake[] OtherMakes { get; }
    /// <summary>Name to the letters used in e-mail addresses ("O'Brien" -> "obrien", "Zoë" -> "zoe").</summary>
    public Dictionary<string, string> EmailSpelling { get; } = new(StringComparer.Ordinal);

    public long? BrandIdOf(DemoMake make) => BrandOfMake.TryGetValue(make, out var id) ? id : null;

    public static int[] Cumulative(IEnumerable<int> weights)
    {
        var total = 0;
        return weights.Select(w => total += w).ToArray();
    }

    private static string ToEmailSpelling(string name)
    {
        var decomposed = name.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var ch in decomposed)
        {
            if (char.IsAsciiLetter(ch))
            {
                builder.Append(char.ToLower(ch, CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
