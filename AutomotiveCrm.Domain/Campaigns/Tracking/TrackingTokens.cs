using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using AutomotiveCrm.Domain.Campaigns.Sending;

namespace AutomotiveCrm.Domain.Campaigns.Tracking;

/// <summary>What a tracking token stands for: the open pixel of a message, or one of its links.</summary>
public sealed record TrackingTarget(bool IsClick, long MessageId, int Position);

/// <summary>
/// Open-pixel and click-redirect URLs of campaign messages: <c>{PublicBaseUrl}/t/o/{token}</c> and
/// <c>{PublicBaseUrl}/t/c/{token}</c>. A token is the kind, the message row id, the link position and an
/// HMAC-SHA256 over them (truncated to 128 bits), base64url: nothing in it can be guessed or changed without the key,
/// and it carries no URL, so the redirect can only go where the stored message link says.
/// </summary>
/// <remarks>
/// The key is derived from the unsubscribe key (an HMAC of it with a fixed label), so there is one secret to keep
/// and a token of one kind is never valid as the other: unsubscribe tokens and tracking tokens differ in key.
/// </remarks>
public sealed class TrackingTokens
{
    private const int MacBytes = 16;
    private const int PayloadBytes = 1 + 8 + 4;
    private readonly byte[] key;
    private readonly string baseUrl;

    public TrackingTokens(string publicBaseUrl, byte[] unsubscribeKey)
    {
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        ArgumentNullException.ThrowIfNull(unsubscribeKey);
        key = HMACSHA256.HashData(unsubscribeKey, Encoding.ASCII.GetBytes("campaign-tracking-v1"));
        baseUrl = publicBaseUrl.TrimEnd('/');
    }

    /// <summary>
    /// Tokens keyed from the unsubscribe key without handing it around: the MAC that key gives a row id no message
    /// ever has (<see cref="long.MinValue"/>) is a value only the key's holder can compute, and is never published.
    /// </summary>
    public static TrackingTokens FromUnsubscribeLinks(string publicBaseUrl, UnsubscribeLinks links)
    {
        ArgumentNullException.ThrowIfNull(links);
        return new TrackingTokens(publicBaseUrl, Encoding.ASCII.GetBytes(links.TokenFor(long.MinValue)));
    }

    public string OpenUrl(long messageId) => $"{baseUrl}/t/o/{Token(new TrackingTarget(false, messageId, 0))}";

    public string ClickUrl(long messageId, int position) => $"{baseUrl}/t/c/{Token(new TrackingTarget(true, messageId, position))}";

    public string Token(TrackingTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Span<byte> buffer = stackalloc byte[PayloadBytes + MacBytes];
        buffer[0] = target.IsClick ? (byte)'c' : (byte)'o';
        BinaryPrimitives.WriteInt64BigEndian(buffer[1..], target.MessageId);
        BinaryPrimitives.WriteInt32BigEndian(buffer[9..], target.Position);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, buffer[..PayloadBytes], mac);
        mac[..MacBytes].CopyTo(buffer[PayloadBytes..]);
        return Convert.ToBase64String(buffer).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The target a token stands for, or null when it is malformed, of the other kind, or not signed with this key.</summary>
    public TrackingTarget? Verify(string? token, bool click)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64)
        {
            return null;
        }

        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - (base64.Length % 4)) % 4);
        var buffer = new byte[48];
        if (!Convert.TryFromBase64String(base64, buffer, out var length) || length != PayloadBytes + MacBytes)
        {
            return null;
        }

        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, buffer.AsSpan(0, PayloadBytes), mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..MacBytes], buffer.AsSpan(PayloadBytes, MacBytes)))
        {
            return null;
        }

        var isClick = buffer[0] == (byte)'c';
        return isClick != click
            ? null
            : new TrackingTarget(isClick, BinaryPrimitives.ReadInt64BigEndian(buffer.AsSpan(1)), BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(9)));
    }
}
