using System.Diagnostics.CodeAnalysis;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Storage.Alerts;

/// <summary>
/// Where an alert lives in the <c>Alerts</c> table: PartitionKey = <see cref="AlertId.PartitionFor"/> (the encoded
/// procedure), RowKey = the rest of the id after the first <c>|</c>: <c>{period}|{ruleId}|{scope key}</c>. The
/// procedure part is encoded and so holds no <c>|</c>, which makes the split exact.
/// </summary>
public static class AlertKeys
{
    /// <summary>The PartitionKey of an alert.</summary>
    public static string PartitionKey(AlertId id) => Split(id.Value).PartitionKey;

    /// <summary>The RowKey of an alert.</summary>
    public static string RowKey(AlertId id) => Split(id.Value).RowKey;

    /// <summary>The RowKey prefix shared by every alert of one period: <c>{period}|</c>.</summary>
    public static string PeriodPrefix(SignalPeriod period) => period.ToString() + "|";

    /// <summary>
    /// Parses an alert id as <see cref="AlertId.ToString"/> writes it (e.g. from a URL). Only a canonical id parses:
    /// composing it again from its parts must give the same text, so one alert has exactly one id.
    /// </summary>
    public static bool TryParseId([NotNullWhen(true)] string? text, out AlertId id)
    {
        id = default;
        if (string.IsNullOrEmpty(text) || text.Length > TableKeyEncoding.MaxKeyLength)
        {
            return false;
        }

        string[] parts = text.Split('|');
        if (parts.Length != 4
            || !TableKeyEncoding.TryDecode(parts[0], out string procedure)
            || string.IsNullOrWhiteSpace(procedure)
            || !SignalPeriod.TryParse(parts[1], out SignalPeriod period)
            || parts[2].Length == 0
            || parts[2].Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            || !SignalScope.TryParseKey(parts[3], out SignalScope scope))
        {
            return false;
        }

        try
        {
            AlertId parsed = AlertId.For(procedure, period, parts[2], scope);
            if (!string.Equals(parsed.Value, text, StringComparison.Ordinal))
            {
                return false;
            }

            id = parsed;
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    internal static (string PartitionKey, string RowKey) Split(string id)
    {
        int bar = id.IndexOf('|', StringComparison.Ordinal);
        if (bar <= 0)
        {
            throw new ArgumentException($"'{id}' is not an alert id.", nameof(id));
        }

        return (id[..bar], id[(bar + 1)..]);
    }
}
