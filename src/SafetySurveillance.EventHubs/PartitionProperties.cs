namespace SafetySurveillance.EventHubs;

/// <summary>What <c>$management</c> reports about one partition.</summary>
public sealed class PartitionProperties
{
    internal PartitionProperties(
        string eventHubName,
        string id,
        bool isEmpty,
        long beginningSequenceNumber,
        long lastEnqueuedSequenceNumber,
        string lastEnqueuedOffsetString,
        DateTimeOffset lastEnqueuedTime)
    {
        EventHubName = eventHubName;
        Id = id;
        IsEmpty = isEmpty;
        BeginningSequenceNumber = beginningSequenceNumber;
        LastEnqueuedSequenceNumber = lastEnqueuedSequenceNumber;
        LastEnqueuedOffsetString = lastEnqueuedOffsetString;
        LastEnqueuedTime = lastEnqueuedTime;
    }

    /// <summary>The hub's name.</summary>
    public string EventHubName { get; }

    /// <summary>The partition id.</summary>
    public string Id { get; }

    /// <summary>Whether the partition holds no events.</summary>
    public bool IsEmpty { get; }

    /// <summary>The sequence number of the oldest retained event.</summary>
    public long BeginningSequenceNumber { get; }

    /// <summary>The sequence number of the newest event; -1 when the partition is empty.</summary>
    public long LastEnqueuedSequenceNumber { get; }

    /// <summary>The offset of the newest event; "-1" when the partition is empty.</summary>
    public string LastEnqueuedOffsetString { get; }

    /// <summary>When the newest event was enqueued.</summary>
    public DateTimeOffset LastEnqueuedTime { get; }
}
