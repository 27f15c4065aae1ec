namespace SafetySurveillance.Storage.Deliveries;

/// <summary>Whether a recipient has the alert.</summary>
public enum DeliveryOutcome
{
    /// <summary>The relay accepted the e-mail, or the webhook answered 2xx.</summary>
    Delivered = 1,

    /// <summary>Every attempt so far failed; <see cref="DeliveryRecord.Reason"/> says why.</summary>
    Failed = 2,
}

/// <summary>What one dispatch did for one recipient.</summary>
/// <param name="Outcome">Delivered or failed.</param>
/// <param name="Attempts">How many times this dispatch tried (webhooks retry inside one dispatch).</param>
/// <param name="Reason">Why it failed (status code, SMTP reply or error type); null when delivered. Never message content.</param>
/// <param name="MessageId">The id receivers can de-duplicate on: the e-mail's Message-Id or the webhook-id.</param>
/// <param name="At">When the dispatch finished with this recipient.</param>
public sealed record DeliveryAttempt(DeliveryOutcome Outcome, int Attempts, string? Reason, string? MessageId, DateTimeOffset At);

/// <summary>One row of <c>AlertDeliveries</c>: one send of one alert to one recipient on one channel.</summary>
/// <param name="AlertId">The alert.</param>
/// <param name="Send">The alert's send number.</param>
/// <param name="Channel">E-mail or webhook.</param>
/// <param name="RecipientKey">The recipient part of the row key (<see cref="DeliveryTarget.Key"/>).</param>
/// <param name="Recipient">The address, or the webhook's scheme, host and port (<see cref="DeliveryTarget.Display"/>).</param>
/// <param name="Outcome">Delivered, or failed so far.</param>
/// <param name="Reason">Why the last attempt failed; null once delivered.</param>
/// <param name="Attempts">Attempts across every dispatch of this send.</param>
/// <param name="FirstAttemptAt">When the first dispatch finished with this recipient.</param>
/// <param name="LastAttemptAt">When the latest dispatch finished with this recipient.</param>
/// <param name="DeliveredAt">When it was delivered, or null.</param>
/// <param name="MessageId">The e-mail Message-Id or webhook-id sent.</param>
public sealed record DeliveryRecord(
    string AlertId,
    int Send,
    DeliveryChannel Channel,
    string RecipientKey,
    string Recipient,
    DeliveryOutcome Outcome,
    string? Reason,
    int Attempts,
    DateTimeOffset FirstAttemptAt,
    DateTimeOffset LastAttemptAt,
    DateTimeOffset? DeliveredAt,
    string? MessageId)
{
    /// <summary>Alert id and send number, as <c>AlertNotification.DeliveryKey</c> writes it.</summary>
    public string DeliveryKey => $"{AlertId}#{Send}";

    /// <summary>Whether this row is for <paramref name="target"/>.</summary>
    public bool IsFor(DeliveryTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Channel == target.Channel && string.Equals(RecipientKey, target.Key, StringComparison.Ordinal);
    }
}
