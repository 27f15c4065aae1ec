using SafetySurveillance.EventHubs.Consumer;

namespace SafetySurveillance.EventHubs.Processor;

/// <summary>Where processors keep partition ownership and checkpoints, shared by every instance of a consumer group.</summary>
public abstract class CheckpointStore
{
    /// <summary>Lists every ownership record of the consumer group, active or not.</summary>
    public abstract Task<IReadOnlyList<EventProcessorPartitionOwnership>> ListOwnershipAsync(
        string fullyQualifiedNamespace, string eventHubName, string consumerGroup, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims or renews ownership records. A record with a <see cref="EventProcessorPartitionOwnership.Version"/> is
    /// claimed only if the stored one still has that version; one without is claimed only if none is stored.
    /// Returns the records that were claimed, with their new version and time; the others were lost to another owner.
    /// </summary>
    public abstract Task<IReadOnlyList<EventProcessorPartitionOwnership>> ClaimOwnershipAsync(
        IEnumerable<EventProcessorPartitionOwnership> desiredOwnership, CancellationToken cancellationToken = default);

    /// <summary>Reads a partition's checkpoint; <see langword="null"/> when none was written.</summary>
    public abstract Task<EventProcessorCheckpoint?> GetCheckpointAsync(
        string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId, CancellationToken cancellationToken = default);

    /// <summary>Writes a partition's checkpoint (unconditionally).</summary>
    public abstract Task UpdateCheckpointAsync(EventProcessorCheckpoint checkpoint, CancellationToken cancellationToken = default);
}

/// <summary>Who owns a partition, since when, and the store's version of the record (a blob ETag).</summary>
public sealed class EventProcessorPartitionOwnership
{
    /// <summary>The namespace host.</summary>
    public required string FullyQualifiedNamespace { get; init; }

    /// <summary>The hub.</summary>
    public required string EventHubName { get; init; }

    /// <summary>The consumer group.</summary>
    public required string ConsumerGroup { get; init; }

    /// <summary>The partition.</summary>
    public required string PartitionId { get; init; }

    /// <summary>The owning processor's identifier; empty when ownership was given up.</summary>
    public required string OwnerIdentifier { get; init; }

    /// <summary>When the record was last written; ownership expires a fixed interval after this.</summary>
    public DateTimeOffset LastModifiedTime { get; init; }

    /// <summary>The store's version of the record (the blob ETag); null for a record never stored.</summary>
    public string? Version { get; init; }
}

/// <summary>Where processing of a partition resumes: just after the event at <see cref="Offset"/> / <see cref="SequenceNumber"/>.</summary>
public sealed class EventProcessorCheckpoint
{
    /// <summary>The namespace host.</summary>
    public required string FullyQualifiedNamespace { get; init; }

    /// <summary>The hub.</summary>
    public required string EventHubName { get; init; }

    /// <summary>The consumer group.</summary>
    public required string ConsumerGroup { get; init; }

    /// <summary>The partition.</summary>
    public required string PartitionId { get; init; }

    /// <summary>The offset of the last processed event.</summary>
    public string? Offset { get; init; }

    /// <summary>The sequence number of the last processed event.</summary>
    public long? SequenceNumber { get; init; }

    /// <summary>The position to resume from: after the checkpointed event (by offset, as the official processors do, else by sequence number).</summary>
    public EventPosition StartingPosition => Offset is { Length: > 0 } offset
        ? EventPosition.FromOffset(offset, isInclusive: false)
        : EventPosition.FromSequenceNumber(SequenceNumber ?? -1, isInclusive: false);
}
