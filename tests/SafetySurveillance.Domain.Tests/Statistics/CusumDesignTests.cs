using SafetySurveillance.Domain.Statistics;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Statistics;

public sealed class CusumDesignTests
{
    // Three oracles per row (R = 2, α = 0.05):
    //  * table: domain-anchors §5.3 ([C], 20,000 simulations each); checked to 0.06 because such answers move by a
    //    few hundredths with the seed;
    //  * millionRuns: the 0.95 quantile of max S over 10⁶ simulated runs (R 4.2.2, set.seed(20261125)):
    //      sim <- function(p0, R, n, runs) { pA <- R*p0/(1-p0+R*p0); wE <- log(pA/p0); wN <- log((1-pA)/(1-p0))
    //        S <- numeric(runs); M <- numeric(runs)
    //        for (t in 1:n) { y <- runif(runs) < p0; S <- pmax(0, S + ifelse(y, wE, wN)); M <- pmax(M, S) }
    //        quantile(M, 0.95, type = 7) }
    //    checked to 0.015 (the quantile interpolates between attainable values of the discrete statistic);
    //  * exact: the smallest h with P(max S ≥ h) ≤ α by exact enumeration, no grid and no simulation. The state
    //    since the last visit to 0 is (k events, m non-events), S = k·wE + m·wN, pushed forward patient by
    //    patient, then bisection on h to 1e-5 (Python script in docs/statistics.md §2.5). Checked to 0.003.
    [Theory]
    [InlineData(0.02, 100, 2.04, 2.0201, 2.02009)]
    [InlineData(0.02, 250, 2.89, 2.8520, 2.85203)]
    [InlineData(0.04, 100, 2.60, 2.5901, 2.59080)]
    [InlineData(0.04, 250, 3.53, 3.5200, 3.51927)]
    [InlineData(0.05, 100, 2.80, 2.7843, 2.79276)]
    [InlineData(0.05, 250, 3.73, 3.7399, 3.73994)]
    [InlineData(0.10, 100, 3.38, 3.3790, 3.37903)]
    [InlineData(0.10, 250, 4.38, 4.3753, 4.38388)]
    public void Threshold_for_five_percent_false_signals_agrees_with_exact_enumeration_and_simulation(
        double p0, int patients, double table, double millionRuns, double exact)
    {
        double h = CusumDesign.ThresholdForFalseSignalProbability(p0, 2.0, 0.05, patients);
        Assert.Equal(exact, h, 0.003);
        Assert.Equal(millionRuns, h, 0.015);
        Assert.Equal(table, h, 0.06);
    }

    // Oracle: exact enumeration over (k, m) states as above (docs/statistics.md §2.5), p0 = 0.05, R = 2, n = 100.
    // Away from a jump of the step function the grid chain agrees to about 1e-9.
    [Theory]
    [InlineData(2.0, 0.17003600158236157)]
    [InlineData(2.8, 0.04894986036589562)]
    public void False_signal_probability_matches_exact_enumeration(double h, double exact)
    {
        Assert.Equal(exact, CusumDesign.SignalProbability([new RiskShare(0.05, 1.0)], 2.0, h, 100), 1e-8);
    }

    [Fact]
    public void The_threshold_found_is_the_smallest_that_keeps_false_signals_within_alpha()
    {
        RiskShare[] mix = [new(0.05, 1.0)];
        double h = CusumDesign.ThresholdForFalseSignalProbability(mix, 2.0, 0.05, 100);
        double atH = CusumDesign.SignalProbability(mix, 2.0, h, 100);
        double justBelow = CusumDesign.SignalProbability(mix, 2.0, h - 0.0015, 100);
        Assert.True(atH <= 0.05, $"P(signal) at h = {atH}");
        Assert.True(justBelow > 0.05, $"P(signal) just below h = {justBelow}");
    }

    [Fact]
    public void When_every_event_signals_the_false_signal_probability_is_one_minus_the_chance_of_no_event()
    {
        // h below the event weight: the first event signals from any state, so P(signal within n) = 1 − (1 − p0)^n.
        double probability = CusumDesign.SignalProbability([new RiskShare(0.05, 1.0)], 2.0, 0.5, 100);
        Assert.Equal(1 - Math.Pow(0.95, 100), probability, 1e-12);
    }

    [Fact]
    public void When_every_event_signals_the_average_run_length_is_one_over_the_rate()
    {
        Assert.Equal(20.0, CusumDesign.AverageRunLength([new RiskShare(0.05, 1.0)], 2.0, 0.5), 1e-8);
        // Under the alternative the event rate is R·p0/(1 − p0 + R·p0) = 0.1/1.05.
        Assert.Equal(10.5, CusumDesign.AverageRunLength([new RiskShare(0.05, 1.0)], 2.0, 0.5, trueOddsRatio: 2.0), 1e-8);
    }

    [Fact]
    public void Average_run_lengths_agree_with_simulation()
    {
        // Oracle (R, set.seed(7), 10⁵ simulated run lengths each; script in docs/statistics.md): p0 = 0.05, R = 2,
        // h = 2.8: in control 1196.4 (s.e. 3.6); at the alternative OR = 2, 121.86 (s.e. 0.28). Tolerance ≈ 4 s.e.
        RiskShare[] mix = [new(0.05, 1.0)];
        Assert.Equal(1196.4, CusumDesign.AverageRunLength(mix, 2.0, 2.8), 15.0);
        Assert.Equal(121.86, CusumDesign.AverageRunLength(mix, 2.0, 2.8, trueOddsRatio: 2.0), 1.2);
    }

    // Oracle: R package surveillance 1.20.3 (Debian r-cran-surveillance), arlCusum(h, k, theta, distr = "binomial",
    // digits = 2, 1) — an independent Brook–Evans implementation (Hawkins 1992) for Sₜ = max(0, Sₜ₋₁ + Xₜ − k),
    // signal at Sₜ ≥ h. A Bernoulli CUSUM with R = 2 and weights (1 − k)·ln 2 / −k·ln 2 is that chart scaled by
    // ln 2: design risk p = 2^k − 1, threshold h·ln 2, and true event probability θ via the true odds ratio.
    //   arlCusum(h = 4.04, k = 0.07, theta = 0.05, distr = "binomial", digits = 2, 1)$ARL       1169.90054916603
    //   arlCusum(h = 4.04, k = 0.07, theta = 0.1 / 1.05, distr = "binomial", digits = 2, 1)$ARL 120.980539766777
    //   arlCusum(h = 3, k = 0.25, theta = 0.1, distr = "binomial", digits = 2, 1)$ARL           2505.40786437236
    [Theory]
    [InlineData(0.07, 4.04, 0.05, 1169.90054916603)]
    [InlineData(0.07, 4.04, 0.1 / 1.05, 120.980539766777)]
    [InlineData(0.25, 3.0, 0.1, 2505.40786437236)]
    public void Average_run_length_matches_the_surveillance_package_Markov_chain(double k, double scaledThreshold, double theta, double expected)
    {
        double ln2 = Math.Log(2.0);
        double designRisk = Math.Pow(2.0, k) - 1.0;
        double trueOddsRatio = theta / (1 - theta) / (designRisk / (1 - designRisk));
        Assert.Equal(-k * ln2, CusumWeights.For(designRisk, 2.0).NoEvent, 1e-15);

        double arl = CusumDesign.AverageRunLength([new RiskShare(designRisk, 1.0)], 2.0, scaledThreshold * ln2, trueOddsRatio);

        NormalDistributionTests.AssertRelative(expected, arl, 1e-7);
    }

    [Fact]
    public void A_doubled_odds_signals_more_often_than_the_in_control_rate()
    {
        RiskShare[] mix = [new(0.04, 1.0)];
        double h = CusumDesign.ThresholdForFalseSignalProbability(mix, 2.0, 0.05, 250);
        Assert.True(CusumDesign.SignalProbability(mix, 2.0, h, 250, trueOddsRatio: 2.0) > 0.3);
    }

    [Fact]
    public void A_risk_adjusted_case_mix_of_one_risk_gives_the_unadjusted_threshold()
    {
        double unadjusted = CusumDesign.ThresholdForFalseSignalProbability(0.05, 2.0, 0.05, 100);
        double mixed = CusumDesign.ThresholdForFalseSignalProbability([new RiskShare(0.05, 3.0), new RiskShare(0.05, 1.0)], 2.0, 0.05, 100);
        Assert.Equal(unadjusted, mixed, 0.006);
    }

    [Fact]
    public void A_mixed_case_mix_threshold_lies_between_the_thresholds_of_its_extremes()
    {
        RiskShare[] mix = [new(0.02, 1.0), new(0.10, 1.0)];
        double low = CusumDesign.ThresholdForFalseSignalProbability(0.02, 2.0, 0.05, 100);
        double high = CusumDesign.ThresholdForFalseSignalProbability(0.10, 2.0, 0.05, 100);
        double mixed = CusumDesign.ThresholdForFalseSignalProbability(mix, 2.0, 0.05, 100);
        Assert.InRange(mixed, low, high);
    }

    [Fact]
    public void Grouping_patient_risks_keeps_every_patient_and_the_mean_risk()
    {
        double[] risks = [.. Enumerable.Range(1, 103).Select(i => i / 1000.0)];
        RiskShare[] mix = CusumDesign.CaseMixFromRisks(risks, groups: 10);
        Assert.Equal(10, mix.Length);
        Assert.Equal(103.0, mix.Sum(m => m.Share));
        Assert.Equal(risks.Average(), mix.Sum(m => m.Risk * m.Share) / 103.0, 1e-12);
        Assert.True(mix.Zip(mix.Skip(1)).All(pair => pair.First.Risk < pair.Second.Risk));
    }

    [Fact]
    public void A_grouped_case_mix_gives_nearly_the_threshold_of_the_full_one()
    {
        double[] risks = [.. Enumerable.Range(0, 40).Select(i => 0.01 + (0.004 * i))];
        // A coarser grid keeps the 40-risk reference cheap; grouping, not the grid, is under test.
        double full = CusumDesign.ThresholdForFalseSignalProbability(risks.Select(r => new RiskShare(r, 1.0)).ToArray(), 2.0, 0.05, 60, gridStep: 0.005);
        double grouped = CusumDesign.ThresholdForFalseSignalProbability(CusumDesign.CaseMixFromRisks(risks, groups: 8), 2.0, 0.05, 60, gridStep: 0.005);
        Assert.Equal(full, grouped, 0.05);
    }

    [Fact]
    public void A_chart_for_halved_odds_watches_for_improvement_with_its_own_threshold()
    {
        // R = 0.5: events pull S down and non-events push it up, so a run of good outcomes signals.
        RiskShare[] mix = [new(0.2, 1.0)];
        double h = CusumDesign.ThresholdForFalseSignalProbability(mix, 0.5, 0.05, 200);
        Assert.True(CusumDesign.SignalProbability(mix, 0.5, h, 200) <= 0.05);
        Assert.True(CusumDesign.SignalProbability(mix, 0.5, h - 0.002, 200) > 0.05);
        Assert.True(CusumDesign.SignalProbability(mix, 0.5, h, 200, trueOddsRatio: 0.5) > 0.2);
    }

    [Fact]
    public void Impossible_design_targets_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CusumDesign.ThresholdForFalseSignalProbability(0.05, 2.0, 0.0, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => CusumDesign.ThresholdForFalseSignalProbability(0.05, 2.0, 0.05, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CusumDesign.SignalProbability([], 2.0, 1.0, 10));
    }
}
