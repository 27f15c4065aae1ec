using System.Text.Json;
using System.Text.Json.Serialization;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Domain.Alerts;

/// <summary>
/// One send of an alert, as the <c>governance-alerts</c> queue carries it: a frozen snapshot of what was decided,
/// so delivery sends exactly that even if the alert changes afterwards. Aggregate numbers only, never anything
/// about a patient. <see cref="DeliveryKey"/> (alert id + send number) is what makes every delivery idempotent.
/// </summary>
/// <param name="AlertId">The alert's stable id (rule + scope + period).</param>
/// <param name="Send">The alert's send number (1 for the raise, then one more per escalation or re-open).</param>
/// <param name="Kind">Raise, Escalate or Reopen.</param>
/// <param name="RuleId">The rule.</param>
/// <param name="RuleKind">sentinel, rate, funnel, cusum or follow-up.</param>
/// <param name="Procedure">The procedure code.</param>
/// <param name="Scope">The scope in key form: <c>national</c>, <c>trust:{ods}</c> or <c>device:{udi}</c>.</param>
/// <param name="TrustOds">The trust whose governance leads receive it; null for national and device scopes.</param>
/// <param name="Period">The period key (e.g. <c>2026-03</c>, <c>2026-Q1</c>, <c>all</c>).</param>
/// <param name="Severity">Warning or alarm.</param>
/// <param name="Evidence">The numbers.</param>
/// <param name="Summary">One plain-English sentence.</param>
/// <param name="DecidedAt">When the evaluation decided to send.</param>
public sealed record AlertNotification(
    string AlertId,
    int Send,
    AlertDecisionKind Kind,
    string RuleId,
    string RuleKind,
    string Procedure,
    string Scope,
    string? TrustOds,
    string Period,
    Severity Severity,
    Evidence Evidence,
    string Summary,
    DateTimeOffset DecidedAt)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Alert id and send number: the same send is never delivered twice to one recipient.</summary>
    public string DeliveryKey => $"{AlertId}#{Send}";

    /// <summary>The notification for a decision that sends (<see cref="AlertDecision.Send"/>).</summary>
    /// <exception cref="ArgumentException">The decision does not send.</exception>
    public static AlertNotification From(AlertDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (!decision.Send || decision.State is null)
        {
            throw new ArgumentException("Only a decision that sends has a notification.", nameof(decision));
        }

        AlertState state = decision.State;
        return new AlertNotification(
            state.Id.Value,
            state.Sends,
            decision.Kind,
            state.RuleId,
            state.RuleKind,
            state.Procedure,
            state.Scope.ToKey(),
            state.Scope.Kind == SignalScopeKind.Trust ? state.Scope.Value : null,
            state.Period.ToString(),
            state.Severity,
            state.Evidence,
            state.Summary,
            state.UpdatedAt);
    }

    /// <summary>The queue message text (camelCase JSON, enums as strings).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a queue message written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">Not a notification.</exception>
    public static AlertNotification FromJson(string json) =>
        JsonSerializer.Deserialize<AlertNotification>(json, JsonOptions)
        ?? throw new JsonException("The message is JSON null, not an alert notification.");
}
