using SafetySurveillance.Domain.Events.AdverseEvents;
using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Pseudonymisation;
using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Domain.Ingestion;

/// <summary>An event's effect on the signal rows: the rows it touches and what it adds to each.</summary>
/// <param name="Keys">Touched rows: national, trust and (when known) device scope, each for month, quarter and all time.</param>
/// <param name="Contribution">What the event adds to every touched row, or null when it adds nothing (a repeated follow-up report).</param>
public sealed record SignalProjectionResult(IReadOnlyList<SignalKey> Keys, SignalContribution? Contribution);

/// <summary>
/// Turns accepted, pseudonymised events into signal contributions, using and updating the trust's registry state.
/// Conventions (see docs/architecture.md "Signals"):
/// <list type="bullet">
/// <item>Every event counts in the period of its procedure's date (a cohort view): rates are per procedure cohort.</item>
/// <item>Outcome and adverse-event reports are linked to their procedure by <c>procedureId</c>; when the procedure is
/// not known (never sent, or not yet), they count under procedure code <see cref="UnlinkedProcedure"/> with trust and
/// national scope only (no device), so they are visible as a data-quality figure and never lost.</item>
/// <item>At most one follow-up report per procedure and timepoint counts (the first); later ones add nothing.</item>
/// <item>Responders: pain NRS reduced by at least 30% of a non-zero baseline (IMMPACT moderate improvement, as in
/// ReActiv8-B); ODI reduced by at least 10 points; PGIC 6 or 7 ("much" / "very much improved"); EQ-5D has no
/// responder definition.</item>
/// </list>
/// </summary>
public static class SignalProjection
{
    /// <summary>Procedure code used for reports whose procedure is unknown.</summary>
    public const string UnlinkedProcedure = "UNLINKED";

    /// <summary>Projects one event (call in sequence order; the state is updated as a side effect).</summary>
    public static SignalProjectionResult Project(PseudonymisedSafetyEvent safetyEvent, TrustRegistryState state)
    {
        ArgumentNullException.ThrowIfNull(safetyEvent);
        ArgumentNullException.ThrowIfNull(state);
        var ods = safetyEvent.Envelope.OdsCode;
        switch (safetyEvent)
        {
            case PseudonymisedProcedurePerformed p:
            {
                var data = p.Data;
                var first = state.AddProcedure(p.Envelope.Id, new ProcedureState(data.ProcedureCode, data.ProcedureDate, data.Device.UdiDi, p.Patient.Value));
                var facts = (first ? ProcedureFacts.FirstForPatient : ProcedureFacts.None)
                    | (data.MdtSelection ? ProcedureFacts.MdtSelection : ProcedureFacts.None)
                    | (data.WrittenInformationGiven ? ProcedureFacts.WrittenInformation : ProcedureFacts.None)
                    | (data.RegistryEntryMade ? ProcedureFacts.RegistryEntry : ProcedureFacts.None);
                return new SignalProjectionResult(Keys(data.ProcedureCode, data.ProcedureDate, ods, data.Device.UdiDi), new ProcedureContribution(data.ProcedureDate, facts));
            }

            case PseudonymisedOutcomeReported o:
            {
                var data = o.Data;
                var procedure = state.Procedure(data.ProcedureId);
                var keys = Keys(procedure?.ProcedureCode ?? UnlinkedProcedure, procedure?.ProcedureDate ?? data.ProcedureDate, ods, procedure?.UdiDi);
                if (!state.AddReport(data.ProcedureId, data.Timepoint))
                {
                    return new SignalProjectionResult(keys, null);
                }

                long? pain = data.PainNrs;
                long? odi = data.Odi;
                long? eq5d = data.Eq5d5lIndex is { } index ? OutcomeMeasures.Eq5dToThousandths(index) : null;
                var baseline = data.Timepoint == OutcomeTimepoint.Baseline ? null : state.Baseline(data.ProcedureId);
                if (data.Timepoint == OutcomeTimepoint.Baseline)
                {
                    state.SetBaseline(data.ProcedureId, new BaselineScores(pain, odi, eq5d));
                }

                var contribution = new OutcomeContribution(
                    procedure?.ProcedureDate ?? data.ProcedureDate,
                    data.Timepoint,
                    painNrs: Observe(pain, baseline?.PainNrs, (value, b) => b > 0 && (b - value) * 10 >= b * 3),
                    odi: Observe(odi, baseline?.Odi, (value, b) => b - value >= 10),
                    eq5dIndex: Observe(eq5d, baseline?.Eq5dIndex, responder: null),
                    pgic: data.Pgic is { } g ? new MeasureObservation(g, null, g >= 6) : null);
                return new SignalProjectionResult(keys, contribution);
            }

            case PseudonymisedAdverseEventReported a:
            {
                var data = a.Data;
                var procedure = state.Procedure(data.ProcedureId);
                var keys = Keys(procedure?.ProcedureCode ?? UnlinkedProcedure, procedure?.ProcedureDate ?? data.ProcedureDate, ods, procedure?.UdiDi);
                var death = data.SeriousnessCriteria.Contains(SeriousnessCriterion.Death) || data.Outcome == AdverseEventOutcome.Fatal;
                var serious = data.IsSerious || death;
                var related = data.IsDeviceRelated || data.IsProcedureRelated;
                var firstSeriousRelated = serious && related && state.AddSeriousRelated(procedure?.Patient ?? "procedure:" + data.ProcedureId);
                var facts = (serious ? AdverseEventFacts.Serious : AdverseEventFacts.None)
                    | (data.IsDeviceRelated ? AdverseEventFacts.DeviceRelated : AdverseEventFacts.None)
                    | (data.IsProcedureRelated ? AdverseEventFacts.ProcedureRelated : AdverseEventFacts.None)
                    | (death ? AdverseEventFacts.Death : AdverseEventFacts.None)
                    | (data.Action == AdverseEventAction.Revision ? AdverseEventFacts.Revision : AdverseEventFacts.None)
                    | (data.Action == AdverseEventAction.Explant ? AdverseEventFacts.Explant : AdverseEventFacts.None)
                    | (!data.Anticipated ? AdverseEventFacts.Unanticipated : AdverseEventFacts.None)
                    | (firstSeriousRelated ? AdverseEventFacts.FirstSeriousRelatedForPatient : AdverseEventFacts.None);
                var codes = data.DeviceProblemCodes.Concat(data.ClinicalSignCodes).Concat(data.HealthImpactCodes);
                return new SignalProjectionResult(keys, new AdverseEventContribution(facts, codes));
            }

            default:
                throw new ArgumentException($"Unknown event kind {safetyEvent.GetType().Name}.", nameof(safetyEvent));
        }
    }

    private static MeasureObservation? Observe(long? value, long? baseline, Func<long, long, bool>? responder)
    {
        if (value is not { } v)
        {
            return null;
        }

        return baseline is { } b
            ? new MeasureObservation(v, v - b, responder?.Invoke(v, b))
            : new MeasureObservation(v);
    }

    private static SignalKey[] Keys(string procedureCode, DateOnly date, string odsCode, string? udiDi)
    {
        var keys = new SignalKey[SignalKey.MaxTouchedKeys];
        var count = SignalKey.WriteTouched(keys, procedureCode, date, odsCode, udiDi);
        return count == keys.Length ? keys : keys[..count];
    }
}
