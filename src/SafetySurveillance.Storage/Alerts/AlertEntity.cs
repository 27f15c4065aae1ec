using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Storage.Alerts;

/// <summary>Maps a <see cref="StoredAlert"/> to and from a flat table entity (one property per field; dates as DateTimeOffset).</summary>
internal static class AlertEntity
{
    public const int SchemaVersion = 1;

    /// <summary>Pending sends kept on one row at most (each is a raise, escalation or re-open; a handful in practice).</summary>
    public const int MaxPendingSends = 20;

    public static TableEntity ToEntity(AlertState state, IReadOnlyList<AlertNotification> pending)
    {
        if (pending.Count > MaxPendingSends)
        {
            throw new AlertFormatException($"The alert {state.Id} has {pending.Count} sends waiting for the queue; at most {MaxPendingSends} fit on its row.");
        }

        (string partitionKey, string rowKey) = AlertKeys.Split(state.Id.Value);
        var entity = new TableEntity(partitionKey, rowKey)
        {
            ["SchemaVersion"] = SchemaVersion,
            ["AlertId"] = state.Id.Value,
            ["RuleId"] = state.RuleId,
            ["RuleKind"] = state.RuleKind,
            ["Procedure"] = state.Procedure,
            ["Scope"] = state.Scope.ToKey(),
            ["ScopeKind"] = ScopeKindText(state.Scope.Kind),
            ["Period"] = state.Period.ToString(),
            ["Severity"] = state.Severity.ToString(),
            ["SentSeverity"] = state.SentSeverity.ToString(),
            ["Status"] = state.Status.ToString(),
            ["Summary"] = state.Summary,
            ["RaisedAt"] = state.RaisedAt,
            ["UpdatedAt"] = state.UpdatedAt,
            ["Sends"] = state.Sends,
            ["Numerator"] = state.Evidence.Numerator,
            ["Denominator"] = state.Evidence.Denominator,
            ["PendingSends"] = pending.Count,
        };
        if (state.Scope.Kind == SignalScopeKind.Trust)
        {
            entity["TrustOds"] = state.Scope.Value;
        }

        Optional(entity, "Rate", state.Evidence.Rate);
        Optional(entity, "IntervalLower", state.Evidence.IntervalLower);
        Optional(entity, "IntervalUpper", state.Evidence.IntervalUpper);
        Optional(entity, "Confidence", state.Evidence.Confidence);
        Optional(entity, "Benchmark", state.Evidence.Benchmark);
        Optional(entity, "WarningLimit", state.Evidence.WarningLimit);
        Optional(entity, "AlarmLimit", state.Evidence.AlarmLimit);
        Optional(entity, "CusumValue", state.Evidence.CusumValue);
        Optional(entity, "Threshold", state.Evidence.Threshold);
        Optional(entity, "Phi", state.Evidence.Phi);
        Action(entity, "Acknowledged", state.Acknowledged);
        Action(entity, "Resolved", state.Resolved);
        if (pending.Count > 0)
        {
            entity["PendingNotifications"] = JsonSerializer.Serialize(pending.Select(n => n.ToJson()).ToArray());
        }

        return entity;
    }

    public static StoredAlert ToStored(TableEntity entity)
    {
        try
        {
            int version = entity.GetInt32("SchemaVersion") ?? 0;
            if (version != SchemaVersion)
            {
                throw new AlertFormatException($"The alert row {entity.PartitionKey}/{entity.RowKey} has schema version {version}; this code reads {SchemaVersion}.");
            }

            string idText = Required(entity, "AlertId");
            if (!AlertKeys.TryParseId(idText, out AlertId id) || AlertKeys.Split(id.Value) != (entity.PartitionKey, entity.RowKey))
            {
                throw new AlertFormatException($"The alert row {entity.PartitionKey}/{entity.RowKey} holds the id '{idText}', which is not its own.");
            }

            if (!SignalScope.TryParseKey(Required(entity, "Scope"), out SignalScope scope) || !SignalPeriod.TryParse(Required(entity, "Period"), out SignalPeriod period))
            {
                throw new AlertFormatException($"The alert row {id} has an unreadable scope or period.");
            }

            var evidence = new Evidence(
                entity.GetInt64("Numerator") ?? 0,
                entity.GetInt64("Denominator") ?? 0,
                entity.GetDouble("Rate"),
                entity.GetDouble("IntervalLower"),
                entity.GetDouble("IntervalUpper"),
                entity.GetDouble("Confidence"),
                entity.GetDouble("Benchmark"),
                entity.GetDouble("WarningLimit"),
                entity.GetDouble("AlarmLimit"),
                entity.GetDouble("CusumValue"),
                entity.GetDouble("Threshold"),
                entity.GetDouble("Phi"));
            var state = new AlertState(
                id,
                Required(entity, "RuleId"),
                Required(entity, "RuleKind"),
                Required(entity, "Procedure"),
                scope,
                period,
                Enum.Parse<Severity>(Required(entity, "Severity")),
                Enum.Parse<Severity>(Required(entity, "SentSeverity")),
                Enum.Parse<AlertStatus>(Required(entity, "Status")),
                evidence,
                Required(entity, "Summary"),
                entity.GetDateTimeOffset("RaisedAt") ?? throw Missing(entity, "RaisedAt"),
                entity.GetDateTimeOffset("UpdatedAt") ?? throw Missing(entity, "UpdatedAt"),
                ReadAction(entity, "Acknowledged"),
                ReadAction(entity, "Resolved"),
                entity.GetInt32("Sends") ?? 0);
            IReadOnlyList<AlertNotification> pending = entity.GetString("PendingNotifications") is { Length: > 0 } json
                ? [.. (JsonSerializer.Deserialize<string[]>(json) ?? []).Select(AlertNotification.FromJson)]
                : [];
            return new StoredAlert(state, pending, entity.ETag);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or FormatException or InvalidOperationException)
        {
            throw new AlertFormatException($"The alert row {entity.PartitionKey}/{entity.RowKey} cannot be read: {ex.Message}", ex);
        }
    }

    public static string ScopeKindText(SignalScopeKind kind) => kind switch
    {
        SignalScopeKind.Trust => "trust",
        SignalScopeKind.Device => "device",
        _ => "national",
    };

    private static void Optional(TableEntity entity, string name, double? value)
    {
        if (value is { } v)
        {
            entity[name] = v;
        }
    }

    private static void Action(TableEntity entity, string prefix, AlertAction? action)
    {
        if (action is null)
        {
            return;
        }

        entity[prefix + "By"] = action.By;
        entity[prefix + "At"] = action.At;
        if (action.Note is not null)
        {
            entity[prefix + "Note"] = action.Note;
        }
    }

    private static AlertAction? ReadAction(TableEntity entity, string prefix) =>
        entity.GetString(prefix + "By") is { } by
            ? new AlertAction(by, entity.GetDateTimeOffset(prefix + "At") ?? throw Missing(entity, prefix + "At"), entity.GetString(prefix + "Note"))
            : null;

    private static string Required(TableEntity entity, string name) => entity.GetString(name) ?? throw Missing(entity, name);

    private static AlertFormatException Missing(TableEntity entity, string name) =>
        new(string.Create(CultureInfo.InvariantCulture, $"The alert row {entity.PartitionKey}/{entity.RowKey} has no {name}."));

    internal static ETag ETagOf(Response response) => response.Headers.ETag ?? throw new InvalidOperationException("The Table service returned no ETag.");
}
