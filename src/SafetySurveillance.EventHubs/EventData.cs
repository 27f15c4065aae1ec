namespace SafetySurveillance.EventHubs;

/// <summary>
/// An event: a body, its application properties and message properties; on received events also the
/// system properties the broker stamped (sequence number, offset, enqueued time, partition key, publisher).
/// </summary>
public class EventData
{
    private static readonly IReadOnlyDictionary<string, object> NoSystemProperties = new Dictionary<string, object>();

    /// <summary>Creates an event with an empty body.</summary>
    public EventData()
        : this(BinaryData.Empty)
    {
    }

    /// <summary>Creates an event with the given body.</summary>
    public EventData(ReadOnlyMemory<byte> eventBody)
        : this(new BinaryData(eventBody))
    {
    }

    /// <summary>Creates an event whose body is the UTF-8 encoding of <paramref name="eventBody"/>.</summary>
    public EventData(string eventBody)
        : this(BinaryData.FromString(eventBody ?? throw new ArgumentNullException(nameof(eventBody))))
    {
    }

    /// <summary>Creates an event with the given body.</summary>
    public EventData(BinaryData eventBody)
    {
        ArgumentNullException.ThrowIfNull(eventBody);
        EventBody = eventBody;
        Properties = new Dictionary<string, object>(StringComparer.Ordinal);
        SystemProperties = NoSystemProperties;
        SequenceNumber = long.MinValue;
    }

    /// <summary>Creates a received event; used by the model factory and for substitution in tests.</summary>
    protected internal EventData(
        BinaryData eventBody,
        IDictionary<string, object>? properties,
        IReadOnlyDictionary<string, object>? systemProperties,
        long sequenceNumber,
        string? offsetString,
        DateTimeOffset enqueuedTime,
        string? partitionKey,
        string? publisherName)
        : this(eventBody)
    {
        if (properties is not null)
        {
            foreach (var (key, value) in properties)
            {
                Properties[key] = value;
            }
        }

        SystemProperties = systemProperties ?? NoSystemProperties;
        SequenceNumber = sequenceNumber;
        OffsetString = offsetString;
        EnqueuedTime = enqueuedTime;
        PartitionKey = partitionKey;
        PublisherName = publisherName;
    }

    /// <summary>The body.</summary>
    public BinaryData EventBody { get; set; }

    /// <summary>The body as bytes.</summary>
    public ReadOnlyMemory<byte> Body => EventBody.ToMemory();

    /// <summary>The MIME type of the body (AMQP <c>content-type</c>).</summary>
    public string? ContentType { get; set; }

    /// <summary>The application's id for this event (AMQP <c>message-id</c>).</summary>
    public string? MessageId { get; set; }

    /// <summary>An id that relates this event to others (AMQP <c>correlation-id</c>).</summary>
    public string? CorrelationId { get; set; }

    /// <summary>Application properties. Values must be AMQP primitives: strings, numbers, booleans, <see cref="Guid"/>, <see cref="DateTime"/>/<see cref="DateTimeOffset"/>, byte arrays.</summary>
    public IDictionary<string, object> Properties { get; }

    /// <summary>The message annotations the broker stamped on a received event, by name (e.g. <c>x-opt-sequence-number</c>).</summary>
    public IReadOnlyDictionary<string, object> SystemProperties { get; }

    /// <summary>The event's sequence number in its partition; <see cref="long.MinValue"/> on an event that was not received.</summary>
    public long SequenceNumber { get; }

    /// <summary>The event's offset in its partition, an opaque string; <see langword="null"/> on an event that was not received.</summary>
    public string? OffsetString { get; }

    /// <summary>When the broker accepted the event.</summary>
    public DateTimeOffset EnqueuedTime { get; }

    /// <summary>The partition key the event was sent with, if any.</summary>
    public string? PartitionKey { get; }

    /// <summary>The publisher endpoint the event was sent through (<c>&lt;hub&gt;/Publishers/&lt;name&gt;</c>), if any.</summary>
    public string? PublisherName { get; }
}
