using System.Globalization;
using System.Text;
using QRCoder;

namespace AutomotiveCrm.Web.Account;

/// <summary>What a user needs to enrol an authenticator app: the key (grouped for typing), the otpauth:// URI and its QR code.</summary>
public sealed record AuthenticatorSetup(string Key, string FormattedKey, string Uri, string QrCodeDataUri)
{
    public const string Issuer = "AutomotiveCrm";

    public static AuthenticatorSetup For(string account, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var uri = string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{System.Uri.EscapeDataString(Issuer)}:{System.Uri.EscapeDataString(account)}?secret={key}&issuer={System.Uri.EscapeDataString(Issuer)}&digits=6");
        // The QR code is drawn on the server (no script, no third-party service sees the secret).
        using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(5);
        return new AuthenticatorSetup(key, Format(key), uri, "data:image/png;base64," + Convert.ToBase64String(png));
    }

    /// <summary>Groups of four, lower case: easier to read out and type.</summary>
    public static string Format(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var result = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            if (i > 0)
            {
                result.Append(' ');
            }

            result.Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }

        return result.ToString().ToLowerInvariant();
    }
}
