using Azure;
using Azure.Core;
using SafetySurveillance.EventHubs.Amqp;

namespace SafetySurveillance.EventHubs.Consumer;

/// <summary>
/// Reads one partition in batches, for callers that want to control the pace themselves. Keeps one receiver link,
/// recovers it after transient failures from just after the last event received. Not for concurrent reads.
/// </summary>
public class PartitionReceiver : IAsyncDisposable
{
    private readonly EventHubConnection connection;
    private readonly bool ownsConnection;
    private readonly PartitionReceiverOptions options;
    private readonly AmqpPartitionConsumer consumer;
    private volatile bool closed;

    /// <summary>Creates a receiver from a connection string whose <c>EntityPath</c> names the hub.</summary>
    public PartitionReceiver(string consumerGroup, string partitionId, EventPosition eventPosition, string connectionString, PartitionReceiverOptions? options = null)
        : this(consumerGroup, partitionId, eventPosition, connectionString, null, options)
    {
    }

    /// <summary>Creates a receiver from a connection string and a hub name.</summary>
    public PartitionReceiver(string consumerGroup, string partitionId, EventPosition eventPosition, string connectionString, string? eventHubName, PartitionReceiverOptions? options = null)
        : this(consumerGroup, partitionId, eventPosition, new EventHubConnection(connectionString, eventHubName, (options ?? new()).ConnectionOptions), true, options)
    {
    }

    /// <summary>Creates a receiver that authorises with Entra ID.</summary>
    public PartitionReceiver(string consumerGroup, string partitionId, EventPosition eventPosition, string fullyQualifiedNamespace, string eventHubName, TokenCredential credential, PartitionReceiverOptions? options = null)
        : this(consumerGroup, partitionId, eventPosition, new EventHubConnection(fullyQualifiedNamespace, eventHubName, credential, (options ?? new()).ConnectionOptions), true, options)
    {
    }

    /// <summary>Creates a receiver that signs tokens with a shared access key.</summary>
    public PartitionReceiver(string consumerGroup, string partitionId, EventPosition eventPosition, string fullyQualifiedNamespace, string eventHubName, AzureNamedKeyCredential credential, PartitionReceiverOptions? options = null)
        : this(consumerGroup, partitionId, eventPosition, new EventHubConnection(fullyQualifiedNamespace, eventHubName, credential, (options ?? new()).ConnectionOptions), true, options)
    {
    }

    /// <summary>Creates a receiver on a shared connection, which the caller keeps and closes.</summary>
    public PartitionReceiver(string consumerGroup, string partitionId, EventPosition eventPosition, EventHubConnection connection, PartitionReceiverOptions? options = null)
        : this(consumerGroup, partitionId, eventPosition, connection ?? throw new ArgumentNullException(nameof(connection)), false, options)
    {
    }

    /// <summary>For substitution in tests.</summary>
    protected PartitionReceiver()
    {
        connection = null!;
        consumer = null!;
        options = new PartitionReceiverOptions();
        ConsumerGroup = EventHubConsumerClient.DefaultConsumerGroupName;
        PartitionId = string.Empty;
        Identifier = string.Empty;
    }

    private PartitionReceiver(string consumerGroup, string partitionId, EventPosition eventPosition, EventHubConnection connection, bool ownsConnection, PartitionReceiverOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumerGroup);
        ArgumentException.ThrowIfNullOrWhiteSpace(partitionId);
        this.connection = connection;
        this.ownsConnection = ownsConnection;
        this.options = options ?? new PartitionReceiverOptions();
        ConsumerGroup = consumerGroup;
        PartitionId = partitionId;
        InitialPosition = eventPosition;
        Identifier = this.options.Identifier ?? Guid.NewGuid().ToString();
        var readOptions = new ReadEventOptions
        {
            OwnerLevel = this.options.OwnerLevel,
            PrefetchCount = this.options.PrefetchCount,
            TrackLastEnqueuedEventProperties = this.options.TrackLastEnqueuedEventProperties,
        };
        consumer = new AmqpPartitionConsumer(connection.Scope, consumerGroup, partitionId, eventPosition, readOptions, this.options.RetryOptions.Clone(), Identifier);
    }

    /// <summary>The consumer group.</summary>
    public virtual string ConsumerGroup { get; }

    /// <summary>The partition.</summary>
    public virtual string PartitionId { get; }

    /// <summary>Where reading started.</summary>
    public virtual EventPosition InitialPosition { get; }

    /// <summary>The namespace host.</summary>
    public virtual string FullyQualifiedNamespace => connection.FullyQualifiedNamespace;

    /// <summary>The hub.</summary>
    public virtual string EventHubName => connection.EventHubName;

    /// <summary>This receiver's name, sent to the broker.</summary>
    public virtual string Identifier { get; }

    /// <summary>Whether the receiver has been closed.</summary>
    public virtual bool IsClosed => closed;

    /// <summary>How many receiver links have been opened; more than one means the link was recovered.</summary>
    internal int LinksOpened => consumer.LinksOpened;

    /// <summary>Waits up to the default wait time for events and returns up to <paramref name="maximumEventCount"/> of them; empty when none came.</summary>
    public virtual Task<IEnumerable<EventData>> ReceiveBatchAsync(int maximumEventCount, CancellationToken cancellationToken = default)
        => ReceiveBatchAsync(maximumEventCount, options.DefaultMaximumReceiveWaitTime, cancellationToken);

    /// <summary>Waits up to <paramref name="maximumWaitTime"/> for events and returns up to <paramref name="maximumEventCount"/> of them; empty when none came.</summary>
    public virtual async Task<IEnumerable<EventData>> ReceiveBatchAsync(int maximumEventCount, TimeSpan maximumWaitTime, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        return await consumer.ReceiveAsync(maximumEventCount, maximumWaitTime, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads this partition's properties from <c>$management</c>.</summary>
    public virtual Task<PartitionProperties> GetPartitionPropertiesAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        return AmqpManagement.GetPartitionPropertiesAsync(connection.Scope, PartitionId, options.RetryOptions, cancellationToken);
    }

    /// <summary>The newest event in the partition as last reported by the broker (needs <see cref="PartitionReceiverOptions.TrackLastEnqueuedEventProperties"/>).</summary>
    public virtual LastEnqueuedEventProperties ReadLastEnqueuedEventProperties() => consumer.LastEnqueued;

    /// <summary>Closes the receiver, and its connection when it owns one.</summary>
    public virtual async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        if (closed)
        {
            return;
        }

        closed = true;
        await consumer.DisposeAsync().ConfigureAwait(false);
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
            throw new EventHubsException(false, connection?.EventHubName, "The receiver has been closed.", EventHubsException.FailureReason.ClientClosed);
        }
    }
}
