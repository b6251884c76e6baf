namespace AutomotiveCrm.Domain.Campaigns.Tracking;

/// <summary>What a group of people did in the attribution window: how many converted (a sale or a service visit) and the money.</summary>
public sealed record GroupOutcome(int People, int Converted, int Sales, int Visits, decimal Revenue)
{
    public static GroupOutcome None { get; } = new(0, 0, 0, 0, 0m);

    public double Rate => People == 0 ? 0 : (double)Converted / People;

    public decimal RevenuePerPerson => People == 0 ? 0m : Revenue / People;

    public GroupOutcome Plus(GroupOutcome other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new GroupOutcome(People + other.People, Converted + other.Converted, Sales + other.Sales, Visits + other.Visits, Revenue + other.Revenue);
    }
}

/// <summary>
/// A campaign measured against its hold-out: conversion rates, the uplift (difference of rates, in share points),
/// the conversions and revenue the campaign caused beyond what the hold-out shows would have happened anyway, and
/// the return on the cost. Without a hold-out there is no uplift (null figures), only attributed revenue and the
/// naive return on it, which overstates the effect (people buy cars without being mailed).
/// </summary>
public sealed record UpliftResult(
    GroupOutcome Treated,
    GroupOutcome Control,
    double? AbsoluteUplift,
    double? RelativeUplift,
    double? IncrementalConversions,
    decimal? IncrementalRevenue,
    decimal? Cost,
    double? IncrementalRoi,
    double? AttributedRoi,
    double? ZScore,
    double? PValue)
{
    /// <summary>Whether the difference is unlikely to be chance (two-sided p below 5 %).</summary>
    public bool Significant => PValue is < 0.05;
}

/// <summary>The arithmetic of uplift and ROI, apart from any database so it can be checked by hand.</summary>
public static class UpliftMaths
{
    /// <summary>
    /// Treated (contacted group, everyone not held out: intention to treat) against control (the random hold-out).
    /// Uplift = rate(treated) - rate(control); incremental conversions = uplift x treated people; incremental revenue =
    /// (revenue per treated person - revenue per control person) x treated people; ROI = (incremental revenue - cost)
    /// / cost. Significance: the two-proportion z-test with pooled variance.
    /// </summary>
    public static UpliftResult Compute(GroupOutcome treated, GroupOutcome control, decimal? cost)
    {
        ArgumentNullException.ThrowIfNull(treated);
        ArgumentNullException.ThrowIfNull(control);
        var hasCost = cost is > 0m;
        double? attributedRoi = hasCost ? (double)((treated.Revenue - cost!.Value) / cost.Value) : null;
        if (control.People == 0 || treated.People == 0)
        {
            return new UpliftResult(treated, control, null, null, null, null, cost, null, attributedRoi, null, null);
        }

        var uplift = treated.Rate - control.Rate;
        double? relative = control.Rate > 0 ? uplift / control.Rate : null;
        var incrementalConversions = uplift * treated.People;
        var incrementalRevenue = (treated.RevenuePerPerson - control.RevenuePerPerson) * treated.People;
        double? roi = hasCost ? (double)((incrementalRevenue - cost!.Value) / cost.Value) : null;
        var (z, p) = TwoProportionZ(treated.Converted, treated.People, control.Converted, control.People);
        return new UpliftResult(treated, control, uplift, relative, incrementalConversions, decimal.Round(incrementalRevenue, 2), cost, roi, attributedRoi, z, p);
    }

    /// <summary>z and the two-sided p-value of the difference of two proportions; nulls when the pooled rate is 0 or 1 (no variance).</summary>
    public static (double? Z, double? P) TwoProportionZ(int x1, int n1, int x2, int n2)
    {
        if (n1 <= 0 || n2 <= 0)
        {
            return (null, null);
        }

        var pooled = (double)(x1 + x2) / (n1 + n2);
        var variance = pooled * (1 - pooled) * ((1.0 / n1) + (1.0 / n2));
        if (variance <= 0)
        {
            return (null, null);
        }

        var z = (((double)x1 / n1) - ((double)x2 / n2)) / Math.Sqrt(variance);
        return (z, 2 * (1 - NormalCdf(Math.Abs(z))));
    }

    /// <summary>The standard normal distribution function, through erf (Abramowitz and Stegun 7.1.26, error below 1.5e-7).</summary>
    public static double NormalCdf(double x) => 0.5 * (1 + Erf(x / Math.Sqrt(2)));

    private static double Erf(double x)
    {
        var sign = Math.Sign(x);
        x = Math.Abs(x);
        const double a1 = 0.254829592, a2 = -0.284496736, a3 = 1.421413741, a4 = -1.453152027, a5 = 1.061405429, p = 0.3275911;
        var t = 1 / (1 + (p * x));
        var y = 1 - (((((((((a5 * t) + a4) * t) + a3) * t) + a2) * t) + a1) * t * Math.Exp(-x * x));
        return sign * y;
    }
}
