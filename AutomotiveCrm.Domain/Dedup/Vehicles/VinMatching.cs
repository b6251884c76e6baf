using AutomotiveCrm.Domain.Vehicles;

namespace AutomotiveCrm.Domain.Dedup.Vehicles;

/// <summary>
/// VIN comparison for duplicate vehicles: normalisation that undoes the usual misreadings, the check digit where it
/// applies, and the optimal string alignment distance (Damerau-Levenshtein without repeated edits of one substring:
/// insertions, deletions, substitutions and transpositions of neighbours each count one).
/// </summary>
public static class VinMatching
{
    /// <summary>
    /// Upper case without spaces and dashes; O, I and Q never occur in a VIN (ISO 3779), so where they appear they
    /// are misread 0, 1 and 0 and are read back as such.
    /// </summary>
    public static string? Normalise(string? raw)
    {
        var vin = Vin.Normalise(raw);
        if (vin is null)
        {
            return null;
        }

        return string.Create(vin.Length, vin, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = source[i] switch
                {
                    'O' or 'Q' => '0',
                    'I' => '1',
                    _ => source[i],
                };
            }
        });
    }

    /// <summary>True or false where the check digit applies (North American VINs), null where it says nothing.</summary>
    public static bool? CheckDigitValid(string? normalised) =>
        normalised is { Length: 17 } && Vin.CheckDigitApplies(normalised) ? Vin.ComputeCheckDigit(normalised) == normalised[8] : null;

    /// <summary>
    /// The optimal string alignment distance, stopping early once it exceeds <paramref name="limit"/> (then
    /// <paramref name="limit"/> + 1 is returned): duplicates only care about distance 0 or 1.
    /// </summary>
    public static int Distance(string a, string b, int limit = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var beyond = limit == int.MaxValue ? limit : limit + 1;
        if (Math.Abs(a.Length - b.Length) > limit)
        {
            return beyond;
        }

        // Three rows suffice: the transposition looks two rows back.
        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMinimum = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, previous2[j - 2] + 1);
                }

                current[j] = value;
                rowMinimum = Math.Min(rowMinimum, value);
            }

            if (rowMinimum > limit)
            {
                return beyond;
            }

            (previous2, previous, current) = (previous, current, previous2);
        }

        return Math.Min(previous[b.Length], beyond);
    }
}
