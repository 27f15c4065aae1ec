using System.Runtime.CompilerServices;
using Azure;
using Azure.Core;
using SafetySurveillance.EventHubs.Amqp;

namespace SafetySurveillance.EventHubs.Consumer;

/// <summary>
/// Reads events from the partitions of an Event Hub for one consumer group. Each read opens its own receiver link,
/// which recovers from transient failures without losing or repeating events. Thread-safe.
/// </summary>
public class EventHubConsumerClient : IAsyncDisposable
{
    /// <summary>The consumer group every hub has.</summary>
    public const string DefaultConsumerGroupName = "$Default";

    private readonly EventHubConnection connection;
    private readonly bool ownsConnection;
    private readonly EventHubsRetryOptions retry;
    private volatile bool closed;

    /// <summary>Creates a consumer from a connection string whose <c>EntityPath</c> names the hub.</summary>
    public EventHubConsumerClient(string consumerGroup, string connectionString)
        : this(consumerGroup, connectionString, null, null)
    {
    }

    /// <summary>Creates a consumer from a connection string and a hub name.</summary>
    public EventHubConsumerClient(string consumerGroup, string connectionString, string? eventHubName, EventHubConsumerClientOptions? clientOptions = null)
        : this(consumerGroup, new EventHubConnection(connectionString, eventHubName, (clientOptions ?? new()).ConnectionOptions), true, clientOptions)
    {
    }

    /// <summary>Creates a consumer that authorises with Entra ID.</summary>
    public EventHubConsumerClient(string consumerGroup, string fullyQualifiedNamespace, string eventHubName, TokenCredential credential, EventHubConsumerClientOptions? clientOptions = null)
        : this(consumerGroup, new EventHubConnection(fullyQualifiedNamespace, eventHubName, credential, (clientOptions ?? new()).ConnectionOptions), true, clientOptions)
    {
    }

    /// <summary>Creates a consumer that signs tokens with a shared access key.</summary>
    public EventHubConsumerClient(string consumerGroup, string fullyQualifiedNamespace, string eventHubName, AzureNamedKeyCredential credential, EventHubConsumerClientOptions? clientOptions = null)
        : this(consumerGroup, new EventHubConnection(fullyQualifiedNamespace, eventHubName, credential, (clientOptions ?? new()).ConnectionOptions), true, clientOptions)
    {
    }

    /// <summary>Creates a consumer that presents a shared access signature.</summary>
    public EventHubConsumerClient(string consumerGroup, string fullyQualifiedNamespace, string eventHubName, AzureSasCredential credential, EventHubConsumerClientOptions? clientOptions = null)
        : this(consumerGroup, new EventHubConnection(fullyQualifiedNamespace, eventHubName, credential, (clientOptions ?? new()).ConnectionOptions), true, clientOptions)
    {
    }

    /// <summary>Creates a consumer on a shared connection, which the caller keeps and closes.</summary>
    public EventHubConsumerClient(string consumerGroup, EventHubConnection connection, EventHubConsumerClientOptions? clientOptions = null)
        : this(consumerGroup, connection ?? throw new ArgumentNullException(nameof(connection)), false, clientOptions)
    {
    }

    /// <summary>For substitution in tests.</summary>
    protected EventHubConsumerClient()
    {
        connection = null!;
        retry = new EventHubsRetryOptions();
        ConsumerGroup = DefaultConsumerGroupName;
        Identifier = string.Empty;
    }

    private EventHubConsumerClient(string consumerGroup, EventHubConnection connection, bool ownsConnection, EventHubConsumerClientOptions? clientOptions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumerGroup);
        ConsumerGroup = consumerGroup;
        this.connection = connection;
        this.ownsConnection = ownsConnection;
        retry = (clientOptions?.RetryOptions ?? new EventHubsRetryOptions()).Clone();
        Identifier = clientOptions?.Identifier ?? Guid.NewGuid().ToString();
    }

    /// <summary>The consumer group.</summary>
    public virtual string ConsumerGroup { get; }

    /// <summary>The namespace host.</summary>
    public virtual string FullyQualifiedNamespace => connection.FullyQualifiedNamespace;

    /// <summary>The hub.</summary>
    public virtual string EventHubName => connection.EventHubName;

    /// <summary>This consumer's name, sent to the broker as the receiver name.</summary>
    public virtual string Identifier { get; }

    /// <summary>Whether the consumer has been closed.</summary>
    public virtual bool IsClosed => closed;

    /// <summary>Reads the hub's properties from <c>$management</c>.</summary>
    public virtual Task<EventHubProperties> GetEventHubPropertiesAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        return AmqpManagement.GetEventHubPropertiesAsync(connection.Scope, retry, cancellationToken);
    }

    /// <summary>Reads the hub's partition ids from <c>$management</c>.</summary>
    public virtual async Task<string[]> GetPartitionIdsAsync(CancellationToken cancellationToken = default)
    {
        var properties = await GetEventHubPropertiesAsync(cancellationToken).ConfigureAwait(false);
        return [.. properties.PartitionIds];
    }

    /// <summary>Reads one partition's properties from <c>$management</c>.</summary>
    public virtual Task<PartitionProperties> GetPartitionPropertiesAsync(string partitionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(partitionId);
        ThrowIfClosed();
        return AmqpManagement.GetPartitionPropertiesAsync(connection.Scope, partitionId, retry, cancellationToken);
    }

    /// <summary>Reads a partition from <paramref name="startingPosition"/> until cancelled.</summary>
    public virtual IAsyncEnumerable<PartitionEvent> ReadEventsFromPartitionAsync(string partitionId, EventPosition startingPosition, CancellationToken cancellationToken = default)
        => ReadEventsFromPartitionAsync(partitionId, startingPosition, new ReadEventOptions(), cancellationToken);

    /// <summary>Reads a partition from <paramref name="startingPosition"/> until cancelled, with owner level, prefetch and wait options.</summary>
    public virtual async IAsyncEnumerable<PartitionEvent> ReadEventsFromPartitionAsync(
        string partitionId,
        EventPosition startingPosition,
        ReadEventOptions readOptions,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(partitionId);
        ArgumentNullException.ThrowIfNull(readOptions);
        ThrowIfClosed();
        var consumer = new AmqpPartitionConsumer(connection.Scope, ConsumerGroup, partitionId, startingPosition, readOptions, retry, Identifier);
        await using (consumer.ConfigureAwait(false))
        {
            var context = new PartitionContext(FullyQualifiedNamespace, EventHubName, ConsumerGroup, partitionId, () => consumer.LastEnqueued);
            var batchSize = Math.Max(1, Math.Min(readOptions.PrefetchCount, 100));
            while (!cancellationToken.IsCancellationRequested)
            {
                ThrowIfClosed();
                IReadOnlyList<EventData> events;
                try
                {
                    events = await consumer.ReceiveAsync(batchSize, readOptions.MaximumWaitTime, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }

                if (events.Count == 0)
                {
                    yield return new PartitionEvent(context, null);
                }

                foreach (var eventData in events)
                {
                    yield return new PartitionEvent(context, eventData);
                }
            }
        }
    }

    /// <summary>Closes the consumer, and its connection when it owns one.</summary>
    public virtual async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        if (closed)
        {
            return;
        }

        closed = true;
        if (ownsConnection)
        {
            await connection.CloseAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public virtual async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    private void ThrowIfClosed()
    {
        if (closed || connection.IsClosed)
        {
            throw new EventHubsException(false, connection?.EventHubName, "The consumer has been closed.", EventHubsException.FailureReason.ClientClosed);
        }
    }
}
