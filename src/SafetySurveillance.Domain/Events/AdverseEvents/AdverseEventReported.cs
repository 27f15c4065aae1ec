using SafetySurveillance.Domain.Events.AdverseEvents.Imdrf;
using SafetySurveillance.Domain.Validation;

namespace SafetySurveillance.Domain.Events.AdverseEvents;

/// <summary>Seriousness criteria (ISO 14155 / MDCG 2023-3 style). None means not serious.</summary>
public enum SeriousnessCriterion
{
    Death,
    LifeThreatening,
    Hospitalisation,
    Disability,
    Intervention,
}

/// <summary>Causality categories of MDCG 2020-10/1 (formerly MEDDEV 2.7/3).</summary>
public enum Relatedness
{
    NotRelated,
    Unlikely,
    Possible,
    Probable,
    Causal,
}

/// <summary>What was done about the event.</summary>
public enum AdverseEventAction
{
    None,
    Reprogramming,
    Revision,
    Explant,
}

/// <summary>The patient's outcome from the event (ICH E2B categories).</summary>
public enum AdverseEventOutcome
{
    Recovered,
    Recovering,
    NotRecovered,
    RecoveredWithSequelae,
    Fatal,
    Unknown,
}

/// <summary>
/// An adverse event (data of <c>uk.nhs.neuromodulation.adverse-event-reported.v1</c>), coded with IMDRF
/// terms from release <see cref="ImdrfRelease"/>.
/// </summary>
public sealed record AdverseEventReported(
    string ProcedureId,
    DateOnly ProcedureDate,
    DateOnly OnsetDate,
    IReadOnlyList<string> DeviceProblemCodes,
    IReadOnlyList<string> ClinicalSignCodes,
    IReadOnlyList<string> HealthImpactCodes,
    string ImdrfRelease,
    IReadOnlyList<SeriousnessCriterion> SeriousnessCriteria,
    Relatedness DeviceRelatedness,
    Relatedness ProcedureRelatedness,
    AdverseEventAction Action,
    AdverseEventOutcome Outcome,
    bool Anticipated)
{
    /// <summary>Serious when any seriousness criterion applies.</summary>
    public bool IsSerious => SeriousnessCriteria.Count > 0;

    /// <summary>Device-related when causality is possible, probable or causal.</summary>
    public bool IsDeviceRelated => DeviceRelatedness >= Relatedness.Possible;

    /// <summary>Procedure-related when causality is possible, probable or causal.</summary>
    public bool IsProcedureRelated => ProcedureRelatedness >= Relatedness.Possible;
}

/// <summary>The JSON names of adverse-event-reported.v1 data.</summary>
public static class AdverseEventReportedJson
{
    public const string ProcedureId = "procedureId";
    public const string ProcedureDate = "procedureDate";
    public const string OnsetDate = "onsetDate";
    public const string DeviceProblemCodes = "deviceProblemCodes";
    public const string ClinicalSignCodes = "clinicalSignCodes";
    public const string HealthImpactCodes = "healthImpactCodes";
    public const string SeriousnessCriteria = "seriousnessCriteria";
    public const string DeviceRelatedness = "deviceRelatedness";
    public const string ProcedureRelatedness = "procedureRelatedness";
    public const string Action = "action";
    public const string Outcome = "outcome";
    public const string Anticipated = "anticipated";

    /// <summary>Most codes of one annex on one report.</summary>
    public const int MaxCodes = 20;

    /// <summary>Every data property; all are required.</summary>
    public static IReadOnlyList<string> Properties { get; } =
    [
        ProcedureId, ProcedureDate, OnsetDate, DeviceProblemCodes, ClinicalSignCodes, HealthImpactCodes,
        SeriousnessCriteria, DeviceRelatedness, ProcedureRelatedness, Action, Outcome, Anticipated,
    ];

    /// <summary>Which annex each code array takes.</summary>
    public static IReadOnlyList<(string Property, ImdrfAnnex Annex)> CodeArrays { get; } =
    [
        (DeviceProblemCodes, ImdrfAnnex.A),
        (ClinicalSignCodes, ImdrfAnnex.E),
        (HealthImpactCodes, ImdrfAnnex.F),
    ];

    public static EnumMap<SeriousnessCriterion> Criteria { get; } = new(
        (SeriousnessCriterion.Death, "death"),
        (SeriousnessCriterion.LifeThreatening, "life-threatening"),
        (SeriousnessCriterion.Hospitalisation, "hospitalisation"),
        (SeriousnessCriterion.Disability, "disability"),
        (SeriousnessCriterion.Intervention, "intervention"));

    public static EnumMap<Relatedness> Relatedness { get; } = new(
        (AdverseEvents.Relatedness.NotRelated, "not-related"),
        (AdverseEvents.Relatedness.Unlikely, "unlikely"),
        (AdverseEvents.Relatedness.Possible, "possible"),
        (AdverseEvents.Relatedness.Probable, "probable"),
        (AdverseEvents.Relatedness.Causal, "causal"));

    public static EnumMap<AdverseEventAction> Actions { get; } = new(
        (AdverseEventAction.None, "none"),
        (AdverseEventAction.Reprogramming, "reprogramming"),
        (AdverseEventAction.Revision, "revision"),
        (AdverseEventAction.Explant, "explant"));

    public static EnumMap<AdverseEventOutcome> Outcomes { get; } = new(
        (AdverseEventOutcome.Recovered, "recovered"),
        (AdverseEventOutcome.Recovering, "recovering"),
        (AdverseEventOutcome.NotRecovered, "not-recovered"),
        (AdverseEventOutcome.RecoveredWithSequelae, "recovered-with-sequelae"),
        (AdverseEventOutcome.Fatal, "fatal"),
        (AdverseEventOutcome.Unknown, "unknown"));
}
