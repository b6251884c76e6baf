using System.Collections.Frozen;

namespace AutomotiveCrm.Domain.Imports.Reading;

/// <summary>
/// The words DMS providers write for the allowed values of choice fields. A value is matched case-insensitively with
/// spaces, hyphens, underscores and dots ignored ("Plug-in Hybrid" is PluginHybrid), first against the allowed values
/// themselves, then against these synonyms. The documentation (Imports/Docs) lists them from this table.
/// </summary>
public static class ChoiceSynonyms
{
    /// <summary>Allowed value to the synonyms accepted for it, per choice field name.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string[]>> ByField { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, string[]>>(StringComparer.Ordinal)
        {
            ["buyer_type"] = new Dictionary<string, string[]>
            {
                ["Person"] = ["P", "Private", "Privat", "Individual", "Retail", "Privatkunde"],
                ["Company"] = ["C", "Business", "Firma", "Firmenkunde", "Corporate", "Fleet", "Gewerbe"],
            },
            ["body_type"] = new Dictionary<string, string[]>
            {
                ["Coupe"] = ["Coupé"],
                ["Saloon"] = ["Sedan", "Limousine"],
                ["Hatchback"] = ["Hatch", "Schrägheck", "Kompakt"],
                ["Estate"] = ["Wagon", "Station wagon", "Kombi", "Touring", "Tourer", "Avant", "Variant"],
                ["Suv"] = ["4x4", "Offroad", "Off-roader", "Geländewagen", "Crossover"],
                ["Mpv"] = ["People carrier", "Minivan", "Van (MPV)", "Großraumlimousine"],
                ["Convertible"] = ["Cabrio", "Cabriolet", "Roadster"],
                ["Van"] = ["Panel van", "Transporter", "Kastenwagen", "LCV"],
                ["Pickup"] = ["Pick-up truck", "Pritsche"],
            },
            ["fuel_type"] = new Dictionary<string, string[]>
            {
                ["Petrol"] = ["Gasoline", "Unleaded", "Benzin", "Super", "P"],
                ["Diesel"] = ["D", "DERV"],
                ["Hybrid"] = ["HEV", "Full hybrid", "Mild hybrid", "MHEV", "Hybrid petrol", "Hybrid diesel"],
                ["PluginHybrid"] = ["PHEV", "Plug-in", "Plug-in-Hybrid"],
                ["Electric"] = ["EV", "BEV", "Elektro", "E", "Battery electric"],
                ["Lpg"] = ["Autogas", "Gas", "Bi-fuel"],
                ["Hydrogen"] = ["FCEV", "Fuel cell", "Wasserstoff", "H2"],
                ["Other"] = ["Sonstige", "Unknown"],
            },
            ["transmission"] = new Dictionary<string, string[]>
            {
                ["Manual"] = ["M", "MT", "Manuell", "Schaltgetriebe", "Schalter"],
                ["Automatic"] = ["A", "AT", "Auto", "Automatik", "DSG", "CVT"],
            },
            ["new_or_used"] = new Dictionary<string, string[]>
            {
                ["New"] = ["N", "Neu", "Neuwagen"],
                ["Used"] = ["U", "G", "Gebraucht", "Gebrauchtwagen", "Second hand", "Pre-owned", "Approved used"],
            },
            ["mileage_unit"] = new Dictionary<string, string[]>
            {
                ["Kilometres"] = ["km", "Kilometers", "Kilometre", "Kilometer"],
                ["Miles"] = ["mi", "mls", "Mile", "Meilen"],
            },
            ["payment_method"] = new Dictionary<string, string[]>
            {
                ["Cash"] = ["Bar", "Barzahlung"],
                ["Finance"] = ["Finanzierung", "HP", "PCP", "Hire purchase", "Loan", "Kredit"],
                ["Lease"] = ["Leasing", "Contract hire", "PCH"],
                ["TradeInDeal"] = ["Trade-in", "Part exchange", "PX", "Inzahlungnahme"],
            },
        };

    private static readonly FrozenDictionary<string, FrozenDictionary<string, string>> Lookup = Build();

    /// <summary>The allowed value <paramref name="text"/> stands for, or null when it is none of them.</summary>
    public static string? Match(DmsField field, ReadOnlySpan<char> text)
    {
        ArgumentNullException.ThrowIfNull(field);
        Span<char> key = stackalloc char[Math.Min(text.Length, 64)];
        var n = 0;
        foreach (var c in text)
        {
            if (c is ' ' or '-' or '_' or '.' or '\t')
            {
                continue;
            }

            if (n == key.Length)
            {
                return null;
            }

            key[n++] = char.ToLowerInvariant(c);
        }

        if (Lookup.TryGetValue(field.Name, out var map)
            && map.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key[..n], out var hit))
        {
            return hit;
        }

        foreach (var allowed in field.AllowedValues)
        {
            if (Normalise(allowed).AsSpan().SequenceEqual(key[..n]))
            {
                return allowed;
            }
        }

        return null;
    }

    private static string Normalise(string text) =>
        new(text.Where(c => c is not (' ' or '-' or '_' or '.' or '\t')).Select(char.ToLowerInvariant).ToArray());

    private static FrozenDictionary<string, FrozenDictionary<string, string>> Build()
    {
        var result = new Dictionary<string, FrozenDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var spec in DmsFileSpecs.All)
        {
            foreach (var field in spec.Fields.Where(f => f.Kind == DmsFieldKind.Choice))
            {
                if (result.ContainsKey(field.Name))
                {
                    continue;
                }

                var map = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var allowed in field.AllowedValues)
                {
                    map[Normalise(allowed)] = allowed;
                }

                if (ByField.TryGetValue(field.Name, out var synonyms))
                {
                    foreach (var (allowed, words) in synonyms)
                    {
                        foreach (var word in words)
                        {
                            map.TryAdd(Normalise(word), allowed);
                        }
                    }
                }

                result[field.Name] = map.ToFrozenDictionary(StringComparer.Ordinal);
            }
        }

        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
