namespace SafetySurveillance.Domain.Statistics;

/// <summary>
/// The binomial distribution Binomial(n, p): probability mass, cumulative distribution and quantile,
/// exact to about 1e-13 relative for n up to 10⁶ and beyond.
/// </summary>
/// <remarks>
/// <para>
/// <b>Mass function.</b> Loader, C. (2000) "Fast and accurate computation of binomial probabilities"
/// (the saddle-point form used by R's <c>dbinom</c>): log f(x) = δ(n) − δ(x) − δ(n−x) − D(x, np) − D(n−x, nq)
/// − ½·log(2π·x·(n−x)/n), where δ is the Stirling-series error term and D(x, m) = x·log(x/m) + m − x is
/// evaluated by its series when x ≈ m. Nothing is formed as a difference of large log-factorials, so
/// there is no cancellation at large n.
/// </para>
/// <para>
/// <b>Distribution function.</b> The smaller tail is summed term by term from its inner end outwards using
/// the ratio f(j−1)/f(j) = j/(n−j+1)·q/p (or its upward mirror), stopping once a term falls below 1e-17 of
/// the running sum. Terms shrink geometrically beyond the mode, so at most a few multiples of √(npq) terms
/// are added: about 4,500 for n = 10⁶, p = ½. The larger tail is 1 minus the smaller one.
/// </para>
/// </remarks>
public static class BinomialDistribution
{
    private const double LnSqrtTwoPi = 0.918938533204672741780329736406; // log(√(2π))
    private const double LnTwoPi = 1.837877066409345483560659472811;
    private const double NegligibleTerm = 1e-17;

    /// <summary>P(X = k).</summary>
    public static double Pmf(long k, long n, double p)
    {
        Check(n, p);
        if (k < 0 || k > n)
        {
            return 0.0;
        }

        return Math.Exp(LogPmf(k, n, p));
    }

    /// <summary>log P(X = k); −∞ when k is impossible.</summary>
    public static double LogPmf(long k, long n, double p)
    {
        Check(n, p);
        if (k < 0 || k > n)
        {
            return double.NegativeInfinity;
        }

        if (p == 0.0)
        {
            return k == 0 ? 0.0 : double.NegativeInfinity;
        }

        if (p == 1.0)
        {
            return k == n ? 0.0 : double.NegativeInfinity;
        }

        double q = 1.0 - p;
        if (k == 0)
        {
            return n * SpecialFunctions.Log1P(-p);
        }

        if (k == n)
        {
            return n * Math.Log(p);
        }

        double x = k;
        double nn = n;
        double lc = StirlingError(n) - StirlingError(k) - StirlingError(n - k)
            - DevianceTerm(x, nn * p) - DevianceTerm(nn - x, nn * q);
        double lf = LnTwoPi + Math.Log(x) + SpecialFunctions.Log1P(-x / nn);
        return lc - (0.5 * lf);
    }

    /// <summary>F(k) = P(X ≤ k).</summary>
    public static double Cdf(long k, long n, double p)
    {
        Check(n, p);
        if (k < 0)
        {
            return 0.0;
        }

        if (k >= n)
        {
            return 1.0;
        }

        return k < Mode(n, p) ? LowerTailSum(k, n, p) : 1.0 - UpperTailSum(k, n, p);
    }

    /// <summary>1 − F(k) = P(X &gt; k), summed directly when it is the smaller tail.</summary>
    public static double Survival(long k, long n, double p)
    {
        Check(n, p);
        if (k < 0)
        {
            return 1.0;
        }

        if (k >= n)
        {
            return 0.0;
        }

        return k < Mode(n, p) ? 1.0 - LowerTailSum(k, n, p) : UpperTailSum(k, n, p);
    }

    /// <summary>
    /// The smallest r with F(r) ≥ <paramref name="probability"/> (R's <c>qbinom</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">probability outside [0, 1], n &lt; 0 or p outside [0, 1].</exception>
    public static long Quantile(double probability, long n, double p)
    {
        Check(n, p);
        if (!(probability >= 0.0 && probability <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "A probability must lie in [0, 1].");
        }

        if (probability == 0.0 || p == 0.0)
        {
            return 0;
        }

        if (probability == 1.0 || p == 1.0)
        {
            return n;
        }

        // Cornish–Fisher start, then walk: rarely more than two steps.
        double mu = n * p;
        double sigma = Math.Sqrt(mu * (1.0 - p));
        double z = NormalDistribution.Quantile(probability);
        double gamma = (1.0 - (2.0 * p)) / sigma;
        double guess = Math.Floor(mu + (sigma * (z + (gamma * ((z * z) - 1.0) / 6.0))) + 0.5);
        long r = (long)Math.Clamp(guess, 0.0, n);

        if (Cdf(r, n, p) >= probability)
        {
            while (r > 0 && Cdf(r - 1, n, p) >= probability)
            {
                r--;
            }

            return r;
        }

        while (r < n && Cdf(r, n, p) < probability)
        {
            r++;
        }

        return r;
    }

    private static long Mode(long n, double p) => (long)Math.Floor((n + 1) * p);

    /// <summary>Σ_{j ≤ k} f(j), with k below the mode so the terms fall as j decreases.</summary>
    private static double LowerTailSum(long k, long n, double p)
    {
        double term = Math.Exp(LogPmf(k, n, p));
        if (term == 0.0)
        {
            return 0.0;
        }

        double oddsDown = (1.0 - p) / p;
        double sum = term;
        for (long j = k; j > 0; j--)
        {
            term *= j / (double)(n - j + 1) * oddsDown;
            sum += term;
            if (term < sum * NegligibleTerm)
            {
                break;
            }
        }

        return sum;
    }

    /// <summary>Σ_{j &gt; k} f(j), with k at or above the mode so the terms fall as j increases.</summary>
    private static double UpperTailSum(long k, long n, double p)
    {
        double term = Math.Exp(LogPmf(k + 1, n, p));
        if (term == 0.0)
        {
            return 0.0;
        }

        double oddsUp = p / (1.0 - p);
        double sum = term;
        for (long j = k + 1; j < n; j++)
        {
            term *= (n - j) / (double)(j + 1) * oddsUp;
            sum += term;
            if (term < sum * NegligibleTerm)
            {
                break;
            }
        }

        return sum;
    }

    /// <summary>
    /// δ(n) = log(n!) − log(√(2πn)·(n/e)ⁿ). Exact factorials below 16 (n! is exact in a double up to 22!),
    /// the Stirling series 1/12n − 1/360n³ + 1/1260n⁵ − 1/1680n⁷ + 1/1188n⁹ above.
    /// </summary>
    private static double StirlingError(long n)
    {
        if (n < 16)
        {
            double factorial = 1.0;
            for (long i = 2; i <= n; i++)
            {
                factorial *= i;
            }

            return Math.Log(factorial) - ((n + 0.5) * Math.Log(n)) + n - LnSqrtTwoPi;
        }

        const double s0 = 1.0 / 12.0;
        const double s1 = 1.0 / 360.0;
        const double s2 = 1.0 / 1260.0;
        const double s3 = 1.0 / 1680.0;
        const double s4 = 1.0 / 1188.0;
        double x = n;
        double x2 = x * x;
        if (n > 500)
        {
            return (s0 - (s1 / x2)) / x;
        }

        return (s0 - ((s1 - ((s2 - ((s3 - (s4 / x2)) / x2)) / x2)) / x2)) / x;
    }

    /// <summary>D(x, m) = x·log(x/m) + m − x, by the series in v = (x − m)/(x + m) when x is near m.</summary>
    private static double DevianceTerm(double x, double m)
    {
        if (Math.Abs(x - m) < 0.1 * (x + m))
        {
            double v = (x - m) / (x + m);
            double s = (x - m) * v;
            double ej = 2.0 * x * v;
            double v2 = v * v;
            for (int j = 1; j < 1000; j++)
            {
                ej *= v2;
                double next = s + (ej / ((2 * j) + 1));
                if (next == s)
                {
                    return next;
                }

                s = next;
            }

            return s;
        }

        return (x * Math.Log(x / m)) + m - x;
    }

    private static void Check(long n, double p)
    {
        if (n < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "The number of trials cannot be negative.");
        }

        if (!(p >= 0.0 && p <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A probability must lie in [0, 1].");
        }
    }
}
