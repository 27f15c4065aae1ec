using SafetySurveillance.Domain.Statistics;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Statistics;

public sealed class FunnelLimitsTests
{
    // Oracle (R 4.2.2), exact limit with Spiegelhalter interpolation:
    //   ex <- function(q, n, p0) { r <- qbinom(q, n, p0); Fr <- pbinom(r, n, p0); Fr1 <- pbinom(r - 1, n, p0)
    //                              a <- (Fr - q) / (Fr - Fr1); min(max((r - a) / n, 0), 1) }
    //   lower = ex(0.025 or 0.001, n, p0), upper = ex(0.975 or 0.999, n, p0)
    // The first four rows confirm every [C] value in domain-anchors §5.2 (to its 6 decimals).
    [Theory]
    [InlineData(0.05, 20, 0.95, 0.0, 0.142364765017)]
    [InlineData(0.05, 20, 0.998, 0.0, 0.235059878652)]
    [InlineData(0.05, 50, 0.95, 0.0, 0.109831710720)]
    [InlineData(0.05, 50, 0.998, 0.0, 0.157993590948)]
    [InlineData(0.05, 200, 0.95, 0.019584215202, 0.079707985416)]
    [InlineData(0.05, 200, 0.998, 0.006542157943, 0.101177876156)]
    [InlineData(0.039, 100, 0.95, 0.000826383247, 0.076644764534)]
    [InlineData(0.039, 100, 0.998, 0.0, 0.106437566959)]
    [InlineData(0.039, 25, 0.998, 0.0, 0.187576276266)]
    [InlineData(0.2, 1000, 0.95, 0.175002794186, 0.224584332540)]
    [InlineData(0.2, 1000, 0.998, 0.161283155058, 0.239431642494)]
    public void Exact_binomial_limits_match_the_R_computation(double p0, long n, double coverage, double lower, double upper)
    {
        ControlLimits limits = FunnelLimits.ExactBinomial(p0, n, coverage);
        Assert.Equal(lower, limits.Lower, 1e-11);
        Assert.Equal(upper, limits.Upper, 1e-11);
    }

    [Theory]
    [InlineData(0.039, 0.95, 0.358974358974)]
    [InlineData(0.039, 0.998, 0.974358974359)]
    [InlineData(0.5, 0.95, 0.95)]
    [InlineData(0.5, 0.998, 0.998)]
    public void A_single_case_gives_the_interpolated_limit_of_a_zero_or_one_outcome(double p0, double coverage, double upper)
    {
        // R: ex(0.975, 1, p0) etc.; with n = 1, F(0) = 1 − p0 and the interpolation gives 1 − (1 − q)/p0.
        ControlLimits limits = FunnelLimits.ExactBinomial(p0, 1, coverage);
        Assert.Equal(0.0, limits.Lower);
        Assert.Equal(upper, limits.Upper, 1e-11);
    }

    // Oracle (R): p0 + c(-1, 1) * qnorm(q) * sqrt(p0 * (1 - p0) / n), clipped to [0, 1].
    [Theory]
    [InlineData(0.05, 20, 0.95, 0.0, 0.145516829403)]
    [InlineData(0.05, 20, 0.998, 0.0, 0.200599293830)]
    [InlineData(0.05, 200, 0.95, 0.019794926421, 0.080205073579)]
    [InlineData(0.05, 200, 0.998, 0.002376321749, 0.097623678251)]
    [InlineData(0.039, 100, 0.95, 0.001056089403, 0.076943910597)]
    [InlineData(0.039, 100, 0.998, 0.0, 0.098825333156)]
    public void Normal_limits_match_the_R_computation(double p0, long n, double coverage, double lower, double upper)
    {
        ControlLimits limits = FunnelLimits.Normal(p0, n, coverage);
        Assert.Equal(lower, limits.Lower, 1e-11);
        Assert.Equal(upper, limits.Upper, 1e-11);
    }

    [Fact]
    public void At_trust_volumes_the_exact_alarm_limit_sits_above_the_normal_one()
    {
        Assert.True(FunnelLimits.ExactBinomial(0.039, 100, 0.998).Upper > FunnelLimits.Normal(0.039, 100, 0.998).Upper);
    }

    [Fact]
    public void A_target_of_zero_or_one_collapses_the_funnel()
    {
        Assert.Equal(new ControlLimits(0.0, 0.0, 0.95), FunnelLimits.ExactBinomial(0.0, 50, 0.95));
        Assert.Equal(new ControlLimits(1.0, 1.0, 0.95), FunnelLimits.ExactBinomial(1.0, 50, 0.95));
    }

    [Fact]
    public void Exact_limits_narrow_towards_the_target_as_volume_grows()
    {
        double previousWidth = double.MaxValue;
        foreach (long n in new long[] { 50, 200, 1_000, 10_000, 100_000, 1_000_000 })
        {
            ControlLimits limits = FunnelLimits.ExactBinomial(0.039, n, 0.998);
            double width = limits.Upper - limits.Lower;
            Assert.True(width < previousWidth);
            Assert.InRange(0.039, limits.Lower, limits.Upper);
            previousWidth = width;
        }
    }

    [Fact]
    public void At_a_million_cases_the_exact_limits_agree_with_the_normal_ones()
    {
        ControlLimits exact = FunnelLimits.ExactBinomial(0.039, 1_000_000, 0.95);
        ControlLimits normal = FunnelLimits.Normal(0.039, 1_000_000, 0.95);
        Assert.Equal(normal.Upper, exact.Upper, 2e-5);
        Assert.Equal(normal.Lower, exact.Lower, 2e-5);
    }

    [Fact]
    public void Zero_cases_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FunnelLimits.ExactBinomial(0.05, 0, 0.95));
        Assert.Throws<ArgumentOutOfRangeException>(() => FunnelLimits.Normal(0.05, 0, 0.95));
    }

    [Fact]
    public void A_unit_above_the_alarm_limit_is_classified_above()
    {
        ControlLimits limits = FunnelLimits.ExactBinomial(0.039, 100, 0.998); // upper 0.1064
        Assert.Equal(FunnelPosition.Above, FunnelLimits.Classify(11, 100, limits));
        Assert.Equal(FunnelPosition.Within, FunnelLimits.Classify(10, 100, limits));
        Assert.Equal(FunnelPosition.Within, FunnelLimits.Classify(0, 100, limits));
    }

    [Fact]
    public void A_unit_below_the_lower_limit_is_classified_below()
    {
        ControlLimits limits = FunnelLimits.ExactBinomial(0.2, 1_000, 0.998); // lower 0.1613
        Assert.Equal(FunnelPosition.Below, FunnelLimits.Classify(160, 1_000, limits));
        Assert.Equal(FunnelPosition.Within, FunnelLimits.Classify(162, 1_000, limits));
    }
}
