using SafetySurveillance.Domain.Validation;

namespace SafetySurveillance.Domain.Events.Outcomes;

/// <summary>When a set of patient-reported outcomes was collected, relative to the procedure.</summary>
public enum OutcomeTimepoint
{
    Baseline,
    Month3,
    Month6,
    Month12,
    Month24,
}

/// <summary>
/// Patient-reported outcomes at one timepoint (data of <c>uk.nhs.neuromodulation.outcome-reported.v1</c>).
/// Each score is optional (a patient may skip a questionnaire) but at least one is present.
/// </summary>
/// <param name="ProcedureId">The CloudEvents <c>id</c> of the procedure-performed event from the same trust.</param>
/// <param name="ProcedureDate">The procedure's date, so dates can be checked against it.</param>
/// <param name="PainNrs">Pain numerical rating scale, 0–10.</param>
/// <param name="Odi">Oswestry Disability Index, 0–100.</param>
/// <param name="Eq5d5lIndex">EQ-5D-5L index value on the UK scale, −0.594 to 1, at most 3 decimals.</param>
/// <param name="Pgic">Patient Global Impression of Change, 1–7; not collected at baseline.</param>
public sealed record OutcomeReported(
    string ProcedureId,
    DateOnly ProcedureDate,
    OutcomeTimepoint Timepoint,
    DateOnly AssessmentDate,
    int? PainNrs,
    int? Odi,
    decimal? Eq5d5lIndex,
    int? Pgic);

/// <summary>The JSON names and ranges of outcome-reported.v1 data.</summary>
public static class OutcomeReportedJson
{
    public const string ProcedureId = "procedureId";
    public const string ProcedureDate = "procedureDate";
    public const string Timepoint = "timepoint";
    public const string AssessmentDate = "assessmentDate";
    public const string PainNrs = "painNrs";
    public const string Odi = "odi";
    public const string Eq5d5lIndex = "eq5d5lIndex";
    public const string Pgic = "pgic";

    public const int PainNrsMin = 0;
    public const int PainNrsMax = 10;
    public const int OdiMin = 0;
    public const int OdiMax = 100;
    public const decimal Eq5d5lIndexMin = -0.594m;
    public const decimal Eq5d5lIndexMax = 1m;
    public const int Eq5d5lIndexDecimals = 3;
    public const int PgicMin = 1;
    public const int PgicMax = 7;

    public static IReadOnlyList<string> Properties { get; } =
        [ProcedureId, ProcedureDate, Timepoint, AssessmentDate, PainNrs, Odi, Eq5d5lIndex, Pgic];

    public static IReadOnlyList<string> Required { get; } = [ProcedureId, ProcedureDate, Timepoint, AssessmentDate];

    public static IReadOnlyList<string> Scores { get; } = [PainNrs, Odi, Eq5d5lIndex, Pgic];

    public static EnumMap<OutcomeTimepoint> Timepoints { get; } = new(
        (OutcomeTimepoint.Baseline, "baseline"),
        (OutcomeTimepoint.Month3, "3-months"),
        (OutcomeTimepoint.Month6, "6-months"),
        (OutcomeTimepoint.Month12, "12-months"),
        (OutcomeTimepoint.Month24, "24-months"));
}
