using SafetySurveillance.Domain.Events.AdverseEvents;
using SafetySurveillance.Domain.Events.CloudEvents;
using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Events.Procedures;
using SafetySurveillance.Domain.Pseudonymisation;

namespace SafetySurveillance.Domain.Events;

/// <summary>
/// An event that passed every check but is still identifiable: a procedure carries the patient's
/// <see cref="Pseudonymisation.NhsNumber"/>. Only the <see cref="Pseudonymiser"/> consumes it; everything
/// downstream takes <see cref="PseudonymisedSafetyEvent"/>. The hierarchy is closed: the three records
/// below are the only kinds.
/// </summary>
public abstract record ValidatedSafetyEvent
{
    private protected ValidatedSafetyEvent(CloudEventAttributes envelope) => Envelope = envelope;

    public CloudEventAttributes Envelope { get; }

    /// <summary>Which kind this is. Internal and abstract, so no type outside this assembly can derive from this record.</summary>
    public SafetyEventType Kind => KindCore;

    private protected abstract SafetyEventType KindCore { get; }
}

/// <summary>A validated procedure with the patient's NHS number.</summary>
public sealed record ValidatedProcedurePerformed(CloudEventAttributes Envelope, ProcedurePerformed Data, NhsNumber NhsNumber)
    : ValidatedSafetyEvent(Envelope)
{
    private protected override SafetyEventType KindCore => SafetyEventType.ProcedurePerformed;
}

/// <summary>A validated outcome report (no patient identifier).</summary>
public sealed record ValidatedOutcomeReported(CloudEventAttributes Envelope, OutcomeReported Data)
    : ValidatedSafetyEvent(Envelope)
{
    private protected override SafetyEventType KindCore => SafetyEventType.OutcomeReported;
}

/// <summary>A validated adverse-event report (no patient identifier).</summary>
public sealed record ValidatedAdverseEventReported(CloudEventAttributes Envelope, AdverseEventReported Data)
    : ValidatedSafetyEvent(Envelope)
{
    private protected override SafetyEventType KindCore => SafetyEventType.AdverseEventReported;
}
