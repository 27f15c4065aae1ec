using CsCheck;
using SafetySurveillance.Domain.Statistics;
using Xunit;
using static SafetySurveillance.Domain.Tests.Statistics.NormalDistributionTests;

namespace SafetySurveillance.Domain.Tests.Statistics;

public sealed class BinomialDistributionTests
{
    // Oracle: R 4.2.2, options(digits = 17); pbinom(k, n, p).
    [Theory]
    [InlineData(3, 20, 0.05, 9.8409847398023642e-01)]
    [InlineData(0, 20, 0.05, 3.5848592240854221e-01)]
    [InlineData(5, 10, 0.5, 6.2304687499999989e-01)]
    [InlineData(499_000, 1_000_000, 0.5, 2.2804149932691052e-02)]
    [InlineData(500_500, 1_000_000, 0.5, 8.4158659584804230e-01)]
    [InlineData(49_000, 1_000_000, 0.05, 2.1131824147902096e-06)]
    [InlineData(10, 1_000_000, 1e-5, 5.8303975019402743e-01)]
    public void Cdf_matches_R_pbinom_including_a_million_trials(long k, long n, double p, double expected)
    {
        AssertRelative(expected, BinomialDistribution.Cdf(k, n, p), 1e-12);
    }

    [Fact]
    public void Survival_keeps_relative_precision_in_the_upper_tail()
    {
        // R: pbinom(50400, 1e6, 0.05, lower.tail = FALSE)
        AssertRelative(3.3179495185308785e-02, BinomialDistribution.Survival(50_400, 1_000_000, 0.05), 1e-12);
    }

    // Oracle: R dbinom(k, n, p).
    [Theory]
    [InlineData(7, 50, 0.05, 8.5981045749667084e-03)]
    [InlineData(500_000, 1_000_000, 0.5, 7.9788436133174990e-04)]
    [InlineData(3, 7, 0.3, 2.2689450000000005e-01)]
    public void Pmf_matches_R_dbinom(long k, long n, double p, double expected)
    {
        AssertRelative(expected, BinomialDistribution.Pmf(k, n, p), 1e-13);
    }

    // Oracle: R qbinom(q, n, p).
    [Theory]
    [InlineData(0.975, 20, 0.05, 3)]
    [InlineData(0.999, 200, 0.05, 21)]
    [InlineData(0.025, 1_000_000, 0.05, 49_573)]
    [InlineData(0.001, 1_000_000, 0.039, 38_403)]
    public void Quantile_is_the_smallest_count_whose_cdf_reaches_the_probability(double q, long n, double p, long expected)
    {
        Assert.Equal(expected, BinomialDistribution.Quantile(q, n, p));
    }

    [Theory]
    [InlineData(12, 0.3)]
    [InlineData(1, 0.5)]
    [InlineData(200, 0.039)]
    public void Pmf_sums_to_one_and_the_cdf_is_its_running_sum(long n, double p)
    {
        double running = 0.0;
        for (long k = 0; k <= n; k++)
        {
            running += BinomialDistribution.Pmf(k, n, p);
            Assert.Equal(running, BinomialDistribution.Cdf(k, n, p), 1e-13);
        }

        Assert.Equal(1.0, running, 1e-13);
    }

    [Fact]
    public void Cdf_and_survival_add_to_one_and_the_cdf_never_falls()
    {
        Gen.Select(Gen.Long[1, 2_000_000], Gen.Double[0.0, 1.0], Gen.Double[0.0, 1.0]).Sample(
            (n, p, where) =>
            {
                long k = (long)(where * n);
                double f = BinomialDistribution.Cdf(k, n, p);
                Assert.Equal(1.0, f + BinomialDistribution.Survival(k, n, p), 1e-12);
                Assert.True(BinomialDistribution.Cdf(k + 1, n, p) >= f - 1e-15);
                Assert.InRange(f, 0.0, 1.0);
            },
            iter: 300);
    }

    [Fact]
    public void Quantile_is_consistent_with_the_cdf_for_any_n_and_p()
    {
        Gen.Select(Gen.Long[1, 1_000_000], Gen.Double[0.001, 0.999], Gen.Double[0.0005, 0.9995]).Sample(
            (n, p, q) =>
            {
                long r = BinomialDistribution.Quantile(q, n, p);
                Assert.True(BinomialDistribution.Cdf(r, n, p) >= q);
                Assert.True(r == 0 || BinomialDistribution.Cdf(r - 1, n, p) < q);
            },
            iter: 200);
    }

    [Fact]
    public void Degenerate_probabilities_put_all_mass_on_one_count()
    {
        Assert.Equal(1.0, BinomialDistribution.Cdf(0, 10, 0.0));
        Assert.Equal(0.0, BinomialDistribution.Cdf(9, 10, 1.0));
        Assert.Equal(1.0, BinomialDistribution.Pmf(10, 10, 1.0));
        Assert.Equal(0, BinomialDistribution.Quantile(0.999, 10, 0.0));
        Assert.Equal(10, BinomialDistribution.Quantile(0.001, 10, 1.0));
    }

    [Fact]
    public void Zero_trials_always_give_zero_successes()
    {
        Assert.Equal(1.0, BinomialDistribution.Pmf(0, 0, 0.3));
        Assert.Equal(1.0, BinomialDistribution.Cdf(0, 0, 0.3));
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialDistribution.Cdf(1, -1, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialDistribution.Cdf(1, 10, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialDistribution.Quantile(1.5, 10, 0.5));
    }
}
