namespace SafetySurveillance.EventHubs.Consumer;

/// <summary>Options for reading a partition.</summary>
public sealed class ReadEventOptions
{
    /// <summary>
    /// The owner level (AMQP <c>com.microsoft:epoch</c>). A receiver with a level takes the partition from receivers
    /// with a lower level or none; they fail with <see cref="EventHubsException.FailureReason.ConsumerDisconnected"/>.
    /// </summary>
    public long? OwnerLevel { get; set; }

    /// <summary>How many events the broker may send ahead of the reader (link credit). Default 300.</summary>
    public int PrefetchCount { get; set; } = 300;

    /// <summary>When set, the reader yields an empty <see cref="PartitionEvent"/> after this long without events.</summary>
    public TimeSpan? MaximumWaitTime { get; set; }

    /// <summary>Ask the broker to attach the partition's newest sequence number, offset and time to every delivery.</summary>
    public bool TrackLastEnqueuedEventProperties { get; set; }

    internal ReadEventOptions Clone() => (ReadEventOptions)MemberwiseClone();
}
