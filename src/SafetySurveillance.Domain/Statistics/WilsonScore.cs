namespace SafetySurveillance.Domain.Statistics;

/// <summary>
/// Wilson score interval for a binomial proportion.
/// </summary>
/// <remarks>
/// <para>
/// Wilson, E. B. (1927) "Probable inference, the law of succession, and statistical inference",
/// <i>JASA</i> 22:209–212; recommended over the Wald interval by Brown, Cai &amp; DasGupta (2001)
/// <i>Statistical Science</i> 16:101–133. With p̂ = x/n and z = Φ⁻¹(1 − α/2):
/// centre = (p̂ + z²/2n) / (1 + z²/n), half-width = z·√(p̂(1 − p̂)/n + z²/4n²) / (1 + z²/n).
/// The result matches statsmodels <c>proportion_confint(x, n, alpha, method="wilson")</c>.
/// </para>
/// <para>
/// Edge cases: for x = 0 the lower bound is exactly 0 and for x = n the upper bound is exactly 1 (the
/// formula gives these values in exact arithmetic; they are set exactly so rounding cannot leave 1e-17).
/// n = 0 carries no information and is rejected: callers apply a minimum denominator first.
/// </para>
/// </remarks>
public static class WilsonScore
{
    /// <summary>The Wilson score interval for <paramref name="successes"/> out of <paramref name="trials"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// trials &lt; 1, successes outside [0, trials], or confidence not strictly between 0 and 1.
    /// </exception>
    public static ProportionInterval Interval(long successes, long trials, double confidence = 0.95)
    {
        if (trials < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(trials), trials, "A proportion needs at least one trial.");
        }

        if (successes < 0 || successes > trials)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes, "Successes must lie between 0 and the number of trials.");
        }

        double z = NormalDistribution.TwoSidedCriticalValue(confidence);
        double n = trials;
        double estimate = successes / n;
        double z2 = z * z;
        double denominator = 1.0 + (z2 / n);
        double centre = (estimate + (z2 / (2.0 * n))) / denominator;
        double half = z * Math.Sqrt((estimate * (1.0 - estimate) / n) + (z2 / (4.0 * n * n))) / denominator;

        double lower = successes == 0 ? 0.0 : Math.Max(0.0, centre - half);
        double upper = successes == trials ? 1.0 : Math.Min(1.0, centre + half);
        return new ProportionInterval(successes, trials, estimate, lower, upper, confidence);
    }
}
