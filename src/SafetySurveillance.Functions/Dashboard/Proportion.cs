using SafetySurveillance.Domain.Statistics;

namespace SafetySurveillance.Functions.Dashboard;

/// <summary>A proportion x/n with its Wilson score interval, as the dashboard draws it.</summary>
/// <param name="Numerator">x (as stored; may exceed n for event counts).</param>
/// <param name="Denominator">n.</param>
/// <param name="Rate">x/n, or null when n is 0.</param>
/// <param name="Lower">Wilson lower bound of min(x, n)/n, or null when n is 0.</param>
/// <param name="Upper">Wilson upper bound, or null when n is 0.</param>
public sealed record Proportion(long Numerator, long Denominator, double? Rate, double? Lower, double? Upper)
{
    /// <summary>The confidence level of every interval the dashboard shows.</summary>
    public const double Confidence = 0.95;

    /// <summary>
    /// x/n with its 95 % Wilson interval. An event count can exceed its denominator on a row (events, not
    /// patients); the interval is then of min(x, n)/n, as the rules judge it.
    /// </summary>
    public static Proportion Of(long numerator, long denominator)
    {
        if (denominator <= 0)
        {
            return new Proportion(numerator, denominator, null, null, null);
        }

        ProportionInterval interval = WilsonScore.Interval(Math.Clamp(numerator, 0, denominator), denominator, Confidence);
        return new Proportion(numerator, denominator, numerator / (double)denominator, interval.Lower, interval.Upper);
    }
}
