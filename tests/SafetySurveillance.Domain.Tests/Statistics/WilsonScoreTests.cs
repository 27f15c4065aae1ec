using SafetySurveillance.Domain.Statistics;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Statistics;

public sealed class WilsonScoreTests
{
    // Oracle: statsmodels 0.13.5,
    // python3 -c "from statsmodels.stats.proportion import proportion_confint as c; print(repr(c(x, n, alpha=a, method='wilson')))"
    // The 0/10 … 10/10 rows are also the [C] values of domain-anchors §5.1 (all six confirmed).
    [Theory]
    [InlineData(0, 10, 0.95, 0.0, 0.27753279986288926)]
    [InlineData(1, 10, 0.95, 0.017876213095072924, 0.40415002679523854)]
    [InlineData(5, 100, 0.95, 0.021543679154367966, 0.11175046923191914)]
    [InlineData(8, 204, 0.95, 0.020002853883823005, 0.07546153966535553)]
    [InlineData(4, 26, 0.95, 0.061500337235783575, 0.3353119932821348)]
    [InlineData(10, 10, 0.95, 0.7224672001371106, 1.0)]
    [InlineData(3, 7, 0.998, 0.09161890874602491, 0.8479564353748119)]
    [InlineData(50, 1000, 0.90, 0.039828215496175066, 0.06260020341960941)]
    public void Interval_matches_statsmodels_wilson(long x, long n, double confidence, double lower, double upper)
    {
        ProportionInterval interval = WilsonScore.Interval(x, n, confidence);
        Assert.Equal(lower, interval.Lower, 1e-14);
        Assert.Equal(upper, interval.Upper, 1e-14);
        Assert.Equal(x / (double)n, interval.Estimate);
    }

    // Newcombe, R. G. (1998) "Two-sided confidence intervals for the single proportion: comparison of seven
    // methods", Statistics in Medicine 17:857–872, Table I, method 3 (score interval without continuity
    // correction), printed to 4 decimals. statsmodels gives the same to 4 decimals.
    [Theory]
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0000, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void Interval_reproduces_Newcombes_worked_examples(long x, long n, double lower, double upper)
    {
        ProportionInterval interval = WilsonScore.Interval(x, n);
        Assert.Equal(lower, Math.Round(interval.Lower, 4));
        Assert.Equal(upper, Math.Round(interval.Upper, 4));
    }

    [Fact]
    public void Zero_of_n_has_a_lower_bound_of_exactly_zero()
    {
        Assert.Equal(0.0, WilsonScore.Interval(0, 37).Lower);
    }

    [Fact]
    public void N_of_n_has_an_upper_bound_of_exactly_one()
    {
        Assert.Equal(1.0, WilsonScore.Interval(37, 37).Upper);
    }

    [Fact]
    public void A_single_trial_gives_the_statsmodels_interval_either_way()
    {
        // statsmodels: proportion_confint(0, 1, 0.05, 'wilson') and (1, 1, ...)
        ProportionInterval none = WilsonScore.Interval(0, 1);
        ProportionInterval one = WilsonScore.Interval(1, 1);
        Assert.Equal(0.0, none.Lower);
        Assert.Equal(0.7934506856227627, none.Upper, 1e-14);
        Assert.Equal(0.2065493143772374, one.Lower, 1e-14);
        Assert.Equal(1.0, one.Upper);
    }

    [Fact]
    public void Zero_trials_are_rejected_because_they_carry_no_information()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonScore.Interval(0, 0));
    }

    [Theory]
    [InlineData(-1, 10, 0.95)]
    [InlineData(11, 10, 0.95)]
    [InlineData(1, 10, 1.0)]
    [InlineData(1, 10, 0.0)]
    public void Impossible_counts_and_confidence_levels_are_rejected(long x, long n, double confidence)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonScore.Interval(x, n, confidence));
    }

    [Fact]
    public void A_higher_confidence_level_gives_a_wider_interval()
    {
        ProportionInterval narrow = WilsonScore.Interval(8, 204, 0.95);
        ProportionInterval wide = WilsonScore.Interval(8, 204, 0.998);
        Assert.True(wide.Lower < narrow.Lower);
        Assert.True(wide.Upper > narrow.Upper);
    }
}
