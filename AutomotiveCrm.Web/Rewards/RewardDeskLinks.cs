using System.Globalization;
using AutomotiveCrm.Domain.Rewards;

namespace AutomotiveCrm.Web.Rewards;

/// <summary>Addresses and small formatting helpers shared by the rewards screens and files.</summary>
public static class RewardDeskLinks
{
    public static string VoucherPdf(long redemptionId) => string.Create(CultureInfo.InvariantCulture, $"/rewards/redemptions/{redemptionId}/voucher.pdf");

    public static string CardPdf(long accountId) => string.Create(CultureInfo.InvariantCulture, $"/rewards/accounts/{accountId}/card.pdf");

    public static string Desk(long customerId) => string.Create(CultureInfo.InvariantCulture, $"/rewards/desk/{customerId}");

    public static string Points(long points) => points.ToString("N0", CultureInfo.InvariantCulture);

    public static string Money(decimal amount, string currency) => string.Create(CultureInfo.InvariantCulture, $"{amount:N2} {currency}");

    /// <summary>Only the last four digits, as on a receipt.</summary>
    public static string MaskedCard(string number) => number.Length <= 4 ? number : "•••• " + number[^4..];
}

/// <summary>The rewards screens' authorization policies (one per permission, see <see cref="Identity.PermissionPolicies"/>).</summary>
public static class RewardPolicies
{
    public const string Redeem = Identity.PermissionPolicies.Prefix + nameof(Domain.Identity.Permission.RedeemRewards);
    public const string Manage = Identity.PermissionPolicies.Prefix + nameof(Domain.Identity.Permission.ManageRewards);
}
