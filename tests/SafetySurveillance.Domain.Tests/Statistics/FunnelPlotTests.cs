using SafetySurveillance.Domain.Statistics;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Statistics;

public sealed class FunnelPlotTests
{
    // Twelve trusts, 110 events in 1,375 cases: pooled rate 0.08. Over-dispersed (φ̂ = 1.663, see OverdispersionTests).
    private static readonly UnitProportion[] Trusts =
    [
        new(1, 100), new(2, 80), new(3, 120), new(5, 90), new(8, 110), new(12, 100),
        new(15, 150), new(20, 200), new(4, 60), new(6, 75), new(9, 130), new(25, 160),
    ];

    [Fact]
    public void The_national_target_is_the_pooled_rate()
    {
        Assert.Equal(0.08, FunnelPlot.PooledRate(Trusts), 1e-15);
    }

    // Oracle (R 4.2.2): ex(q, n, p0) as in FunnelLimitsTests, and p0 ± qnorm(q)·√φ̂·√(p0(1−p0)/n) for the
    // multiplicative limits, for each trust at p0 = 0.08 (script in docs/statistics.md §2.4).
    [Fact]
    public void Without_adjustment_exact_limits_flag_the_high_trust_at_both_levels_and_two_low_trusts_at_95_percent()
    {
        FunnelAssessment assessment = FunnelPlot.Assess(0.08, Trusts);

        Assert.False(assessment.Adjusted);
        Assert.Null(assessment.Overdispersion);
        FunnelPoint high = assessment.Points[11]; // 25/160 = 0.156; exact 99.8 % upper limit 0.1499
        Assert.Equal(0.1499, Math.Round(high.Alarm.Upper, 4));
        Assert.Equal(FunnelPosition.Above, high.AlarmPosition);
        Assert.Equal(FunnelPosition.Above, high.WarningPosition);

        Assert.Equal(
            [FunnelPosition.Below, FunnelPosition.Within, FunnelPosition.Below, FunnelPosition.Within, FunnelPosition.Within, FunnelPosition.Within,
             FunnelPosition.Within, FunnelPosition.Within, FunnelPosition.Within, FunnelPosition.Within, FunnelPosition.Within, FunnelPosition.Above],
            assessment.Points.Select(p => p.WarningPosition));
        Assert.Single(assessment.Points, p => p.AlarmPosition != FunnelPosition.Within);
    }

    [Fact]
    public void Multiplicative_over_dispersion_widens_the_limits_so_the_high_trust_is_only_a_warning()
    {
        FunnelAssessment assessment = FunnelPlot.Assess(0.08, Trusts, OverdispersionAdjustment.Multiplicative);

        Assert.True(assessment.Adjusted);
        FunnelPoint high = assessment.Points[11];
        Assert.Equal(0.1655, Math.Round(high.Alarm.Upper, 4));
        Assert.Equal(0.1342, Math.Round(high.Warning.Upper, 4));
        Assert.Equal(FunnelPosition.Within, high.AlarmPosition);
        Assert.Equal(FunnelPosition.Above, high.WarningPosition);
        Assert.Equal(FunnelPosition.Below, assessment.Points[0].WarningPosition); // 0.01 below 0.0114
        Assert.All(assessment.Points, p => Assert.Equal(FunnelPosition.Within, p.AlarmPosition));
    }

    [Fact]
    public void Without_over_dispersion_an_adjustment_keeps_the_exact_limits()
    {
        UnitProportion[] tight = [new(5, 100), new(6, 100), new(4, 100), new(5, 100), new(7, 100), new(5, 100), new(4, 100), new(6, 100), new(5, 100), new(5, 100)];
        FunnelAssessment assessment = FunnelPlot.Assess(0.05, tight, OverdispersionAdjustment.AdditiveRandomEffects);
        Assert.NotNull(assessment.Overdispersion);
        Assert.False(assessment.Adjusted);
        Assert.Equal(FunnelLimits.ExactBinomial(0.05, 100, 0.998), assessment.Points[0].Alarm);
    }

    [Fact]
    public void Units_with_no_cases_get_no_point()
    {
        FunnelAssessment assessment = FunnelPlot.Assess(0.08, [new(0, 0), new(3, 40)]);
        Assert.Single(assessment.Points);
        Assert.Equal(40, assessment.Points[0].Unit.Cases);
    }
}
