using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Domain.Alerts;

/// <summary>
/// The stable id of an alert: procedure, period, rule and scope, readable and safe as a table key, e.g.
/// <c>A48.4|2026-03|death-sentinel|trust:RX1</c>. The procedure and scope values pass through
/// <see cref="TableKeyEncoding"/> and rule ids are restricted to <c>[a-z0-9-]</c>, so no part can contain the
/// separator. The same finding always maps to the same id, which is what makes "raise once" possible.
/// </summary>
public readonly record struct AlertId
{
    private AlertId(string value) => Value = value;

    /// <summary>The key form.</summary>
    public string Value { get; }

    /// <summary>The table PartitionKey for alerts of a procedure: the encoded procedure code.</summary>
    public static string PartitionFor(string procedure) => TableKeyEncoding.Encode(procedure);

    /// <summary>Composes the id of a finding's alert.</summary>
    public static AlertId For(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return For(finding.Procedure, finding.Period, finding.RuleId, finding.Scope);
    }

    /// <summary>Composes an id.</summary>
    /// <exception cref="ArgumentException">A blank part, or the id would exceed <see cref="TableKeyEncoding.MaxKeyLength"/>.</exception>
    public static AlertId For(string procedure, SignalPeriod period, string ruleId, SignalScope scope)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(procedure);
        ArgumentException.ThrowIfNullOrWhiteSpace(ruleId);
        if (ruleId.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            throw new ArgumentException("A rule id holds only lower-case letters, digits and hyphens.", nameof(ruleId));
        }

        string value = $"{TableKeyEncoding.Encode(procedure)}|{period}|{ruleId}|{scope.ToKey()}";
        if (value.Length > TableKeyEncoding.MaxKeyLength)
        {
            throw new ArgumentException($"An alert id may not exceed {TableKeyEncoding.MaxKeyLength} characters.", nameof(scope));
        }

        return new AlertId(value);
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}
