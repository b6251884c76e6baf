using AutomotiveCrm.Domain.Campaigns.Tracking;

namespace AutomotiveCrm.Tests.Campaigns.Tracking;

public sealed class UpliftMathsTests
{
    [Fact]
    public void Compute_WorkedExample_MatchesHandArithmetic()
    {
        // 1,000 contacted, 80 converted, 40,000 revenue; 250 held out, 10 converted, 5,000 revenue; cost 10,000.
        var treated = new GroupOutcome(1000, 80, 30, 60, 40_000m);
        var control = new GroupOutcome(250, 10, 4, 7, 5_000m);

        var u = UpliftMaths.Compute(treated, control, 10_000m);

        Assert.Equal(0.08, u.Treated.Rate, 10);
        Assert.Equal(0.04, u.Control.Rate, 10);
        Assert.Equal(0.04, u.AbsoluteUplift!.Value, 10);
        Assert.Equal(1.0, u.RelativeUplift!.Value, 10);
        Assert.Equal(40.0, u.IncrementalConversions!.Value, 10);
        // (40 - 20) per person x 1,000 people.
        Assert.Equal(20_000m, u.IncrementalRevenue);
        Assert.Equal(1.0, u.IncrementalRoi!.Value, 10);
        Assert.Equal(3.0, u.AttributedRoi!.Value, 10);
        // Pooled p = 90/1250 = 0.072; se = sqrt(0.072*0.928*(1/1000+1/250)) = 0.0182779; z = 0.04/se = 2.18844; p = 0.028638.
        Assert.Equal(2.18844, u.ZScore!.Value, 4);
        Assert.Equal(0.028638, u.PValue!.Value, 5);
        Assert.True(u.Significant);
    }

    [Fact]
    public void Compute_NoHoldOut_GivesNoUpliftButTheNaiveRoi()
    {
        var u = UpliftMaths.Compute(new GroupOutcome(500, 25, 25, 0, 600_000m), GroupOutcome.None, 100_000m);

        Assert.Null(u.AbsoluteUplift);
        Assert.Null(u.IncrementalRevenue);
        Assert.Null(u.IncrementalRoi);
        Assert.Null(u.PValue);
        Assert.Equal(5.0, u.AttributedRoi!.Value, 10);
    }

    [Fact]
    public void Compute_NoCost_NoRoi_AndNoDifference_IsNotSignificant()
    {
        var u = UpliftMaths.Compute(new GroupOutcome(400, 20, 0, 20, 4_000m), new GroupOutcome(100, 5, 0, 5, 1_000m), null);

        Assert.Equal(0.0, u.AbsoluteUplift!.Value, 12);
        Assert.Equal(0m, u.IncrementalRevenue);
        Assert.Null(u.IncrementalRoi);
        Assert.Equal(1.0, u.PValue!.Value, 6);
        Assert.False(u.Significant);
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.959964, 0.975)]
    [InlineData(-1.0, 0.1586553)]
    [InlineData(3.0, 0.9986501)]
    public void NormalCdf_KnownValues(double x, double expected) => Assert.Equal(expected, UpliftMaths.NormalCdf(x), 6);

    [Fact]
    public void TwoProportionZ_AllOrNothingConverted_HasNoVariance()
    {
        Assert.Equal((null, null), UpliftMaths.TwoProportionZ(0, 100, 0, 50));
        Assert.Equal((null, null), UpliftMaths.TwoProportionZ(100, 100, 50, 50));
        Assert.Equal((null, null), UpliftMaths.TwoProportionZ(1, 0, 0, 50));
    }
}
