using CsCheck;
using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Domain.Tests.Signals;

/// <summary>CsCheck generators for signal contributions, deltas and rows.</summary>
internal static class SignalGenerators
{
    private static readonly string[] CodePool = ["A0101", "A0102", "A1203", "E0101", "E0506", "F01", "F0201", "G04"];

    public static readonly Gen<DateOnly> ProcedureDate =
        Gen.Int[0, 1_500].Select(days => new DateOnly(2023, 1, 1).AddDays(days));

    public static readonly Gen<SignalContribution> Procedure =
        Gen.Select(ProcedureDate, Gen.Int[0, 15])
            .Select((date, facts) => (SignalContribution)new ProcedureContribution(date, (ProcedureFacts)facts));

    public static readonly Gen<SignalContribution> AdverseEvent =
        Gen.Select(Gen.Int[0, 255], Gen.Int[0, CodePool.Length - 1].Array[0, 4])
            .Select((facts, codes) => (SignalContribution)new AdverseEventContribution((AdverseEventFacts)facts, codes.Select(i => CodePool[i])));

    public static readonly Gen<SignalContribution> Outcome =
        Gen.Select(
                ProcedureDate,
                Gen.Int[0, 4],
                Observation(OutcomeMeasure.PainNrs),
                Observation(OutcomeMeasure.Odi),
                Observation(OutcomeMeasure.Eq5dIndex),
                Observation(OutcomeMeasure.Pgic))
            .Select((date, timepoint, pain, odi, eq5d, pgic) =>
                (SignalContribution)new OutcomeContribution(date, (OutcomeTimepoint)timepoint, pain, odi, eq5d, pgic));

    public static readonly Gen<SignalContribution> Contribution = Gen.OneOf(Procedure, AdverseEvent, Outcome);

    public static readonly Gen<SignalDelta> Delta = Contribution.Array[0, 25].Select(Fold);

    public static SignalDelta Fold(IEnumerable<SignalContribution> contributions)
    {
        var delta = new SignalDelta();
        foreach (SignalContribution contribution in contributions)
        {
            delta.Add(contribution);
        }

        return delta;
    }

    private static Gen<MeasureObservation?> Observation(OutcomeMeasure measure)
    {
        long min = OutcomeMeasures.Minimum(measure);
        long max = OutcomeMeasures.Maximum(measure);
        long range = max - min;
        return Gen.Select(Gen.Int[0, 3], Gen.Long[min, max], Gen.Long[-range, range], Gen.Int[0, 2])
            .Select((presence, value, change, responder) => presence == 0
                ? (MeasureObservation?)null
                : new MeasureObservation(
                    value,
                    presence >= 2 ? change : null,
                    responder switch { 0 => null, 1 => false, _ => true }));
    }
}
