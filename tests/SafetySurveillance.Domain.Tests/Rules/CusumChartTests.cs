using CsCheck;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Domain.Statistics;
using Xunit;
using static SafetySurveillance.Domain.Tests.Rules.RowBuilder;

namespace SafetySurveillance.Domain.Tests.Rules;

/// <summary>
/// Weights for p₀ = 0.05, R = 2 (domain-anchors §5.3): event ln(p_A/p₀) = 0.644357, no event
/// ln((1 − p_A)/(1 − p₀)) = −0.048790, with p_A = 0.1/1.05.
/// </summary>
public sealed class CusumChartTests
{
    private const double EventWeight = 0.6443570163905132;
    private const double NoEventWeight = -0.04879016416943205;
    private static readonly SignalScope Rx1 = SignalScope.Trust("RX1");

    private static CusumRule Rule(double threshold = 2.0, int maturity = 3)
        => (CusumRule)RulesOf($$"""{ "id": "chart", "kind": "cusum", "numerator": "PatientsWithSeriousRelatedEvent", "denominator": "FirstProcedures", "inControlRate": 0.05, "oddsRatio": 2, "threshold": {{threshold}}, "maturityMonths": {{maturity}}, "reason": "r" }""").Rules[0];

    private static CusumMonth Month(int year, int month, long patients, long events) => new(SignalPeriod.Month(year, month), patients, events);

    [Fact]
    public void The_rule_weights_are_the_published_ones()
    {
        CusumWeights weights = Rule().Weights;

        Assert.Equal(0.6444, weights.Event, 4);
        Assert.Equal(-0.0488, weights.NoEvent, 4);
        Assert.Equal(EventWeight, weights.Event, 1e-12);
        Assert.Equal(NoEventWeight, weights.NoEvent, 1e-12);
    }

    [Fact]
    public void A_months_events_are_spread_evenly_through_its_patients()
    {
        // 4 events in 8 patients sit at positions 1, 3, 5, 7: no, yes, no, yes, no, yes, no, yes.
        // The first no-event is clipped at 0, so S = 4·W_event + 3·W_no-event = 2.431058.
        MonthStep step = CusumChart.StepMonth(CusumState.Initial, 8, 4, Rule().Weights, threshold: 10.0);

        Assert.Equal((4 * EventWeight) + (3 * NoEventWeight), step.State.Statistic, 1e-12);
        Assert.Equal(2.431058, step.State.Statistic, 1e-6);
        Assert.Equal(8, step.State.Observations);
        Assert.Equal(0, step.Signals);
    }

    [Fact]
    public void A_month_that_crosses_h_signals_and_the_chart_restarts_from_zero()
    {
        // Same month with h = 2: S reaches 1.8355 at patient 6, 1.7867 at 7 and 2.4311 ≥ 2 at 8.
        MonthStep step = CusumChart.StepMonth(CusumState.Initial, 8, 4, Rule().Weights, threshold: 2.0);

        Assert.Equal(1, step.Signals);
        Assert.Equal(2.431058, step.HighestStatistic, 1e-6);
        Assert.Equal(0.0, step.State.Statistic);
        Assert.Equal(8, step.State.LastSignalObservation);
    }

    [Fact]
    public void Advancing_charts_mature_months_in_order_and_reports_the_signal_month()
    {
        CusumMonth[] months = [Month(2025, 3, 5, 0), Month(2025, 1, 8, 4), Month(2025, 2, 10, 0)];

        CusumAdvance advance = CusumChart.Advance(Rule(), "A48.4", Rx1, CusumChartState.Initial, months, new DateOnly(2025, 6, 30));

        Assert.Equal([SignalPeriod.Month(2025, 1), SignalPeriod.Month(2025, 2), SignalPeriod.Month(2025, 3)], advance.MonthsAdded.Select(m => m.Month));
        Finding finding = Assert.Single(advance.Findings);
        Assert.Equal(Severity.Alarm, finding.Severity);
        Assert.Equal(SignalPeriod.Month(2025, 1), finding.Period);
        Assert.Equal(Rx1, finding.Scope);
        Assert.Equal("cusum", finding.RuleKind);
        Assert.Equal(4, finding.Evidence.Numerator);
        Assert.Equal(8, finding.Evidence.Denominator);
        Assert.Equal(2.431058, finding.Evidence.CusumValue!.Value, 1e-6);
        Assert.Equal(2.0, finding.Evidence.Threshold);
        Assert.Equal(0.05, finding.Evidence.Benchmark);
        Assert.Equal(new CusumChartState(new CusumState(0.0, 23, 1, 8), SignalPeriod.Month(2025, 3)), advance.State);
    }

    [Fact]
    public void A_month_is_charted_only_once_its_maturity_has_passed_and_it_holds_back_later_months()
    {
        CusumMonth[] months = [Month(2025, 1, 8, 4), Month(2025, 2, 10, 0), Month(2025, 3, 5, 0)];

        // March ends on the 31st; + 3 months = 30 June. February + 3 months = 28 May.
        CusumAdvance early = CusumChart.Advance(Rule(), "A48.4", Rx1, CusumChartState.Initial, months, new DateOnly(2025, 6, 29));
        Assert.Equal(SignalPeriod.Month(2025, 2), early.State.LastMonth);

        CusumAdvance none = CusumChart.Advance(Rule(), "A48.4", Rx1, CusumChartState.Initial, months, new DateOnly(2025, 4, 29));
        Assert.Empty(none.MonthsAdded);
        Assert.Equal(CusumChartState.Initial, none.State);

        Assert.True(CusumChart.IsMature(SignalPeriod.Month(2025, 1), 3, new DateOnly(2025, 4, 30)));
        Assert.False(CusumChart.IsMature(SignalPeriod.Month(2025, 1), 3, new DateOnly(2025, 4, 29)));
    }

    [Fact]
    public void Advancing_again_with_the_same_months_adds_nothing_and_finds_nothing()
    {
        CusumMonth[] months = [Month(2025, 1, 8, 4), Month(2025, 2, 10, 0)];
        CusumAdvance first = CusumChart.Advance(Rule(), "A48.4", Rx1, CusumChartState.Initial, months, new DateOnly(2026, 1, 1));

        CusumAdvance second = CusumChart.Advance(Rule(), "A48.4", Rx1, first.State, months, new DateOnly(2026, 1, 1));

        Assert.Single(first.Findings);
        Assert.Empty(second.MonthsAdded);
        Assert.Empty(second.Findings);
        Assert.Equal(first.State, second.State);
    }

    [Fact]
    public void A_month_row_is_read_through_the_rules_counters()
    {
        CusumMonth month = CusumMonth.FromRow(Rule(), SignalPeriod.Month(2025, 1), Row(12, withSeriousRelated: 2, deaths: 1));

        Assert.Equal(Month(2025, 1, 12, 2), month);
        Assert.Throws<ArgumentException>(() => CusumMonth.FromRow(Rule(), SignalPeriod.AllTime, Row(1)));
    }

    [Fact]
    public void A_chart_watches_only_trusts()
    {
        Assert.Throws<ArgumentException>(() => CusumChart.Advance(Rule(), "A48.4", SignalScope.National, CusumChartState.Initial, [], new DateOnly(2026, 1, 1)));
    }

    private static readonly Gen<CusumMonth[]> Months =
        Gen.Int[0, 12].SelectMany(patients => Gen.Int[0, patients].Select(events => (patients, events)))
            .Array[1, 30]
            .Select(counts => counts.Select((c, i) => new CusumMonth(SignalPeriod.Month(2024 + (i / 12), (i % 12) + 1), c.patients, c.events)).ToArray());

    [Fact]
    public void Charting_in_several_evaluations_gives_the_same_state_and_signals_as_charting_at_once()
    {
        Gen.Select(Months, Gen.Int[0, 30], Gen.Double[0.5, 4.0]).Sample(
            (months, split, h) =>
            {
                CusumRule rule = Rule(Math.Round(h, 3));
                DateOnly end = months[^1].Month.LastDay.AddMonths(3);
                DateOnly middle = months[Math.Min(split, months.Length - 1)].Month.LastDay.AddMonths(3);

                CusumAdvance once = CusumChart.Advance(rule, "A48.4", Rx1, CusumChartState.Initial, months, end);
                CusumAdvance part = CusumChart.Advance(rule, "A48.4", Rx1, CusumChartState.Initial, months, middle);
                CusumAdvance rest = CusumChart.Advance(rule, "A48.4", Rx1, part.State, months, end);

                return once.State == rest.State
                    && once.Findings.SequenceEqual(part.Findings.Concat(rest.Findings))
                    && once.MonthsAdded.Count == months.Length;
            },
            iter: 300);
    }

    [Fact]
    public void With_one_patient_a_month_the_chart_is_exactly_the_patient_by_patient_cusum()
    {
        Gen.Bool.Array[1, 60].Sample(
            outcomes =>
            {
                CusumRule rule = Rule(1.5);
                CusumMonth[] months = [.. outcomes.Select((adverse, i) => new CusumMonth(SignalPeriod.Month(2020 + (i / 12), (i % 12) + 1), 1, adverse ? 1 : 0))];
                CusumAdvance advance = CusumChart.Advance(rule, "A48.4", Rx1, CusumChartState.Initial, months, new DateOnly(2030, 1, 1));

                CusumState direct = CusumState.Initial;
                int signals = 0;
                foreach (bool adverse in outcomes)
                {
                    CusumStep step = BernoulliCusum.Step(direct, adverse, rule.Weights, rule.Threshold);
                    signals += step.Signalled ? 1 : 0;
                    direct = step.State;
                }

                return advance.State.Chart == direct && advance.Findings.Count == signals;
            },
            iter: 300);
    }
}
