namespace SafetySurveillance.Domain.Events.CloudEvents;

/// <summary>How the CloudEvent reached us.</summary>
public enum CloudEventMode
{
    /// <summary>The whole event is one JSON object (<c>application/cloudevents+json</c>).</summary>
    Structured,

    /// <summary>AMQP binary binding: attributes in application properties, data in the body.</summary>
    AmqpBinary,
}

/// <summary>
/// The validated CloudEvents 1.0 context attributes of one event. <see cref="OdsCode"/> is the trust code
/// taken from <see cref="Source"/> (<c>/trusts/{OdsCode}</c>). Extension attributes keep their canonical
/// string form (booleans as <c>true</c>/<c>false</c>, integers in invariant decimal, timestamps in RFC 3339 UTC).
/// </summary>
public sealed record CloudEventAttributes(
    string Id,
    string Source,
    string OdsCode,
    string Type,
    SafetyEventType EventType,
    DateTimeOffset? Time,
    string? DataContentType,
    Uri? DataSchema,
    string? Subject,
    IReadOnlyDictionary<string, string> Extensions,
    CloudEventMode Mode);
