namespace SafetySurveillance.EventHubs.Consumer;

/// <summary>The partition an event was read from.</summary>
public class PartitionContext
{
    private readonly Func<LastEnqueuedEventProperties>? readLastEnqueued;

    /// <summary>Creates a context; public for substitution in tests.</summary>
    public PartitionContext(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId)
        : this(fullyQualifiedNamespace, eventHubName, consumerGroup, partitionId, null)
    {
    }

    internal PartitionContext(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId, Func<LastEnqueuedEventProperties>? readLastEnqueued)
    {
        FullyQualifiedNamespace = fullyQualifiedNamespace;
        EventHubName = eventHubName;
        ConsumerGroup = consumerGroup;
        PartitionId = partitionId;
        this.readLastEnqueued = readLastEnqueued;
    }

    /// <summary>The namespace host.</summary>
    public string FullyQualifiedNamespace { get; }

    /// <summary>The hub.</summary>
    public string EventHubName { get; }

    /// <summary>The consumer group.</summary>
    public string ConsumerGroup { get; }

    /// <summary>The partition id.</summary>
    public string PartitionId { get; }

    /// <summary>The newest event in the partition as last reported by the broker (needs <see cref="ReadEventOptions.TrackLastEnqueuedEventProperties"/>).</summary>
    public virtual LastEnqueuedEventProperties ReadLastEnqueuedEventProperties() => readLastEnqueued?.Invoke() ?? default;
}

/// <summary>The newest event in a partition as the broker last reported it with a delivery.</summary>
/// <param name="SequenceNumber">The newest sequence number.</param>
/// <param name="OffsetString">The newest offset.</param>
/// <param name="EnqueuedTime">When the newest event was enqueued.</param>
/// <param name="LastReceivedTime">When the broker reported it.</param>
public readonly record struct LastEnqueuedEventProperties(long? SequenceNumber, string? OffsetString, DateTimeOffset? EnqueuedTime, DateTimeOffset? LastReceivedTime);

/// <summary>An event with the partition it came from; <see cref="Data"/> is null when a read waited without events.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Data">The event, or null.</param>
public readonly record struct PartitionEvent(PartitionContext Partition, EventData? Data);
