using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Domain.Rules;

/// <summary>How serious a finding is. Ordered: a higher value is worse.</summary>
public enum Severity
{
    /// <summary>The rule was evaluated and does not fire.</summary>
    None = 0,

    /// <summary>Worth a look (e.g. beyond the 95 % funnel limit).</summary>
    Warning = 1,

    /// <summary>Act now (e.g. beyond 99.8 %, a sentinel event, a CUSUM signal).</summary>
    Alarm = 2,
}

/// <summary>
/// The numbers behind a finding: aggregate counts and statistics only, never anything about a patient.
/// Fields that a rule kind does not use are null.
/// </summary>
/// <param name="Numerator">The unwanted count (events, patients with an event, overdue follow-ups).</param>
/// <param name="Denominator">What it is out of (procedures, patients, follow-ups due).</param>
/// <param name="Rate">Numerator / denominator, when the denominator is positive.</param>
/// <param name="IntervalLower">Lower confidence bound of the rate (Wilson).</param>
/// <param name="IntervalUpper">Upper confidence bound of the rate (Wilson).</param>
/// <param name="Confidence">The confidence level of the interval.</param>
/// <param name="Benchmark">The rate compared with: the literature benchmark, the national rate, or 1 − target completeness.</param>
/// <param name="WarningLimit">The upper limit whose crossing is a warning (funnel 95 % limit).</param>
/// <param name="AlarmLimit">The upper limit whose crossing is an alarm (funnel 99.8 % limit).</param>
/// <param name="CusumValue">The highest CUSUM statistic reached in the evaluated months.</param>
/// <param name="Threshold">The CUSUM decision threshold h.</param>
/// <param name="Phi">The funnel plot's over-dispersion estimate φ̂, when the limits were widened by it.</param>
public sealed record Evidence(
    long Numerator,
    long Denominator,
    double? Rate = null,
    double? IntervalLower = null,
    double? IntervalUpper = null,
    double? Confidence = null,
    double? Benchmark = null,
    double? WarningLimit = null,
    double? AlarmLimit = null,
    double? CusumValue = null,
    double? Threshold = null,
    double? Phi = null);

/// <summary>The outcome of one rule for one scope and period.</summary>
/// <param name="RuleId">The rule's id.</param>
/// <param name="RuleKind">sentinel, rate, funnel, cusum or follow-up.</param>
/// <param name="Procedure">The procedure code.</param>
/// <param name="Scope">Which trust, device or national.</param>
/// <param name="Period">Which month, quarter or all time (for CUSUM: the cohort month in which the chart signalled).</param>
/// <param name="Severity">None, warning or alarm.</param>
/// <param name="Evidence">The numbers.</param>
/// <param name="Summary">One plain-English sentence saying what was found.</param>
public sealed record Finding(
    string RuleId,
    string RuleKind,
    string Procedure,
    SignalScope Scope,
    SignalPeriod Period,
    Severity Severity,
    Evidence Evidence,
    string Summary);

/// <summary>One signal row handed to the evaluator: its scope and its totals.</summary>
public readonly record struct ScopedRow(SignalScope Scope, SignalDelta Totals);

/// <summary>
/// Every row of one procedure and period, as one partition query returns them: the national row, every
/// trust and every device. <paramref name="AsOf"/> is the evaluation date (follow-up due dates, CUSUM maturity).
/// </summary>
public sealed record SignalSnapshot(string Procedure, SignalPeriod Period, IReadOnlyList<ScopedRow> Rows, DateOnly AsOf);
