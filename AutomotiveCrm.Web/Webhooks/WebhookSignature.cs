using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AutomotiveCrm.Web.Webhooks;

/// <summary>
/// The signature of the provider-neutral webhook: <c>X-Webhook-Signature: sha256=&lt;hex&gt;</c> over the bytes
/// <c>{X-Webhook-Timestamp}.{body}</c> with HMAC-SHA256 and the shared secret; the timestamp is Unix seconds. Signing
/// the timestamp with the body stops an old request being replayed later with a fresh timestamp.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Webhook-Signature";
    public const string TimestampHeader = "X-Webhook-Timestamp";
    private const string Prefix = "sha256=";

    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(timestamp);
        return Prefix + Convert.ToHexStringLower(Mac(secret, timestamp, body));
    }

    public enum Verdict
    {
        Valid,
        Missing,
        Malformed,
        Stale,
        Forged,
    }

    public static Verdict Verify(string secret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now, int toleranceSeconds)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (string.IsNullOrWhiteSpace(timestamp) || string.IsNullOrWhiteSpace(signature))
        {
            return Verdict.Missing;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return Verdict.Malformed;
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > toleranceSeconds)
        {
            return Verdict.Stale;
        }

        var text = signature.Trim();
        if (!text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || text.Length != Prefix.Length + 64)
        {
            return Verdict.Malformed;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(text.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return Verdict.Malformed;
        }

        return CryptographicOperations.FixedTimeEquals(given, Mac(secret, timestamp, body)) ? Verdict.Valid : Verdict.Forged;
    }

    private static byte[] Mac(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp + ".");
        var data = new byte[prefix.Length + body.Length];
        prefix.CopyTo(data, 0);
        body.CopyTo(data.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data);
    }

    /// <summary>Constant-time equality of two configured/posted strings (the form provider's secret key).</summary>
    public static bool SameSecret(string? given, string? expected)
    {
        if (string.IsNullOrEmpty(given) || string.IsNullOrEmpty(expected))
        {
            return false;
        }

        // Hashing first makes the comparison constant-time in the lengths as well.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }
}
