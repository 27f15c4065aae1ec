using SafetySurveillance.Domain.Events.AdverseEvents;
using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Events.Procedures;

namespace SafetySurveillance.Simulator.Generation;

/// <summary>The data of an event before it is written; malformed variants are made with <c>with</c>.</summary>
internal abstract record EventDraft(string Id, DateTimeOffset ReportedAt);

internal sealed record ProcedureDraft(
    string Id,
    DateTimeOffset ReportedAt,
    string ProcedureCode,
    DateOnly ProcedureDate,
    SimulatedDevice Device,
    bool MdtSelection,
    bool WrittenInformationGiven,
    bool RegistryEntryMade,
    AgeBand AgeBand,
    Sex Sex,
    string NhsNumber) : EventDraft(Id, ReportedAt);

internal sealed record OutcomeDraft(
    string Id,
    DateTimeOffset ReportedAt,
    string ProcedureId,
    DateOnly ProcedureDate,
    OutcomeTimepoint Timepoint,
    DateOnly AssessmentDate,
    int? PainNrs,
    int? Odi,
    decimal? Eq5d5lIndex,
    int? Pgic) : EventDraft(Id, ReportedAt);

internal sealed record AdverseEventDraft(
    string Id,
    DateTimeOffset ReportedAt,
    string ProcedureId,
    DateOnly ProcedureDate,
    DateOnly OnsetDate,
    IReadOnlyList<string> DeviceProblemCodes,
    IReadOnlyList<string> ClinicalSignCodes,
    IReadOnlyList<string> HealthImpactCodes,
    IReadOnlyList<SeriousnessCriterion> SeriousnessCriteria,
    Relatedness DeviceRelatedness,
    Relatedness ProcedureRelatedness,
    AdverseEventAction Action,
    AdverseEventOutcome Outcome,
    bool Anticipated) : EventDraft(Id, ReportedAt);
