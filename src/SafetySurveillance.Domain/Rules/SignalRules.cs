using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Domain.Statistics;

namespace SafetySurveillance.Domain.Rules;

/// <summary>The whole rules file after validation: rules per procedure code.</summary>
/// <param name="SchemaVersion">The file format version (1).</param>
/// <param name="Procedures">One entry per procedure code, codes unique.</param>
public sealed record SignalRuleSet(int SchemaVersion, IReadOnlyList<ProcedureRules> Procedures)
{
    /// <summary>The only file format version this code reads.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>The rules for a procedure code, or null when the file has none.</summary>
    public ProcedureRules? For(string procedureCode)
        => Procedures.FirstOrDefault(p => string.Equals(p.ProcedureCode, procedureCode, StringComparison.Ordinal));
}

/// <summary>The rules that watch one procedure code.</summary>
public sealed record ProcedureRules(string ProcedureCode, IReadOnlyList<SignalRule> Rules);

/// <summary>
/// One configured rule. Every rule watches "a bad proportion": a numerator of something unwanted over a
/// denominator (deaths over procedures, patients with a serious related event over patients, overdue
/// follow-ups over follow-ups due), so evidence and alert decisions look the same for every kind.
/// </summary>
/// <param name="Id">Unique within the procedure; lower-case letters, digits and hyphens, so it is safe in a table key.</param>
/// <param name="Reason">Why the numbers are what they are, with the source.</param>
/// <param name="Period">Which signal rows the rule reads: month, quarter or all-time rows.</param>
/// <param name="Scopes">Which row scopes it reads (trust, device, national).</param>
public abstract record SignalRule(string Id, string Reason, SignalPeriodKind Period, IReadOnlyList<SignalScopeKind> Scopes)
{
    /// <summary>The kind name used in the rules file.</summary>
    public abstract string Kind { get; }
}

/// <summary>Any occurrence alerts at once, at alarm level (e.g. any death).</summary>
/// <param name="Count">The counter that must stay at zero.</param>
public sealed record SentinelRule(string Id, string Reason, SignalPeriodKind Period, IReadOnlyList<SignalScopeKind> Scopes, SignalCount Count)
    : SignalRule(Id, Reason, Period, Scopes)
{
    /// <inheritdoc />
    public override string Kind => "sentinel";
}

/// <summary>
/// Fires when the Wilson lower bound of numerator/denominator exceeds a benchmark, once the denominator is
/// large enough: warning at <see cref="WarningConfidence"/>, alarm at <see cref="AlarmConfidence"/>.
/// </summary>
public sealed record RateRule(
    string Id,
    string Reason,
    SignalPeriodKind Period,
    IReadOnlyList<SignalScopeKind> Scopes,
    SignalCount Numerator,
    SignalCount Denominator,
    double Benchmark,
    double WarningConfidence,
    double? AlarmConfidence,
    long MinimumDenominator)
    : SignalRule(Id, Reason, Period, Scopes)
{
    /// <inheritdoc />
    public override string Kind => "rate";
}

/// <summary>What a funnel plot compares units with.</summary>
public enum FunnelTarget
{
    /// <summary>The national row's rate for the same period (pooled over every trust).</summary>
    National = 0,

    /// <summary>A fixed benchmark from the literature.</summary>
    Benchmark = 1,
}

/// <summary>
/// Funnel-plot outliers (Spiegelhalter 2005): a unit above the 99.8 % limit is an alarm, above 95 % a warning.
/// Only the upper side fires: fewer adverse events than expected is not a safety signal.
/// </summary>
/// <param name="Target">National rate or fixed benchmark.</param>
/// <param name="Benchmark">The fixed target when <paramref name="Target"/> is <see cref="FunnelTarget.Benchmark"/>.</param>
/// <param name="Overdispersion">Adjustment, applied only when the data are over-dispersed.</param>
/// <param name="MinimumUnitsForOverdispersion">Below this many units φ̂ is not estimated (Spiegelhalter advises about 10).</param>
/// <param name="MinimumDenominator">Units with a smaller denominator are not placed.</param>
public sealed record FunnelRule(
    string Id,
    string Reason,
    SignalPeriodKind Period,
    IReadOnlyList<SignalScopeKind> Scopes,
    SignalCount Numerator,
    SignalCount Denominator,
    FunnelTarget Target,
    double? Benchmark,
    OverdispersionAdjustment Overdispersion,
    int MinimumUnitsForOverdispersion,
    long MinimumDenominator)
    : SignalRule(Id, Reason, Period, Scopes)
{
    /// <inheritdoc />
    public override string Kind => "funnel";
}

/// <summary>
/// Bernoulli CUSUM per trust over monthly cohorts (see <see cref="CusumChart"/> and docs/rules.md for the
/// month-batching approximation). Always reads month rows of trusts.
/// </summary>
/// <param name="InControlRate">p₀.</param>
/// <param name="OddsRatio">R to detect (&gt; 1).</param>
/// <param name="Threshold">h, fixed or designed at load time.</param>
/// <param name="Design">The false-signal design h came from, when it was designed.</param>
/// <param name="MaturityMonths">A cohort month is charted only once this many months have passed after its last day, so late adverse-event reports can arrive.</param>
public sealed record CusumRule(
    string Id,
    string Reason,
    SignalCount Numerator,
    SignalCount Denominator,
    double InControlRate,
    double OddsRatio,
    double Threshold,
    CusumThresholdDesign? Design,
    int MaturityMonths)
    : SignalRule(Id, Reason, SignalPeriodKind.Month, [SignalScopeKind.Trust])
{
    /// <inheritdoc />
    public override string Kind => "cusum";

    /// <summary>The chart's weights for p₀ and R.</summary>
    public CusumWeights Weights => CusumWeights.For(InControlRate, OddsRatio);
}

/// <summary>h chosen so that P(false signal within <paramref name="Patients"/> in-control patients) ≤ α.</summary>
public sealed record CusumThresholdDesign(double FalseSignalProbability, int Patients);

/// <summary>
/// 12-month follow-up completeness below a target (NICE IPG739: audit every patient). Warning when the observed
/// completeness is below target; alarm when the upper confidence bound is below it too. Evidence counts the
/// overdue reports, so the numerator is the unwanted thing as for every other rule.
/// </summary>
public sealed record FollowUpRule(
    string Id,
    string Reason,
    SignalPeriodKind Period,
    IReadOnlyList<SignalScopeKind> Scopes,
    double TargetCompleteness,
    double Confidence,
    int GraceMonths,
    long MinimumDue)
    : SignalRule(Id, Reason, Period, Scopes)
{
    /// <inheritdoc />
    public override string Kind => "follow-up";
}
