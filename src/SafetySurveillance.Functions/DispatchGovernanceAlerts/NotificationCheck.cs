using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Domain.Events.CloudEvents;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Functions.DispatchGovernanceAlerts;

/// <summary>
/// What makes a <c>governance-alerts</c> message deliverable. The JSON reader does not enforce the record's
/// non-nullable members, so a message with a missing field would otherwise fail half-way through a dispatch.
/// </summary>
public static class NotificationCheck
{
    /// <summary>Every problem with <paramref name="notification"/>, in plain English; empty when it can be delivered.</summary>
    public static IReadOnlyList<string> Problems(AlertNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(notification.AlertId) || !TableKeyEncoding.IsValidTableKey(notification.AlertId))
        {
            problems.Add("alertId is missing or not a valid table key.");
        }

        if (notification.Send is < 1 or > 999_999)
        {
            problems.Add("send must be between 1 and 999999.");
        }

        if (notification.Kind is not (AlertDecisionKind.Raise or AlertDecisionKind.Escalate or AlertDecisionKind.Reopen))
        {
            problems.Add("kind must be raise, escalate or reopen.");
        }

        if (notification.Severity is not (Severity.Warning or Severity.Alarm))
        {
            problems.Add("severity must be warning or alarm.");
        }

        Require(problems, notification.RuleId, "ruleId");
        Require(problems, notification.RuleKind, "ruleKind");
        Require(problems, notification.Procedure, "procedure");
        Require(problems, notification.Scope, "scope");
        Require(problems, notification.Period, "period");
        Require(problems, notification.Summary, "summary");
        if (notification.Evidence is null)
        {
            problems.Add("evidence is missing.");
        }

        if (notification.TrustOds is not null && !OdsCode.IsValid(notification.TrustOds))
        {
            problems.Add("trustOds is not an ODS code.");
        }

        if (notification.Scope?.StartsWith("trust:", StringComparison.Ordinal) == true && notification.TrustOds is null)
        {
            problems.Add("a trust-scoped alert must name its trust in trustOds.");
        }

        return problems;
    }

    private static void Require(List<string> problems, string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add(name + " is missing.");
        }
    }
}
