namespace SafetySurveillance.Domain.Events.CloudEvents;

/// <summary>
/// The parts of an AMQP 1.0 message that carry a CloudEvent, without any AMQP library: the
/// <c>properties.content-type</c>, the <c>application-properties</c> map (keys as sent, values as the AMQP
/// library decoded them: string, bool, integer types, <see cref="DateTime"/>/<see cref="DateTimeOffset"/>
/// for AMQP timestamps, <see cref="Uri"/>, <see cref="byte"/>[] for binary), and the body bytes (the
/// <c>data</c> section).
/// </summary>
public sealed record AmqpCloudEventMessage(
    string? ContentType,
    IReadOnlyDictionary<string, object?> ApplicationProperties,
    ReadOnlyMemory<byte> Body);
