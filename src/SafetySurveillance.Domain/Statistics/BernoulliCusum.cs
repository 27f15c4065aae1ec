namespace SafetySurveillance.Domain.Statistics;

/// <summary>
/// The two log-likelihood-ratio weights of a Bernoulli CUSUM for one patient.
/// </summary>
/// <param name="Event">Added to the statistic when the patient has the adverse outcome (positive when R &gt; 1).</param>
/// <param name="NoEvent">Added when the patient does not (negative when R &gt; 1).</param>
public readonly record struct CusumWeights(double Event, double NoEvent)
{
    /// <summary>
    /// Steiner, Cook, Farewell &amp; Treasure (2000) "Monitoring surgical performance using risk-adjusted
    /// cumulative sum charts", <i>Biostatistics</i> 1(4):441–452, eq. 2.1: testing odds ratio R against 1 for a
    /// patient with risk p, W = ln R − ln(1 − p + R·p) for an event and W = −ln(1 − p + R·p) otherwise.
    /// With p = p₀ for every patient this is the unadjusted Bernoulli CUSUM of Reynolds &amp; Stoumbos (1999):
    /// with p_A = R·p₀/(1 − p₀ + R·p₀), W = ln(p_A/p₀) and ln((1 − p_A)/(1 − p₀)). The same formulas are in
    /// R package <c>cusum</c>, <c>weights_t</c>.
    /// </summary>
    /// <param name="risk">The patient's in-control risk p (p₀ for the unadjusted chart), strictly between 0 and 1.</param>
    /// <param name="oddsRatio">The odds ratio R the chart is tuned to detect: 2 for a doubling of odds.</param>
    /// <exception cref="ArgumentOutOfRangeException">risk not in (0, 1), or R not positive, finite and ≠ 1.</exception>
    public static CusumWeights For(double risk, double oddsRatio)
    {
        if (!(risk > 0.0 && risk < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(risk), risk, "A patient risk must lie strictly between 0 and 1.");
        }

        if (!(oddsRatio > 0.0 && oddsRatio != 1.0 && double.IsFinite(oddsRatio)))
        {
            throw new ArgumentOutOfRangeException(nameof(oddsRatio), oddsRatio, "The odds ratio to detect must be positive, finite and not 1.");
        }

        double logDenominator = SpecialFunctions.Log1P(risk * (oddsRatio - 1.0)); // ln(1 − p + R·p)
        return new CusumWeights(Math.Log(oddsRatio) - logDenominator, -logDenominator);
    }

    /// <summary>The weight for an observed outcome.</summary>
    public double For(bool adverseOutcome) => adverseOutcome ? Event : NoEvent;
}

/// <summary>What the chart does after it signals.</summary>
public enum CusumResetPolicy
{
    /// <summary>Restart from 0 after a signal (the usual surveillance choice: one alert, then watch again).</summary>
    ResetToZero = 0,

    /// <summary>Keep accumulating; every observation at or above h is flagged.</summary>
    Continue = 1,
}

/// <summary>The stored state of one CUSUM chart: small, immutable, and enough to carry on from.</summary>
/// <param name="Statistic">S_t after the last observation (after any reset).</param>
/// <param name="Observations">How many patients have been observed.</param>
/// <param name="Signals">How many times the chart has signalled.</param>
/// <param name="LastSignalObservation">The observation number (1-based) of the last signal, if any.</param>
public sealed record CusumState(double Statistic, long Observations, long Signals, long? LastSignalObservation)
{
    /// <summary>A chart that has seen nothing: S₀ = 0.</summary>
    public static CusumState Initial { get; } = new(0.0, 0, 0, null);
}

/// <summary>The result of one CUSUM step.</summary>
/// <param name="State">The state to store.</param>
/// <param name="Weight">Wₜ, the weight that was added.</param>
/// <param name="Statistic">Sₜ before any reset: the value compared with h.</param>
/// <param name="Signalled">Whether Sₜ ≥ h.</param>
public readonly record struct CusumStep(CusumState State, double Weight, double Statistic, bool Signalled);

/// <summary>
/// Bernoulli CUSUM, unadjusted or risk-adjusted: Sₜ = max(0, Sₜ₋₁ + Wₜ), signal when Sₜ ≥ h
/// (Page 1954; Steiner et al. 2000). A pure step function over <see cref="CusumState"/> so that the state can
/// be stored between evaluations and the chart resumed exactly.
/// </summary>
public static class BernoulliCusum
{
    /// <summary>Adds one patient's outcome.</summary>
    /// <param name="state">The state after the previous patient.</param>
    /// <param name="adverseOutcome">Whether this patient had the monitored adverse outcome.</param>
    /// <param name="weights">The patient's weights (<see cref="CusumWeights.For(double, double)"/>).</param>
    /// <param name="threshold">The decision threshold h &gt; 0.</param>
    /// <param name="reset">What to do after a signal.</param>
    public static CusumStep Step(
        CusumState state,
        bool adverseOutcome,
        CusumWeights weights,
        double threshold,
        CusumResetPolicy reset = CusumResetPolicy.ResetToZero)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!(threshold > 0.0))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The decision threshold must be positive.");
        }

        double weight = weights.For(adverseOutcome);
        double statistic = Math.Max(0.0, state.Statistic + weight);
        long observation = state.Observations + 1;
        bool signalled = statistic >= threshold;
        CusumState next = signalled
            ? new CusumState(
                reset == CusumResetPolicy.ResetToZero ? 0.0 : statistic,
                observation,
                state.Signals + 1,
                observation)
            : state with { Statistic = statistic, Observations = observation };
        return new CusumStep(next, weight, statistic, signalled);
    }

    /// <summary>Adds one patient's outcome, computing the weights from the patient's risk and the odds ratio.</summary>
    public static CusumStep Step(
        CusumState state,
        bool adverseOutcome,
        double risk,
        double oddsRatio,
        double threshold,
        CusumResetPolicy reset = CusumResetPolicy.ResetToZero)
        => Step(state, adverseOutcome, CusumWeights.For(risk, oddsRatio), threshold, reset);
}
