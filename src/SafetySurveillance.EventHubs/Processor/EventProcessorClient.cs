using System.Collections.Concurrent;
using Azure.Core;
using Azure.Storage.Blobs;
using SafetySurveillance.EventHubs.Amqp;
using SafetySurveillance.EventHubs.Consumer;
using SafetySurveillance.EventHubs.Diagnostics;

namespace SafetySurveillance.EventHubs.Processor;

/// <summary>
/// Processes every partition of an Event Hub for one consumer group, sharing the partitions with the other
/// instances that use the same checkpoint store, and resuming each partition after its last checkpoint.
/// Uses the official processors' blob layout, so it interoperates with them. Give it exactly one of
/// <see cref="ProcessEventAsync"/> and <see cref="ProcessEventBatchAsync"/>, and <see cref="ProcessErrorAsync"/>.
/// Partitions are read with owner level 0, so an instance that takes over a partition disconnects the previous reader.
/// </summary>
public class EventProcessorClient : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, PartitionPump> pumps = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim stateGate = new(1, 1);
    private readonly CheckpointStore store;
    private readonly EventHubConnection connection;
    private readonly bool ownsConnection;
    private readonly EventProcessorClientOptions options;
    private readonly TimeProvider timeProvider;
    private Func<ProcessEventArgs, Task>? processEvent;
    private Func<ProcessEventBatchArgs, Task>? processBatch;
    private Func<ProcessErrorEventArgs, Task>? processError;
    private Func<PartitionInitializingEventArgs, Task>? partitionInitializing;
    private Func<PartitionClosingEventArgs, Task>? partitionClosing;
    private CancellationTokenSource? running;
    private Task? loop;
    private PartitionLoadBalancer? balancer;

    /// <summary>Creates a processor with blob checkpoints from a connection string whose <c>EntityPath</c> names the hub.</summary>
    public EventProcessorClient(BlobContainerClient checkpointStore, string consumerGroup, string connectionString, EventProcessorClientOptions? clientOptions = null)
        : this(checkpointStore, consumerGroup, connectionString, null, clientOptions)
    {
    }

    /// <summary>Creates a processor with blob checkpoints from a connection string and a hub name.</summary>
    public EventProcessorClient(BlobContainerClient checkpointStore, string consumerGroup, string connectionString, string? eventHubName, EventProcessorClientOptions? clientOptions = null)
        : this(new BlobCheckpointStore(checkpointStore), consumerGroup, new EventHubConnection(connectionString, eventHubName, (clientOptions ?? new()).ConnectionOptions), true, clientOptions)
    {
    }

    /// <summary>Creates a processor with blob checkpoints that authorises with Entra ID.</summary>
    public EventProcessorClient(BlobContainerClient checkpointStore, string consumerGroup, string fullyQualifiedNamespace, string eventHubName, TokenCredential credential, EventProcessorClientOptions? clientOptions = null)
        : this(new BlobCheckpointStore(checkpointStore), consumerGroup, new EventHubConnection(fullyQualifiedNamespace, eventHubName, credential, (clientOptions ?? new()).ConnectionOptions), true, clientOptions)
    {
    }

    /// <summary>Creates a processor over any checkpoint store and a shared connection, which the caller keeps and closes.</summary>
    public EventProcessorClient(CheckpointStore checkpointStore, string consumerGroup, EventHubConnection connection, EventProcessorClientOptions? clientOptions = null)
        : this(checkpointStore, consumerGroup, connection ?? throw new ArgumentNullException(nameof(connection)), false, clientOptions)
    {
    }

    /// <summary>For substitution in tests.</summary>
    protected EventProcessorClient()
    {
        store = null!;
        connection = null!;
        options = new EventProcessorClientOptions();
        timeProvider = TimeProvider.System;
        ConsumerGroup = EventHubConsumerClient.DefaultConsumerGroupName;
        Identifier = string.Empty;
    }

    private EventProcessorClient(CheckpointStore checkpointStore, string consumerGroup, EventHubConnection connection, bool ownsConnection, EventProcessorClientOptions? clientOptions)
    {
        ArgumentNullException.ThrowIfNull(checkpointStore);
        ArgumentException.ThrowIfNullOrWhiteSpace(consumerGroup);
        store = checkpointStore;
        ConsumerGroup = consumerGroup;
        this.connection = connection;
        this.ownsConnection = ownsConnection;
        options = clientOptions ?? new EventProcessorClientOptions();
        timeProvider = options.ConnectionOptions.TimeProvider;
        Identifier = options.Identifier ?? Guid.NewGuid().ToString();
    }

    /// <summary>Handles one event at a time. Exactly one of this and <see cref="ProcessEventBatchAsync"/> must be set.</summary>
    public event Func<ProcessEventArgs, Task> ProcessEventAsync
    {
        add => processEvent = SetOnce(processEvent, value);
        remove => processEvent = processEvent == value ? null : processEvent;
    }

    /// <summary>Handles a batch of up to <see cref="EventProcessorClientOptions.MaximumBatchSize"/> events from one partition.</summary>
    public event Func<ProcessEventBatchArgs, Task> ProcessEventBatchAsync
    {
        add => processBatch = SetOnce(processBatch, value);
        remove => processBatch = processBatch == value ? null : processBatch;
    }

    /// <summary>Hears about failures; processing goes on after them.</summary>
    public event Func<ProcessErrorEventArgs, Task> ProcessErrorAsync
    {
        add => processError = SetOnce(processError, value);
        remove => processError = processError == value ? null : processError;
    }

    /// <summary>Hears that a partition is about to be processed, and may choose its default starting position.</summary>
    public event Func<PartitionInitializingEventArgs, Task> PartitionInitializingAsync
    {
        add => partitionInitializing = SetOnce(partitionInitializing, value);
        remove => partitionInitializing = partitionInitializing == value ? null : partitionInitializing;
    }

    /// <summary>Hears that a partition is no longer processed here.</summary>
    public event Func<PartitionClosingEventArgs, Task> PartitionClosingAsync
    {
        add => partitionClosing = SetOnce(partitionClosing, value);
        remove => partitionClosing = partitionClosing == value ? null : partitionClosing;
    }

    /// <summary>This instance's owner identifier.</summary>
    public virtual string Identifier { get; }

    /// <summary>The consumer group.</summary>
    public virtual string ConsumerGroup { get; }

    /// <summary>The namespace host, as used in blob names (lower-cased there).</summary>
    public virtual string FullyQualifiedNamespace => connection.FullyQualifiedNamespace;

    /// <summary>The hub.</summary>
    public virtual string EventHubName => connection.EventHubName;

    /// <summary>Whether processing has been started and not stopped.</summary>
    public virtual bool IsRunning => running is { IsCancellationRequested: false };

    /// <summary>The partitions this instance is processing now.</summary>
    public virtual IReadOnlyCollection<string> OwnedPartitionIds => pumps.Keys.ToList();

    /// <summary>Starts load balancing and processing in the background.</summary>
    public virtual async Task StartProcessingAsync(CancellationToken cancellationToken = default)
    {
        if (processEvent is null == (processBatch is null))
        {
            throw new InvalidOperationException("Set exactly one of ProcessEventAsync and ProcessEventBatchAsync.");
        }

        if (processError is null)
        {
            throw new InvalidOperationException("Set ProcessErrorAsync.");
        }

        await stateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsRunning)
            {
                return;
            }

            balancer = new PartitionLoadBalancer(
                store, FullyQualifiedNamespace, EventHubName, ConsumerGroup, Identifier,
                options.PartitionOwnershipExpirationInterval, options.LoadBalancingStrategy, timeProvider);
            running = new CancellationTokenSource();
            loop = RunAsync(running.Token);
        }
        finally
        {
            stateGate.Release();
        }
    }

    /// <summary>Stops processing, waits for handlers to finish, and gives up ownership so other instances take over at once.</summary>
    public virtual async Task StopProcessingAsync(CancellationToken cancellationToken = default)
    {
        await stateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (running is null || loop is null)
            {
                return;
            }

            await running.CancelAsync().ConfigureAwait(false);
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }

            foreach (var partitionId in pumps.Keys.ToList())
            {
                await StopPumpAsync(partitionId, ProcessingStoppedReason.Shutdown).ConfigureAwait(false);
            }

            try
            {
                await balancer!.RelinquishAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                await ReportAsync(null, "relinquish ownership", exception, CancellationToken.None).ConfigureAwait(false);
            }

            running.Dispose();
            running = null;
            loop = null;
        }
        finally
        {
            stateGate.Release();
        }
    }

    /// <inheritdoc />
    public virtual async ValueTask DisposeAsync()
    {
        await StopProcessingAsync().ConfigureAwait(false);
        if (ownsConnection)
        {
            await connection.CloseAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    private static T SetOnce<T>(T? current, T value)
        where T : Delegate
    {
        ArgumentNullException.ThrowIfNull(value);
        return current is null ? value : throw new NotSupportedException("A handler is already set; remove it first.");
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        string[]? partitionIds = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                partitionIds ??= [.. (await AmqpManagement.GetEventHubPropertiesAsync(connection.Scope, options.RetryOptions, cancellationToken).ConfigureAwait(false)).PartitionIds];
                var owned = await balancer!.RunAsync(partitionIds, cancellationToken).ConfigureAwait(false);
                foreach (var partitionId in pumps.Keys.Where(id => !owned.Contains(id)).ToList())
                {
                    await StopPumpAsync(partitionId, ProcessingStoppedReason.OwnershipLost).ConfigureAwait(false);
                }

                foreach (var partitionId in owned)
                {
                    if (!pumps.TryGetValue(partitionId, out var pump) || pump.Completion.IsCompleted)
                    {
                        pumps[partitionId] = StartPump(partitionId, cancellationToken);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                await ReportAsync(null, "load balancing", exception, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await Task.Delay(options.LoadBalancingUpdateInterval, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private PartitionPump StartPump(string partitionId, CancellationToken processorToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(processorToken);
        return new PartitionPump(stop, PumpAsync(partitionId, stop.Token));
    }

    private async Task StopPumpAsync(string partitionId, ProcessingStoppedReason reason)
    {
        if (!pumps.TryRemove(partitionId, out var pump))
        {
            return;
        }

        await pump.Stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await pump.Completion.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        pump.Stop.Dispose();
        if (partitionClosing is { } closing)
        {
            try
            {
                await closing(new PartitionClosingEventArgs(partitionId, reason, CancellationToken.None)).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                await ReportAsync(partitionId, "partition closing handler", exception, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task PumpAsync(string partitionId, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            var checkpoint = await store.GetCheckpointAsync(FullyQualifiedNamespace, EventHubName, ConsumerGroup, partitionId, cancellationToken).ConfigureAwait(false);
            EventPosition position;
            if (checkpoint is not null)
            {
                position = checkpoint.StartingPosition;
            }
            else
            {
                var initializing = new PartitionInitializingEventArgs(partitionId, options.DefaultStartingPosition, cancellationToken);
                if (partitionInitializing is { } handler)
                {
                    await handler(initializing).ConfigureAwait(false);
                }

                position = initializing.DefaultStartingPosition;
            }

            var readOptions = new ReadEventOptions
            {
                OwnerLevel = 0,
                PrefetchCount = options.PrefetchCount,
                TrackLastEnqueuedEventProperties = options.TrackLastEnqueuedEventProperties,
            };
            var consumer = new AmqpPartitionConsumer(connection.Scope, ConsumerGroup, partitionId, position, readOptions, options.RetryOptions.Clone(), Identifier);
            await using (consumer.ConfigureAwait(false))
            {
                var context = new PartitionContext(FullyQualifiedNamespace, EventHubName, ConsumerGroup, partitionId, () => consumer.LastEnqueued);
                var batchSize = processBatch is null ? Math.Min(options.PrefetchCount, 100) : options.MaximumBatchSize;
                while (!cancellationToken.IsCancellationRequested)
                {
                    var events = await consumer.ReceiveAsync(Math.Max(1, batchSize), options.MaximumWaitTime, cancellationToken).ConfigureAwait(false);
                    if (events.Count == 0 && options.MaximumWaitTime is null)
                    {
                        continue;
                    }

                    await DispatchAsync(context, events, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (EventHubsException exception) when (exception.Reason == EventHubsException.FailureReason.ConsumerDisconnected)
        {
            // Another instance opened the partition with an equal or higher owner level: it is theirs now.
            balancer?.Forget(partitionId);
            await ReportAsync(partitionId, "read partition", exception, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // The next load-balancing cycle restarts the partition if this instance still owns it.
            await ReportAsync(partitionId, "read partition", exception, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DispatchAsync(PartitionContext context, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        try
        {
            if (processBatch is { } batchHandler)
            {
                await batchHandler(new ProcessEventBatchArgs(context, events, (e, token) => CheckpointAsync(context.PartitionId, e, token), cancellationToken)).ConfigureAwait(false);
                return;
            }

            var handler = processEvent!;
            if (events.Count == 0)
            {
                await handler(new ProcessEventArgs(context, null, null, cancellationToken)).ConfigureAwait(false);
                return;
            }

            foreach (var eventData in events)
            {
                await handler(new ProcessEventArgs(context, eventData, token => CheckpointAsync(context.PartitionId, eventData, token), cancellationToken)).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A handler's own failure does not stop the partition: the handler owns its retries, as in the official SDK.
            await ReportAsync(context.PartitionId, "event handler", exception, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CheckpointAsync(string partitionId, EventData eventData, CancellationToken cancellationToken)
    {
        await WriteCheckpointAsync(partitionId, eventData, cancellationToken).ConfigureAwait(false);
        EventHubsDiagnostics.Checkpoints.Add(1, EventHubsDiagnostics.Hub(EventHubName));
    }

    private Task WriteCheckpointAsync(string partitionId, EventData eventData, CancellationToken cancellationToken)
        => store.UpdateCheckpointAsync(
            new EventProcessorCheckpoint
            {
                FullyQualifiedNamespace = FullyQualifiedNamespace,
                EventHubName = EventHubName,
                ConsumerGroup = ConsumerGroup,
                PartitionId = partitionId,
                Offset = eventData.OffsetString,
                SequenceNumber = eventData.SequenceNumber == long.MinValue ? null : eventData.SequenceNumber,
            },
            cancellationToken);

    private async Task ReportAsync(string? partitionId, string operation, Exception exception, CancellationToken cancellationToken)
    {
        if (processError is not { } handler)
        {
            return;
        }

        try
        {
            await handler(new ProcessErrorEventArgs(partitionId, operation, exception, cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The error handler's own failure has nowhere further to go.
        }
    }

    private sealed record PartitionPump(CancellationTokenSource Stop, Task Completion);
}
