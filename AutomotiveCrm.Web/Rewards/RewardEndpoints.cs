using System.Text;
using AutomotiveCrm.Domain.Campaigns.Exports;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Persistence;
using AutomotiveCrm.Domain.Rewards;
using AutomotiveCrm.Web.Identity;
using AutomotiveCrm.Web.Rewards.Printing;
using ClosedXML.Excel;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Web.Rewards;

/// <summary>
/// The rewards files, as authorised GET endpoints read through the request's user-scoped context: another group's
/// voucher or card answers 404 exactly like a missing one.
/// </summary>
public static class RewardEndpoints
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static IEndpointRouteBuilder MapRewardEndpoints(this IEndpointRouteBuilder app)
    {
        var desk = app.MapGroup("/rewards").RequireAuthorization(PermissionPolicies.For(Permission.RedeemRewards));
        desk.MapGet("/redemptions/{id:long}/voucher.pdf", VoucherAsync);
        desk.MapGet("/accounts/{id:long}/card.pdf", CardAsync);
        var reports = app.MapGroup("/rewards/reports").RequireAuthorization(PermissionPolicies.For(Permission.ManageRewards));
        reports.MapGet("/liability.csv", (IDbContextFactory<CrmDbContext> contexts, CancellationToken ct) => LiabilityAsync(contexts, "csv", ct));
        reports.MapGet("/liability.xlsx", (IDbContextFactory<CrmDbContext> contexts, CancellationToken ct) => LiabilityAsync(contexts, "xlsx", ct));
        reports.MapGet("/partners/{id:long}.csv", PartnerReportAsync);
        return app;
    }

    private static async Task<IResult> VoucherAsync(long id, IDbContextFactory<CrmDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var r = await db.RewardRedemptions.AsNoTracking().Include(x => x.Reward).Include(x => x.Dealer).Include(x => x.Customer)
            .Include(x => x.Account!).ThenInclude(a => a.Scheme)
            .FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (r is null)
        {
            return Results.NotFound();
        }

        var currency = await db.DealerGroups.Where(g => g.Id == r.DealerGroupId).Select(g => g.Network!.Currency).FirstOrDefaultAsync(cancellationToken) ?? "";
        var pdf = RewardPdfs.Voucher(new VoucherContent(r.VoucherNumber, r.Dealer?.Name ?? "", r.Customer?.DisplayName ?? "", r.Account?.Scheme?.Name ?? "",
            RewardDeskLinks.MaskedCard(r.Account?.CardNumber ?? ""), r.Reward?.Name ?? "", r.BenefitText, r.PointsSpent, r.MoneySpent, currency,
            r.RedeemedAt, r.RedeemedBy, r.Account?.PointsBalance ?? 0, r.Status == RedemptionStatus.Reversed, r.ReversedAt, r.ReversalReason));
        return Results.File(pdf, "application/pdf", $"voucher-{r.VoucherNumber}.pdf");
    }

    private static async Task<IResult> CardAsync(long id, IDbContextFactory<CrmDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var a = await db.RewardAccounts.AsNoTracking().Include(x => x.Scheme).Include(x => x.Customer).Include(x => x.DealerGroup)
            .FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (a is null)
        {
            return Results.NotFound();
        }

        var pdf = RewardPdfs.Card(new CardContent(a.Scheme!.Name, a.DealerGroup?.Name ?? "", a.CardNumber, a.Customer?.DisplayName ?? "", a.EnrolledAt));
        return Results.File(pdf, "application/pdf", $"card-{a.CardNumber[^4..]}.pdf");
    }

    private static async Task<IResult> LiabilityAsync(IDbContextFactory<CrmDbContext> contexts, string format, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await RewardReports.LiabilityAsync(db, cancellationToken);
        string[] header = ["Scheme", "Owner", "Members", "Outstanding points", "Point value", "Liability", "Credit balances"];
        if (format == "csv")
        {
            var csv = new StringBuilder();
            csv.AppendLine(string.Join(',', header));
            foreach (var r in rows)
            {
                csv.AppendLine(string.Join(',', ExportText.CsvField(r.Scheme), ExportText.CsvField(r.Owner), r.Members.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    r.Points.ToString(System.Globalization.CultureInfo.InvariantCulture), r.PointValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    r.Liability.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), r.Credit.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)));
            }

            return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv", "points-liability.csv");
        }

        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add("Liability");
        for (var c = 0; c < header.Length; c++)
        {
            sheet.Cell(1, c + 1).Value = header[c];
            sheet.Cell(1, c + 1).Style.Font.Bold = true;
            sheet.Column(c + 1).Width = c < 2 ? 28 : 16;
        }

        var row = 2;
        foreach (var r in rows)
        {
            sheet.Cell(row, 1).Value = ExportText.Neutralise(ExportText.ForSpreadsheet(r.Scheme));
            sheet.Cell(row, 2).Value = ExportText.Neutralise(ExportText.ForSpreadsheet(r.Owner));
            sheet.Cell(row, 3).Value = r.Members;
            sheet.Cell(row, 4).Value = r.Points;
            sheet.Cell(row, 5).Value = r.PointValue;
            sheet.Cell(row, 6).Value = r.Liability;
            sheet.Cell(row, 7).Value = r.Credit;
            row++;
        }

        using var output = new MemoryStream();
        workbook.SaveAs(output);
        return Results.File(output.ToArray(), XlsxType, "points-liability.xlsx");
    }

    private static async Task<IResult> PartnerReportAsync(long id, IDbContextFactory<CrmDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var partner = await db.Partners.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (partner is null)
        {
            return Results.NotFound();
        }

        var csv = new StringBuilder("Offer,Month,Redemptions\n");
        foreach (var r in await GroupProgrammes.PartnerReportAsync(db, id, cancellationToken))
        {
            csv.Append(ExportText.CsvField(r.Offer)).Append(',').Append(r.Month).Append(',')
                .Append(r.Redemptions.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", $"partner-{partner.Id}-report.csv");
    }
}
