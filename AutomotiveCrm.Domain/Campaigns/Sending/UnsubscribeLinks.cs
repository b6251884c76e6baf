using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AutomotiveCrm.Domain.Campaigns.Sending;

/// <summary>
/// Unsubscribe links of campaign messages: <c>{PublicBaseUrl}/u/{token}</c>, where the token is the message row's id
/// and an HMAC-SHA256 of it (truncated to 128 bits), base64url. The link names the message, so the later endpoint
/// knows the address, channel and sending dealer without anything guessable in the URL; the signature keeps anyone
/// from unsubscribing other people by counting ids. The endpoint itself (GET page and RFC 8058 one-click POST) belongs
/// to the tracking issue: this class only mints and checks the tokens.
/// </summary>
public sealed class UnsubscribeLinks
{
    private const int MacBytes = 16;
    private readonly byte[] key;
    private readonly string baseUrl;

    public UnsubscribeLinks(string publicBaseUrl, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 32)
        {
            throw new ArgumentException("The unsubscribe key must have at least 32 bytes.", nameof(key));
        }

        this.key = key;
        baseUrl = publicBaseUrl.TrimEnd('/');
    }

    public string UrlFor(long messageId) => $"{baseUrl}/u/{TokenFor(messageId)}";

    public string TokenFor(long messageId)
    {
        Span<byte> buffer = stackalloc byte[8 + MacBytes];
        BinaryPrimitives.WriteInt64BigEndian(buffer, messageId);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, buffer[..8], mac);
        mac[..MacBytes].CopyTo(buffer[8..]);
        return Convert.ToBase64String(buffer).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The message id a token stands for, or null when the token is malformed or not signed with this key.</summary>
    public long? Verify(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64)
        {
            return null;
        }

        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - (base64.Length % 4)) % 4);
        var buffer = new byte[48];
        if (!Convert.TryFromBase64String(base64, buffer, out var length) || length != 8 + MacBytes)
        {
            return null;
        }

        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, buffer.AsSpan(0, 8), mac);
        return CryptographicOperations.FixedTimeEquals(mac[..MacBytes], buffer.AsSpan(8, MacBytes))
            ? BinaryPrimitives.ReadInt64BigEndian(buffer)
            : null;
    }
}
