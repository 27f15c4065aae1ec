using System.Globalization;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Domain.Statistics;

namespace SafetySurveillance.Domain.Rules;

/// <summary>
/// Evaluates the snapshot rules (sentinel, rate, funnel, follow-up) against the rows of one procedure and
/// period. Pure: the same snapshot gives the same findings. CUSUM rules need a chart state and ordered
/// months, so they go through <see cref="CusumChart"/> instead and are skipped here.
/// </summary>
/// <remarks>
/// A finding is produced for every row a rule could judge, including <see cref="Severity.None"/>, so the alert
/// decision can see a signal that has gone away. Rows the rule cannot judge yet (denominator below its minimum,
/// nothing due) give no finding at all.
/// </remarks>
public static class RuleEvaluator
{
    /// <summary>Evaluates every non-CUSUM rule whose period kind matches the snapshot's.</summary>
    public static IReadOnlyList<Finding> Evaluate(ProcedureRules rules, SignalSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!string.Equals(rules.ProcedureCode, snapshot.Procedure, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The rules are for {rules.ProcedureCode} but the rows are for {snapshot.Procedure}.", nameof(snapshot));
        }

        var findings = new List<Finding>();
        foreach (SignalRule rule in rules.Rules)
        {
            if (rule.Period != snapshot.Period.Kind)
            {
                continue;
            }

            switch (rule)
            {
                case SentinelRule sentinel:
                    Sentinel(sentinel, snapshot, findings);
                    break;
                case RateRule rate:
                    Rate(rate, snapshot, findings);
                    break;
                case FunnelRule funnel:
                    Funnel(funnel, snapshot, findings);
                    break;
                case FollowUpRule followUp:
                    FollowUp(followUp, snapshot, findings);
                    break;
                default:
                    break; // CUSUM: see CusumChart
            }
        }

        return findings;
    }

    private static IEnumerable<ScopedRow> InScope(SignalRule rule, SignalSnapshot snapshot)
        => snapshot.Rows.Where(r => rule.Scopes.Contains(r.Scope.Kind));

    private static void Sentinel(SentinelRule rule, SignalSnapshot snapshot, List<Finding> findings)
    {
        foreach (ScopedRow row in InScope(rule, snapshot))
        {
            long count = row.Totals[rule.Count];
            long procedures = row.Totals[SignalCount.Procedures];
            Severity severity = count > 0 ? Severity.Alarm : Severity.None;
            string summary = count > 0
                ? Invariant($"{count} {rule.Count} in {row.Scope} for {snapshot.Procedure} procedures of {snapshot.Period}: a sentinel event, reviewed one by one.")
                : Invariant($"No {rule.Count} in {row.Scope} for {snapshot.Procedure} procedures of {snapshot.Period}.");
            findings.Add(new Finding(rule.Id, rule.Kind, snapshot.Procedure, row.Scope, snapshot.Period, severity, new Evidence(count, procedures), summary));
        }
    }

    private static void Rate(RateRule rule, SignalSnapshot snapshot, List<Finding> findings)
    {
        foreach (ScopedRow row in InScope(rule, snapshot))
        {
            long x = row.Totals[rule.Numerator];
            long n = row.Totals[rule.Denominator];
            if (n < rule.MinimumDenominator || n < 1)
            {
                continue;
            }

            x = Math.Min(x, n); // an event count can exceed patients on a trust row (events, not patients); cap to keep a proportion
            ProportionInterval warning = WilsonScore.Interval(x, n, rule.WarningConfidence);
            ProportionInterval shown = warning;
            Severity severity = warning.Lower > rule.Benchmark ? Severity.Warning : Severity.None;
            if (severity == Severity.Warning && rule.AlarmConfidence is { } alarmConfidence)
            {
                ProportionInterval alarm = WilsonScore.Interval(x, n, alarmConfidence);
                if (alarm.Lower > rule.Benchmark)
                {
                    severity = Severity.Alarm;
                    shown = alarm;
                }
            }

            string summary = Invariant(
                $"{rule.Numerator}/{rule.Denominator} in {row.Scope} is {x}/{n} = {Percent(shown.Estimate)}; the {Percent(shown.Confidence)} Wilson lower bound {Percent(shown.Lower)} is {(shown.Lower > rule.Benchmark ? "above" : "not above")} the benchmark {Percent(rule.Benchmark)}.");
            findings.Add(new Finding(
                rule.Id,
                rule.Kind,
                snapshot.Procedure,
                row.Scope,
                snapshot.Period,
                severity,
                new Evidence(x, n, shown.Estimate, shown.Lower, shown.Upper, shown.Confidence, rule.Benchmark),
                summary));
        }
    }

    private static void Funnel(FunnelRule rule, SignalSnapshot snapshot, List<Finding> findings)
    {
        double target;
        if (rule.Target == FunnelTarget.Benchmark)
        {
            target = rule.Benchmark!.Value;
        }
        else
        {
            ScopedRow? national = snapshot.Rows.Where(r => r.Scope.Kind == SignalScopeKind.National).Select(r => (ScopedRow?)r).FirstOrDefault();
            if (national is not { } nationalRow || nationalRow.Totals[rule.Denominator] < 1)
            {
                return; // no national rate yet: nothing to compare with
            }

            target = Math.Min(nationalRow.Totals[rule.Numerator], nationalRow.Totals[rule.Denominator]) / (double)nationalRow.Totals[rule.Denominator];
        }

        foreach (SignalScopeKind kind in rule.Scopes)
        {
            var rows = snapshot.Rows
                .Where(r => r.Scope.Kind == kind && r.Totals[rule.Denominator] >= rule.MinimumDenominator)
                .ToList();
            if (rows.Count == 0)
            {
                continue;
            }

            UnitProportion[] units = [.. rows.Select(r => new UnitProportion(Math.Min(r.Totals[rule.Numerator], r.Totals[rule.Denominator]), r.Totals[rule.Denominator]))];
            OverdispersionAdjustment adjustment = units.Length >= rule.MinimumUnitsForOverdispersion ? rule.Overdispersion : OverdispersionAdjustment.None;
            FunnelAssessment assessment = FunnelPlot.Assess(target, units, adjustment);
            for (int i = 0; i < rows.Count; i++)
            {
                FunnelPoint point = assessment.Points[i];
                Severity severity = point.AlarmPosition == FunnelPosition.Above ? Severity.Alarm
                    : point.WarningPosition == FunnelPosition.Above ? Severity.Warning
                    : Severity.None;
                string where = severity switch
                {
                    Severity.Alarm => "above the 99.8 % limit",
                    Severity.Warning => "above the 95 % limit",
                    _ => "within the limits",
                };
                string summary = Invariant(
                    $"{rows[i].Scope}: {point.Unit.Events}/{point.Unit.Cases} = {Percent(point.Rate)} against {(rule.Target == FunnelTarget.National ? "the national rate" : "the benchmark")} {Percent(target)} is {where} ({Percent(point.Warning.Upper)} / {Percent(point.Alarm.Upper)}){(assessment.Adjusted ? ", limits widened for over-dispersion" : string.Empty)}.");
                findings.Add(new Finding(
                    rule.Id,
                    rule.Kind,
                    snapshot.Procedure,
                    rows[i].Scope,
                    snapshot.Period,
                    severity,
                    new Evidence(
                        point.Unit.Events,
                        point.Unit.Cases,
                        point.Rate,
                        Benchmark: target,
                        WarningLimit: point.Warning.Upper,
                        AlarmLimit: point.Alarm.Upper,
                        Phi: assessment.Adjusted ? assessment.Overdispersion?.Phi : null),
                    summary));
            }
        }
    }

    private static void FollowUp(FollowUpRule rule, SignalSnapshot snapshot, List<Finding> findings)
    {
        foreach (ScopedRow row in InScope(rule, snapshot))
        {
            FollowUpTally tally = row.Totals.TwelveMonthFollowUp(snapshot.AsOf, rule.GraceMonths);
            if (tally.Due < rule.MinimumDue || tally.Due < 1)
            {
                continue;
            }

            ProportionInterval completeness = FollowUpCompleteness.Completeness(tally.Received, tally.Due, rule.Confidence)!.Value;
            Severity severity = completeness.Upper < rule.TargetCompleteness ? Severity.Alarm
                : completeness.Estimate < rule.TargetCompleteness ? Severity.Warning
                : Severity.None;
            long missing = tally.Due - tally.Received;
            string summary = Invariant(
                $"{row.Scope}: 12-month follow-up {tally.Received}/{tally.Due} = {Percent(completeness.Estimate)} ({Percent(rule.Confidence)} interval {Percent(completeness.Lower)}–{Percent(completeness.Upper)}) against a target of {Percent(rule.TargetCompleteness)}; {missing} overdue.");

            // Evidence in "unwanted" terms: overdue over due, so the rate is 1 − completeness and the benchmark 1 − target.
            findings.Add(new Finding(
                rule.Id,
                rule.Kind,
                snapshot.Procedure,
                row.Scope,
                snapshot.Period,
                severity,
                new Evidence(missing, tally.Due, 1.0 - completeness.Estimate, 1.0 - completeness.Upper, 1.0 - completeness.Lower, rule.Confidence, 1.0 - rule.TargetCompleteness),
                summary));
        }
    }

    private static string Percent(double proportion) => (proportion * 100.0).ToString("0.##", CultureInfo.InvariantCulture) + " %";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
