using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Signals;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Signals;

public sealed class FollowUpCohortTests
{
    private static SignalDelta TwoCohorts()
    {
        var contributions = new List<SignalContribution>();
        for (int day = 1; day <= 4; day++)
        {
            contributions.Add(new ProcedureContribution(new DateOnly(2025, 1, day * 7), ProcedureFacts.None)); // four in January 2025
        }

        contributions.Add(new ProcedureContribution(new DateOnly(2025, 2, 10), ProcedureFacts.None)); // one in February
        contributions.Add(new OutcomeContribution(new DateOnly(2025, 1, 7), OutcomeTimepoint.Month12, painNrs: new MeasureObservation(3)));
        contributions.Add(new OutcomeContribution(new DateOnly(2025, 1, 14), OutcomeTimepoint.Month12, odi: new MeasureObservation(20)));
        contributions.Add(new OutcomeContribution(new DateOnly(2025, 1, 21), OutcomeTimepoint.Month6, odi: new MeasureObservation(25)));
        contributions.Add(new OutcomeContribution(new DateOnly(2025, 2, 10), OutcomeTimepoint.Month12, odi: new MeasureObservation(25)));
        return SignalGenerators.Fold(contributions);
    }

    [Fact]
    public void A_month_cohort_becomes_due_when_its_last_day_plus_thirteen_months_has_passed()
    {
        SignalDelta delta = TwoCohorts();

        // January 2025 cohort: last day 31 Jan 2025 + 13 months = 28 Feb 2026.
        Assert.Equal(new FollowUpTally(0, 0), delta.TwelveMonthFollowUp(new DateOnly(2026, 2, 27)));
        Assert.Equal(new FollowUpTally(4, 2), delta.TwelveMonthFollowUp(new DateOnly(2026, 2, 28)));

        // February 2025 cohort: 28 Feb 2025 + 13 months = 28 Mar 2026.
        Assert.Equal(new FollowUpTally(5, 3), delta.TwelveMonthFollowUp(new DateOnly(2026, 3, 28)));
    }

    [Fact]
    public void A_longer_grace_window_delays_the_due_date()
    {
        Assert.Equal(new FollowUpTally(0, 0), TwoCohorts().TwelveMonthFollowUp(new DateOnly(2026, 2, 28), graceMonths: 2));
        Assert.Equal(new FollowUpTally(4, 2), TwoCohorts().TwelveMonthFollowUp(new DateOnly(2026, 3, 31), graceMonths: 2));
    }

    [Fact]
    public void Reports_for_procedures_never_received_cannot_push_completeness_above_one()
    {
        SignalDelta delta = SignalGenerators.Fold(
        [
            new ProcedureContribution(new DateOnly(2025, 1, 7), ProcedureFacts.None),
            new OutcomeContribution(new DateOnly(2025, 1, 7), OutcomeTimepoint.Month12, odi: new MeasureObservation(20)),
            new OutcomeContribution(new DateOnly(2025, 1, 9), OutcomeTimepoint.Month12, odi: new MeasureObservation(20)),
        ]);

        Assert.Equal(new FollowUpTally(1, 1), delta.TwelveMonthFollowUp(new DateOnly(2027, 1, 1)));
    }
}
