namespace SafetySurveillance.Domain.Statistics;

/// <summary>
/// The standard normal distribution: cumulative distribution function and quantile, both accurate to
/// about one unit in the fifteenth significant figure.
/// </summary>
/// <remarks>
/// <para>
/// <b>CDF.</b> Φ(z) is evaluated through the regularised incomplete gamma function with shape ½, because
/// erfc(x) = Q(½, x²): for z² / 2 &lt; 1.5 by its power series (Abramowitz &amp; Stegun 6.5.29), otherwise
/// by the Legendre continued fraction for Q (A&amp;S 6.5.31) evaluated with the modified Lentz method
/// (Press et al., <i>Numerical Recipes</i>, 3rd ed., §6.2). The tail is computed directly, so Φ(−30)
/// keeps full relative precision instead of cancelling against 1.
/// </para>
/// <para>
/// <b>Quantile.</b> Wichura, M. J. (1988) "Algorithm AS 241: The percentage points of the normal
/// distribution", <i>Applied Statistics</i> 37(3):477–484 (PPND16, relative accuracy about 1e-16).
/// This is the algorithm behind R's <c>qnorm</c>.
/// </para>
/// </remarks>
public static class NormalDistribution
{
    private const double InverseSqrtPi = 0.56418958354775628695; // 1/√π
    private const double Epsilon = 1e-17;
    private const double ContinuedFractionTolerance = 2.3e-16; // about one ulp of 1.0
    private const double TinyForLentz = 1e-300;

    /// <summary>Φ(z) = P(Z ≤ z) for a standard normal Z.</summary>
    public static double Cdf(double z)
    {
        if (double.IsNaN(z))
        {
            return double.NaN;
        }

        return z >= 0 ? 1.0 - UpperTailCore(z) : UpperTailCore(-z);
    }

    /// <summary>1 − Φ(z) = P(Z &gt; z), computed without cancellation for large z.</summary>
    public static double UpperTail(double z)
    {
        if (double.IsNaN(z))
        {
            return double.NaN;
        }

        return z >= 0 ? UpperTailCore(z) : 1.0 - UpperTailCore(-z);
    }

    /// <summary>The density φ(z) = exp(−z²/2)/√(2π).</summary>
    public static double Density(double z) => Math.Exp(-0.5 * z * z) * 0.39894228040143267794;

    /// <summary>
    /// Φ⁻¹(p): the z with Φ(z) = p. Returns −∞ for p = 0 and +∞ for p = 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1] or NaN.</exception>
    public static double Quantile(double p)
    {
        if (!(p >= 0.0 && p <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A probability must lie in [0, 1].");
        }

        if (p == 0.0)
        {
            return double.NegativeInfinity;
        }

        if (p == 1.0)
        {
            return double.PositiveInfinity;
        }

        double q = p - 0.5;
        if (Math.Abs(q) <= 0.425)
        {
            double r = 0.180625 - (q * q);
            return q * Polynomial(CentralNumerator, r) / Polynomial(CentralDenominator, r);
        }

        double tail = q < 0 ? p : 1.0 - p;
        double s = Math.Sqrt(-Math.Log(tail));
        double value = s <= 5.0
            ? Polynomial(IntermediateNumerator, s - 1.6) / Polynomial(IntermediateDenominator, s - 1.6)
            : Polynomial(FarNumerator, s - 5.0) / Polynomial(FarDenominator, s - 5.0);

        return q < 0 ? -value : value;
    }

    /// <summary>
    /// The two-sided critical value z with P(|Z| ≤ z) = <paramref name="confidence"/>, e.g. 1.959963984540054
    /// for 0.95 and 3.090232306167813 for 0.998.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="confidence"/> is not in (0, 1).</exception>
    public static double TwoSidedCriticalValue(double confidence)
    {
        if (!(confidence > 0.0 && confidence < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "A confidence level must lie strictly between 0 and 1.");
        }

        return -Quantile((1.0 - confidence) / 2.0);
    }

    // AS 241 (PPND16) coefficients, lowest power first.
    private static ReadOnlySpan<double> CentralNumerator =>
    [
        3.3871328727963666080e0, 1.3314166789178437745e+2, 1.9715909503065514427e+3, 1.3731693765509461125e+4,
        4.5921953931549871457e+4, 6.7265770927008700853e+4, 3.3430575583588128105e+4, 2.5090809287301226727e+3,
    ];

    private static ReadOnlySpan<double> CentralDenominator =>
    [
        1.0, 4.2313330701600911252e+1, 6.8718700749205790830e+2, 5.3941960214247511077e+3,
        2.1213794301586595867e+4, 3.9307895800092710610e+4, 2.8729085735721942674e+4, 5.2264952788528545610e+3,
    ];

    private static ReadOnlySpan<double> IntermediateNumerator =>
    [
        1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0, 3.64784832476320460504e0,
        1.27045825245236838258e0, 2.41780725177450611770e-1, 2.27238449892691845833e-2, 7.74545014278341407640e-4,
    ];

    private static ReadOnlySpan<double> IntermediateDenominator =>
    [
        1.0, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
        1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4, 1.05075007164441684324e-9,
    ];

    private static ReadOnlySpan<double> FarNumerator =>
    [
        6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0, 2.96560571828504891230e-1,
        2.65321895265761230930e-2, 1.24266094738807843860e-3, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
    ];

    private static ReadOnlySpan<double> FarDenominator =>
    [
        1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
        7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7, 2.04426310338993978564e-15,
    ];

    private static double Polynomial(ReadOnlySpan<double> coefficients, double x)
    {
        double result = coefficients[^1];
        for (int i = coefficients.Length - 2; i >= 0; i--)
        {
            result = (result * x) + coefficients[i];
        }

        return result;
    }

    /// <summary>Q(z) = 1 − Φ(z) for z ≥ 0, i.e. ½·Q(½, z²/2) with Q the regularised upper incomplete gamma.</summary>
    private static double UpperTailCore(double z)
    {
        double x = 0.5 * z * z;
        if (x < 1.5)
        {
            return 0.5 - (0.5 * LowerGammaHalf(x));
        }

        return 0.5 * UpperGammaHalf(x);
    }

    /// <summary>P(½, x) by its series: e^{−x} x^{½} / Γ(3/2) · Σ xⁿ / ((3/2)(5/2)…).</summary>
    private static double LowerGammaHalf(double x)
    {
        if (x == 0.0)
        {
            return 0.0;
        }

        double ap = 0.5;
        double term = 1.0 / 0.5;
        double sum = term;
        for (int i = 0; i < 500; i++)
        {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if (Math.Abs(term) < Math.Abs(sum) * Epsilon)
            {
                break;
            }
        }

        return sum * Math.Exp(-x) * Math.Sqrt(x) * InverseSqrtPi;
    }

    /// <summary>Q(½, x) by the continued fraction, modified Lentz evaluation.</summary>
    private static double UpperGammaHalf(double x)
    {
        const double a = 0.5;
        double b = x + 1.0 - a;
        double c = 1.0 / TinyForLentz;
        double d = 1.0 / b;
        double h = d;
        for (int i = 1; i < 10_000; i++)
        {
            double an = -i * (i - a);
            b += 2.0;
            d = (an * d) + b;
            if (Math.Abs(d) < TinyForLentz)
            {
                d = TinyForLentz;
            }

            c = b + (an / c);
            if (Math.Abs(c) < TinyForLentz)
            {
                c = TinyForLentz;
            }

            d = 1.0 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1.0) <= ContinuedFractionTolerance)
            {
                break;
            }
        }

        return Math.Exp(-x) * Math.Sqrt(x) * InverseSqrtPi * h;
    }
}
