using SafetySurveillance.EventHubs.Consumer;

namespace SafetySurveillance.EventHubs.Processor;

/// <summary>One event for <see cref="EventProcessorClient.ProcessEventAsync"/>; <see cref="Data"/> is null when the wait time passed without events.</summary>
public readonly struct ProcessEventArgs
{
    private readonly Func<CancellationToken, Task>? checkpoint;

    /// <summary>Creates the arguments; public for substitution in tests.</summary>
    public ProcessEventArgs(PartitionContext partition, EventData? data, Func<CancellationToken, Task>? updateCheckpoint, CancellationToken cancellationToken = default)
    {
        Partition = partition;
        Data = data;
        checkpoint = updateCheckpoint;
        CancellationToken = cancellationToken;
    }

    /// <summary>The partition.</summary>
    public PartitionContext Partition { get; }

    /// <summary>The event, or null.</summary>
    public EventData? Data { get; }

    /// <summary>Whether there is an event.</summary>
    public bool HasEvent => Data is not null;

    /// <summary>Signalled when processing stops.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Records this event as processed: after a restart or a hand-over, processing resumes after it.</summary>
    public Task UpdateCheckpointAsync(CancellationToken cancellationToken = default)
        => checkpoint is null || Data is null ? throw new InvalidOperationException("There is no event to checkpoint.") : checkpoint(cancellationToken);
}

/// <summary>A batch of events from one partition for <see cref="EventProcessorClient.ProcessEventBatchAsync"/>; empty when the wait time passed without events.</summary>
public sealed class ProcessEventBatchArgs
{
    private readonly Func<EventData, CancellationToken, Task> checkpoint;

    /// <summary>Creates the arguments; public for substitution in tests.</summary>
    public ProcessEventBatchArgs(PartitionContext partition, IReadOnlyList<EventData> events, Func<EventData, CancellationToken, Task> updateCheckpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updateCheckpoint);
        Partition = partition;
        Events = events;
        checkpoint = updateCheckpoint;
        CancellationToken = cancellationToken;
    }

    /// <summary>The partition.</summary>
    public PartitionContext Partition { get; }

    /// <summary>The events, oldest first.</summary>
    public IReadOnlyList<EventData> Events { get; }

    /// <summary>Signalled when processing stops.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Records the last event of the batch as processed.</summary>
    public Task UpdateCheckpointAsync(CancellationToken cancellationToken = default)
        => Events.Count == 0 ? throw new InvalidOperationException("There is no event to checkpoint.") : checkpoint(Events[^1], cancellationToken);

    /// <summary>Records <paramref name="eventData"/> as processed.</summary>
    public Task UpdateCheckpointAsync(EventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        return checkpoint(eventData, cancellationToken);
    }
}

/// <summary>A failure inside the processor: in load balancing (no partition), reading a partition, or a handler.</summary>
/// <param name="PartitionId">The partition, when the failure concerns one.</param>
/// <param name="Operation">What was being done.</param>
/// <param name="Exception">The failure.</param>
/// <param name="CancellationToken">Signalled when processing stops.</param>
public readonly record struct ProcessErrorEventArgs(string? PartitionId, string Operation, Exception Exception, CancellationToken CancellationToken);

/// <summary>A partition is about to be processed; set <see cref="DefaultStartingPosition"/> to choose where it starts when it has no checkpoint.</summary>
public sealed class PartitionInitializingEventArgs
{
    /// <summary>Creates the arguments.</summary>
    public PartitionInitializingEventArgs(string partitionId, EventPosition defaultStartingPosition, CancellationToken cancellationToken = default)
    {
        PartitionId = partitionId;
        DefaultStartingPosition = defaultStartingPosition;
        CancellationToken = cancellationToken;
    }

    /// <summary>The partition.</summary>
    public string PartitionId { get; }

    /// <summary>Where to start without a checkpoint.</summary>
    public EventPosition DefaultStartingPosition { get; set; }

    /// <summary>Signalled when processing stops.</summary>
    public CancellationToken CancellationToken { get; }
}

/// <summary>A partition is no longer processed by this instance.</summary>
/// <param name="PartitionId">The partition.</param>
/// <param name="Reason">Why.</param>
/// <param name="CancellationToken">Signalled when processing stops.</param>
public readonly record struct PartitionClosingEventArgs(string PartitionId, ProcessingStoppedReason Reason, CancellationToken CancellationToken);

/// <summary>Why a partition stopped being processed.</summary>
public enum ProcessingStoppedReason
{
    /// <summary>The processor was stopped.</summary>
    Shutdown,

    /// <summary>Another instance took the partition.</summary>
    OwnershipLost,
}
