using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Functions.EvaluateSignals;

/// <summary>One <c>Signals</c> table partition: a procedure and a period (every row of it is one snapshot).</summary>
/// <param name="Procedure">The procedure code, as given (not table-encoded).</param>
/// <param name="Period">The period key: <c>2026-03</c>, <c>2026-Q1</c> or <c>all</c>.</param>
public sealed record TouchedPartition(
    [property: JsonPropertyName("procedure")] string Procedure,
    [property: JsonPropertyName("period")] string Period);

/// <summary>
/// The <c>signals-touched</c> queue message: the distinct (procedure, period) partitions one ingestion batch wrote,
/// e.g. <c>{"partitions":[{"procedure":"A48.4","period":"2026-03"},…]}</c>. <c>EvaluateSignals</c> evaluates exactly
/// those partitions. A batch that touched more partitions than fit in one message sends several
/// (<see cref="Compose"/>); each stays below the queue's 64 KiB limit once base64-encoded.
/// </summary>
/// <param name="Partitions">The partitions, each once.</param>
public sealed record SignalsTouchedMessage(
    [property: JsonPropertyName("partitions")] IReadOnlyList<TouchedPartition> Partitions)
{
    /// <summary>The queue name.</summary>
    public const string QueueName = "signals-touched";

    /// <summary>
    /// The most UTF-8 bytes of JSON per message. The queue takes 64 KiB of message text; base64 makes 4 characters
    /// of every 3 bytes, so 48 KiB of JSON is the ceiling; 45,000 leaves room to spare.
    /// </summary>
    public const int MaxJsonBytes = 45_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The message text (compact JSON).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a message; null when the text is not a message of this shape.</summary>
    public static SignalsTouchedMessage? TryParse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            SignalsTouchedMessage? message = JsonSerializer.Deserialize<SignalsTouchedMessage>(json, Json);
            return message?.Partitions is null || message.Partitions.Any(p => string.IsNullOrWhiteSpace(p?.Procedure) || string.IsNullOrWhiteSpace(p.Period))
                ? null
                : message;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The messages announcing the distinct partitions of <paramref name="keys"/> (in key order), split so that no
    /// message's JSON exceeds <paramref name="maxJsonBytes"/>. No keys, no messages.
    /// </summary>
    public static IReadOnlyList<SignalsTouchedMessage> Compose(IEnumerable<SignalKey> keys, int maxJsonBytes = MaxJsonBytes)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var distinct = new HashSet<(string Procedure, string Period)>();
        foreach (SignalKey key in keys)
        {
            distinct.Add((key.Procedure, key.Period.ToString()));
        }

        const int envelope = 16; // {"partitions":[ … ]}
        var messages = new List<SignalsTouchedMessage>();
        var current = new List<TouchedPartition>();
        int bytes = envelope;
        foreach ((string procedure, string period) in distinct.OrderBy(p => p.Procedure, StringComparer.Ordinal).ThenBy(p => p.Period, StringComparer.Ordinal))
        {
            var partition = new TouchedPartition(procedure, period);
            int size = Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(partition, Json)) + 1; // and a comma
            if (size + envelope > maxJsonBytes)
            {
                throw new ArgumentException($"The partition {procedure}|{period} alone exceeds {maxJsonBytes} bytes.", nameof(keys));
            }

            if (current.Count > 0 && bytes + size > maxJsonBytes)
            {
                messages.Add(new SignalsTouchedMessage(current));
                current = [];
                bytes = envelope;
            }

            current.Add(partition);
            bytes += size;
        }

        if (current.Count > 0)
        {
            messages.Add(new SignalsTouchedMessage(current));
        }

        return messages;
    }
}
