using System.Collections.Concurrent;
using Azure;
using Azure.Core;
using SafetySurveillance.EventHubs.Amqp;
using SafetySurveillance.EventHubs.Diagnostics;

namespace SafetySurveillance.EventHubs.Producer;

/// <summary>
/// Publishes events to an Event Hub: to the hub, to one partition, with a partition key, or through a publisher
/// endpoint. Every send is one <c>0x80013700</c> batch transfer, acknowledged by the broker before the task completes.
/// Thread-safe; sender links are opened on first use, kept, and re-opened after they fail.
/// </summary>
public class EventHubProducerClient : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, AmqpSender> senders = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim openGate = new(1, 1);
    private readonly EventHubConnection connection;
    private readonly bool ownsConnection;
    private readonly EventHubsRetryOptions retry;
    private volatile bool closed;

    /// <summary>Creates a producer from a connection string whose <c>EntityPath</c> names the hub.</summary>
    public EventHubProducerClient(string connectionString)
        : this(connectionString, null, null)
    {
    }

    /// <summary>Creates a producer from a connection string and a hub name.</summary>
    public EventHubProducerClient(string connectionString, string? eventHubName)
        : this(connectionString, eventHubName, null)
    {
    }

    /// <summary>Creates a producer from a connection string, a hub name and options.</summary>
    public EventHubProducerClient(string connectionString, string? eventHubName, EventHubProducerClientOptions? clientOptions)
        : this(new EventHubConnection(connectionString, eventHubName, (clientOptions ?? new()).ConnectionOptions), true, clientOptions)
    {
    }

    /// <summary>Creates a producer that authorises with Entra ID.</summary>
    public EventHubProducerClient(string fullyQualifiedNamespace, string eventHubName, TokenCredential credential, EventHubProducerClientOptions? clientOptions = null)
        : this(new EventHubConnection(fullyQualifiedNamespace, eventHubName, credential, (clientOptions ?? new()).ConnectionOptions), true, clientOptions)
    {
    }

    /// <summary>Creates a producer that signs tokens with a shared access key.</summary>
    public EventHubProducerClient(string fullyQualifiedNamespace, string eventHubName, AzureNamedKeyCredential credential, EventHubProducerClientOptions? clientOptions = null)
        : this(new EventHubConnection(fullyQualifiedNamespace, eventHubName, credential, (clientOptions ?? new()).ConnectionOptions), true, clientOptions)
    {
    }

    /// <summary>Creates a producer that presents a shared access signature.</summary>
    public EventHubProducerClient(string fullyQualifiedNamespace, string eventHubName, AzureSasCredential credential, EventHubProducerClientOptions? clientOptions = null)
        : this(new EventHubConnection(fullyQualifiedNamespace, eventHubName, credential, (clientOptions ?? new()).ConnectionOptions), true, clientOptions)
    {
    }

    /// <summary>Creates a producer on a shared connection, which the caller keeps and closes.</summary>
    public EventHubProducerClient(EventHubConnection connection, EventHubProducerClientOptions? clientOptions = null)
        : this(connection ?? throw new ArgumentNullException(nameof(connection)), false, clientOptions)
    {
    }

    /// <summary>For substitution in tests.</summary>
    protected EventHubProducerClient()
    {
        connection = null!;
        retry = new EventHubsRetryOptions();
        Identifier = string.Empty;
    }

    private EventHubProducerClient(EventHubConnection connection, bool ownsConnection, EventHubProducerClientOptions? clientOptions)
    {
        this.connection = connection;
        this.ownsConnection = ownsConnection;
        retry = (clientOptions?.RetryOptions ?? new EventHubsRetryOptions()).Clone();
        Identifier = clientOptions?.Identifier ?? Guid.NewGuid().ToString();
    }

    /// <summary>The namespace host.</summary>
    public virtual string FullyQualifiedNamespace => connection.FullyQualifiedNamespace;

    /// <summary>The hub this producer publishes to.</summary>
    public virtual string EventHubName => connection.EventHubName;

    /// <summary>This producer's name in logs.</summary>
    public virtual string Identifier { get; }

    /// <summary>Whether the producer has been closed.</summary>
    public virtual bool IsClosed => closed;

    private AmqpConnectionScope Scope => connection.Scope;

    /// <summary>Reads the hub's properties from <c>$management</c>.</summary>
    public virtual Task<EventHubProperties> GetEventHubPropertiesAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        return AmqpManagement.GetEventHubPropertiesAsync(Scope, retry, cancellationToken);
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
        return AmqpManagement.GetPartitionPropertiesAsync(Scope, partitionId, retry, cancellationToken);
    }

    /// <summary>Creates an empty batch for the hub, sized to the sender link's max-message-size.</summary>
    public virtual ValueTask<EventDataBatch> CreateBatchAsync(CancellationToken cancellationToken = default)
        => CreateBatchAsync(new CreateBatchOptions(), cancellationToken);

    /// <summary>Creates an empty batch for the given target, sized to the sender link's max-message-size or smaller.</summary>
    public virtual async ValueTask<EventDataBatch> CreateBatchAsync(CreateBatchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfClosed();
        var copy = options.Clone();
        copy.Validate();
        var path = copy.EntityPath(EventHubName);
        var sender = await RetryRunner.RunAsync(
            token => GetSenderAsync(path, token),
            retry,
            Scope.TimeProvider,
            EventHubName,
            $"open sender {path}",
            cancellationToken).ConfigureAwait(false);
        var maximum = copy.MaximumSizeInBytes ?? sender.MaximumMessageSize;
        if (maximum <= 0 || maximum > sender.MaximumMessageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"MaximumSizeInBytes must be between 1 and the link's max-message-size, {sender.MaximumMessageSize}.");
        }

        return new EventDataBatch(maximum, copy);
    }

    /// <summary>Sends events to the hub as one batch.</summary>
    public virtual Task SendAsync(IEnumerable<EventData> eventBatch, CancellationToken cancellationToken = default)
        => SendAsync(eventBatch, new SendEventOptions(), cancellationToken);

    /// <summary>Sends events as one batch to the target in <paramref name="options"/>.</summary>
    public virtual async Task SendAsync(IEnumerable<EventData> eventBatch, SendEventOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventBatch);
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfClosed();
        options.Validate();
        var encoded = eventBatch.Select(e => AmqpEventConverter.Encode(e, options.PartitionKey)).ToList();
        if (encoded.Count == 0)
        {
            throw new ArgumentException("There are no events to send.", nameof(eventBatch));
        }

        await SendEncodedAsync(encoded, options.EntityPath(EventHubName), options.PartitionKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a batch made by <see cref="CreateBatchAsync(CreateBatchOptions, CancellationToken)"/>.</summary>
    public virtual async Task SendAsync(EventDataBatch eventBatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventBatch);
        ThrowIfClosed();
        var encoded = eventBatch.Snapshot();
        if (encoded.Count == 0)
        {
            throw new ArgumentException("The batch is empty.", nameof(eventBatch));
        }

        await SendEncodedAsync(encoded, eventBatch.Options.EntityPath(EventHubName), eventBatch.Options.PartitionKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the producer's links, and its connection when it owns one.</summary>
    public virtual async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        if (closed)
        {
            return;
        }

        closed = true;
        foreach (var sender in senders.Values)
        {
            await sender.CloseAsync().ConfigureAwait(false);
        }

        senders.Clear();
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

    private async Task SendEncodedAsync(IReadOnlyList<byte[]> encoded, string path, string? partitionKey, CancellationToken cancellationToken)
    {
        using var activity = EventHubsDiagnostics.StartSend(EventHubName, path, encoded.Count);
        try
        {
            await SendWithRetriesAsync(encoded, path, partitionKey, cancellationToken).ConfigureAwait(false);
            EventHubsDiagnostics.EventsSent.Add(encoded.Count, EventHubsDiagnostics.Hub(EventHubName));
        }
        catch (Exception exception)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, exception.Message);
            throw;
        }
    }

    private Task SendWithRetriesAsync(IReadOnlyList<byte[]> encoded, string path, string? partitionKey, CancellationToken cancellationToken)
        => RetryRunner.RunAsync(
            async token =>
            {
                var sender = await GetSenderAsync(path, token).ConfigureAwait(false);
                var size = AmqpEventConverter.EnvelopeOverhead(partitionKey) + encoded.Sum(e => AmqpEventConverter.DataSectionSize(e.Length));
                if (size > sender.MaximumMessageSize)
                {
                    throw new EventHubsException(
                        false,
                        EventHubName,
                        $"The batch is {size} bytes; the link to {path} accepts at most {sender.MaximumMessageSize}.",
                        EventHubsException.FailureReason.MessageSizeExceeded);
                }

                var message = AmqpEventConverter.CreateBatchMessage(encoded, partitionKey);
                await sender.Link.SendAsync(message, retry.TryTimeout).WaitAsync(token).ConfigureAwait(false);
            },
            retry,
            Scope.TimeProvider,
            EventHubName,
            $"send to {path}",
            cancellationToken);

    private async Task<AmqpSender> GetSenderAsync(string path, CancellationToken cancellationToken)
    {
        if (senders.TryGetValue(path, out var existing) && !existing.IsClosed)
        {
            return existing;
        }

        await openGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosed();
            if (senders.TryGetValue(path, out existing))
            {
                if (!existing.IsClosed)
                {
                    return existing;
                }

                await existing.CloseAsync().ConfigureAwait(false);
            }

            var opened = await Scope.OpenSenderAsync(path, retry.TryTimeout, cancellationToken).ConfigureAwait(false);
            senders[path] = opened;
            return opened;
        }
        finally
        {
            openGate.Release();
        }
    }

    private void ThrowIfClosed()
    {
        if (closed || connection.IsClosed)
        {
            throw new EventHubsException(false, connection?.EventHubName, "The producer has been closed.", EventHubsException.FailureReason.ClientClosed);
        }
    }
}
