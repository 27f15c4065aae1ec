using SafetySurveillance.Domain.Events.AdverseEvents;
using SafetySurveillance.Domain.Events.Outcomes;

namespace SafetySurveillance.Simulator.Generation;

/// <summary>A kind of adverse event the simulator produces, with its coding and its rate.</summary>
/// <param name="Name">Short name, used in ground truth and docs.</param>
/// <param name="RatePerProcedureFirstYear">Chance per procedure of onset within 12 months.</param>
/// <param name="SecondYearFraction">Extra chance of onset in months 12–24, as a fraction of the first-year rate.</param>
public sealed record AdverseEventKind(
    string Name,
    double RatePerProcedureFirstYear,
    double SecondYearFraction,
    IReadOnlyList<string> DeviceProblemCodes,
    IReadOnlyList<string> ClinicalSignCodes,
    IReadOnlyList<string> HealthImpactCodes,
    IReadOnlyList<SeriousnessCriterion> Seriousness,
    Relatedness DeviceRelatedness,
    Relatedness ProcedureRelatedness,
    IReadOnlyList<AdverseEventAction> Actions,
    AdverseEventOutcome Outcome)
{
    public bool IsSerious => Seriousness.Count > 0;

    public bool IsDeviceRelated => DeviceRelatedness >= Relatedness.Possible;

    public bool IsProcedureRelated => ProcedureRelatedness >= Relatedness.Possible;

    /// <summary>The kinds whose rate the injected trust inflates.</summary>
    public bool IsSeriousDeviceRelated => IsSerious && IsDeviceRelated;
}

/// <summary>
/// Rates and outcome trajectories, from the published evidence in research/domain-anchors.md:
/// serious procedure- or device-related events 3.9% per procedure through one year (ReActiv8-B),
/// PROMs from ReActiv8-A / RESTORE (NRS 6.8±0.8 → ~3.5, ODI 45 → ~24, EQ-5D-5L 0.43 → ~0.70),
/// follow-up completeness falling to about 57% at 12 months (National Neuromodulation Registry).
/// </summary>
public static class ClinicalModel
{
    /// <summary>Serious and procedure- or device-related, first year: 1.0 + 0.6 + 1.5 + 0.8 = 3.9%.</summary>
    public const double SeriousRelatedRateFirstYear = 0.039;

    public static IReadOnlyList<AdverseEventKind> AdverseEvents { get; } =
    [
        new("lead-migration", 0.010, 0.3, ["A010402"], ["E2110"], ["F1905"], [SeriousnessCriterion.Intervention],
            Relatedness.Probable, Relatedness.Unlikely, [AdverseEventAction.Revision], AdverseEventOutcome.Recovered),
        new("lead-fracture", 0.006, 0.6, ["A040101"], ["E2110"], ["F1905"], [SeriousnessCriterion.Intervention],
            Relatedness.Causal, Relatedness.NotRelated, [AdverseEventAction.Revision], AdverseEventOutcome.Recovered),
        new("infection", 0.015, 0.1, ["A24"], ["E2115"], ["F08", "F1903"], [SeriousnessCriterion.Hospitalisation, SeriousnessCriterion.Intervention],
            Relatedness.Unlikely, Relatedness.Probable, [AdverseEventAction.Explant], AdverseEventOutcome.RecoveredWithSequelae),
        new("ipg-failure", 0.008, 0.5, ["A071301"], ["E2110"], ["F1905"], [SeriousnessCriterion.Intervention],
            Relatedness.Causal, Relatedness.NotRelated, [AdverseEventAction.Revision], AdverseEventOutcome.Recovered),
        new("implant-pain", 0.050, 0.3, ["A24"], ["E2109"], ["F11"], [],
            Relatedness.Possible, Relatedness.Possible, [AdverseEventAction.None, AdverseEventAction.Reprogramming], AdverseEventOutcome.Recovering),
        new("undesired-stimulation", 0.040, 0.2, ["A071302"], ["E0138"], ["F26"], [],
            Relatedness.Probable, Relatedness.NotRelated, [AdverseEventAction.Reprogramming], AdverseEventOutcome.Recovered),
        new("high-impedance", 0.020, 0.4, ["A072201"], ["E2403"], ["F26"], [],
            Relatedness.Causal, Relatedness.NotRelated, [AdverseEventAction.Reprogramming], AdverseEventOutcome.Recovered),
        new("unrelated-hospitalisation", 0.010, 1.0, ["A24"], ["E2401"], ["F08"], [SeriousnessCriterion.Hospitalisation],
            Relatedness.NotRelated, Relatedness.NotRelated, [AdverseEventAction.None], AdverseEventOutcome.Recovered),
    ];

    /// <summary>Chance a serious device-related event is unanticipated (the sentinel path).</summary>
    public const double UnanticipatedFraction = 0.03;

    /// <summary>Mean share of patients with an outcome report at each timepoint, once it is due.</summary>
    public static double Completeness(OutcomeTimepoint timepoint) => timepoint switch
    {
        OutcomeTimepoint.Baseline => 0.95,
        OutcomeTimepoint.Month3 => 0.80,
        OutcomeTimepoint.Month6 => 0.70,
        OutcomeTimepoint.Month12 => 0.57,
        OutcomeTimepoint.Month24 => 0.50,
        _ => throw new ArgumentOutOfRangeException(nameof(timepoint)),
    };

    /// <summary>Months after the procedure a follow-up is due.</summary>
    public static int MonthsAfter(OutcomeTimepoint timepoint) => timepoint switch
    {
        OutcomeTimepoint.Baseline => 0,
        OutcomeTimepoint.Month3 => 3,
        OutcomeTimepoint.Month6 => 6,
        OutcomeTimepoint.Month12 => 12,
        OutcomeTimepoint.Month24 => 24,
        _ => throw new ArgumentOutOfRangeException(nameof(timepoint)),
    };

    /// <summary>How much of a patient's eventual improvement has appeared by each timepoint.</summary>
    public static double Progress(OutcomeTimepoint timepoint) => timepoint switch
    {
        OutcomeTimepoint.Baseline => 0,
        OutcomeTimepoint.Month3 => 0.7,
        OutcomeTimepoint.Month6 => 0.85,
        OutcomeTimepoint.Month12 => 1.0,
        OutcomeTimepoint.Month24 => 1.05,
        _ => throw new ArgumentOutOfRangeException(nameof(timepoint)),
    };

    public const double BaselineNrsMean = 6.8;
    public const double BaselineNrsSd = 0.8;
    public const double BaselineOdiMean = 44.9;
    public const double BaselineOdiSd = 10.1;
    public const double BaselineEq5dMean = 0.434;
    public const double BaselineEq5dSd = 0.185;

    /// <summary>Mean fractional fall in NRS at full response (6.8 → ~3.5).</summary>
    public const double NrsImprovement = 0.48;

    /// <summary>Mean fractional fall in ODI at full response (45 → ~24).</summary>
    public const double OdiImprovement = 0.47;

    /// <summary>Mean EQ-5D-5L index gain at full response (0.43 → ~0.70).</summary>
    public const double Eq5dGain = 0.27;

    /// <summary>Chance each score is present on an outcome report (at least one always is).</summary>
    public const double ScorePresence = 0.92;

    /// <summary>Share of procedures after an MDT decision, with written information, entered on the registry (trust means).</summary>
    public const double MdtSelection = 0.93;
    public const double WrittenInformation = 0.96;
    public const double RegistryEntry = 0.82;

    /// <summary>The rate after applying an odds ratio: p' = OR·p / (1 − p + OR·p).</summary>
    public static double WithOddsRatio(double p, double oddsRatio) => oddsRatio * p / (1 - p + (oddsRatio * p));
}
