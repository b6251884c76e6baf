namespace AutomotiveCrm.Domain.Vehicles;

/// <summary>Outcome of checking a vehicle identification number.</summary>
public sealed record VinCheck(string? Normalised, bool IsValid, string? Error, string? Warning);

/// <summary>
/// ISO 3779 VIN rules: 17 characters from A-Z and 0-9 without I, O and Q. Position 9 is a check digit that is
/// mandatory only for vehicles made for North America (world manufacturer identifiers starting 1-5); elsewhere
/// manufacturers may use it or not, so a mismatch there is no evidence of a typo. A wrong check digit is reported
/// as a warning and the VIN is kept: the DMS is the authority on what is written on the car.
/// </summary>
public static class Vin
{
    private static readonly int[] Weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

    public static string? Normalise(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        Span<char> buffer = stackalloc char[raw.Length];
        var n = 0;
        foreach (var ch in raw)
        {
            if (char.IsWhiteSpace(ch) || ch == '-')
            {
                continue;
            }

            buffer[n++] = char.ToUpperInvariant(ch);
        }

        return n == 0 ? null : new string(buffer[..n]);
    }

    public static VinCheck Check(string? raw)
    {
        var vin = Normalise(raw);
        if (vin is null)
        {
            return new VinCheck(null, false, "VIN is empty.", null);
        }

        if (vin.Length != 17)
        {
            return new VinCheck(vin, false, $"VIN must have 17 characters, not {vin.Length}.", null);
        }

        foreach (var ch in vin)
        {
            if (ch is 'I' or 'O' or 'Q')
            {
                return new VinCheck(vin, false, $"VIN may not contain the letter {ch} (confused with 1 and 0).", null);
            }

            if (!(ch is >= 'A' and <= 'Z' or >= '0' and <= '9'))
            {
                return new VinCheck(vin, false, $"VIN may contain only letters and digits, not '{ch}'.", null);
            }
        }

        if (CheckDigitApplies(vin) && ComputeCheckDigit(vin) != vin[8])
        {
            return new VinCheck(vin, true, null, $"VIN check digit is {vin[8]} but should be {ComputeCheckDigit(vin)}: check the VIN for a typo.");
        }

        return new VinCheck(vin, true, null, null);
    }

    /// <summary>North American manufacturer codes (first character 1-5) must carry a valid check digit.</summary>
    public static bool CheckDigitApplies(string vin) => vin.Length == 17 && vin[0] is >= '1' and <= '5';

    public static char ComputeCheckDigit(string vin)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += Transliterate(vin[i]) * Weights[i];
        }

        var remainder = sum % 11;
        return remainder == 10 ? 'X' : (char)('0' + remainder);
    }

    private static int Transliterate(char ch) => ch switch
    {
        >= '0' and <= '9' => ch - '0',
        'A' or 'J' => 1,
        'B' or 'K' or 'S' => 2,
        'C' or 'L' or 'T' => 3,
        'D' or 'M' or 'U' => 4,
        'E' or 'N' or 'V' => 5,
        'F' or 'W' => 6,
        'G' or 'P' or 'X' => 7,
        'H' or 'Y' => 8,
        'R' or 'Z' => 9,
        _ => 0,
    };
}
