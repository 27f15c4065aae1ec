using SafetySurveillance.Domain.Events;
using SafetySurveillance.Domain.Events.AdverseEvents;
using SafetySurveillance.Domain.Events.CloudEvents;
using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Events.Procedures;

namespace SafetySurveillance.Domain.Pseudonymisation;

/// <summary>
/// The event the rest of the pipeline uses: the NHS number has been replaced by a keyed pseudonym and no
/// member of any of these types (checked by a reflection test) can hold an <see cref="NhsNumber"/>.
/// Closed hierarchy: the three records below are the only kinds.
/// </summary>
public abstract record PseudonymisedSafetyEvent
{
    private protected PseudonymisedSafetyEvent(CloudEventAttributes envelope) => Envelope = envelope;

    public CloudEventAttributes Envelope { get; }

    /// <summary>Which kind this is. Internal and abstract, so no type outside this assembly can derive from this record.</summary>
    public SafetyEventType Kind => KindCore;

    private protected abstract SafetyEventType KindCore { get; }
}

/// <summary>A procedure with the patient's pseudonym.</summary>
public sealed record PseudonymisedProcedurePerformed(CloudEventAttributes Envelope, ProcedurePerformed Data, PatientPseudonym Patient)
    : PseudonymisedSafetyEvent(Envelope)
{
    private protected override SafetyEventType KindCore => SafetyEventType.ProcedurePerformed;
}

/// <summary>An outcome report.</summary>
public sealed record PseudonymisedOutcomeReported(CloudEventAttributes Envelope, OutcomeReported Data)
    : PseudonymisedSafetyEvent(Envelope)
{
    private protected override SafetyEventType KindCore => SafetyEventType.OutcomeReported;
}

/// <summary>An adverse-event report.</summary>
public sealed record PseudonymisedAdverseEventReported(CloudEventAttributes Envelope, AdverseEventReported Data)
    : PseudonymisedSafetyEvent(Envelope)
{
    private protected override SafetyEventType KindCore => SafetyEventType.AdverseEventReported;
}
