namespace SafetySurveillance.Domain.Statistics;

/// <summary>One unit (trust, device, …) on a funnel plot: x events in n cases.</summary>
public readonly record struct UnitProportion(long Events, long Cases);

/// <summary>
/// Spiegelhalter's over-dispersion estimate from a set of units compared with a target p₀.
/// </summary>
/// <param name="Phi">φ̂ = (1/I)·Σ zᵢ² over the Winsorised z-scores.</param>
/// <param name="Tau2">τ̂² of the additive random-effects model, 0 when I·φ̂ ≤ I − 1.</param>
/// <param name="Units">I, the number of units.</param>
/// <param name="WinsorLower">The 10th-centile z-score the lower tail was pulled in to.</param>
/// <param name="WinsorUpper">The 90th-centile z-score the upper tail was pulled in to.</param>
public sealed record OverdispersionEstimate(double Phi, double Tau2, int Units, double WinsorLower, double WinsorUpper)
{
    /// <summary>Whether φ̂ &gt; 1, the condition under which Spiegelhalter widens the limits.</summary>
    public bool IsOverdispersed => Phi > 1.0;
}

/// <summary>
/// Over-dispersion of unit proportions around a target (Spiegelhalter 2005, §7; Spiegelhalter et al. (2012)
/// "Statistical methods for healthcare regulation", <i>JRSS A</i> 175:1–47).
/// </summary>
/// <remarks>
/// <para>
/// zᵢ = (yᵢ − p₀)/sᵢ with yᵢ = xᵢ/nᵢ and sᵢ = √(p₀(1 − p₀)/nᵢ). The z-scores are Winsorised: every zᵢ below the
/// q-th centile is set to that centile and every zᵢ above the (1 − q)-th centile to that centile, with
/// q = 0.1 by default. Centiles are R's default <c>quantile(type = 7)</c>: h = (I − 1)·q, value
/// z₍⌊h⌋₎ + (h − ⌊h⌋)(z₍⌊h⌋+1₎ − z₍⌊h⌋₎) over the sorted scores (0-based). Spiegelhalter's paper describes the
/// rank-based variant (the lowest 10 % set to the 10 % point); for I ≥ 10 the two differ only by the
/// interpolation between neighbouring scores. Then φ̂ = (1/I)·Σ zᵢ² and, for the additive model,
/// τ̂² = (I·φ̂ − (I − 1)) / (Σwᵢ − Σwᵢ²/Σwᵢ) with wᵢ = 1/sᵢ², truncated at 0 (DerSimonian &amp; Laird 1986).
/// </para>
/// <para>
/// Spiegelhalter advises estimating over-dispersion only with enough units (around 10 or more); the caller
/// decides, this function only requires one.
/// </para>
/// </remarks>
public static class Overdispersion
{
    /// <summary>The default Winsorisation fraction, 10 % in each tail.</summary>
    public const double DefaultWinsorFraction = 0.1;

    /// <summary>Estimates φ̂ and τ̂² for the units against <paramref name="target"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// No units, a unit with no cases or more events than cases, target not strictly between 0 and 1, or
    /// a Winsorisation fraction outside [0, 0.5).
    /// </exception>
    public static OverdispersionEstimate Estimate(
        double target, ReadOnlySpan<UnitProportion> units, double winsorFraction = DefaultWinsorFraction)
    {
        if (!(target > 0.0 && target < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, "Over-dispersion needs a target strictly between 0 and 1.");
        }

        if (units.IsEmpty)
        {
            throw new ArgumentOutOfRangeException(nameof(units), "Over-dispersion needs at least one unit.");
        }

        if (!(winsorFraction >= 0.0 && winsorFraction < 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(winsorFraction), winsorFraction, "The Winsorisation fraction must lie in [0, 0.5).");
        }

        int count = units.Length;
        double[] z = new double[count];
        double sumW = 0.0;
        double sumW2 = 0.0;
        double variance = target * (1.0 - target);
        for (int i = 0; i < count; i++)
        {
            UnitProportion unit = units[i];
            if (unit.Cases < 1 || unit.Events < 0 || unit.Events > unit.Cases)
            {
                throw new ArgumentOutOfRangeException(nameof(units), unit, "Each unit needs at least one case and between 0 and that many events.");
            }

            double s = Math.Sqrt(variance / unit.Cases);
            z[i] = ((unit.Events / (double)unit.Cases) - target) / s;
            double w = unit.Cases / variance;
            sumW += w;
            sumW2 += w * w;
        }

        double[] sorted = (double[])z.Clone();
        Array.Sort(sorted);
        double low = QuantileType7(sorted, winsorFraction);
        double high = QuantileType7(sorted, 1.0 - winsorFraction);

        double sumZ2 = 0.0;
        foreach (double zi in z)
        {
            double w = Math.Clamp(zi, low, high);
            sumZ2 += w * w;
        }

        double phi = sumZ2 / count;
        double denominator = sumW - (sumW2 / sumW);
        double tau2 = denominator > 0.0 ? Math.Max(0.0, ((count * phi) - (count - 1)) / denominator) : 0.0;
        return new OverdispersionEstimate(phi, tau2, count, low, high);
    }

    /// <summary>R's <c>quantile(x, prob, type = 7)</c> over already sorted values.</summary>
    internal static double QuantileType7(ReadOnlySpan<double> sorted, double probability)
    {
        double h = (sorted.Length - 1) * probability;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }
}
