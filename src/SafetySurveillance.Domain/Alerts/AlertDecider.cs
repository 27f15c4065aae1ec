using SafetySurveillance.Domain.Rules;

namespace SafetySurveillance.Domain.Alerts;

/// <summary>What to do with a finding, given the alert it maps to.</summary>
public enum AlertDecisionKind
{
    /// <summary>Nothing to store, nothing to send.</summary>
    Nothing = 0,

    /// <summary>A new alert: store and send.</summary>
    Raise = 1,

    /// <summary>Warning became alarm: store and send again.</summary>
    Escalate = 2,

    /// <summary>A resolved alert fires again with new evidence: re-open, store and send.</summary>
    Reopen = 3,

    /// <summary>Same alert, new numbers (or a lower severity): store, do not send.</summary>
    UpdateEvidence = 4,
}

/// <summary>The decision and the state to store (the previous one when nothing changes).</summary>
public sealed record AlertDecision(AlertDecisionKind Kind, AlertState? State)
{
    /// <summary>Whether the alert goes out to its recipients.</summary>
    public bool Send => Kind is AlertDecisionKind.Raise or AlertDecisionKind.Escalate or AlertDecisionKind.Reopen;
}

/// <summary>
/// Decides, from the stored alert (if any) and a new finding, whether to raise, re-send, update silently or
/// do nothing. Pure and idempotent: feeding the state it returns back with the same finding gives
/// <see cref="AlertDecisionKind.Nothing"/>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>No alert and severity None: nothing. A finding that never fires never sends.</item>
/// <item>No alert and warning/alarm: raise.</item>
/// <item>Open or acknowledged, severity above the highest already sent: escalate (back to open, needs a new acknowledgement).
/// Only warning → alarm can do this, so an alert escalates at most once per opening.</item>
/// <item>Open or acknowledged, anything else that differs: update evidence silently, including a fall to None
/// (the alert stays open until a person resolves it).</item>
/// <item>Resolved, and the finding fires with a higher severity than at resolution or a larger numerator (more
/// deaths, more patients with an event, more overdue follow-ups): re-open and send. A resolved alert whose
/// numbers merely persist stays resolved, so resolving a known, investigated signal does not bounce it back.</item>
/// </list>
/// </remarks>
public static class AlertDecider
{
    /// <summary>
    /// Decides for a whole evaluation: every finding against its stored alert (findings with the same id are
    /// taken in order, each seeing the state the previous one left). Returns only the decisions that change
    /// something, i.e. the alerts to store and, where <see cref="AlertDecision.Send"/>, to send.
    /// </summary>
    /// <param name="stored">The stored alerts that the findings' ids map to (missing ids are new).</param>
    /// <param name="findings">The evaluation's findings.</param>
    /// <param name="now">The evaluation time.</param>
    public static IReadOnlyList<AlertDecision> DecideAll(IReadOnlyDictionary<AlertId, AlertState> stored, IEnumerable<Finding> findings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(findings);
        var latest = new Dictionary<AlertId, AlertDecision>();
        var order = new List<AlertId>();
        foreach (Finding finding in findings)
        {
            AlertId id = AlertId.For(finding);
            AlertState? previous = latest.TryGetValue(id, out AlertDecision? earlier) ? earlier.State : stored.GetValueOrDefault(id);
            AlertDecision decision = Decide(previous, finding, now);
            if (decision.Kind == AlertDecisionKind.Nothing)
            {
                continue;
            }

            if (earlier is not null)
            {
                // Keep the strongest kind of the batch (a raise then an update is still a raise to send).
                decision = decision with { Kind = earlier.Send && !decision.Send ? earlier.Kind : decision.Kind };
            }
            else
            {
                order.Add(id);
            }

            latest[id] = decision;
        }

        return [.. order.Select(id => latest[id])];
    }

    /// <summary>Decides what to do.</summary>
    /// <param name="previous">The stored alert with this finding's id, or null.</param>
    /// <param name="finding">The new finding.</param>
    /// <param name="now">The evaluation time.</param>
    public static AlertDecision Decide(AlertState? previous, Finding finding, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(finding);
        AlertId id = AlertId.For(finding);
        if (previous is null)
        {
            return finding.Severity == Severity.None
                ? new AlertDecision(AlertDecisionKind.Nothing, null)
                : new AlertDecision(AlertDecisionKind.Raise, new AlertState(
                    id,
                    finding.RuleId,
                    finding.RuleKind,
                    finding.Procedure,
                    finding.Scope,
                    finding.Period,
                    finding.Severity,
                    finding.Severity,
                    AlertStatus.Open,
                    finding.Evidence,
                    finding.Summary,
                    now,
                    now,
                    null,
                    null,
                    1));
        }

        if (previous.Id != id)
        {
            throw new ArgumentException($"The stored alert {previous.Id} is not the finding's alert {id}.", nameof(previous));
        }

        if (previous.Status == AlertStatus.Resolved)
        {
            bool fires = finding.Severity != Severity.None;
            bool worse = finding.Severity > previous.Severity || finding.Evidence.Numerator > previous.Evidence.Numerator;
            return fires && worse
                ? new AlertDecision(AlertDecisionKind.Reopen, previous with
                {
                    Severity = finding.Severity,
                    SentSeverity = finding.Severity,
                    Status = AlertStatus.Open,
                    Evidence = finding.Evidence,
                    Summary = finding.Summary,
                    UpdatedAt = now,
                    Acknowledged = null,
                    Resolved = null,
                    Sends = previous.Sends + 1,
                })
                : new AlertDecision(AlertDecisionKind.Nothing, previous);
        }

        if (finding.Severity > previous.SentSeverity)
        {
            return new AlertDecision(AlertDecisionKind.Escalate, previous with
            {
                Severity = finding.Severity,
                SentSeverity = finding.Severity,
                Status = AlertStatus.Open,
                Evidence = finding.Evidence,
                Summary = finding.Summary,
                UpdatedAt = now,
                Acknowledged = null,
                Sends = previous.Sends + 1,
            });
        }

        bool changed = finding.Severity != previous.Severity
            || finding.Evidence != previous.Evidence
            || !string.Equals(finding.Summary, previous.Summary, StringComparison.Ordinal);
        return changed
            ? new AlertDecision(AlertDecisionKind.UpdateEvidence, previous with
            {
                Severity = finding.Severity,
                Evidence = finding.Evidence,
                Summary = finding.Summary,
                UpdatedAt = now,
            })
            : new AlertDecision(AlertDecisionKind.Nothing, previous);
    }
}
