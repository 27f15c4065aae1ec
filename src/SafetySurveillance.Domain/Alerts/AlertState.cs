using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Domain.Alerts;

/// <summary>Where an alert is in its lifecycle.</summary>
public enum AlertStatus
{
    /// <summary>Raised (or escalated, or re-opened) and not yet acknowledged.</summary>
    Open = 0,

    /// <summary>Someone has taken it on.</summary>
    Acknowledged = 1,

    /// <summary>Closed by a reviewer.</summary>
    Resolved = 2,
}

/// <summary>Who did something to an alert, and when.</summary>
/// <param name="By">The reviewer's or governance lead's identity (never a patient's).</param>
/// <param name="At">When.</param>
/// <param name="Note">Optional free text.</param>
public sealed record AlertAction(string By, DateTimeOffset At, string? Note = null);

/// <summary>
/// The stored alert: what it is about, its current and highest-sent severity, its evidence and its lifecycle.
/// It holds aggregate numbers only: no patient-identifiable data.
/// </summary>
/// <param name="Id">Rule + scope + period (see <see cref="AlertId"/>).</param>
/// <param name="RuleId">The rule.</param>
/// <param name="RuleKind">sentinel, rate, funnel, cusum or follow-up.</param>
/// <param name="Procedure">Procedure code.</param>
/// <param name="Scope">Trust, device or national.</param>
/// <param name="Period">Month, quarter or all time.</param>
/// <param name="Severity">The latest finding's severity (may fall to None while the alert stays open).</param>
/// <param name="SentSeverity">The highest severity sent since the alert was last raised or re-opened.</param>
/// <param name="Status">Open, acknowledged or resolved.</param>
/// <param name="Evidence">The latest evidence (frozen while resolved).</param>
/// <param name="Summary">The latest finding's sentence.</param>
/// <param name="RaisedAt">When first raised.</param>
/// <param name="UpdatedAt">When last changed.</param>
/// <param name="Acknowledged">Who acknowledged it, since it was last (re-)opened or escalated.</param>
/// <param name="Resolved">Who resolved it, while it is resolved.</param>
/// <param name="Sends">How many times it has been sent (raise, escalations, re-opens).</param>
public sealed record AlertState(
    AlertId Id,
    string RuleId,
    string RuleKind,
    string Procedure,
    SignalScope Scope,
    SignalPeriod Period,
    Severity Severity,
    Severity SentSeverity,
    AlertStatus Status,
    Evidence Evidence,
    string Summary,
    DateTimeOffset RaisedAt,
    DateTimeOffset UpdatedAt,
    AlertAction? Acknowledged,
    AlertAction? Resolved,
    int Sends);

/// <summary>The result of a lifecycle action: the new state, or why it was refused.</summary>
public sealed record AlertTransition(AlertState? State, string? Error)
{
    /// <summary>True when the action was applied (or was already in effect).</summary>
    public bool Succeeded => State is not null;
}

/// <summary>Acknowledge and resolve, as pure functions over <see cref="AlertState"/>.</summary>
public static class AlertLifecycle
{
    /// <summary>Open → acknowledged. Acknowledging again changes nothing; a resolved alert cannot be acknowledged.</summary>
    public static AlertTransition Acknowledge(AlertState alert, AlertAction action)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(action);
        if (string.IsNullOrWhiteSpace(action.By))
        {
            return new AlertTransition(null, "Say who is acknowledging the alert.");
        }

        return alert.Status switch
        {
            AlertStatus.Open => new AlertTransition(alert with { Status = AlertStatus.Acknowledged, Acknowledged = action, UpdatedAt = action.At }, null),
            AlertStatus.Acknowledged => new AlertTransition(alert, null),
            _ => new AlertTransition(null, "The alert is resolved; it re-opens by itself if the signal worsens."),
        };
    }

    /// <summary>Open or acknowledged → resolved. Resolving again changes nothing.</summary>
    public static AlertTransition Resolve(AlertState alert, AlertAction action)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(action);
        if (string.IsNullOrWhiteSpace(action.By))
        {
            return new AlertTransition(null, "Say who is resolving the alert.");
        }

        return alert.Status == AlertStatus.Resolved
            ? new AlertTransition(alert, null)
            : new AlertTransition(alert with { Status = AlertStatus.Resolved, Resolved = action, UpdatedAt = action.At }, null);
    }
}
