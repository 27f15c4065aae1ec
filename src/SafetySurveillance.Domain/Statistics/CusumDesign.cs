namespace SafetySurveillance.Domain.Statistics;

/// <summary>One kind of patient in a case mix: an in-control risk and the share of patients who have it.</summary>
/// <param name="Risk">In-control probability of the adverse outcome, strictly between 0 and 1.</param>
/// <param name="Share">Relative frequency (any positive number; shares are normalised).</param>
public readonly record struct RiskShare(double Risk, double Share);

/// <summary>
/// Deterministic design of a Bernoulli CUSUM's decision threshold h: the false-signal probability over the
/// next n patients, the average run length, and the h that achieves a target false-signal probability.
/// </summary>
/// <remarks>
/// <para>
/// <b>Method.</b> Brook, D. &amp; Evans, D. A. (1972) "An approach to the probability distribution of cusum run
/// length", <i>Biometrika</i> 59(3):539–549. The statistic is put on a grid of step Δ (default 0.001); the
/// states 0 … H−1 (H = ⌈h/Δ⌉) are transient and ≥ H absorbing (a signal). A weight w moves ⌊w/Δ⌋ steps, or
/// one step more with probability equal to the fractional part of w/Δ, so each move has exactly the expected
/// increment w and rounding adds no drift. Patients are drawn independently from the case mix; the outcome
/// is an event with probability pᵢ in control, or R′pᵢ/(1 − pᵢ + R′pᵢ) when the true odds ratio is R′. The
/// distribution over the states is pushed forward patient by patient, so the false-signal probability over
/// n patients is the mass absorbed after n steps. Entries with the same risk are merged first; the cost is
/// n × H × (distinct risks), so group a long list of patient risks first (<see cref="CaseMixFromRisks"/>).
/// </para>
/// <para>
/// <b>Accuracy.</b> For a single risk (the unadjusted chart) Δ is adjusted so the smaller weight is an exact
/// multiple. Against exact enumeration of the unadjusted chart (tests), thresholds agree to within 0.002 and,
/// away from the jumps of the step function, false-signal probabilities to about 1e-9; next to a jump the grid
/// can move the probability by about ±0.0005, because S is discrete and the grid shifts a jump by up to Δ.
/// The threshold search brackets the answer on a grid ten times coarser first, then bisects on the fine grid.
/// </para>
/// <para>
/// <b>Relation to R package <c>cusum</c>.</b> <c>cusum_limit_sim</c> / <c>racusum_limit_sim</c> simulate
/// many runs of n patients and return the (1 − α) quantile of the largest S reached. This class computes the
/// same quantity deterministically: the smallest grid value h with P(max S ≥ h) ≤ α. Simulation answers
/// vary with the seed by a few hundredths (the reference table in the research notes used 20,000 runs), and
/// S is discrete, so the false-signal probability is a step function of h.
/// </para>
/// </remarks>
public static class CusumDesign
{
    /// <summary>Default grid step Δ for the discretised statistic.</summary>
    public const double DefaultGridStep = 0.001;

    private const double CoarseGridStep = 0.01;
    private const double BracketWidth = 0.1;

    /// <summary>P(the chart signals at least once within <paramref name="patients"/> patients), starting from S = 0.</summary>
    /// <param name="caseMix">The in-control case mix (for the unadjusted chart one entry with p₀).</param>
    /// <param name="oddsRatio">The odds ratio R the chart's weights are tuned to.</param>
    /// <param name="threshold">h.</param>
    /// <param name="patients">n.</param>
    /// <param name="trueOddsRatio">The odds ratio actually in force: 1 for the false-signal probability, R for power.</param>
    /// <param name="gridStep">Δ.</param>
    public static double SignalProbability(
        ReadOnlySpan<RiskShare> caseMix,
        double oddsRatio,
        double threshold,
        int patients,
        double trueOddsRatio = 1.0,
        double gridStep = DefaultGridStep)
    {
        if (patients < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(patients), patients, "The number of patients cannot be negative.");
        }

        Chain chain = Chain.Build(caseMix, oddsRatio, trueOddsRatio, gridStep);
        return chain.AbsorbedWithin(chain.StatesFor(threshold), patients);
    }

    /// <summary>Average run length: expected number of patients until the first signal, starting from S = 0.</summary>
    /// <remarks>
    /// Σₜ P(T &gt; t), iterated until the survival ratio settles and the geometric tail is added in closed form.
    /// Returns <see cref="double.PositiveInfinity"/> when the chart can never signal.
    /// </remarks>
    public static double AverageRunLength(
        ReadOnlySpan<RiskShare> caseMix,
        double oddsRatio,
        double threshold,
        double trueOddsRatio = 1.0,
        double gridStep = DefaultGridStep)
    {
        Chain chain = Chain.Build(caseMix, oddsRatio, trueOddsRatio, gridStep);
        return chain.AverageRunLength(chain.StatesFor(threshold));
    }

    /// <summary>
    /// The smallest h (on the grid) whose false-signal probability over <paramref name="patients"/> in-control
    /// patients is at most <paramref name="alpha"/>.
    /// </summary>
    public static double ThresholdForFalseSignalProbability(
        ReadOnlySpan<RiskShare> caseMix,
        double oddsRatio,
        double alpha,
        int patients,
        double gridStep = DefaultGridStep)
    {
        if (!(alpha > 0.0 && alpha < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The false-signal probability must lie strictly between 0 and 1.");
        }

        if (patients < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(patients), patients, "At least one patient is needed.");
        }

        Chain chain = Chain.Build(caseMix, oddsRatio, 1.0, gridStep);

        // Signal probability falls as H rises: bracket the answer, then bisect. A search on a grid ten times
        // coarser (cheap) gives the bracket; a wrong guess only costs extra doubling steps.
        int low = 0; // signal probability at H = 0 is 1 (S₀ = 0 ≥ 0), above alpha
        int high = 1;
        if (gridStep < CoarseGridStep)
        {
            double coarse = ThresholdForFalseSignalProbability(caseMix, oddsRatio, alpha, patients, CoarseGridStep);
            int guessLow = Math.Max(0, (int)Math.Floor((coarse - BracketWidth) / chain.Step));
            if (guessLow > 0 && chain.AbsorbedWithin(guessLow, patients) > alpha)
            {
                low = guessLow;
            }

            high = Math.Max(low + 1, (int)Math.Ceiling((coarse + BracketWidth) / chain.Step));
        }

        long maxRise = Math.Max(1, chain.MaxUpStep) * (long)patients;
        while (chain.AbsorbedWithin(high, patients) > alpha)
        {
            low = high;
            if (high > maxRise)
            {
                throw new InvalidOperationException("No threshold reaches the requested false-signal probability.");
            }

            high = (int)Math.Min(int.MaxValue / 2, (long)high * 2);
        }

        while (high - low > 1)
        {
            int mid = low + ((high - low) / 2);
            if (chain.AbsorbedWithin(mid, patients) > alpha)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return high * chain.Step;
    }

    /// <summary>
    /// Groups a list of patient risks into at most <paramref name="groups"/> equal-sized groups by rank, each
    /// represented by its mean risk and weighted by its size: a compact case mix for the design functions,
    /// whose cost grows with the number of distinct risks.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">No risks, a risk outside (0, 1), or fewer than one group.</exception>
    public static RiskShare[] CaseMixFromRisks(ReadOnlySpan<double> risks, int groups = 20)
    {
        if (risks.IsEmpty)
        {
            throw new ArgumentOutOfRangeException(nameof(risks), "At least one risk is needed.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        double[] sorted = risks.ToArray();
        foreach (double risk in sorted)
        {
            if (!(risk > 0.0 && risk < 1.0))
            {
                throw new ArgumentOutOfRangeException(nameof(risks), risk, "Every risk must lie strictly between 0 and 1.");
            }
        }

        Array.Sort(sorted);
        int count = Math.Min(groups, sorted.Length);
        var mix = new RiskShare[count];
        for (int g = 0; g < count; g++)
        {
            int start = (int)((long)g * sorted.Length / count);
            int end = (int)((long)(g + 1) * sorted.Length / count);
            double sum = 0.0;
            for (int i = start; i < end; i++)
            {
                sum += sorted[i];
            }

            mix[g] = new RiskShare(sum / (end - start), end - start);
        }

        return mix;
    }

    /// <summary>Convenience overload for the unadjusted chart with in-control rate p₀.</summary>
    public static double ThresholdForFalseSignalProbability(double inControlRate, double oddsRatio, double alpha, int patients, double gridStep = DefaultGridStep)
        => ThresholdForFalseSignalProbability([new RiskShare(inControlRate, 1.0)], oddsRatio, alpha, patients, gridStep);

    /// <summary>The discretised chain: one transition per distinct risk in the case mix.</summary>
    private readonly struct Chain
    {
        private readonly Transition[] transitions;

        private Chain(double step, Transition[] transitions)
        {
            Step = step;
            this.transitions = transitions;
        }

        public double Step { get; }

        public int MaxUpStep
        {
            get
            {
                int max = 0;
                foreach (Transition t in transitions)
                {
                    max = Math.Max(max, Math.Max(t.Event.Low, t.NoEvent.Low) + 1);
                }

                return max;
            }
        }

        public static Chain Build(ReadOnlySpan<RiskShare> caseMix, double oddsRatio, double trueOddsRatio, double gridStep)
        {
            if (caseMix.IsEmpty)
            {
                throw new ArgumentOutOfRangeException(nameof(caseMix), "The case mix needs at least one risk.");
            }

            if (!(gridStep > 0.0 && gridStep < 1.0))
            {
                throw new ArgumentOutOfRangeException(nameof(gridStep), gridStep, "The grid step must lie strictly between 0 and 1.");
            }

            if (!(trueOddsRatio > 0.0 && double.IsFinite(trueOddsRatio)))
            {
                throw new ArgumentOutOfRangeException(nameof(trueOddsRatio), trueOddsRatio, "The true odds ratio must be positive and finite.");
            }

            // Patients with the same risk share weights and event probability: merge them first.
            var shares = new SortedDictionary<double, double>();
            double totalShare = 0.0;
            foreach (RiskShare entry in caseMix)
            {
                if (!(entry.Share > 0.0 && double.IsFinite(entry.Share)))
                {
                    throw new ArgumentOutOfRangeException(nameof(caseMix), entry, "Every share must be positive and finite.");
                }

                _ = CusumWeights.For(entry.Risk, oddsRatio); // validates risk and odds ratio
                shares[entry.Risk] = (shares.TryGetValue(entry.Risk, out double share) ? share : 0.0) + entry.Share;
                totalShare += entry.Share;
            }

            double step = gridStep;
            if (shares.Count == 1)
            {
                // Make the smaller weight an exact multiple of the step, so the long run of non-events carries no drift.
                CusumWeights only = CusumWeights.For(shares.Keys.First(), oddsRatio);
                double small = Math.Min(Math.Abs(only.Event), Math.Abs(only.NoEvent));
                step = small / Math.Max(1.0, Math.Round(small / gridStep));
            }

            var transitions = new Transition[shares.Count];
            int i = 0;
            foreach (KeyValuePair<double, double> entry in shares)
            {
                double risk = entry.Key;
                double share = entry.Value / totalShare;
                CusumWeights weights = CusumWeights.For(risk, oddsRatio);
                double eventProbability = trueOddsRatio == 1.0
                    ? risk
                    : trueOddsRatio * risk / (1.0 - risk + (trueOddsRatio * risk));
                transitions[i++] = new Transition(
                    GridMove.For(weights.Event / step),
                    GridMove.For(weights.NoEvent / step),
                    share * eventProbability,
                    share * (1.0 - eventProbability));
            }

            return new Chain(step, transitions);
        }

        public int StatesFor(double threshold)
        {
            if (!(threshold > 0.0 && double.IsFinite(threshold)))
            {
                throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The decision threshold must be positive and finite.");
            }

            // Signal when S ≥ h, i.e. when the grid index reaches ⌈h/Δ⌉ (with a little slack for rounding of h/Δ).
            double states = Math.Ceiling((threshold / Step) - 1e-9);
            if (states > 50_000_000)
            {
                throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold is too large for the grid step.");
            }

            return Math.Max(1, (int)states);
        }

        public double AbsorbedWithin(int states, int patients)
        {
            if (states <= 0)
            {
                return 1.0;
            }

            double[] current = new double[states];
            double[] next = new double[states];
            current[0] = 1.0;
            double absorbed = 0.0;
            for (int t = 0; t < patients; t++)
            {
                absorbed += Advance(current, next);
                (current, next) = (next, current);
            }

            return Math.Min(1.0, absorbed);
        }

        public double AverageRunLength(int states)
        {
            double[] current = new double[states];
            double[] next = new double[states];
            current[0] = 1.0;
            double survival = 1.0;
            double runLength = 0.0;
            double previousRatio = double.NaN;
            const int maxIterations = 20_000_000;
            for (int t = 0; t < maxIterations; t++)
            {
                runLength += survival; // adds P(T > t)
                double absorbed = Advance(current, next);
                (current, next) = (next, current);
                double nextSurvival = survival - absorbed;
                if (nextSurvival <= 1e-300)
                {
                    return runLength;
                }

                double ratio = nextSurvival / survival;
                if (t > 50 && Math.Abs(ratio - previousRatio) <= 1e-13 * ratio)
                {
                    if (ratio >= 1.0)
                    {
                        return double.PositiveInfinity;
                    }

                    // The tail is geometric from here: Σ_{u ≥ t+1} P(T > u) = s·(1 + λ + λ² + …).
                    return runLength + (nextSurvival / (1.0 - ratio));
                }

                previousRatio = ratio;
                survival = nextSurvival;
            }

            return previousRatio >= 1.0 ? double.PositiveInfinity : runLength + (survival / (1.0 - previousRatio));
        }

        /// <summary>One patient: moves the mass in <paramref name="from"/> into <paramref name="to"/>, returns the mass absorbed.</summary>
        private double Advance(double[] from, double[] to)
        {
            int states = from.Length;
            Array.Clear(to);
            double absorbed = 0.0;
            for (int j = 0; j < states; j++)
            {
                double mass = from[j];
                if (mass == 0.0)
                {
                    continue;
                }

                foreach (Transition t in transitions)
                {
                    absorbed += Move(to, j, t.Event, mass * t.EventMass);
                    absorbed += Move(to, j, t.NoEvent, mass * t.NoEventMass);
                }
            }

            return absorbed;
        }

        private static double Move(double[] to, int from, GridMove move, double mass)
        {
            if (move.Fraction == 0.0)
            {
                return Put(to, from + move.Low, mass);
            }

            return Put(to, from + move.Low, mass * (1.0 - move.Fraction)) + Put(to, from + move.Low + 1, mass * move.Fraction);
        }

        private static double Put(double[] to, int target, double mass)
        {
            if (target >= to.Length)
            {
                return mass;
            }

            to[Math.Max(0, target)] += mass;
            return 0.0;
        }
    }

    /// <summary>
    /// A weight on the grid: ⌊w/Δ⌋ steps, plus one more step with probability equal to the fractional part, so
    /// the expected increment is exactly w and rounding adds no drift.
    /// </summary>
    private readonly record struct GridMove(int Low, double Fraction)
    {
        public static GridMove For(double stepsExact)
        {
            double low = Math.Floor(stepsExact);
            double fraction = stepsExact - low;
            if (fraction < 1e-9)
            {
                fraction = 0.0;
            }
            else if (fraction > 1.0 - 1e-9)
            {
                low += 1.0;
                fraction = 0.0;
            }

            return new GridMove((int)low, fraction);
        }
    }

    /// <summary>One kind of patient: the grid moves for an event and a non-event, and their probabilities × share.</summary>
    private readonly record struct Transition(GridMove Event, GridMove NoEvent, double EventMass, double NoEventMass);
}
