using SafetySurveillance.EventHubs.Producer;

namespace SafetySurveillance.EventHubs;

/// <summary>Builds the client's result types for tests that substitute the clients (e.g. a received <see cref="EventData"/>).</summary>
public static class EventHubsModelFactory
{
    /// <summary>An event as a consumer would receive it, with broker-stamped system properties.</summary>
    public static EventData EventData(
        BinaryData eventBody,
        IDictionary<string, object>? properties = null,
        IReadOnlyDictionary<string, object>? systemProperties = null,
        string? partitionKey = null,
        long sequenceNumber = long.MinValue,
        string? offsetString = null,
        DateTimeOffset enqueuedTime = default,
        string? publisherName = null)
        => new(eventBody, properties, systemProperties, sequenceNumber, offsetString, enqueuedTime, partitionKey, publisherName);

    /// <summary>A hub's properties.</summary>
    public static EventHubProperties EventHubProperties(string name, DateTimeOffset createdOn, IReadOnlyList<string> partitionIds)
        => new(name, createdOn, partitionIds);

    /// <summary>A partition's properties.</summary>
    public static PartitionProperties PartitionProperties(
        string eventHubName,
        string partitionId,
        bool isEmpty,
        long beginningSequenceNumber,
        long lastEnqueuedSequenceNumber,
        string lastEnqueuedOffsetString,
        DateTimeOffset lastEnqueuedTime)
        => new(eventHubName, partitionId, isEmpty, beginningSequenceNumber, lastEnqueuedSequenceNumber, lastEnqueuedOffsetString, lastEnqueuedTime);

    /// <summary>An empty batch with the given limit, as <see cref="EventHubProducerClient.CreateBatchAsync(CreateBatchOptions, CancellationToken)"/> returns.</summary>
    public static EventDataBatch EventDataBatch(long maximumSizeInBytes, CreateBatchOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumSizeInBytes, 1);
        return new EventDataBatch(maximumSizeInBytes, options?.Clone() ?? new CreateBatchOptions());
    }
}
