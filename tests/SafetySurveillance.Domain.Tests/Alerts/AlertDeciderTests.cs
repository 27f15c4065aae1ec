using CsCheck;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Domain.Tests.Rules;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Alerts;

public sealed class AlertDeciderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static Finding Finding(Severity severity, long numerator = 3, long denominator = 40)
        => new(
            "serious-related-funnel",
            "funnel",
            "A48.4",
            SignalScope.Trust("RX1"),
            SignalPeriod.AllTime,
            severity,
            new Evidence(numerator, denominator, numerator / (double)denominator, WarningLimit: 0.07, AlarmLimit: 0.09, Benchmark: 0.039),
            $"{numerator}/{denominator} is {severity}");

    [Fact]
    public void A_first_firing_finding_raises_an_open_alert_and_sends_it()
    {
        AlertDecision decision = AlertDecider.Decide(null, Finding(Severity.Warning), T0);

        Assert.Equal(AlertDecisionKind.Raise, decision.Kind);
        Assert.True(decision.Send);
        AlertState alert = decision.State!;
        Assert.Equal("A48.4|all|serious-related-funnel|trust:RX1", alert.Id.Value);
        Assert.Equal(AlertStatus.Open, alert.Status);
        Assert.Equal(Severity.Warning, alert.SentSeverity);
        Assert.Equal(T0, alert.RaisedAt);
        Assert.Equal(1, alert.Sends);
        Assert.Equal(Finding(Severity.Warning).Evidence, alert.Evidence);
    }

    [Fact]
    public void A_finding_that_does_not_fire_and_has_no_alert_stores_nothing()
    {
        AlertDecision decision = AlertDecider.Decide(null, Finding(Severity.None), T0);

        Assert.Equal(AlertDecisionKind.Nothing, decision.Kind);
        Assert.Null(decision.State);
        Assert.False(decision.Send);
    }

    [Fact]
    public void The_lifecycle_of_one_alert_sends_only_on_raise_escalation_and_reopening()
    {
        AlertState raised = AlertDecider.Decide(null, Finding(Severity.Warning, 3), T0).State!;

        Assert.Equal(AlertDecisionKind.Nothing, AlertDecider.Decide(raised, Finding(Severity.Warning, 3), T0.AddHours(1)).Kind);

        AlertDecision update = AlertDecider.Decide(raised, Finding(Severity.Warning, 3, 41), T0.AddHours(2));
        Assert.Equal(AlertDecisionKind.UpdateEvidence, update.Kind);
        Assert.False(update.Send);
        Assert.Equal(41, update.State!.Evidence.Denominator);
        Assert.Equal(T0, update.State.RaisedAt);

        AlertState acknowledged = AlertLifecycle.Acknowledge(update.State, new AlertAction("lead@rx1.nhs.uk", T0.AddHours(3))).State!;
        Assert.Equal(AlertStatus.Acknowledged, acknowledged.Status);
        Assert.Equal(new AlertAction("lead@rx1.nhs.uk", T0.AddHours(3)), acknowledged.Acknowledged);

        AlertDecision escalation = AlertDecider.Decide(acknowledged, Finding(Severity.Alarm, 5, 41), T0.AddHours(4));
        Assert.Equal(AlertDecisionKind.Escalate, escalation.Kind);
        Assert.True(escalation.Send);
        Assert.Equal(AlertStatus.Open, escalation.State!.Status); // an alarm needs its own acknowledgement
        Assert.Null(escalation.State.Acknowledged);
        Assert.Equal(2, escalation.State.Sends);

        AlertDecision calmer = AlertDecider.Decide(escalation.State, Finding(Severity.Warning, 5, 60), T0.AddHours(5));
        Assert.Equal(AlertDecisionKind.UpdateEvidence, calmer.Kind);
        Assert.Equal(Severity.Warning, calmer.State!.Severity);
        Assert.Equal(Severity.Alarm, calmer.State.SentSeverity);

        AlertDecision againAlarm = AlertDecider.Decide(calmer.State, Finding(Severity.Alarm, 5, 41), T0.AddHours(6));
        Assert.Equal(AlertDecisionKind.UpdateEvidence, againAlarm.Kind); // already sent as an alarm

        AlertState resolved = AlertLifecycle.Resolve(againAlarm.State!, new AlertAction("reviewer@nhs.net", T0.AddDays(1), "case notes reviewed")).State!;
        Assert.Equal(AlertStatus.Resolved, resolved.Status);
        Assert.Equal("case notes reviewed", resolved.Resolved!.Note);

        // The same numbers persisting do not bounce a resolved alert back.
        Assert.Equal(AlertDecisionKind.Nothing, AlertDecider.Decide(resolved, Finding(Severity.Alarm, 5, 45), T0.AddDays(2)).Kind);

        // One more patient with an event re-opens it.
        AlertDecision reopened = AlertDecider.Decide(resolved, Finding(Severity.Alarm, 6, 46), T0.AddDays(3));
        Assert.Equal(AlertDecisionKind.Reopen, reopened.Kind);
        Assert.True(reopened.Send);
        Assert.Equal(AlertStatus.Open, reopened.State!.Status);
        Assert.Null(reopened.State.Resolved);
        Assert.Equal(3, reopened.State.Sends);
    }

    [Fact]
    public void A_resolved_warning_reopens_when_it_becomes_an_alarm()
    {
        AlertState raised = AlertDecider.Decide(null, Finding(Severity.Warning, 3), T0).State!;
        AlertState resolved = AlertLifecycle.Resolve(raised, new AlertAction("reviewer@nhs.net", T0.AddDays(1))).State!;

        Assert.Equal(AlertDecisionKind.Reopen, AlertDecider.Decide(resolved, Finding(Severity.Alarm, 3, 30), T0.AddDays(2)).Kind);
        Assert.Equal(AlertDecisionKind.Nothing, AlertDecider.Decide(resolved, Finding(Severity.None, 9, 30), T0.AddDays(2)).Kind);
    }

    [Fact]
    public void A_finding_for_another_alert_is_refused()
    {
        AlertState raised = AlertDecider.Decide(null, Finding(Severity.Warning), T0).State!;

        Assert.Throws<ArgumentException>(() => AlertDecider.Decide(raised, Finding(Severity.Warning) with { Scope = SignalScope.Trust("RY2") }, T0));
    }

    [Fact]
    public void A_resolved_alert_cannot_be_acknowledged_and_repeating_an_action_changes_nothing()
    {
        AlertState raised = AlertDecider.Decide(null, Finding(Severity.Alarm), T0).State!;
        AlertState acknowledged = AlertLifecycle.Acknowledge(raised, new AlertAction("a", T0.AddHours(1))).State!;
        AlertState resolved = AlertLifecycle.Resolve(acknowledged, new AlertAction("b", T0.AddHours(2))).State!;

        Assert.Same(acknowledged, AlertLifecycle.Acknowledge(acknowledged, new AlertAction("c", T0.AddHours(3))).State);
        Assert.Same(resolved, AlertLifecycle.Resolve(resolved, new AlertAction("c", T0.AddHours(3))).State);
        AlertTransition refused = AlertLifecycle.Acknowledge(resolved, new AlertAction("c", T0.AddHours(3)));
        Assert.False(refused.Succeeded);
        Assert.Contains("resolved", refused.Error, StringComparison.Ordinal);
        Assert.False(AlertLifecycle.Resolve(raised, new AlertAction(" ", T0)).Succeeded);
        Assert.Equal(new AlertAction("a", T0.AddHours(1)), resolved.Acknowledged);
        Assert.Equal(new AlertAction("b", T0.AddHours(2)), resolved.Resolved);
    }

    [Fact]
    public void Running_the_default_rules_twice_over_the_same_rows_sends_nothing_the_second_time()
    {
        ProcedureRules rules = SignalRulesLoader.Parse(File.ReadAllText(RowBuilder.RepositoryFile("config/signal-rules.json"))).Rules!.For("A48.4")!;
        SignalSnapshot snapshot = RowBuilder.AllTime(
            RowBuilder.National(RowBuilder.Row(300, 14, twelveMonthReports: 170)),
            RowBuilder.Trust("RX1", RowBuilder.Row(150, 3, twelveMonthReports: 120)),
            RowBuilder.Trust("RY2", RowBuilder.Row(150, 11, twelveMonthReports: 50)));
        IReadOnlyList<Finding> findings = RuleEvaluator.Evaluate(rules, snapshot);

        IReadOnlyList<AlertDecision> first = AlertDecider.DecideAll(new Dictionary<AlertId, AlertState>(), findings, T0);
        var stored = first.ToDictionary(d => d.State!.Id, d => d.State!);
        IReadOnlyList<AlertDecision> second = AlertDecider.DecideAll(stored, RuleEvaluator.Evaluate(rules, snapshot), T0.AddMinutes(5));

        // RY2: rate warning and follow-up alarm; RX1 follow-up (120/150 = 80 %) and everything else is quiet.
        Assert.Equal(
            ["A48.4|all|follow-up-12-months|trust:RY2", "A48.4|all|serious-related-rate|trust:RY2"],
            first.Select(d => d.State!.Id.Value).Order(StringComparer.Ordinal));
        Assert.All(first, d => Assert.Equal(AlertDecisionKind.Raise, d.Kind));
        Assert.Empty(second);
    }

    [Fact]
    public void Two_findings_for_one_alert_in_a_batch_are_decided_in_order_and_still_sent_once()
    {
        IReadOnlyList<AlertDecision> decisions = AlertDecider.DecideAll(
            new Dictionary<AlertId, AlertState>(),
            [Finding(Severity.Warning, 3), Finding(Severity.Warning, 3, 41)],
            T0);

        AlertDecision decision = Assert.Single(decisions);
        Assert.Equal(AlertDecisionKind.Raise, decision.Kind);
        Assert.Equal(41, decision.State!.Evidence.Denominator);
    }

    // ---- properties ----------------------------------------------------------------------------------------

    /// <summary>One thing that can happen to an alert: a new finding, an acknowledgement or a resolution.</summary>
    private sealed record Step(Severity? Severity, long Numerator, bool Acknowledge, bool Resolve);

    private static readonly Gen<Severity> Severities = Gen.Int[0, 2].Select(i => (Severity)i);

    private static readonly Gen<Step> FindingStep = Gen.Select(Severities, Gen.Long[0, 6]).Select((s, n) => new Step(s, n, false, false));

    private static readonly Gen<Step> AnyStep = Gen.Frequency(
        (6, FindingStep),
        (1, Gen.Const(new Step(null, 0, true, false))),
        (1, Gen.Const(new Step(null, 0, false, true))));

    private static (AlertState? State, List<AlertDecision> Decisions) Run(IEnumerable<Step> steps)
    {
        AlertState? state = null;
        var decisions = new List<AlertDecision>();
        DateTimeOffset now = T0;
        foreach (Step step in steps)
        {
            now = now.AddMinutes(5);
            if (step.Severity is { } severity)
            {
                AlertDecision decision = AlertDecider.Decide(state, Finding(severity, step.Numerator), now);
                decisions.Add(decision);
                state = decision.State;
            }
            else if (state is not null)
            {
                AlertTransition transition = step.Acknowledge
                    ? AlertLifecycle.Acknowledge(state, new AlertAction("lead", now))
                    : AlertLifecycle.Resolve(state, new AlertAction("reviewer", now));
                state = transition.State ?? state;
            }
        }

        return (state, decisions);
    }

    [Fact]
    public void Evaluating_the_same_finding_twice_sends_nothing_the_second_time()
    {
        Gen.Select(AnyStep.Array[0, 20], FindingStep).Sample(
            (history, last) =>
            {
                (AlertState? state, _) = Run(history.Append(last));
                AlertDecision again = AlertDecider.Decide(state, Finding(last.Severity!.Value, last.Numerator), T0.AddYears(1));
                return again.Kind == AlertDecisionKind.Nothing && !again.Send && again.State == state;
            },
            iter: 2000);
    }

    [Fact]
    public void Without_resolution_an_alert_is_sent_once_and_escalates_at_most_once()
    {
        Gen.Frequency((6, FindingStep), (1, Gen.Const(new Step(null, 0, true, false)))).Array[0, 30].Sample(
            steps =>
            {
                (_, List<AlertDecision> decisions) = Run(steps);
                Severity[] severities = [.. steps.Where(s => s.Severity is not null).Select(s => s.Severity!.Value)];
                int firstFiring = Array.FindIndex(severities, s => s != Severity.None);
                bool escalates = firstFiring >= 0
                    && severities[firstFiring] == Severity.Warning
                    && severities.Skip(firstFiring + 1).Contains(Severity.Alarm);

                int raises = decisions.Count(d => d.Kind == AlertDecisionKind.Raise);
                int escalations = decisions.Count(d => d.Kind == AlertDecisionKind.Escalate);
                return raises == (firstFiring >= 0 ? 1 : 0)
                    && escalations == (escalates ? 1 : 0)
                    && decisions.Count(d => d.Send) == raises + escalations
                    && decisions.All(d => d.Kind != AlertDecisionKind.Reopen);
            },
            iter: 2000);
    }

    [Fact]
    public void A_finding_that_does_not_fire_never_sends_whatever_came_before()
    {
        Gen.Select(AnyStep.Array[0, 20], Gen.Long[0, 6]).Sample(
            (history, numerator) =>
            {
                (AlertState? state, _) = Run(history);
                AlertDecision decision = AlertDecider.Decide(state, Finding(Severity.None, numerator), T0.AddYears(1));
                return !decision.Send && (state is not null || decision.State is null);
            },
            iter: 2000);
    }

    [Fact]
    public void An_alert_that_goes_away_stays_quiet_and_open_until_someone_resolves_it()
    {
        Gen.Select(Severities.Where(s => s != Severity.None), Gen.Long[0, 6].Array[1, 10]).Sample(
            (first, numerators) =>
            {
                (AlertState? state, List<AlertDecision> decisions) = Run(
                    new[] { new Step(first, 3, false, false) }.Concat(numerators.Select(n => new Step(Severity.None, n, false, false))));
                return decisions.Count(d => d.Send) == 1
                    && state!.Status == AlertStatus.Open
                    && state.Severity == Severity.None
                    && state.SentSeverity == first;
            },
            iter: 500);
    }
}
