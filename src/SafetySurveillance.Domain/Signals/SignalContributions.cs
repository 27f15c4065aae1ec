using SafetySurveillance.Domain.Events.AdverseEvents;
using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Events.Procedures;

namespace SafetySurveillance.Domain.Signals;

/// <summary>
/// Turns validated event data into signal contributions: the one place that decides which counter an event
/// feeds. Facts that need history (first procedure of a patient, the patient's baseline) are passed in by
/// ingestion, which holds the ledger.
/// </summary>
/// <remarks>
/// Responder definitions (documented in docs/statistics.md):
/// <list type="bullet">
/// <item>Pain NRS: a reduction of at least 30 % from a non-zero baseline (IMMPACT "moderately important" change;
/// Dworkin et al. 2008, <i>J Pain</i> 9:105–121; the ReActiv8-B responder criterion was also a ≥ 30 % reduction).</item>
/// <item>ODI: a reduction of at least 10 points (Ostelo et al. 2008, <i>Spine</i> 33:90–94).</item>
/// <item>EQ-5D-5L and PGIC: no responder definition (change from baseline is summed for EQ-5D; PGIC has no
/// baseline, and the event contract does not yet say which end of its 1–7 scale means "improved").</item>
/// </list>
/// </remarks>
public static class SignalContributions
{
    /// <summary>Pain NRS responders: at least this percentage of the baseline score lost (compared in integers, so 10 → 7 counts).</summary>
    public const int PainResponderPercent = 30;

    /// <summary>ODI responders: at least this many points lost.</summary>
    public const int OdiResponderPoints = 10;

    /// <summary>What a procedure adds.</summary>
    /// <param name="procedure">The validated procedure.</param>
    /// <param name="firstForPatient">Whether the pseudonym ledger has no earlier procedure of this code for the patient.</param>
    public static ProcedureContribution FromProcedure(ProcedurePerformed procedure, bool firstForPatient)
    {
        ArgumentNullException.ThrowIfNull(procedure);
        ProcedureFacts facts = ProcedureFacts.None;
        facts |= firstForPatient ? ProcedureFacts.FirstForPatient : ProcedureFacts.None;
        facts |= procedure.MdtSelection ? ProcedureFacts.MdtSelection : ProcedureFacts.None;
        facts |= procedure.WrittenInformationGiven ? ProcedureFacts.WrittenInformation : ProcedureFacts.None;
        facts |= procedure.RegistryEntryMade ? ProcedureFacts.RegistryEntry : ProcedureFacts.None;
        return new ProcedureContribution(procedure.ProcedureDate, facts);
    }

    /// <summary>What an outcome report adds.</summary>
    /// <param name="outcome">The validated report.</param>
    /// <param name="baseline">The same procedure's baseline report, when ingestion has it; changes and responders need it.</param>
    public static OutcomeContribution FromOutcome(OutcomeReported outcome, OutcomeReported? baseline)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        bool compare = baseline is not null && outcome.Timepoint != OutcomeTimepoint.Baseline;

        MeasureObservation? pain = null;
        if (outcome.PainNrs is int painNow)
        {
            int? painBefore = compare ? baseline!.PainNrs : null;
            pain = new MeasureObservation(
                painNow,
                painBefore is int b ? painNow - b : null,
                painBefore is int b0 && b0 > 0 ? 100 * (b0 - painNow) >= PainResponderPercent * b0 : null);
        }

        MeasureObservation? odi = null;
        if (outcome.Odi is int odiNow)
        {
            int? odiBefore = compare ? baseline!.Odi : null;
            odi = new MeasureObservation(
                odiNow,
                odiBefore is int b ? odiNow - b : null,
                odiBefore is int b0 ? (b0 - odiNow) >= OdiResponderPoints : null);
        }

        MeasureObservation? eq5d = null;
        if (outcome.Eq5d5lIndex is decimal eqNow)
        {
            long now = OutcomeMeasures.Eq5dToThousandths(eqNow);
            long? before = compare && baseline!.Eq5d5lIndex is decimal b ? OutcomeMeasures.Eq5dToThousandths(b) : null;
            eq5d = new MeasureObservation(now, before is long b1 ? now - b1 : null);
        }

        MeasureObservation? pgic = outcome.Pgic is int p ? new MeasureObservation(p) : null;
        return new OutcomeContribution(outcome.ProcedureDate, outcome.Timepoint, pain, odi, eq5d, pgic);
    }

    /// <summary>What an adverse event adds.</summary>
    /// <param name="adverseEvent">The validated report.</param>
    /// <param name="firstSeriousRelatedForPatient">
    /// Whether the ledger has no earlier serious device- or procedure-related event for the patient
    /// (ignored unless this event is one).
    /// </param>
    public static AdverseEventContribution FromAdverseEvent(AdverseEventReported adverseEvent, bool firstSeriousRelatedForPatient)
    {
        ArgumentNullException.ThrowIfNull(adverseEvent);
        AdverseEventFacts facts = AdverseEventFacts.None;
        facts |= adverseEvent.IsSerious ? AdverseEventFacts.Serious : AdverseEventFacts.None;
        facts |= adverseEvent.IsDeviceRelated ? AdverseEventFacts.DeviceRelated : AdverseEventFacts.None;
        facts |= adverseEvent.IsProcedureRelated ? AdverseEventFacts.ProcedureRelated : AdverseEventFacts.None;
        bool died = adverseEvent.Outcome == AdverseEventOutcome.Fatal || adverseEvent.SeriousnessCriteria.Contains(SeriousnessCriterion.Death);
        facts |= died ? AdverseEventFacts.Death : AdverseEventFacts.None;
        facts |= adverseEvent.Action == AdverseEventAction.Revision ? AdverseEventFacts.Revision : AdverseEventFacts.None;
        facts |= adverseEvent.Action == AdverseEventAction.Explant ? AdverseEventFacts.Explant : AdverseEventFacts.None;
        facts |= adverseEvent.Anticipated ? AdverseEventFacts.None : AdverseEventFacts.Unanticipated;
        facts |= firstSeriousRelatedForPatient ? AdverseEventFacts.FirstSeriousRelatedForPatient : AdverseEventFacts.None;
        return new AdverseEventContribution(
            facts,
            adverseEvent.DeviceProblemCodes.Concat(adverseEvent.ClinicalSignCodes).Concat(adverseEvent.HealthImpactCodes));
    }
}
