using CsCheck;
using SafetySurveillance.Domain.Statistics;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Statistics;

public sealed class NormalDistributionTests
{
    // Oracle: R 4.2.2, options(digits = 17); pnorm(z) and pnorm(z, lower.tail = FALSE).
    [Theory]
    [InlineData(-30.0, 4.9067139271481872e-198)]
    [InlineData(-10.0, 7.6198530241605269e-24)]
    [InlineData(-5.0, 2.8665157187919391e-07)]
    [InlineData(-1.5, 6.6807201268858071e-02)]
    [InlineData(-0.5, 3.0853753872598694e-01)]
    [InlineData(0.0, 0.5)]
    [InlineData(0.3, 6.1791142218895267e-01)]
    [InlineData(1.2247, 8.8965586292905430e-01)]
    [InlineData(1.96, 9.7500210485177963e-01)]
    [InlineData(3.0, 9.9865010196836990e-01)]
    public void Cdf_matches_R_pnorm_to_fifteen_significant_figures(double z, double expected)
    {
        AssertRelative(expected, NormalDistribution.Cdf(z), 2e-15);
    }

    // Oracle: R pnorm(z, lower.tail = FALSE).
    [Theory]
    [InlineData(8.0, 6.2209605742717849e-16)]
    [InlineData(3.0, 1.3498980316300946e-03)]
    [InlineData(1.2247, 1.1034413707094572e-01)]
    public void Upper_tail_keeps_relative_precision_where_one_minus_cdf_would_cancel(double z, double expected)
    {
        AssertRelative(expected, NormalDistribution.UpperTail(z), 2e-15);
    }

    // Oracle: R qnorm(p).
    [Theory]
    [InlineData(1e-300, -37.04709629936120052)]
    [InlineData(1e-20, -9.26234008979840517)]
    [InlineData(1e-10, -6.36134090240405570)]
    [InlineData(1e-5, -4.26489079392282555)]
    [InlineData(0.001, -3.09023230616781319)]
    [InlineData(0.025, -1.95996398454005383)]
    [InlineData(0.07, -1.47579102817917018)]
    [InlineData(0.3, -0.52440051270804067)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.8, 0.84162123357291441)]
    [InlineData(0.975, 1.95996398454005361)]
    [InlineData(0.999, 3.09023230616781319)]
    [InlineData(1 - 1e-12, 7.03448691004783555)]
    public void Quantile_matches_R_qnorm_to_fifteen_significant_figures(double p, double expected)
    {
        AssertRelative(expected, NormalDistribution.Quantile(p), 2e-15);
    }

    [Fact]
    public void Quantile_inverts_cdf_across_the_unit_interval()
    {
        // Above z = 4 the CDF is within 1e-4 of 1, so its own rounding (1e-16) dominates the round trip.
        for (double z = -8.0; z <= 4.0; z += 0.125)
        {
            Assert.Equal(z, NormalDistribution.Quantile(NormalDistribution.Cdf(z)), 1e-9);
        }
    }

    [Fact]
    public void The_distribution_is_symmetric_about_zero()
    {
        Gen.Double[-37.0, 37.0].Sample(
            z =>
            {
                AssertRelative(NormalDistribution.UpperTail(z), NormalDistribution.Cdf(-z), 1e-15);
                Assert.Equal(1.0, NormalDistribution.Cdf(z) + NormalDistribution.Cdf(-z), 1e-15);
            },
            iter: 2_000);
    }

    [Fact]
    public void Quantile_of_zero_and_one_are_infinite()
    {
        Assert.Equal(double.NegativeInfinity, NormalDistribution.Quantile(0.0));
        Assert.Equal(double.PositiveInfinity, NormalDistribution.Quantile(1.0));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void Quantile_rejects_a_probability_outside_the_unit_interval(double p)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NormalDistribution.Quantile(p));
    }

    [Fact]
    public void Two_sided_critical_values_are_the_usual_funnel_multipliers()
    {
        // R: qnorm(0.975); qnorm(0.999)
        AssertRelative(1.95996398454005361, NormalDistribution.TwoSidedCriticalValue(0.95), 4e-15);
        AssertRelative(3.09023230616781319, NormalDistribution.TwoSidedCriticalValue(0.998), 4e-15);
    }

    internal static void AssertRelative(double expected, double actual, double tolerance)
    {
        double scale = Math.Max(Math.Abs(expected), double.Epsilon);
        Assert.True(
            Math.Abs(actual - expected) <= tolerance * scale,
            $"expected {expected:R}, got {actual:R} (relative error {Math.Abs(actual - expected) / scale:E2})");
    }
}
