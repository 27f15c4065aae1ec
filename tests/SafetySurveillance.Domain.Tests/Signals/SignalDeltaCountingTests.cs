using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Signals;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Signals;

public sealed class SignalDeltaCountingTests
{
    private static readonly DateOnly March4 = new(2026, 3, 4);

    [Fact]
    public void Every_signal_count_has_a_slot()
    {
        Assert.Equal(Enum.GetValues<SignalCount>().Length, SignalDelta.Empty.RawCounts.Length);
        Assert.Equal(Enum.GetValues<OutcomeTimepoint>().Length, SignalDelta.Empty.RawReports.Length);
    }

    [Fact]
    public void A_procedure_counts_once_with_its_NICE_flags_and_joins_its_month_cohort()
    {
        SignalDelta delta = SignalGenerators.Fold(
        [
            new ProcedureContribution(March4, ProcedureFacts.FirstForPatient | ProcedureFacts.MdtSelection | ProcedureFacts.RegistryEntry),
            new ProcedureContribution(new DateOnly(2026, 3, 31), ProcedureFacts.WrittenInformation),
        ]);

        Assert.Equal(2, delta[SignalCount.Procedures]);
        Assert.Equal(1, delta[SignalCount.FirstProcedures]);
        Assert.Equal(1, delta[SignalCount.MdtSelection]);
        Assert.Equal(1, delta[SignalCount.WrittenInformation]);
        Assert.Equal(1, delta[SignalCount.RegistryEntry]);
        Assert.Equal([new KeyValuePair<SignalPeriod, FollowUpCohort>(SignalPeriod.Month(2026, 3), new FollowUpCohort(2, 0))], delta.FollowUpCohorts);
    }

    [Fact]
    public void An_unanticipated_serious_device_related_death_lands_in_every_matching_count()
    {
        SignalDelta delta = SignalGenerators.Fold(
        [
            new AdverseEventContribution(
                AdverseEventFacts.Serious | AdverseEventFacts.DeviceRelated | AdverseEventFacts.Death
                | AdverseEventFacts.Unanticipated | AdverseEventFacts.FirstSeriousRelatedForPatient,
                ["A0101", "E0101", "A0101"]),
        ]);

        Assert.Equal(1, delta[SignalCount.AdverseEvents]);
        Assert.Equal(1, delta[SignalCount.SeriousAdverseEvents]);
        Assert.Equal(1, delta[SignalCount.DeviceRelatedAdverseEvents]);
        Assert.Equal(0, delta[SignalCount.ProcedureRelatedAdverseEvents]);
        Assert.Equal(1, delta[SignalCount.SeriousRelatedAdverseEvents]);
        Assert.Equal(1, delta[SignalCount.PatientsWithSeriousRelatedEvent]);
        Assert.Equal(1, delta[SignalCount.Deaths]);
        Assert.Equal(1, delta[SignalCount.UnanticipatedAdverseEvents]);
        Assert.Equal(1, delta[SignalCount.UnanticipatedSeriousDeviceRelated]);
        Assert.Equal(1, delta.ImdrfCodeCounts["A0101"]); // a repeated code in one event counts once
        Assert.Equal(1, delta.ImdrfCodeCounts["E0101"]);
    }

    [Fact]
    public void A_non_serious_procedure_related_revision_is_not_a_serious_related_event()
    {
        SignalDelta delta = SignalGenerators.Fold([new AdverseEventContribution(AdverseEventFacts.ProcedureRelated | AdverseEventFacts.Revision | AdverseEventFacts.FirstSeriousRelatedForPatient, [])]);
        Assert.Equal(1, delta[SignalCount.ProcedureRelatedAdverseEvents]);
        Assert.Equal(1, delta[SignalCount.Revisions]);
        Assert.Equal(0, delta[SignalCount.SeriousRelatedAdverseEvents]);
        Assert.Equal(0, delta[SignalCount.PatientsWithSeriousRelatedEvent]);
    }

    [Fact]
    public void Outcome_sums_give_the_exact_mean_and_sample_variance()
    {
        // EQ-5D 0.701, 0.815, −0.123 at 12 months: mean 0.464333…, sample variance 0.26196933… (R: mean(x); var(x) with x <- c(0.701, 0.815, -0.123))
        SignalDelta delta = SignalGenerators.Fold(
        [
            new OutcomeContribution(March4, OutcomeTimepoint.Month12, eq5dIndex: new MeasureObservation(OutcomeMeasures.Eq5dToThousandths(0.701m))),
            new OutcomeContribution(March4, OutcomeTimepoint.Month12, eq5dIndex: new MeasureObservation(OutcomeMeasures.Eq5dToThousandths(0.815m))),
            new OutcomeContribution(March4, OutcomeTimepoint.Month12, eq5dIndex: new MeasureObservation(OutcomeMeasures.Eq5dToThousandths(-0.123m))),
        ]);

        OutcomeMoments moments = delta.Outcome(OutcomeMeasure.Eq5dIndex, OutcomeTimepoint.Month12);
        Assert.Equal(3, moments.Count);
        Assert.Equal(1393, moments.Sum);
        Assert.Equal((701 * 701) + (815 * 815) + (123 * 123), moments.SumOfSquares);
        Assert.Equal(0.46433333333333332, moments.Mean!.Value, 1e-15);
        Assert.Equal(0.26196933333333328, moments.Variance!.Value, 1e-15);
        Assert.Equal(3, delta.Reports(OutcomeTimepoint.Month12));
    }

    [Fact]
    public void Change_from_baseline_and_responders_are_summed_only_where_given()
    {
        SignalDelta delta = SignalGenerators.Fold(
        [
            new OutcomeContribution(March4, OutcomeTimepoint.Month6, painNrs: new MeasureObservation(3, -4, true), odi: new MeasureObservation(30)),
            new OutcomeContribution(March4, OutcomeTimepoint.Month6, painNrs: new MeasureObservation(6, -1, false)),
        ]);

        OutcomeMoments change = delta.ChangeFromBaseline(OutcomeMeasure.PainNrs, OutcomeTimepoint.Month6);
        Assert.Equal(new OutcomeMoments(2, -5, 17, 1), change);
        Assert.Equal(1, delta.Responders(OutcomeMeasure.PainNrs, OutcomeTimepoint.Month6));
        Assert.Equal(0, delta.ChangeFromBaseline(OutcomeMeasure.Odi, OutcomeTimepoint.Month6).Count);
        Assert.Equal(1, delta.Outcome(OutcomeMeasure.Odi, OutcomeTimepoint.Month6).Count);
    }

    [Fact]
    public void A_single_observation_has_a_mean_but_no_variance()
    {
        SignalDelta delta = SignalGenerators.Fold([new OutcomeContribution(March4, OutcomeTimepoint.Baseline, odi: new MeasureObservation(42))]);
        Assert.Equal(42.0, delta.Outcome(OutcomeMeasure.Odi, OutcomeTimepoint.Baseline).Mean);
        Assert.Null(delta.Outcome(OutcomeMeasure.Odi, OutcomeTimepoint.Baseline).Variance);
        Assert.Null(delta.Outcome(OutcomeMeasure.Pgic, OutcomeTimepoint.Baseline).Mean);
    }

    [Theory]
    [InlineData(OutcomeMeasure.PainNrs, 11)]
    [InlineData(OutcomeMeasure.Odi, -1)]
    [InlineData(OutcomeMeasure.Eq5dIndex, 1001)]
    [InlineData(OutcomeMeasure.Pgic, 0)]
    public void Scores_outside_their_scale_are_rejected(OutcomeMeasure measure, long value)
    {
        var observation = new MeasureObservation(value);
        Assert.Throws<ArgumentOutOfRangeException>(() => measure switch
        {
            OutcomeMeasure.PainNrs => new OutcomeContribution(March4, OutcomeTimepoint.Month3, painNrs: observation),
            OutcomeMeasure.Odi => new OutcomeContribution(March4, OutcomeTimepoint.Month3, odi: observation),
            OutcomeMeasure.Eq5dIndex => new OutcomeContribution(March4, OutcomeTimepoint.Month3, eq5dIndex: observation),
            _ => new OutcomeContribution(March4, OutcomeTimepoint.Month3, pgic: observation),
        });
    }

    [Theory]
    [InlineData("0.7015")]
    [InlineData("-0.595")]
    [InlineData("1.001")]
    public void EQ5D_values_that_are_not_whole_thousandths_in_range_are_rejected(string text)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OutcomeMeasures.Eq5dToThousandths(decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("A/01")]
    [InlineData("A0101;E")]
    public void Malformed_IMDRF_codes_are_rejected(string code)
    {
        Assert.Throws<ArgumentException>(() => new AdverseEventContribution(AdverseEventFacts.None, [code]));
    }
}
