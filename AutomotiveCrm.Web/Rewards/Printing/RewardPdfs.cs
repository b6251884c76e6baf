using System.Globalization;
using AutomotiveCrm.Web.Campaigns.Exports;
using AutomotiveCrm.Domain.Rewards;
using SkiaSharp;

namespace AutomotiveCrm.Web.Rewards.Printing;

/// <summary>What a voucher (or the receipt of a reversal) shows.</summary>
public sealed record VoucherContent(
    string VoucherNumber,
    string DealerName,
    string CustomerName,
    string SchemeName,
    string MaskedCardNumber,
    string RewardName,
    string Benefit,
    long PointsSpent,
    decimal MoneySpent,
    string Currency,
    DateTime RedeemedAtUtc,
    string RedeemedBy,
    long BalanceAfter,
    bool Reversed,
    DateTime? ReversedAtUtc,
    string? ReversalReason);

/// <summary>What a printable membership card shows.</summary>
public sealed record CardContent(string SchemeName, string OwnerName, string CardNumber, string CustomerName, DateTime MemberSinceUtc);

/// <summary>
/// The printable voucher / receipt and the membership card, drawn with SkiaSharp into PDF, each with a Code 128
/// barcode (voucher number, card number) the desk's scanner reads back.
/// </summary>
public static class RewardPdfs
{
    private const float VoucherWidth = 420; // A6 landscape, in points
    private const float VoucherHeight = 298;
    private const float CardWidth = 243;    // ID-1 card, 85.6 x 54 mm
    private const float CardHeight = 153;

    public static byte[] Voucher(VoucherContent v)
    {
        ArgumentNullException.ThrowIfNull(v);
        using var output = new MemoryStream();
        using (var text = new PdfText())
        {
            var metadata = new SKDocumentPdfMetadata { Title = $"Voucher {v.VoucherNumber}", Author = "AutomotiveCrm", Creator = "AutomotiveCrm", Creation = v.RedeemedAtUtc, Modified = v.RedeemedAtUtc };
            using var document = SKDocument.CreatePdf(output, metadata);
            var canvas = document.BeginPage(VoucherWidth, VoucherHeight);
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            using var title = new SKFont(text.Bold, 16);
            using var heading = new SKFont(text.Bold, 11);
            using var body = new SKFont(text.Regular, 9);
            using var small = new SKFont(text.Regular, 7.5f);

            canvas.DrawText(v.Reversed ? "Reward receipt: REVERSED" : "Reward voucher", 24, 36, SKTextAlign.Left, title, paint);
            canvas.DrawText(PdfText.Fit(v.DealerName, body, 200), VoucherWidth - 24, 36, SKTextAlign.Right, body, paint);
            var y = 62f;
            canvas.DrawText(PdfText.Fit(v.RewardName, heading, VoucherWidth - 48), 24, y, SKTextAlign.Left, heading, paint);
            y += 16;
            canvas.DrawText(PdfText.Fit(v.Benefit, body, VoucherWidth - 48), 24, y, SKTextAlign.Left, body, paint);
            y += 20;
            foreach (var (label, value) in new[]
            {
                ("Customer", v.CustomerName),
                ("Membership", $"{v.SchemeName} · card {v.MaskedCardNumber}"),
                ("Paid with", Paid(v)),
                ("Redeemed", string.Create(CultureInfo.InvariantCulture, $"{v.RedeemedAtUtc:d MMM yyyy HH:mm} UTC by {v.RedeemedBy}")),
                ("Balance after", string.Create(CultureInfo.InvariantCulture, $"{v.BalanceAfter:N0} points")),
            })
            {
                canvas.DrawText(label, 24, y, SKTextAlign.Left, small, paint);
                canvas.DrawText(PdfText.Fit(value, body, VoucherWidth - 130), 106, y, SKTextAlign.Left, body, paint);
                y += 14;
            }

            if (v.Reversed)
            {
                using var red = new SKPaint { Color = new SKColor(176, 0, 32), IsAntialias = true };
                canvas.DrawText(PdfText.Fit(string.Create(CultureInfo.InvariantCulture,
                    $"Reversed {v.ReversedAtUtc:d MMM yyyy HH:mm} UTC: {v.ReversalReason}"), body, VoucherWidth - 48), 24, y + 2, SKTextAlign.Left, body, red);
            }

            DrawBarcode(canvas, v.VoucherNumber, 24, VoucherHeight - 84, VoucherWidth - 48, 44, paint);
            canvas.DrawText(v.VoucherNumber, VoucherWidth / 2, VoucherHeight - 26, SKTextAlign.Center, body, paint);
            document.EndPage();
            document.Close();
        }

        return output.ToArray();
    }

    public static byte[] Card(CardContent c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var output = new MemoryStream();
        using (var text = new PdfText())
        {
            var metadata = new SKDocumentPdfMetadata { Title = $"{c.SchemeName} card", Author = "AutomotiveCrm", Creator = "AutomotiveCrm" };
            using var document = SKDocument.CreatePdf(output, metadata);
            var canvas = document.BeginPage(CardWidth + 48, CardHeight + 48);
            using var border = new SKPaint { Color = new SKColor(120, 120, 120), IsStroke = true, StrokeWidth = 0.5f, IsAntialias = true };
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            using var heading = new SKFont(text.Bold, 12);
            using var body = new SKFont(text.Regular, 8);
            using var number = new SKFont(text.Bold, 11);
            canvas.Translate(24, 24);
            canvas.DrawRoundRect(new SKRoundRect(new SKRect(0, 0, CardWidth, CardHeight), 10), border);
            canvas.DrawText(PdfText.Fit(c.SchemeName, heading, CardWidth - 24), 12, 22, SKTextAlign.Left, heading, paint);
            canvas.DrawText(PdfText.Fit(c.OwnerName, body, CardWidth - 24), 12, 36, SKTextAlign.Left, body, paint);
            canvas.DrawText(CardNumbers.Format(c.CardNumber), 12, 62, SKTextAlign.Left, number, paint);
            canvas.DrawText(PdfText.Fit(c.CustomerName, body, CardWidth - 24), 12, 78, SKTextAlign.Left, body, paint);
            canvas.DrawText(string.Create(CultureInfo.InvariantCulture, $"Member since {c.MemberSinceUtc:MMM yyyy}"), 12, 90, SKTextAlign.Left, body, paint);
            DrawBarcode(canvas, c.CardNumber, 12, 100, CardWidth - 24, 40, paint);
            document.EndPage();
            document.Close();
        }

        return output.ToArray();
    }

    private static string Paid(VoucherContent v)
    {
        var parts = new List<string>();
        if (v.PointsSpent > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{v.PointsSpent:N0} points"));
        }

        if (v.MoneySpent > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{v.MoneySpent:0.00} {v.Currency} credit"));
        }

        return parts.Count == 0 ? "Free" : string.Join(" + ", parts);
    }

    /// <summary>Draws the barcode centred in the box with quiet zones of ten modules each side.</summary>
    private static void DrawBarcode(SKCanvas canvas, string value, float x, float y, float width, float height, SKPaint paint)
    {
        var modules = Code128.Modules(value);
        var total = modules.Sum() + 20;
        var module = Math.Min(1.5f, width / total);
        var left = x + ((width - (total * module)) / 2) + (10 * module);
        var bar = true;
        foreach (var w in modules)
        {
            if (bar)
            {
                canvas.DrawRect(left, y, w * module, height, paint);
            }

            left += w * module;
            bar = !bar;
        }
    }
}
