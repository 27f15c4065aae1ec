using SafetySurveillance.Domain.Events.AdverseEvents;
using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Events.Procedures;
using SafetySurveillance.Domain.Signals;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Signals;

public sealed class SignalContributionsTests
{
    private static readonly DateOnly Day = new(2026, 3, 4);

    private static OutcomeReported Report(OutcomeTimepoint timepoint, int? pain = null, int? odi = null, decimal? eq5d = null, int? pgic = null)
        => new("proc-1", Day, timepoint, Day.AddMonths(timepoint == OutcomeTimepoint.Baseline ? 0 : 6), pain, odi, eq5d, pgic);

    private static AdverseEventReported AdverseEvent(
        IReadOnlyList<SeriousnessCriterion> seriousness,
        Relatedness device,
        Relatedness procedure,
        AdverseEventAction action = AdverseEventAction.None,
        AdverseEventOutcome outcome = AdverseEventOutcome.Recovered,
        bool anticipated = true)
        => new("proc-1", Day, Day.AddDays(20), ["A0101"], ["E0101"], ["F01", "A0101"], "2023", seriousness, device, procedure, action, outcome, anticipated);

    [Fact]
    public void A_procedure_carries_its_NICE_flags_and_first_procedure_fact()
    {
        var procedure = new ProcedurePerformed("A48.3", Day, new DeviceDetails("Mainstay", "ReActiv8", "05012345678900"), true, false, true, AgeBand.From50To59, Sex.Female);
        ProcedureContribution contribution = SignalContributions.FromProcedure(procedure, firstForPatient: true);
        Assert.Equal(ProcedureFacts.FirstForPatient | ProcedureFacts.MdtSelection | ProcedureFacts.RegistryEntry, contribution.Facts);
        Assert.Equal(Day, contribution.ProcedureDate);
    }

    [Fact]
    public void A_thirty_percent_drop_in_pain_is_a_response_and_a_smaller_one_is_not()
    {
        OutcomeReported baseline = Report(OutcomeTimepoint.Baseline, pain: 10, odi: 50);
        OutcomeContribution responder = SignalContributions.FromOutcome(Report(OutcomeTimepoint.Month6, pain: 7, odi: 40), baseline);
        OutcomeContribution nonResponder = SignalContributions.FromOutcome(Report(OutcomeTimepoint.Month6, pain: 8, odi: 41), baseline);

        Assert.Equal(new MeasureObservation(7, -3, true), responder.PainNrs);
        Assert.Equal(new MeasureObservation(40, -10, true), responder.Odi);
        Assert.Equal(new MeasureObservation(8, -2, false), nonResponder.PainNrs);
        Assert.Equal(new MeasureObservation(41, -9, false), nonResponder.Odi);
    }

    [Fact]
    public void Without_a_baseline_only_the_scores_are_counted()
    {
        OutcomeContribution contribution = SignalContributions.FromOutcome(Report(OutcomeTimepoint.Month12, pain: 4, eq5d: 0.715m, pgic: 6), baseline: null);
        Assert.Equal(new MeasureObservation(4), contribution.PainNrs);
        Assert.Equal(new MeasureObservation(715), contribution.Eq5dIndex);
        Assert.Equal(new MeasureObservation(6), contribution.Pgic);
        Assert.Null(contribution.Odi);
    }

    [Fact]
    public void A_zero_pain_baseline_gives_a_change_but_no_responder_judgement()
    {
        OutcomeContribution contribution = SignalContributions.FromOutcome(Report(OutcomeTimepoint.Month3, pain: 2), Report(OutcomeTimepoint.Baseline, pain: 0));
        Assert.Equal(new MeasureObservation(2, 2, null), contribution.PainNrs);
    }

    [Fact]
    public void EQ5D_change_is_exact_in_thousandths()
    {
        OutcomeContribution contribution = SignalContributions.FromOutcome(Report(OutcomeTimepoint.Month12, eq5d: 0.801m), Report(OutcomeTimepoint.Baseline, eq5d: -0.125m));
        Assert.Equal(new MeasureObservation(801, 926, null), contribution.Eq5dIndex);
    }

    [Fact]
    public void A_baseline_report_is_not_compared_with_itself()
    {
        OutcomeReported baseline = Report(OutcomeTimepoint.Baseline, pain: 8);
        Assert.Equal(new MeasureObservation(8), SignalContributions.FromOutcome(baseline, baseline).PainNrs);
    }

    [Fact]
    public void A_fatal_unanticipated_device_related_event_raises_every_sentinel_fact()
    {
        AdverseEventContribution contribution = SignalContributions.FromAdverseEvent(
            AdverseEvent([SeriousnessCriterion.Hospitalisation], Relatedness.Probable, Relatedness.NotRelated, AdverseEventAction.Explant, AdverseEventOutcome.Fatal, anticipated: false),
            firstSeriousRelatedForPatient: true);

        Assert.Equal(
            AdverseEventFacts.Serious | AdverseEventFacts.DeviceRelated | AdverseEventFacts.Death | AdverseEventFacts.Explant
            | AdverseEventFacts.Unanticipated | AdverseEventFacts.FirstSeriousRelatedForPatient,
            contribution.Facts);
        Assert.Equal(["A0101", "E0101", "F01"], contribution.ImdrfCodes);
    }

    [Fact]
    public void Unlikely_relatedness_is_not_related_and_a_death_criterion_is_a_death()
    {
        AdverseEventContribution contribution = SignalContributions.FromAdverseEvent(
            AdverseEvent([SeriousnessCriterion.Death], Relatedness.Unlikely, Relatedness.Possible, AdverseEventAction.Revision),
            firstSeriousRelatedForPatient: false);

        Assert.Equal(
            AdverseEventFacts.Serious | AdverseEventFacts.ProcedureRelated | AdverseEventFacts.Death | AdverseEventFacts.Revision,
            contribution.Facts);
    }
}
