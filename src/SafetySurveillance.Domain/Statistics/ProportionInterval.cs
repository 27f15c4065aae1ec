namespace SafetySurveillance.Domain.Statistics;

/// <summary>A proportion with a two-sided interval around it.</summary>
/// <param name="Successes">Numerator x.</param>
/// <param name="Trials">Denominator n (at least 1).</param>
/// <param name="Estimate">x / n.</param>
/// <param name="Lower">Lower bound, in [0, Estimate].</param>
/// <param name="Upper">Upper bound, in [Estimate, 1].</param>
/// <param name="Confidence">Two-sided confidence level, e.g. 0.95.</param>
public readonly record struct ProportionInterval(
    long Successes, long Trials, double Estimate, double Lower, double Upper, double Confidence);
