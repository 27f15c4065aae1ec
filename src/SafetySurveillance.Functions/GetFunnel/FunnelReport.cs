using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Domain.Statistics;
using SafetySurveillance.Functions.Access;
using SafetySurveillance.Functions.Dashboard;

namespace SafetySurveillance.Functions.GetFunnel;

/// <summary>A funnel signal, as the rules file defines it.</summary>
/// <param name="Id">The funnel rule's id.</param>
/// <param name="Label">"patients with serious related event / first procedures".</param>
/// <param name="Numerator">Counter name of x.</param>
/// <param name="Denominator">Counter name of n (the funnel's horizontal axis).</param>
/// <param name="Period">The period kind the rule reads: month, quarter or all.</param>
/// <param name="Target">national or benchmark.</param>
/// <param name="Overdispersion">none, multiplicative or additive-random-effects.</param>
/// <param name="MinimumDenominator">Trusts with a smaller n are not placed.</param>
/// <param name="Reason">The rule's reason, with its sources.</param>
public sealed record FunnelSignal(string Id, string Label, string Numerator, string Denominator, string Period, string Target, string Overdispersion, long MinimumDenominator, string Reason)
{
    internal static FunnelSignal Of(FunnelRule rule) => new(
        rule.Id,
        $"{SignalNames.Of(rule.Numerator)} / {SignalNames.Of(rule.Denominator)}",
        rule.Numerator.ToString(),
        rule.Denominator.ToString(),
        SignalNames.Of(rule.Period),
        rule.Target == FunnelTarget.National ? "national" : "benchmark",
        rule.Overdispersion switch
        {
            OverdispersionAdjustment.Multiplicative => "multiplicative",
            OverdispersionAdjustment.AdditiveRandomEffects => "additive-random-effects",
            _ => "none",
        },
        rule.MinimumDenominator,
        rule.Reason);
}

/// <summary>How the limits were computed.</summary>
/// <param name="Method">exact-binomial, normal-multiplicative or normal-additive.</param>
/// <param name="Adjusted">Whether the limits were widened for over-dispersion.</param>
/// <param name="Phi">φ̂ when it was estimated (enough trusts); null otherwise.</param>
/// <param name="Tau2">τ̂² when it was estimated; null otherwise.</param>
public sealed record FunnelMethod(string Method, bool Adjusted, double? Phi, double? Tau2);

/// <summary>The limits at one denominator: one point of the four limit curves.</summary>
/// <param name="Denominator">n.</param>
/// <param name="Lower95">Lower 95 % limit.</param>
/// <param name="Upper95">Upper 95 % limit.</param>
/// <param name="Lower998">Lower 99.8 % limit.</param>
/// <param name="Upper998">Upper 99.8 % limit.</param>
public sealed record FunnelCurvePoint(long Denominator, double Lower95, double Upper95, double Lower998, double Upper998);

/// <summary>Where a trust falls: within, above-95, above-99.8, below-95 or below-99.8.</summary>
public enum FunnelZone
{
    /// <summary>Within (or on) the 95 % limits.</summary>
    Within = 0,

    /// <summary>Above the 95 % limit, within 99.8 %: a warning.</summary>
    Above95 = 1,

    /// <summary>Above the 99.8 % limit: an alarm.</summary>
    Above998 = 2,

    /// <summary>Below the 95 % limit (fewer events than expected; not a safety signal).</summary>
    Below95 = 3,

    /// <summary>Below the 99.8 % limit.</summary>
    Below998 = 4,
}

/// <summary>One trust on the funnel.</summary>
/// <param name="Trust">ODS code.</param>
/// <param name="Numerator">x as the funnel counts it (capped at n).</param>
/// <param name="Denominator">n.</param>
/// <param name="Rate">x/n.</param>
/// <param name="Lower95">The trust's 95 % limits, lower.</param>
/// <param name="Upper95">Upper 95 %.</param>
/// <param name="Lower998">Lower 99.8 %.</param>
/// <param name="Upper998">Upper 99.8 %.</param>
/// <param name="Zone">Where it falls.</param>
/// <param name="Severity">none, warning or alarm, exactly as the funnel rule judges it (upper side only).</param>
public sealed record FunnelTrustPoint(string Trust, long Numerator, long Denominator, double Rate, double Lower95, double Upper95, double Lower998, double Upper998, FunnelZone Zone, Severity Severity);

/// <summary>A trust with too small a denominator to be placed.</summary>
/// <param name="Trust">ODS code.</param>
/// <param name="Numerator">x.</param>
/// <param name="Denominator">n (below the rule's minimum).</param>
public sealed record FunnelUnplaced(string Trust, long Numerator, long Denominator);

/// <summary>
/// The body of <c>GET /api/funnel</c>: one funnel signal's plot for one procedure and period. Trusts the viewer may
/// not see are absent altogether (not anonymised): a governance lead gets the national figures, the limits and
/// their own trust only.
/// </summary>
/// <param name="Procedure">Procedure code.</param>
/// <param name="Period">The period plotted.</param>
/// <param name="Viewer">Who asked.</param>
/// <param name="Signal">The signal plotted.</param>
/// <param name="Signals">Every funnel signal configured for the procedure.</param>
/// <param name="Target">p₀: the national rate or the benchmark; null when there is no national rate yet.</param>
/// <param name="National">The national row's proportion (x capped at n).</param>
/// <param name="Limits">How the limits were computed.</param>
/// <param name="Curve">The limit curves over the denominators shown.</param>
/// <param name="Trusts">The placed trusts the viewer may see, by ODS code.</param>
/// <param name="NotPlaced">Visible trusts below the minimum denominator.</param>
/// <param name="Note">Why the plot is empty, when it is.</param>
public sealed record FunnelReport(
    string Procedure,
    string Period,
    Viewer Viewer,
    FunnelSignal Signal,
    IReadOnlyList<FunnelSignal> Signals,
    double? Target,
    Proportion? National,
    FunnelMethod Limits,
    IReadOnlyList<FunnelCurvePoint> Curve,
    IReadOnlyList<FunnelTrustPoint> Trusts,
    IReadOnlyList<FunnelUnplaced> NotPlaced,
    string? Note)
{
    /// <summary>Points on each limit curve (at most; fewer when the range has fewer integers).</summary>
    public const int CurvePoints = 120;

    /// <summary>
    /// Builds the funnel as the funnel rule evaluates it (same target, same units, same over-dispersion estimate
    /// from every placed trust), then keeps only what <paramref name="caller"/> may see. The curves span the
    /// rule's minimum denominator to 110 % of the largest visible denominator, so they reveal nothing about trusts
    /// the caller cannot see.
    /// </summary>
    public static FunnelReport Create(
        ProcedureRules procedure,
        FunnelRule rule,
        SignalPeriod period,
        SignalDelta? national,
        IReadOnlyList<(string Trust, SignalDelta Totals)> trusts,
        Caller caller)
    {
        ArgumentNullException.ThrowIfNull(procedure);
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(trusts);
        ArgumentNullException.ThrowIfNull(caller);

        IReadOnlyList<FunnelSignal> signals = [.. procedure.Rules.OfType<FunnelRule>().Select(FunnelSignal.Of)];
        Proportion? nationalProportion = national is null ? null : Capped(national[rule.Numerator], national[rule.Denominator]);
        double? target = rule.Target == FunnelTarget.Benchmark
            ? rule.Benchmark
            : nationalProportion?.Rate;
        var visibleUnplaced = trusts
            .Where(t => t.Totals[rule.Denominator] < rule.MinimumDenominator && caller.MaySeeTrust(t.Trust))
            .Select(t => new FunnelUnplaced(t.Trust, t.Totals[rule.Numerator], t.Totals[rule.Denominator]))
            .OrderBy(t => t.Trust, StringComparer.Ordinal)
            .ToList();
        string period1 = period.ToString();
        if (target is not { } p0)
        {
            return new FunnelReport(procedure.ProcedureCode, period1, Viewer.Of(caller), FunnelSignal.Of(rule), signals, null, nationalProportion,
                new FunnelMethod("exact-binomial", false, null, null), [], [], visibleUnplaced, "No national rate yet: no procedures counted nationally for this period.");
        }

        var placed = trusts
            .Where(t => t.Totals[rule.Denominator] >= rule.MinimumDenominator && t.Totals[rule.Denominator] >= 1)
            .ToList();
        UnitProportion[] units = [.. placed.Select(t => new UnitProportion(Math.Min(t.Totals[rule.Numerator], t.Totals[rule.Denominator]), t.Totals[rule.Denominator]))];
        OverdispersionAdjustment adjustment = units.Length >= rule.MinimumUnitsForOverdispersion ? rule.Overdispersion : OverdispersionAdjustment.None;
        FunnelAssessment assessment = FunnelPlot.Assess(p0, units, adjustment);
        OverdispersionAdjustment applied = assessment.Adjusted ? adjustment : OverdispersionAdjustment.None;

        var points = new List<FunnelTrustPoint>();
        for (int i = 0; i < placed.Count; i++)
        {
            if (!caller.MaySeeTrust(placed[i].Trust))
            {
                continue;
            }

            FunnelPoint point = assessment.Points[i];
            points.Add(new FunnelTrustPoint(
                placed[i].Trust,
                point.Unit.Events,
                point.Unit.Cases,
                point.Rate,
                point.Warning.Lower,
                point.Warning.Upper,
                point.Alarm.Lower,
                point.Alarm.Upper,
                Zone(point),
                point.AlarmPosition == FunnelPosition.Above ? Severity.Alarm
                    : point.WarningPosition == FunnelPosition.Above ? Severity.Warning
                    : Severity.None));
        }

        points.Sort((a, b) => string.CompareOrdinal(a.Trust, b.Trust));
        long low = Math.Max(1, rule.MinimumDenominator);
        long largest = points.Count == 0 ? 0 : points.Max(p => p.Denominator);
        long high = Math.Max(low + 10, (long)Math.Ceiling(largest * 1.1));
        var curve = Denominators(low, high, CurvePoints)
            .Select(n =>
            {
                ControlLimits warning = LimitsAt(p0, n, FunnelLimits.WarningCoverage, applied, assessment.Overdispersion);
                ControlLimits alarm = LimitsAt(p0, n, FunnelLimits.AlarmCoverage, applied, assessment.Overdispersion);
                return new FunnelCurvePoint(n, warning.Lower, warning.Upper, alarm.Lower, alarm.Upper);
            })
            .ToList();
        var method = new FunnelMethod(
            applied switch
            {
                OverdispersionAdjustment.Multiplicative => "normal-multiplicative",
                OverdispersionAdjustment.AdditiveRandomEffects => "normal-additive",
                _ => "exact-binomial",
            },
            assessment.Adjusted,
            assessment.Overdispersion?.Phi,
            assessment.Overdispersion?.Tau2);
        string? note = points.Count == 0 && visibleUnplaced.Count == 0 ? "No trust you may see has figures for this signal and period." : null;
        return new FunnelReport(procedure.ProcedureCode, period1, Viewer.Of(caller), FunnelSignal.Of(rule), signals, p0, nationalProportion, method, curve, points, visibleUnplaced, note);
    }

    /// <summary>Up to <paramref name="count"/> distinct integers from <paramref name="low"/> to <paramref name="high"/>, denser where the limits bend (geometric spacing).</summary>
    internal static IEnumerable<long> Denominators(long low, long high, int count)
    {
        long previous = 0;
        double ratio = Math.Pow(high / (double)low, 1.0 / (count - 1));
        for (int i = 0; i < count; i++)
        {
            long n = i == count - 1 ? high : (long)Math.Round(low * Math.Pow(ratio, i));
            if (n > previous)
            {
                previous = n;
                yield return n;
            }
        }
    }

    private static ControlLimits LimitsAt(double target, long n, double coverage, OverdispersionAdjustment adjustment, OverdispersionEstimate? estimate) => adjustment switch
    {
        OverdispersionAdjustment.Multiplicative => FunnelLimits.NormalMultiplicative(target, n, coverage, estimate!.Phi),
        OverdispersionAdjustment.AdditiveRandomEffects => FunnelLimits.NormalAdditive(target, n, coverage, estimate!.Tau2),
        _ => FunnelLimits.ExactBinomial(target, n, coverage),
    };

    private static FunnelZone Zone(FunnelPoint point) => (point.WarningPosition, point.AlarmPosition) switch
    {
        (_, FunnelPosition.Above) => FunnelZone.Above998,
        (_, FunnelPosition.Below) => FunnelZone.Below998,
        (FunnelPosition.Above, _) => FunnelZone.Above95,
        (FunnelPosition.Below, _) => FunnelZone.Below95,
        _ => FunnelZone.Within,
    };

    private static Proportion Capped(long numerator, long denominator) => Proportion.Of(Math.Min(numerator, Math.Max(denominator, 0)), denominator);
}
