using SafetySurveillance.Domain.Statistics;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Statistics;

public sealed class BernoulliCusumTests
{
    // Oracle (R 4.2.2): w <- function(p, R) c(log(R) - log(1 - p + R * p), -log(1 - p + R * p)),
    // the formula of lhubig/cusum R/weights_t.R. The first four rows are the §5.3 table of domain-anchors (confirmed).
    [Theory]
    [InlineData(0.02, 2.0, 0.67334455326376552, -0.019802627296179730)]
    [InlineData(0.04, 2.0, 0.65392646740666394, -0.039220713153281329)]
    [InlineData(0.05, 2.0, 0.64435701639051324, -0.048790164169432049)]
    [InlineData(0.10, 2.0, 0.59783700075562041, -0.095310179804324935)]
    [InlineData(0.30, 2.0, 0.43078291609245439, -0.262364264467490893)]
    [InlineData(0.05, 0.5, -0.66782937257565544, 0.025317807984289897)]
    public void Weights_are_the_Steiner_log_likelihood_ratios(double risk, double oddsRatio, double eventWeight, double noEventWeight)
    {
        CusumWeights weights = CusumWeights.For(risk, oddsRatio);
        Assert.Equal(eventWeight, weights.Event, 1e-15);
        Assert.Equal(noEventWeight, weights.NoEvent, 1e-15);
    }

    [Fact]
    public void Unadjusted_weights_equal_the_textbook_form_with_the_alternative_rate()
    {
        const double p0 = 0.05;
        const double r = 2.0;
        double pA = r * p0 / (1 - p0 + (r * p0));
        CusumWeights weights = CusumWeights.For(p0, r);
        Assert.Equal(Math.Log(pA / p0), weights.Event, 1e-15);
        Assert.Equal(Math.Log((1 - pA) / (1 - p0)), weights.NoEvent, 1e-15);
    }

    [Fact]
    public void The_statistic_accumulates_floors_at_zero_signals_at_h_and_resets()
    {
        // Oracle (R): p0 = 0.05, R = 2, h = 1.2, outcomes 0 1 0 0 1 0 0 0 0 1 1 0 0, S <- max(0, S + W); reset to 0 after S >= h.
        int[] outcomes = [0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0];
        double[] expected =
        [
            0.0, 0.64435701639051324, 0.59556685222108119, 0.54677668805164914, 1.19113370444216238,
            1.14234354027273044, 1.09355337610329828, 1.04476321193386612, 0.99597304776443407,
            1.64033006415494720, 0.64435701639051324, 0.59556685222108119, 0.54677668805164914,
        ];
        CusumWeights weights = CusumWeights.For(0.05, 2.0);
        CusumState state = CusumState.Initial;
        var signals = new List<long>();
        for (int i = 0; i < outcomes.Length; i++)
        {
            CusumStep step = BernoulliCusum.Step(state, outcomes[i] == 1, weights, threshold: 1.2);
            Assert.Equal(expected[i], step.Statistic, 1e-14);
            if (step.Signalled)
            {
                signals.Add(step.State.Observations);
                Assert.Equal(0.0, step.State.Statistic);
            }

            state = step.State;
        }

        Assert.Equal([10L], signals);
        Assert.Equal(1, state.Signals);
        Assert.Equal(10, state.LastSignalObservation);
        Assert.Equal(13, state.Observations);
    }

    [Fact]
    public void Without_reset_the_statistic_keeps_its_value_after_a_signal()
    {
        CusumWeights weights = CusumWeights.For(0.05, 2.0);
        CusumStep first = BernoulliCusum.Step(CusumState.Initial, true, weights, 0.5, CusumResetPolicy.Continue);
        CusumStep second = BernoulliCusum.Step(first.State, true, weights, 0.5, CusumResetPolicy.Continue);
        Assert.True(first.Signalled);
        Assert.Equal(weights.Event, first.State.Statistic);
        Assert.True(second.Signalled);
        Assert.Equal(2 * weights.Event, second.State.Statistic, 1e-15);
        Assert.Equal(2, second.State.Signals);
    }

    [Fact]
    public void Risk_adjusted_chart_follows_each_patients_own_weights()
    {
        // Oracle (R): risks 0.02 0.3 0.1 0.05 0.5 0.01, outcomes 1 1 0 1 0 1, R = 2, no threshold reached (h = 10).
        double[] risks = [0.02, 0.3, 0.1, 0.05, 0.5, 0.01];
        bool[] outcomes = [true, true, false, true, false, true];
        double[] expected = [0.67334455326376552, 1.10412746935621997, 1.00881728955189498, 1.65317430594240822, 1.24770919783424383, 1.93090604754102113];
        CusumState state = CusumState.Initial;
        for (int i = 0; i < risks.Length; i++)
        {
            CusumStep step = BernoulliCusum.Step(state, outcomes[i], risks[i], 2.0, threshold: 10.0);
            Assert.Equal(expected[i], step.Statistic, 1e-14);
            state = step.State;
        }
    }

    [Fact]
    public void An_expected_death_in_a_high_risk_patient_weighs_less_than_in_a_low_risk_patient()
    {
        Assert.True(CusumWeights.For(0.5, 2.0).Event < CusumWeights.For(0.01, 2.0).Event);
        Assert.True(CusumWeights.For(0.5, 2.0).NoEvent < CusumWeights.For(0.01, 2.0).NoEvent);
    }

    [Fact]
    public void A_stored_state_resumes_exactly_where_it_stopped()
    {
        CusumWeights weights = CusumWeights.For(0.04, 2.0);
        bool[] outcomes = [false, true, false, true, true, false, false, true];
        CusumState straight = CusumState.Initial;
        foreach (bool outcome in outcomes)
        {
            straight = BernoulliCusum.Step(straight, outcome, weights, 1.5).State;
        }

        CusumState resumed = CusumState.Initial;
        foreach (bool outcome in outcomes[..4])
        {
            resumed = BernoulliCusum.Step(resumed, outcome, weights, 1.5).State;
        }

        CusumState stored = resumed with { }; // what a table round trip gives back
        foreach (bool outcome in outcomes[4..])
        {
            stored = BernoulliCusum.Step(stored, outcome, weights, 1.5).State;
        }

        Assert.Equal(straight, stored);
    }

    [Theory]
    [InlineData(0.0, 2.0)]
    [InlineData(1.0, 2.0)]
    [InlineData(0.05, 1.0)]
    [InlineData(0.05, 0.0)]
    [InlineData(0.05, double.PositiveInfinity)]
    public void Degenerate_risks_and_odds_ratios_are_rejected(double risk, double oddsRatio)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CusumWeights.For(risk, oddsRatio));
    }

    [Fact]
    public void A_non_positive_threshold_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BernoulliCusum.Step(CusumState.Initial, true, CusumWeights.For(0.05, 2), 0.0));
    }
}
