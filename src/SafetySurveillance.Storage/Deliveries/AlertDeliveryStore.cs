using System.Globalization;
using System.Net;
using Azure;
using Azure.Data.Tables;
using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Storage.Deliveries;

/// <summary>
/// The <c>AlertDeliveries</c> table: one row per alert send × channel × recipient saying whether it was delivered,
/// how many attempts it took and, if not, why. PartitionKey is the alert id (already a safe table key), RowKey
/// <c>{send:D6}|{channel}|{recipient key}</c>, so one range query reads everything about one send and one partition
/// query everything about one alert. A delivered row never goes back to failed. Thread-safe.
/// </summary>
public sealed class AlertDeliveryStore
{
    /// <summary>The table name.</summary>
    public const string TableName = "AlertDeliveries";

    /// <summary>The longest failure reason kept.</summary>
    public const int MaxReasonLength = 1000;

    private const int MaxConcurrentRetries = 5;
    private readonly TableClient _table;

    /// <summary>Creates the store over <paramref name="table"/> (normally named <see cref="TableName"/>).</summary>
    public AlertDeliveryStore(TableClient table) => _table = table ?? throw new ArgumentNullException(nameof(table));

    /// <summary>Creates the table if it does not exist.</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default) =>
        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The row key of a send to a target.</summary>
    public static string RowKeyOf(int send, DeliveryTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return SendPrefix(send) + DeliveryTarget.ChannelName(target.Channel) + "|" + target.Key;
    }

    /// <summary>Every row of one send of an alert (one range query); empty when nothing was attempted yet.</summary>
    public async Task<IReadOnlyList<DeliveryRecord>> GetSendAsync(string alertId, int send, CancellationToken cancellationToken = default)
    {
        CheckAlertId(alertId);
        var from = SendPrefix(send);
        // '|' (0x7C) is followed by '}' (0x7D): every row key of this send sorts between the two.
        var to = from[..^1] + "}";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {alertId} and RowKey ge {from} and RowKey lt {to}");
        return await QueryAsync(filter, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every row of every send of an alert, in send order.</summary>
    public async Task<IReadOnlyList<DeliveryRecord>> ListForAlertAsync(string alertId, CancellationToken cancellationToken = default)
    {
        CheckAlertId(alertId);
        return await QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {alertId}"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records what a dispatch did for <paramref name="target"/> and returns the row as stored. Attempts add up across
    /// dispatches; a row already delivered stays delivered (a later failure only adds its attempts). Concurrent
    /// writers are serialised with the row's ETag. Creates the table when it is missing.
    /// </summary>
    public async Task<DeliveryRecord> RecordAsync(string alertId, int send, DeliveryTarget target, DeliveryAttempt attempt, CancellationToken cancellationToken = default)
    {
        CheckAlertId(alertId);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(attempt);
        var rowKey = RowKeyOf(send, target);
        for (var round = 0; ; round++)
        {
            TableEntity? existing;
            try
            {
                var response = await _table.GetEntityIfExistsAsync<TableEntity>(alertId, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
                existing = response.HasValue ? response.Value : null;
            }
            catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.NotFound)
            {
                existing = null;
            }

            var merged = Merge(existing is null ? null : ToRecord(existing), alertId, send, target, attempt);
            var entity = ToEntity(merged, rowKey);
            try
            {
                if (existing is null)
                {
                    await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _table.UpdateEntityAsync(entity, existing.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return merged;
            }
            catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.NotFound && existing is null && round < MaxConcurrentRetries)
            {
                // The table does not exist yet (a point read of a missing table reads as "no row").
                await CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException exception) when (
                (exception.Status == (int)HttpStatusCode.Conflict || exception.Status == (int)HttpStatusCode.PreconditionFailed)
                && round < MaxConcurrentRetries)
            {
                // Another dispatch of the same send wrote this row in between: read it again and merge on top.
            }
        }
    }

    private static DeliveryRecord Merge(DeliveryRecord? existing, string alertId, int send, DeliveryTarget target, DeliveryAttempt attempt)
    {
        var reason = attempt.Reason is { Length: > MaxReasonLength } text ? text[..MaxReasonLength] : attempt.Reason;
        if (existing is null)
        {
            var delivered = attempt.Outcome == DeliveryOutcome.Delivered;
            return new DeliveryRecord(
                alertId, send, target.Channel, target.Key, target.Display, attempt.Outcome,
                delivered ? null : reason, attempt.Attempts, attempt.At, attempt.At, delivered ? attempt.At : null, attempt.MessageId);
        }

        var attempts = existing.Attempts + attempt.Attempts;
        var last = attempt.At > existing.LastAttemptAt ? attempt.At : existing.LastAttemptAt;
        if (existing.Outcome == DeliveryOutcome.Delivered)
        {
            return existing with { Attempts = attempts, LastAttemptAt = last };
        }

        return attempt.Outcome == DeliveryOutcome.Delivered
            ? existing with { Outcome = DeliveryOutcome.Delivered, Reason = null, Attempts = attempts, LastAttemptAt = last, DeliveredAt = attempt.At, MessageId = attempt.MessageId ?? existing.MessageId, Recipient = target.Display }
            : existing with { Reason = reason, Attempts = attempts, LastAttemptAt = last, MessageId = attempt.MessageId ?? existing.MessageId };
    }

    private async Task<IReadOnlyList<DeliveryRecord>> QueryAsync(string filter, CancellationToken cancellationToken)
    {
        var records = new List<DeliveryRecord>();
        try
        {
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                records.Add(ToRecord(entity));
            }
        }
        catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.NotFound)
        {
            // The table does not exist yet: nothing was ever recorded.
        }

        return records;
    }

    private static TableEntity ToEntity(DeliveryRecord record, string rowKey) => new(record.AlertId, rowKey)
    {
        ["AlertId"] = record.AlertId,
        ["Send"] = record.Send,
        ["Channel"] = DeliveryTarget.ChannelName(record.Channel),
        ["RecipientKey"] = record.RecipientKey,
        ["Recipient"] = record.Recipient,
        ["Outcome"] = record.Outcome == DeliveryOutcome.Delivered ? "delivered" : "failed",
        ["Reason"] = record.Reason,
        ["Attempts"] = record.Attempts,
        ["FirstAttemptAt"] = record.FirstAttemptAt,
        ["LastAttemptAt"] = record.LastAttemptAt,
        ["DeliveredAt"] = record.DeliveredAt,
        ["MessageId"] = record.MessageId,
    };

    private static DeliveryRecord ToRecord(TableEntity entity) => new(
        entity.PartitionKey,
        entity.GetInt32("Send") ?? 0,
        entity.GetString("Channel") == "webhook" ? DeliveryChannel.Webhook : DeliveryChannel.Email,
        entity.GetString("RecipientKey") ?? string.Empty,
        entity.GetString("Recipient") ?? string.Empty,
        entity.GetString("Outcome") == "delivered" ? DeliveryOutcome.Delivered : DeliveryOutcome.Failed,
        entity.GetString("Reason"),
        entity.GetInt32("Attempts") ?? 0,
        entity.GetDateTimeOffset("FirstAttemptAt") ?? default,
        entity.GetDateTimeOffset("LastAttemptAt") ?? default,
        entity.GetDateTimeOffset("DeliveredAt"),
        entity.GetString("MessageId"));

    private static string SendPrefix(int send)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(send);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(send, 999_999);
        return send.ToString("D6", CultureInfo.InvariantCulture) + "|";
    }

    private static void CheckAlertId(string alertId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(alertId);
        if (!TableKeyEncoding.IsValidTableKey(alertId))
        {
            throw new ArgumentException("An alert id must be a valid table key (see AlertId).", nameof(alertId));
        }
    }
}
