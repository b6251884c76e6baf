using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AutomotiveCrm.Domain.Campaigns.Tracking;

/// <summary>One run's groups and what they did in the window after the run started.</summary>
public sealed record RunMeasurement(long RunId, int RunNumber, DateOnly ContactDay, DateOnly WindowEnd, GroupOutcome Treated, GroupOutcome Control,
    int Contacted);

public sealed record CampaignMeasurementResult(long CampaignId, string Name, int WindowDays, IReadOnlyList<RunMeasurement> Runs, UpliftResult Uplift);

/// <summary>
/// Measures campaigns on what happened after them: vehicle sales and service visits from the DMS imports, by the
/// run's members, on or after the day the run started and within the attribution window. The members not held out
/// are the treated group, whether a message reached them or not (intention to treat: comparing only those reached
/// with a random hold-out would compare people with an e-mail address and consent against everyone); the run's
/// random hold-out is the control. A member converts with one sale or visit or more; revenue is sale prices plus
/// visit totals. Counted through the context given (user-scoped: the user's groups only).
/// </summary>
public static class CampaignMeasurement
{
    public static async Task<CampaignMeasurementResult?> MeasureAsync(CrmDbContext db, long campaignId, int windowDays, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var campaign = await db.Campaigns.Where(c => c.Id == campaignId).Select(c => new { c.Id, c.Name, c.Cost }).FirstOrDefaultAsync(cancellationToken);
        if (campaign is null)
        {
            return null;
        }

        windowDays = Math.Clamp(windowDays, 1, 730);
        var runs = await db.CampaignRuns.Where(r => r.CampaignId == campaignId && r.Status != CampaignRunStatus.Pending)
            .OrderBy(r => r.Number).Select(r => new { r.Id, r.Number, r.StartedAt }).ToListAsync(cancellationToken);
        var measured = new List<RunMeasurement>(runs.Count);
        foreach (var run in runs)
        {
            var from = DateOnly.FromDateTime(run.StartedAt);
            var to = from.AddDays(windowDays);
            var members = await db.CampaignRunMembers.Where(m => m.RunId == run.Id).Select(m => new { m.CustomerId, m.HoldOut })
                .ToDictionaryAsync(m => m.CustomerId, m => m.HoldOut, cancellationToken);
            var inRun = db.CampaignRunMembers.Where(m => m.RunId == run.Id).Select(m => m.CustomerId);
            var sales = await db.VehicleSales.Where(s => inRun.Contains(s.CustomerId) && s.SaleDate >= from && s.SaleDate <= to)
                .Select(s => new { s.CustomerId, Amount = s.Price }).ToListAsync(cancellationToken);
            var visits = await db.ServiceVisits.Where(v => v.CustomerId != null && inRun.Contains(v.CustomerId.Value) && v.VisitDate >= from && v.VisitDate <= to)
                .Select(v => new { CustomerId = v.CustomerId!.Value, Amount = v.TotalAmount }).ToListAsync(cancellationToken);
            var contacted = await db.CampaignMessages.Where(m => m.RunId == run.Id && m.State == MessageState.Sent)
                .Select(m => m.CustomerId).Distinct().CountAsync(cancellationToken);

            GroupOutcome Group(bool holdOut)
            {
                var people = members.Where(m => m.Value == holdOut).Select(m => m.Key).ToHashSet();
                var s = sales.Where(x => people.Contains(x.CustomerId)).ToList();
                var v = visits.Where(x => people.Contains(x.CustomerId)).ToList();
                var converted = s.Select(x => x.CustomerId).Concat(v.Select(x => x.CustomerId)).Distinct().Count();
                return new GroupOutcome(people.Count, converted, s.Count, v.Count, s.Sum(x => x.Amount ?? 0m) + v.Sum(x => x.Amount ?? 0m));
            }

            measured.Add(new RunMeasurement(run.Id, run.Number, from, to, Group(false), Group(true), contacted));
        }

        var treated = measured.Aggregate(GroupOutcome.None, (a, r) => a.Plus(r.Treated));
        var control = measured.Aggregate(GroupOutcome.None, (a, r) => a.Plus(r.Control));
        return new CampaignMeasurementResult(campaign.Id, campaign.Name, windowDays, measured, UpliftMaths.Compute(treated, control, campaign.Cost));
    }

    /// <summary>Saves the campaign's cost (for the ROI) and its tracking switch; false when the campaign is not visible.</summary>
    public static async Task<bool> SaveSettingsAsync(CrmDbContext db, long campaignId, decimal? cost, bool trackingEnabled, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (cost is < 0m or > 1_000_000_000m)
        {
            throw new Common.DomainException("Cost: enter an amount between 0 and 1,000,000,000, or leave it empty.");
        }

        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == campaignId, cancellationToken);
        if (campaign is null)
        {
            return false;
        }

        campaign.Cost = cost is null ? null : decimal.Round(cost.Value, 2);
        campaign.TrackingEnabled = trackingEnabled;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
