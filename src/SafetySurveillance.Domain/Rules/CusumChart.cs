using System.Globalization;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Domain.Statistics;

namespace SafetySurveillance.Domain.Rules;

/// <summary>One cohort month of one trust, as the CUSUM consumes it.</summary>
/// <param name="Month">The procedure (cohort) month.</param>
/// <param name="Patients">The denominator: patients whose index procedure fell in the month.</param>
/// <param name="Events">The numerator: those of them with the monitored outcome (capped at <paramref name="Patients"/>).</param>
public readonly record struct CusumMonth(SignalPeriod Month, long Patients, long Events)
{
    /// <summary>Reads a trust's month row through the rule's numerator and denominator.</summary>
    public static CusumMonth FromRow(CusumRule rule, SignalPeriod month, SignalDelta row)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(row);
        if (month.Kind != SignalPeriodKind.Month)
        {
            throw new ArgumentException("A CUSUM reads month rows.", nameof(month));
        }

        long patients = row[rule.Denominator];
        return new CusumMonth(month, patients, Math.Min(row[rule.Numerator], patients));
    }
}

/// <summary>
/// The stored state of one trust's chart for one rule: the CUSUM state and the last cohort month charted.
/// Store it after every evaluation and the chart resumes exactly where it stopped.
/// </summary>
/// <param name="Chart">S, observations, signals.</param>
/// <param name="LastMonth">The last cohort month added; null before the first.</param>
public sealed record CusumChartState(CusumState Chart, SignalPeriod? LastMonth)
{
    /// <summary>A chart that has seen nothing.</summary>
    public static CusumChartState Initial { get; } = new(CusumState.Initial, null);
}

/// <summary>The result of advancing a chart.</summary>
/// <param name="State">The state to store.</param>
/// <param name="MonthsAdded">The cohort months that were added, in order.</param>
/// <param name="Findings">One alarm finding per month in which the chart signalled (none otherwise).</param>
public sealed record CusumAdvance(CusumChartState State, IReadOnlyList<CusumMonth> MonthsAdded, IReadOnlyList<Finding> Findings);

/// <summary>
/// Bernoulli CUSUM per trust, fed month by month from the cohort month rows (docs/rules.md, "CUSUM").
/// </summary>
/// <remarks>
/// <para>
/// A Bernoulli CUSUM is defined over patients in order. The signal rows keep counts per cohort month, not
/// per-patient order, so the chart adds each month's patients in a fixed, documented order: the month's
/// events spread evenly through its patients (event k of e at position ⌊(k + ½)·n/e⌋). The end-of-month
/// statistic is then a deterministic function of the counts, and re-evaluating gives the same answer.
/// </para>
/// <para>
/// A cohort month is added only once it is mature (its last day plus <see cref="CusumRule.MaturityMonths"/> is on
/// or before the evaluation date), and only once: reports that arrive for it later are not charted. Months are
/// added in order; a month with no row is simply absent (no patients). After a signal the chart resets to 0.
/// </para>
/// <para>
/// For a simulation harness: <see cref="StepMonth"/> is pure, so a harness can draw monthly Binomial(n, p₀)
/// counts, feed them through <see cref="Advance"/> or <see cref="StepMonth"/>, and compare the share of runs
/// that signal within N patients with the design's false-signal probability.
/// </para>
/// </remarks>
public static class CusumChart
{
    /// <summary>Adds the mature, not yet charted months (in month order) and reports any signals.</summary>
    /// <param name="rule">The CUSUM rule.</param>
    /// <param name="procedure">The procedure code.</param>
    /// <param name="trust">The trust's scope.</param>
    /// <param name="state">The stored state (<see cref="CusumChartState.Initial"/> the first time).</param>
    /// <param name="months">The trust's cohort months, any order; months already charted are skipped.</param>
    /// <param name="asOf">The evaluation date.</param>
    public static CusumAdvance Advance(CusumRule rule, string procedure, SignalScope trust, CusumChartState state, IEnumerable<CusumMonth> months, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(months);
        if (trust.Kind != SignalScopeKind.Trust)
        {
            throw new ArgumentException("A CUSUM chart watches one trust.", nameof(trust));
        }

        CusumWeights weights = rule.Weights;
        var added = new List<CusumMonth>();
        var findings = new List<Finding>();
        CusumChartState current = state;
        foreach (CusumMonth month in months.OrderBy(m => m.Month))
        {
            if (month.Month.Kind != SignalPeriodKind.Month)
            {
                throw new ArgumentException("A CUSUM reads month rows.", nameof(months));
            }

            if (current.LastMonth is { } last && month.Month <= last)
            {
                continue;
            }

            if (!IsMature(month.Month, rule.MaturityMonths, asOf))
            {
                break; // later months are younger still
            }

            MonthStep step = StepMonth(current.Chart, month.Patients, month.Events, weights, rule.Threshold);
            current = new CusumChartState(step.State, month.Month);
            added.Add(month);
            if (step.Signals > 0)
            {
                string summary = string.Create(
                    CultureInfo.InvariantCulture,
                    $"{trust}: the CUSUM for {rule.Numerator}/{rule.Denominator} (p₀ = {rule.InControlRate:0.###}, odds ratio {rule.OddsRatio:0.##}) reached {step.HighestStatistic:0.###} ≥ h = {rule.Threshold:0.###} in the {month.Month} cohort ({month.Events}/{month.Patients}); the chart restarts from 0.");
                findings.Add(new Finding(
                    rule.Id,
                    rule.Kind,
                    procedure,
                    trust,
                    month.Month,
                    Severity.Alarm,
                    new Evidence(
                        month.Events,
                        month.Patients,
                        month.Patients > 0 ? month.Events / (double)month.Patients : null,
                        Benchmark: rule.InControlRate,
                        CusumValue: step.HighestStatistic,
                        Threshold: rule.Threshold),
                    summary));
            }
        }

        return new CusumAdvance(current, added, findings);
    }

    /// <summary>Whether a cohort month may be charted on <paramref name="asOf"/>.</summary>
    public static bool IsMature(SignalPeriod month, int maturityMonths, DateOnly asOf)
        => month.LastDay.AddMonths(maturityMonths) <= asOf;

    /// <summary>
    /// Adds one month: <paramref name="patients"/> observations of which <paramref name="events"/> are adverse,
    /// the events spread evenly, resetting to 0 after each signal.
    /// </summary>
    public static MonthStep StepMonth(CusumState state, long patients, long events, CusumWeights weights, double threshold)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfNegative(patients);
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(events, patients);
        CusumState current = state;
        double highest = state.Statistic;
        long signals = 0;
        long nextEvent = 0;
        for (long i = 0; i < patients; i++)
        {
            bool adverse = nextEvent < events && i == EventPosition(nextEvent, events, patients);
            if (adverse)
            {
                nextEvent++;
            }

            CusumStep step = BernoulliCusum.Step(current, adverse, weights, threshold, CusumResetPolicy.ResetToZero);
            highest = Math.Max(highest, step.Statistic);
            if (step.Signalled)
            {
                signals++;
            }

            current = step.State;
        }

        return new MonthStep(current, highest, signals);
    }

    private static long EventPosition(long k, long events, long patients)
        => (long)Math.Floor((k + 0.5) * patients / events);
}

/// <summary>The result of adding one month.</summary>
/// <param name="State">The chart after the month.</param>
/// <param name="HighestStatistic">The largest Sₜ reached in the month (before any reset), or the starting S.</param>
/// <param name="Signals">How many times the chart signalled in the month.</param>
public readonly record struct MonthStep(CusumState State, double HighestStatistic, long Signals);
