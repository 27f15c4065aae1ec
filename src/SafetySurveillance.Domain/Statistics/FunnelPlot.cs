namespace SafetySurveillance.Domain.Statistics;

/// <summary>How funnel limits are widened for over-dispersion.</summary>
public enum OverdispersionAdjustment
{
    /// <summary>No adjustment: exact binomial prediction limits.</summary>
    None = 0,

    /// <summary>Normal limits widened by √φ̂ when φ̂ &gt; 1 (exact binomial limits when φ̂ ≤ 1).</summary>
    Multiplicative = 1,

    /// <summary>Normal limits with the random-effects variance τ̂² added when τ̂² &gt; 0 (exact binomial limits otherwise).</summary>
    AdditiveRandomEffects = 2,
}

/// <summary>One unit's place on a funnel plot.</summary>
/// <param name="Unit">The unit's events and cases.</param>
/// <param name="Rate">x/n.</param>
/// <param name="Warning">The 95 % limits for the unit's n.</param>
/// <param name="Alarm">The 99.8 % limits for the unit's n.</param>
/// <param name="WarningPosition">Against the 95 % limits.</param>
/// <param name="AlarmPosition">Against the 99.8 % limits.</param>
public sealed record FunnelPoint(
    UnitProportion Unit,
    double Rate,
    ControlLimits Warning,
    ControlLimits Alarm,
    FunnelPosition WarningPosition,
    FunnelPosition AlarmPosition);

/// <summary>A whole funnel plot: the target, any over-dispersion estimate, and every unit's place.</summary>
/// <param name="Target">p₀.</param>
/// <param name="Overdispersion">The estimate, when an adjustment was asked for.</param>
/// <param name="Adjusted">Whether the limits were actually widened (φ̂ &gt; 1 or τ̂² &gt; 0).</param>
/// <param name="Points">One per unit, in input order.</param>
public sealed record FunnelAssessment(double Target, OverdispersionEstimate? Overdispersion, bool Adjusted, IReadOnlyList<FunnelPoint> Points);

/// <summary>
/// Places units (trusts, devices) on a funnel plot against a target proportion, at 95 % and 99.8 %.
/// </summary>
/// <remarks>
/// Without adjustment the limits are exact binomial prediction limits (<see cref="FunnelLimits.ExactBinomial"/>).
/// With an adjustment, φ̂ and τ̂² are estimated from the units (<see cref="Overdispersion.Estimate"/>); if the data
/// are over-dispersed the normal limits are widened as asked, otherwise the exact limits are kept, following
/// Spiegelhalter (2005) §7: adjust only when there is over-dispersion to adjust for.
/// </remarks>
public static class FunnelPlot
{
    /// <summary>The pooled rate Σx/Σn, the usual national target.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No cases at all.</exception>
    public static double PooledRate(ReadOnlySpan<UnitProportion> units)
    {
        long events = 0;
        long cases = 0;
        foreach (UnitProportion unit in units)
        {
            events = checked(events + unit.Events);
            cases = checked(cases + unit.Cases);
        }

        if (cases < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(units), "A pooled rate needs at least one case.");
        }

        return events / (double)cases;
    }

    /// <summary>Assesses every unit; units with no cases are left out of the estimate and get no point.</summary>
    public static FunnelAssessment Assess(
        double target,
        ReadOnlySpan<UnitProportion> units,
        OverdispersionAdjustment adjustment = OverdispersionAdjustment.None,
        double winsorFraction = Statistics.Overdispersion.DefaultWinsorFraction)
    {
        var usable = new List<UnitProportion>(units.Length);
        foreach (UnitProportion unit in units)
        {
            if (unit.Cases > 0)
            {
                usable.Add(unit);
            }
        }

        OverdispersionEstimate? estimate = null;
        bool adjusted = false;
        if (adjustment != OverdispersionAdjustment.None && usable.Count > 0 && target > 0.0 && target < 1.0)
        {
            estimate = Statistics.Overdispersion.Estimate(target, [.. usable], winsorFraction);
            adjusted = adjustment == OverdispersionAdjustment.Multiplicative ? estimate.IsOverdispersed : estimate.Tau2 > 0.0;
        }

        var points = new List<FunnelPoint>(usable.Count);
        foreach (UnitProportion unit in usable)
        {
            ControlLimits warning = Limits(target, unit.Cases, FunnelLimits.WarningCoverage, adjusted ? adjustment : OverdispersionAdjustment.None, estimate);
            ControlLimits alarm = Limits(target, unit.Cases, FunnelLimits.AlarmCoverage, adjusted ? adjustment : OverdispersionAdjustment.None, estimate);
            points.Add(new FunnelPoint(
                unit,
                unit.Events / (double)unit.Cases,
                warning,
                alarm,
                FunnelLimits.Classify(unit.Events, unit.Cases, warning),
                FunnelLimits.Classify(unit.Events, unit.Cases, alarm)));
        }

        return new FunnelAssessment(target, estimate, adjusted, points);
    }

    private static ControlLimits Limits(double target, long n, double coverage, OverdispersionAdjustment adjustment, OverdispersionEstimate? estimate)
        => adjustment switch
        {
            OverdispersionAdjustment.Multiplicative => FunnelLimits.NormalMultiplicative(target, n, coverage, estimate!.Phi),
            OverdispersionAdjustment.AdditiveRandomEffects => FunnelLimits.NormalAdditive(target, n, coverage, estimate!.Tau2),
            _ => FunnelLimits.ExactBinomial(target, n, coverage),
        };
}
