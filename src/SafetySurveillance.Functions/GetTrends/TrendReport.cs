using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Domain.Statistics;
using SafetySurveillance.Functions.Dashboard;

namespace SafetySurveillance.Functions.GetTrends;

/// <summary>A signal that can be drawn month by month: any rate, funnel or CUSUM rule (they all have x/n).</summary>
/// <param name="Id">The rule id.</param>
/// <param name="Kind">rate, funnel or cusum.</param>
/// <param name="Label">"patients with serious related event / first procedures".</param>
/// <param name="Numerator">Counter name of x.</param>
/// <param name="Denominator">Counter name of n.</param>
public sealed record TrendSignal(string Id, string Kind, string Label, string Numerator, string Denominator)
{
    /// <summary>The rule's numerator and denominator, when it has them.</summary>
    public static (SignalCount Numerator, SignalCount Denominator)? Counts(SignalRule rule) => rule switch
    {
        RateRule r => (r.Numerator, r.Denominator),
        FunnelRule f => (f.Numerator, f.Denominator),
        CusumRule c => (c.Numerator, c.Denominator),
        _ => null,
    };

    internal static TrendSignal? Of(SignalRule rule) => Counts(rule) is { } counts
        ? new TrendSignal(rule.Id, rule.Kind, $"{SignalNames.Of(counts.Numerator)} / {SignalNames.Of(counts.Denominator)}", counts.Numerator.ToString(), counts.Denominator.ToString())
        : null;
}

/// <summary>One month of a trend: x/n with its 95 % Wilson interval.</summary>
/// <param name="Month">yyyy-MM (the procedure cohort month).</param>
/// <param name="Numerator">x.</param>
/// <param name="Denominator">n (0 when the month has no row).</param>
/// <param name="Rate">x/n; null when n is 0.</param>
/// <param name="Lower">Wilson lower bound.</param>
/// <param name="Upper">Wilson upper bound.</param>
public sealed record TrendPoint(string Month, long Numerator, long Denominator, double? Rate, double? Lower, double? Upper)
{
    internal static TrendPoint Of(SignalPeriod month, long numerator, long denominator)
    {
        Proportion p = Proportion.Of(numerator, denominator);
        return new TrendPoint(month.ToString(), numerator, denominator, p.Rate, p.Lower, p.Upper);
    }
}

/// <summary>One trust's monthly series.</summary>
/// <param name="Trust">ODS code.</param>
/// <param name="Points">One per month of the range, oldest first.</param>
public sealed record TrendSeries(string Trust, IReadOnlyList<TrendPoint> Points);

/// <summary>One cohort month of a trust's CUSUM chart.</summary>
/// <param name="Month">yyyy-MM.</param>
/// <param name="Patients">n of the month.</param>
/// <param name="Events">x of the month (capped at n).</param>
/// <param name="Charted">False while the month is not yet mature (its statistics are then null).</param>
/// <param name="Statistic">S at the end of the month (after any reset).</param>
/// <param name="Highest">The highest S reached in the month, before any reset.</param>
/// <param name="Signals">How many times the chart crossed h in the month.</param>
public sealed record CusumPoint(string Month, long Patients, long Events, bool Charted, double? Statistic, double? Highest, long Signals);

/// <summary>A trust's Bernoulli CUSUM chart over the range, started at 0 at its first month.</summary>
/// <param name="RuleId">The CUSUM rule.</param>
/// <param name="Trust">ODS code.</param>
/// <param name="InControlRate">p₀.</param>
/// <param name="OddsRatio">R the chart is tuned to detect.</param>
/// <param name="Threshold">h.</param>
/// <param name="MaturityMonths">Months after a cohort month ends before it is charted.</param>
/// <param name="Points">One per month of the range.</param>
public sealed record CusumSeries(string RuleId, string Trust, double InControlRate, double OddsRatio, double Threshold, int MaturityMonths, IReadOnlyList<CusumPoint> Points)
{
    /// <summary>
    /// Charts <paramref name="months"/> (in order) as <see cref="CusumChart"/> does, from 0 at the first month: each
    /// mature month is added with its events spread evenly through its patients, resetting after each signal; the
    /// first immature month and every later one are not charted.
    /// </summary>
    public static CusumSeries Create(CusumRule rule, string trust, IReadOnlyList<(SignalPeriod Month, SignalDelta? Totals)> months, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(months);
        CusumWeights weights = rule.Weights;
        CusumState state = CusumState.Initial;
        bool mature = true;
        var points = new List<CusumPoint>(months.Count);
        foreach ((SignalPeriod month, SignalDelta? totals) in months)
        {
            long patients = totals?[rule.Denominator] ?? 0;
            long events = Math.Min(totals?[rule.Numerator] ?? 0, patients);
            mature = mature && CusumChart.IsMature(month, rule.MaturityMonths, asOf);
            if (!mature)
            {
                points.Add(new CusumPoint(month.ToString(), patients, events, false, null, null, 0));
                continue;
            }

            MonthStep step = CusumChart.StepMonth(state, patients, events, weights, rule.Threshold);
            state = step.State;
            points.Add(new CusumPoint(month.ToString(), patients, events, true, step.State.Statistic, step.HighestStatistic, step.Signals));
        }

        return new CusumSeries(rule.Id, trust, rule.InControlRate, rule.OddsRatio, rule.Threshold, rule.MaturityMonths, points);
    }
}

/// <summary>
/// The body of <c>GET /api/trends</c>: a signal's monthly rate nationally and for one trust, and that trust's CUSUM
/// chart. A governance lead can ask only for their own trust.
/// </summary>
/// <param name="Procedure">Procedure code.</param>
/// <param name="Viewer">Who asked.</param>
/// <param name="Signal">The signal drawn.</param>
/// <param name="Signals">Every signal that can be drawn for the procedure.</param>
/// <param name="From">First month.</param>
/// <param name="To">Last month.</param>
/// <param name="Confidence">Confidence of every interval (0.95, Wilson).</param>
/// <param name="National">National series.</param>
/// <param name="Trust">The trust's series; null when no trust was asked for.</param>
/// <param name="Cusum">The trust's CUSUM chart; null without a trust or without a CUSUM rule.</param>
public sealed record TrendReport(
    string Procedure,
    Viewer Viewer,
    TrendSignal Signal,
    IReadOnlyList<TrendSignal> Signals,
    string From,
    string To,
    double Confidence,
    IReadOnlyList<TrendPoint> National,
    TrendSeries? Trust,
    CusumSeries? Cusum);
