namespace SafetySurveillance.Domain.Signals;

/// <summary>
/// Count, sum and sum of squares of one measure, in stored integer units. Exact and mergeable; the mean
/// and variance are derived on demand.
/// </summary>
/// <param name="Count">n.</param>
/// <param name="Sum">Σx.</param>
/// <param name="SumOfSquares">Σx².</param>
/// <param name="Scale">Stored units per unit of the measure (1000 for EQ-5D).</param>
public readonly record struct OutcomeMoments(long Count, long Sum, long SumOfSquares, int Scale)
{
    /// <summary>The mean in the measure's own units, or null with no observations.</summary>
    public double? Mean => Count == 0 ? null : Sum / (double)Count / Scale;

    /// <summary>
    /// The sample variance (n − 1 denominator) in the measure's units squared, or null with fewer than two
    /// observations. Computed as (nΣx² − (Σx)²) / (n(n − 1)) in 128-bit integers, so it has no cancellation.
    /// </summary>
    public double? Variance
    {
        get
        {
            if (Count < 2)
            {
                return null;
            }

            Int128 numerator = ((Int128)Count * SumOfSquares) - ((Int128)Sum * Sum);
            return (double)numerator / ((double)Count * (Count - 1)) / ((double)Scale * Scale);
        }
    }

    /// <summary>The sample standard deviation, or null with fewer than two observations.</summary>
    public double? StandardDeviation => Variance is { } v ? Math.Sqrt(v) : null;
}
