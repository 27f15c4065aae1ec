namespace SafetySurveillance.Domain.Statistics;

/// <summary>Lower and upper funnel-plot limits for a proportion, at one coverage.</summary>
/// <param name="Lower">Lower limit, in [0, 1].</param>
/// <param name="Upper">Upper limit, in [0, 1].</param>
/// <param name="Coverage">Two-sided coverage, e.g. 0.95 or 0.998.</param>
public readonly record struct ControlLimits(double Lower, double Upper, double Coverage);

/// <summary>Where a unit's observed proportion falls against its funnel limits.</summary>
public enum FunnelPosition
{
    /// <summary>Between the limits (or exactly on one).</summary>
    Within = 0,

    /// <summary>Strictly above the upper limit.</summary>
    Above = 1,

    /// <summary>Strictly below the lower limit.</summary>
    Below = 2,
}

/// <summary>
/// Funnel-plot control limits for a proportion against a target p₀ (Spiegelhalter, D. J. (2005)
/// "Funnel plots for comparing institutional performance", <i>Statistics in Medicine</i> 24:1185–1202).
/// </summary>
/// <remarks>
/// <para>
/// <b>Exact binomial prediction limits</b> (Spiegelhalter 2005, appendix A.1.1), preferred at trust volumes:
/// for a tail probability q (0.025/0.975 for 95 %, 0.001/0.999 for 99.8 %) take r = the smallest integer with
/// F(r) ≥ q under Binomial(n, p₀), interpolate a = (F(r) − q) / (F(r) − F(r − 1)), and the limit is
/// (r − a)/n, clipped to [0, 1]. The interpolation makes the limits a smooth function of n instead of a
/// staircase; these are prediction limits for an in-control unit, not confidence intervals.
/// </para>
/// <para>
/// <b>Normal approximation:</b> p₀ ± z·√(p₀(1 − p₀)/n), optionally widened for over-dispersion either
/// multiplicatively (z·√φ·s) or additively (z·√(s² + τ²)); see <see cref="Overdispersion"/>.
/// </para>
/// </remarks>
public static class FunnelLimits
{
    /// <summary>The inner ("warning") limits: 95 %, about 2 standard deviations.</summary>
    public const double WarningCoverage = 0.95;

    /// <summary>The outer ("alarm") limits: 99.8 %, about 3 standard deviations.</summary>
    public const double AlarmCoverage = 0.998;

    /// <summary>Exact binomial prediction limits with Spiegelhalter's interpolation.</summary>
    /// <exception cref="ArgumentOutOfRangeException">target outside [0, 1], n &lt; 1, coverage outside (0, 1).</exception>
    public static ControlLimits ExactBinomial(double target, long n, double coverage)
    {
        CheckArguments(target, n, coverage);
        double tail = (1.0 - coverage) / 2.0;
        double lower = InterpolatedLimit(tail, n, target);
        double upper = InterpolatedLimit(1.0 - tail, n, target);
        return new ControlLimits(lower, upper, coverage);
    }

    /// <summary>Normal-approximation limits p₀ ± z·√(p₀(1 − p₀)/n), clipped to [0, 1].</summary>
    public static ControlLimits Normal(double target, long n, double coverage)
        => NormalWithVariance(target, n, coverage, StandardError(target, n));

    /// <summary>
    /// Normal limits widened multiplicatively: p₀ ± z·√φ·s. Spiegelhalter applies the widening only when
    /// φ &gt; 1, so φ ≤ 1 gives the plain normal limits.
    /// </summary>
    public static ControlLimits NormalMultiplicative(double target, long n, double coverage, double phi)
    {
        double s = StandardError(target, n);
        return NormalWithVariance(target, n, coverage, phi > 1.0 ? s * Math.Sqrt(phi) : s);
    }

    /// <summary>Normal limits with an additive random-effects variance: p₀ ± z·√(s² + τ²).</summary>
    public static ControlLimits NormalAdditive(double target, long n, double coverage, double tau2)
    {
        double s = StandardError(target, n);
        return NormalWithVariance(target, n, coverage, Math.Sqrt((s * s) + Math.Max(0.0, tau2)));
    }

    /// <summary>Compares x/n with the limits.</summary>
    public static FunnelPosition Classify(long events, long n, ControlLimits limits)
    {
        if (n < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "A unit needs at least one case to be placed on a funnel.");
        }

        double rate = events / (double)n;
        if (rate > limits.Upper)
        {
            return FunnelPosition.Above;
        }

        return rate < limits.Lower ? FunnelPosition.Below : FunnelPosition.Within;
    }

    /// <summary>The binomial standard error √(p₀(1 − p₀)/n).</summary>
    public static double StandardError(double target, long n)
    {
        CheckArguments(target, n, 0.5);
        return Math.Sqrt(target * (1.0 - target) / n);
    }

    private static ControlLimits NormalWithVariance(double target, long n, double coverage, double standardError)
    {
        CheckArguments(target, n, coverage);
        double z = NormalDistribution.TwoSidedCriticalValue(coverage);
        return new ControlLimits(
            Math.Clamp(target - (z * standardError), 0.0, 1.0),
            Math.Clamp(target + (z * standardError), 0.0, 1.0),
            coverage);
    }

    private static double InterpolatedLimit(double q, long n, double target)
    {
        if (target == 0.0)
        {
            return 0.0;
        }

        if (target == 1.0)
        {
            return 1.0;
        }

        long r = BinomialDistribution.Quantile(q, n, target);
        double fr = BinomialDistribution.Cdf(r, n, target);
        double pr = BinomialDistribution.Pmf(r, n, target); // F(r) − F(r − 1), without the subtraction
        double a = pr > 0.0 ? (fr - q) / pr : 0.0;
        return Math.Clamp((r - a) / n, 0.0, 1.0);
    }

    private static void CheckArguments(double target, long n, double coverage)
    {
        if (!(target >= 0.0 && target <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, "The target proportion must lie in [0, 1].");
        }

        if (n < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "Funnel limits need a denominator of at least 1.");
        }

        if (!(coverage > 0.0 && coverage < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(coverage), coverage, "Coverage must lie strictly between 0 and 1.");
        }
    }
}
