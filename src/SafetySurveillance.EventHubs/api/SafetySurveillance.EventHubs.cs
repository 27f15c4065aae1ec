// The public API of SafetySurveillance.EventHubs. Checked by PublicApiTests; regenerate with UPDATE_API_LISTING=1.
namespace SafetySurveillance.EventHubs
{
    public class EventData
    {
        protected internal EventData(System.BinaryData eventBody, System.Collections.Generic.IDictionary<string, object>? properties, System.Collections.Generic.IReadOnlyDictionary<string, object>? systemProperties, long sequenceNumber, string? offsetString, System.DateTimeOffset enqueuedTime, string? partitionKey, string? publisherName);
        public EventData();
        public EventData(System.BinaryData eventBody);
        public EventData(System.ReadOnlyMemory<byte> eventBody);
        public EventData(string eventBody);
        public System.ReadOnlyMemory<byte> Body { get; }
        public string? ContentType { get; set; }
        public string? CorrelationId { get; set; }
        public System.DateTimeOffset EnqueuedTime { get; }
        public System.BinaryData EventBody { get; set; }
        public string? MessageId { get; set; }
        public string? OffsetString { get; }
        public string? PartitionKey { get; }
        public System.Collections.Generic.IDictionary<string, object> Properties { get; }
        public string? PublisherName { get; }
        public long SequenceNumber { get; }
        public System.Collections.Generic.IReadOnlyDictionary<string, object> SystemProperties { get; }
    }
    public class EventHubConnection : System.IAsyncDisposable
    {
        protected EventHubConnection();
        public EventHubConnection(string connectionString);
        public EventHubConnection(string connectionString, string? eventHubName, SafetySurveillance.EventHubs.EventHubConnectionOptions? connectionOptions = default);
        public EventHubConnection(string fullyQualifiedNamespace, string eventHubName, Azure.AzureNamedKeyCredential credential, SafetySurveillance.EventHubs.EventHubConnectionOptions? connectionOptions = default);
        public EventHubConnection(string fullyQualifiedNamespace, string eventHubName, Azure.AzureSasCredential credential, SafetySurveillance.EventHubs.EventHubConnectionOptions? connectionOptions = default);
        public EventHubConnection(string fullyQualifiedNamespace, string eventHubName, Azure.Core.TokenCredential credential, SafetySurveillance.EventHubs.EventHubConnectionOptions? connectionOptions = default);
        public virtual string EventHubName { get; }
        public virtual string FullyQualifiedNamespace { get; }
        public virtual bool IsClosed { get; }
        public virtual System.Threading.Tasks.Task CloseAsync(System.Threading.CancellationToken cancellationToken = default);
        public System.Threading.Tasks.ValueTask DisposeAsync();
    }
    public sealed class EventHubConnectionOptions
    {
        public EventHubConnectionOptions();
        public System.TimeSpan ConnectionIdleTimeout { get; set; }
        public System.Uri? CustomEndpointAddress { get; set; }
        public System.TimeSpan OperationTimeout { get; set; }
        public System.TimeSpan SharedAccessSignatureValidity { get; set; }
        public System.TimeProvider TimeProvider { get; set; }
        public bool UseDevelopmentEmulator { get; set; }
    }
    public sealed class EventHubProperties
    {
        public System.DateTimeOffset CreatedOn { get; }
        public string Name { get; }
        public System.Collections.Generic.IReadOnlyList<string> PartitionIds { get; }
    }
    public sealed class EventHubsConnectionStringProperties
    {
        public const int AmqpPort = 5672;
        public const int AmqpsPort = 5671;
        public System.Uri Endpoint { get; }
        public string? EventHubName { get; }
        public string FullyQualifiedNamespace { get; }
        public int Port { get; }
        public string? SharedAccessKey { get; }
        public string? SharedAccessKeyName { get; }
        public string? SharedAccessSignature { get; }
        public bool UseDevelopmentEmulator { get; }
        public static SafetySurveillance.EventHubs.EventHubsConnectionStringProperties Parse(string connectionString);
    }
    public sealed class EventHubsException : System.Exception
    {
        public EventHubsException();
        public EventHubsException(bool isTransient, string? eventHubName, string message, SafetySurveillance.EventHubs.EventHubsException.FailureReason reason = SafetySurveillance.EventHubs.EventHubsException.FailureReason.GeneralError, System.Exception? innerException = default);
        public EventHubsException(string message);
        public EventHubsException(string message, System.Exception innerException);
        public string? EventHubName { get; }
        public bool IsTransient { get; }
        public SafetySurveillance.EventHubs.EventHubsException.FailureReason Reason { get; }
        public enum FailureReason
        {
            GeneralError = 0,
            ClientClosed = 1,
            ConsumerDisconnected = 2,
            ResourceNotFound = 3,
            MessageSizeExceeded = 4,
            QuotaExceeded = 5,
            ServiceBusy = 6,
            ServiceTimeout = 7,
            ServiceCommunicationProblem = 8,
            Unauthorized = 9,
            InvalidArgument = 10,
        }
    }
    public static class EventHubsModelFactory
    {
        public static SafetySurveillance.EventHubs.EventData EventData(System.BinaryData eventBody, System.Collections.Generic.IDictionary<string, object>? properties = default, System.Collections.Generic.IReadOnlyDictionary<string, object>? systemProperties = default, string? partitionKey = default, long sequenceNumber = -9223372036854775808, string? offsetString = default, System.DateTimeOffset enqueuedTime = default, string? publisherName = default);
        public static SafetySurveillance.EventHubs.Producer.EventDataBatch EventDataBatch(long maximumSizeInBytes, SafetySurveillance.EventHubs.Producer.CreateBatchOptions? options = default);
        public static SafetySurveillance.EventHubs.EventHubProperties EventHubProperties(string name, System.DateTimeOffset createdOn, System.Collections.Generic.IReadOnlyList<string> partitionIds);
        public static SafetySurveillance.EventHubs.PartitionProperties PartitionProperties(string eventHubName, string partitionId, bool isEmpty, long beginningSequenceNumber, long lastEnqueuedSequenceNumber, string lastEnqueuedOffsetString, System.DateTimeOffset lastEnqueuedTime);
    }
    public enum EventHubsRetryMode
    {
        Fixed = 0,
        Exponential = 1,
    }
    public sealed class EventHubsRetryOptions
    {
        public EventHubsRetryOptions();
        public System.TimeSpan Delay { get; set; }
        public System.TimeSpan MaximumDelay { get; set; }
        public int MaximumRetries { get; set; }
        public SafetySurveillance.EventHubs.EventHubsRetryMode Mode { get; set; }
        public System.TimeSpan TryTimeout { get; set; }
    }
    public sealed class PartitionProperties
    {
        public long BeginningSequenceNumber { get; }
        public string EventHubName { get; }
        public string Id { get; }
        public bool IsEmpty { get; }
        public string LastEnqueuedOffsetString { get; }
        public long LastEnqueuedSequenceNumber { get; }
        public System.DateTimeOffset LastEnqueuedTime { get; }
    }
    public static class SharedAccessSignature
    {
        public static string Create(string resource, string keyName, string key, System.DateTimeOffset expiresOn);
        public static System.DateTimeOffset? GetExpiry(string signature);
        public static System.Collections.Generic.IReadOnlyDictionary<string, string> ReadFields(string signature);
    }
}
namespace SafetySurveillance.EventHubs.Consumer
{
    public class EventHubConsumerClient : System.IAsyncDisposable
    {
        public const string DefaultConsumerGroupName = "$Default";
        protected EventHubConsumerClient();
        public EventHubConsumerClient(string consumerGroup, SafetySurveillance.EventHubs.EventHubConnection connection, SafetySurveillance.EventHubs.Consumer.EventHubConsumerClientOptions? clientOptions = default);
        public EventHubConsumerClient(string consumerGroup, string connectionString);
        public EventHubConsumerClient(string consumerGroup, string connectionString, string? eventHubName, SafetySurveillance.EventHubs.Consumer.EventHubConsumerClientOptions? clientOptions = default);
        public EventHubConsumerClient(string consumerGroup, string fullyQualifiedNamespace, string eventHubName, Azure.AzureNamedKeyCredential credential, SafetySurveillance.EventHubs.Consumer.EventHubConsumerClientOptions? clientOptions = default);
        public EventHubConsumerClient(string consumerGroup, string fullyQualifiedNamespace, string eventHubName, Azure.AzureSasCredential credential, SafetySurveillance.EventHubs.Consumer.EventHubConsumerClientOptions? clientOptions = default);
        public EventHubConsumerClient(string consumerGroup, string fullyQualifiedNamespace, string eventHubName, Azure.Core.TokenCredential credential, SafetySurveillance.EventHubs.Consumer.EventHubConsumerClientOptions? clientOptions = default);
        public virtual string ConsumerGroup { get; }
        public virtual string EventHubName { get; }
        public virtual string FullyQualifiedNamespace { get; }
        public virtual string Identifier { get; }
        public virtual bool IsClosed { get; }
        public virtual System.Threading.Tasks.Task CloseAsync(System.Threading.CancellationToken cancellationToken = default);
        public virtual System.Threading.Tasks.ValueTask DisposeAsync();
        public virtual System.Threading.Tasks.Task<SafetySurveillance.EventHubs.EventHubProperties> GetEventHubPropertiesAsync(System.Threading.CancellationToken cancellationToken = default);
        public virtual System.Threading.Tasks.Task<string[]> GetPartitionIdsAsync(System.Threading.CancellationToken cancellationToken = default);
        public virtual System.Threading.Tasks.Task<SafetySurveillance.EventHubs.PartitionProperties> GetPartitionPropertiesAsync(string partitionId, System.Threading.CancellationToken cancellationToken = default);
        public virtual System.Collections.Generic.IAsyncEnumerable<SafetySurveillance.EventHubs.Consumer.PartitionEvent> ReadEventsFromPartitionAsync(string partitionId, SafetySurveillance.EventHubs.Consumer.EventPosition startingPosition, SafetySurveillance.EventHubs.Consumer.ReadEventOptions readOptions, [EnumeratorCancellation] System.Threading.CancellationToken cancellationToken = default);
        public virtual System.Collections.Generic.IAsyncEnumerable<SafetySurveillance.EventHubs.Consumer.PartitionEvent> ReadEventsFromPartitionAsync(string partitionId, SafetySurveillance.EventHubs.Consumer.EventPosition startingPosition, System.Threading.CancellationToken cancellationToken = default);
    }
    public sealed class EventHubConsumerClientOptions
    {
        public EventHubConsumerClientOptions();
        public SafetySurveillance.EventHubs.EventHubConnectionOptions ConnectionOptions { get; set; }
        public string? Identifier { get; set; }
        public SafetySurveillance.EventHubs.EventHubsRetryOptions RetryOptions { get; set; }
    }
    public readonly struct EventPosition : System.IEquatable<SafetySurveillance.EventHubs.Consumer.EventPosition>
    {
        public static SafetySurveillance.EventHubs.Consumer.EventPosition Earliest { get; }
        public System.DateTimeOffset? EnqueuedTime { get; }
        public bool IsInclusive { get; }
        public static SafetySurveillance.EventHubs.Consumer.EventPosition Latest { get; }
        public string? Offset { get; }
        public long? SequenceNumber { get; }
        public bool Equals(SafetySurveillance.EventHubs.Consumer.EventPosition other);
        public override bool Equals(object? obj);
        public static SafetySurveillance.EventHubs.Consumer.EventPosition FromEnqueuedTime(System.DateTimeOffset enqueuedTime);
        public static SafetySurveillance.EventHubs.Consumer.EventPosition FromOffset(string offset, bool isInclusive = true);
        public static SafetySurveillance.EventHubs.Consumer.EventPosition FromSequenceNumber(long sequenceNumber, bool isInclusive = true);
        public override int GetHashCode();
        public override string ToString();
    }
    public readonly record struct LastEnqueuedEventProperties : System.IEquatable<SafetySurveillance.EventHubs.Consumer.LastEnqueuedEventProperties>
    {
        public LastEnqueuedEventProperties(long? SequenceNumber, string? OffsetString, System.DateTimeOffset? EnqueuedTime, System.DateTimeOffset? LastReceivedTime);
        public System.DateTimeOffset? EnqueuedTime { get; init; }
        public System.DateTimeOffset? LastReceivedTime { get; init; }
        public string? OffsetString { get; init; }
        public long? SequenceNumber { get; init; }
        public void Deconstruct(out long? SequenceNumber, out string? OffsetString, out System.DateTimeOffset? EnqueuedTime, out System.DateTimeOffset? LastReceivedTime);
        public bool Equals(SafetySurveillance.EventHubs.Consumer.LastEnqueuedEventProperties other);
        public override bool Equals(object obj);
        public override int GetHashCode();
        public override string ToString();
    }
    public class PartitionContext
    {
        public PartitionContext(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId);
        public string ConsumerGroup { get; }
        public string EventHubName { get; }
        public string FullyQualifiedNamespace { get; }
        public string PartitionId { get; }
        public virtual SafetySurveillance.EventHubs.Consumer.LastEnqueuedEventProperties ReadLastEnqueuedEventProperties();
    }
    public readonly record struct PartitionEvent : System.IEquatable<SafetySurveillance.EventHubs.Consumer.PartitionEvent>
    {
        public PartitionEvent(SafetySurveillance.EventHubs.Consumer.PartitionContext Partition, SafetySurveillance.EventHubs.EventData? Data);
        public SafetySurveillance.EventHubs.EventData? Data { get; init; }
        public SafetySurveillance.EventHubs.Consumer.PartitionContext Partition { get; init; }
        public void Deconstruct(out SafetySurveillance.EventHubs.Consumer.PartitionContext Partition, out SafetySurveillance.EventHubs.EventData? Data);
        public bool Equals(SafetySurveillance.EventHubs.Consumer.PartitionEvent other);
        public override bool Equals(object obj);
        public override int GetHashCode();
        public override string ToString();
    }
    public class PartitionReceiver : System.IAsyncDisposable
    {
        protected PartitionReceiver();
        public PartitionReceiver(string consumerGroup, string partitionId, SafetySurveillance.EventHubs.Consumer.EventPosition eventPosition, SafetySurveillance.EventHubs.EventHubConnection connection, SafetySurveillance.EventHubs.Consumer.PartitionReceiverOptions? options = default);
        public PartitionReceiver(string consumerGroup, string partitionId, SafetySurveillance.EventHubs.Consumer.EventPosition eventPosition, string connectionString, SafetySurveillance.EventHubs.Consumer.PartitionReceiverOptions? options = default);
        public PartitionReceiver(string consumerGroup, string partitionId, SafetySurveillance.EventHubs.Consumer.EventPosition eventPosition, string connectionString, string? eventHubName, SafetySurveillance.EventHubs.Consumer.PartitionReceiverOptions? options = default);
        public PartitionReceiver(string consumerGroup, string partitionId, SafetySurveillance.EventHubs.Consumer.EventPosition eventPosition, string fullyQualifiedNamespace, string eventHubName, Azure.AzureNamedKeyCredential credential, SafetySurveillance.EventHubs.Consumer.PartitionReceiverOptions? options = default);
        public PartitionReceiver(string consumerGroup, string partitionId, SafetySurveillance.EventHubs.Consumer.EventPosition eventPosition, string fullyQualifiedNamespace, string eventHubName, Azure.Core.TokenCredential credential, SafetySurveillance.EventHubs.Consumer.PartitionReceiverOptions? options = default);
        public virtual string ConsumerGroup { get; }
        public virtual string EventHubName { get; }
        public virtual string FullyQualifiedNamespace { get; }
        public virtual string Identifier { get; }
        public virtual SafetySurveillance.EventHubs.Consumer.EventPosition InitialPosition { get; }
        public virtual bool IsClosed { get; }
        public virtual string PartitionId { get; }
        public virtual System.Threading.Tasks.Task CloseAsync(System.Threading.CancellationToken cancellationToken = default);
        public virtual System.Threading.Tasks.ValueTask DisposeAsync();
        public virtual System.Threading.Tasks.Task<SafetySurveillance.EventHubs.PartitionProperties> GetPartitionPropertiesAsync(System.Threading.CancellationToken cancellationToken = default);
        public virtual SafetySurveillance.EventHubs.Consumer.LastEnqueuedEventProperties ReadLastEnqueuedEventProperties();
        public virtual System.Threading.Tasks.Task<System.Collections.Generic.IEnumerable<SafetySurveillance.EventHubs.EventData>> ReceiveBatchAsync(int maximumEventCount, System.Threading.CancellationToken cancellationToken = default);
        public virtual System.Threading.Tasks.Task<System.Collections.Generic.IEnumerable<SafetySurveillance.EventHubs.EventData>> ReceiveBatchAsync(int maximumEventCount, System.TimeSpan maximumWaitTime, System.Threading.CancellationToken cancellationToken = default);
    }
    public sealed class PartitionReceiverOptions
    {
        public PartitionReceiverOptions();
        public SafetySurveillance.EventHubs.EventHubConnectionOptions ConnectionOptions { get; set; }
        public System.TimeSpan DefaultMaximumReceiveWaitTime { get; set; }
        public string? Identifier { get; set; }
        public long? OwnerLevel { get; set; }
        public int PrefetchCount { get; set; }
        public SafetySurveillance.EventHubs.EventHubsRetryOptions RetryOptions { get; set; }
        public bool TrackLastEnqueuedEventProperties { get; set; }
    }
    public sealed class ReadEventOptions
    {
        public ReadEventOptions();
        public System.TimeSpan? MaximumWaitTime { get; set; }
        public long? OwnerLevel { get; set; }
        public int PrefetchCount { get; set; }
        public bool TrackLastEnqueuedEventProperties { get; set; }
    }
}
namespace SafetySurveillance.EventHubs.Diagnostics
{
    public static class EventHubsDiagnostics
    {
        public const string Name = "SafetySurveillance.EventHubs";
    }
}
namespace SafetySurveillance.EventHubs.Processor
{
    public sealed class BlobCheckpointStore : SafetySurveillance.EventHubs.Processor.CheckpointStore
    {
        public BlobCheckpointStore(Azure.Storage.Blobs.BlobContainerClient container);
        public static string BlobPrefix(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string kind);
        public override System.Threading.Tasks.Task<System.Collections.Generic.IReadOnlyList<SafetySurveillance.EventHubs.Processor.EventProcessorPartitionOwnership>> ClaimOwnershipAsync(System.Collections.Generic.IEnumerable<SafetySurveillance.EventHubs.Processor.EventProcessorPartitionOwnership> desiredOwnership, System.Threading.CancellationToken cancellationToken = default);
        public override System.Threading.Tasks.Task<SafetySurveillance.EventHubs.Processor.EventProcessorCheckpoint?> GetCheckpointAsync(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId, System.Threading.CancellationToken cancellationToken = default);
        public override System.Threading.Tasks.Task<System.Collections.Generic.IReadOnlyList<SafetySurveillance.EventHubs.Processor.EventProcessorPartitionOwnership>> ListOwnershipAsync(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, System.Threading.CancellationToken cancellationToken = default);
        public override System.Threading.Tasks.Task UpdateCheckpointAsync(SafetySurveillance.EventHubs.Processor.EventProcessorCheckpoint checkpoint, System.Threading.CancellationToken cancellationToken = default);
    }
    public abstract class CheckpointStore
    {
        protected CheckpointStore();
        public abstract System.Threading.Tasks.Task<System.Collections.Generic.IReadOnlyList<SafetySurveillance.EventHubs.Processor.EventProcessorPartitionOwnership>> ClaimOwnershipAsync(System.Collections.Generic.IEnumerable<SafetySurveillance.EventHubs.Processor.EventProcessorPartitionOwnership> desiredOwnership, System.Threading.CancellationToken cancellationToken = default);
        public abstract System.Threading.Tasks.Task<SafetySurveillance.EventHubs.Processor.EventProcessorCheckpoint?> GetCheckpointAsync(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId, System.Threading.CancellationToken cancellationToken = default);
        public abstract System.Threading.Tasks.Task<System.Collections.Generic.IReadOnlyList<SafetySurveillance.EventHubs.Processor.EventProcessorPartitionOwnership>> ListOwnershipAsync(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, System.Threading.CancellationToken cancellationToken = default);
        public abstract System.Threading.Tasks.Task UpdateCheckpointAsync(SafetySurveillance.EventHubs.Processor.EventProcessorCheckpoint checkpoint, System.Threading.CancellationToken cancellationToken = default);
    }
    public sealed class EventProcessorCheckpoint
    {
        public EventProcessorCheckpoint();
        public required string ConsumerGroup { get; init; }
        public required string EventHubName { get; init; }
        public required string FullyQualifiedNamespace { get; init; }
        public string? Offset { get; init; }
        public required string PartitionId { get; init; }
        public long? SequenceNumber { get; init; }
        public SafetySurveillance.EventHubs.Consumer.EventPosition StartingPosition { get; }
    }
    public class EventProcessorClient : System.IAsyncDisposable
    {
        protected EventProcessorClient();
        public EventProcessorClient(Azure.Storage.Blobs.BlobContainerClient checkpointStore, string consumerGroup, string connectionString, SafetySurveillance.EventHubs.Processor.EventProcessorClientOptions? clientOptions = default);
        public EventProcessorClient(Azure.Storage.Blobs.BlobContainerClient checkpointStore, string consumerGroup, string connectionString, string? eventHubName, SafetySurveillance.EventHubs.Processor.EventProcessorClientOptions? clientOptions = default);
        public EventProcessorClient(Azure.Storage.Blobs.BlobContainerClient checkpointStore, string consumerGroup, string fullyQualifiedNamespace, string eventHubName, Azure.Core.TokenCredential credential, SafetySurveillance.EventHubs.Processor.EventProcessorClientOptions? clientOptions = default);
        public EventProcessorClient(SafetySurveillance.EventHubs.Processor.CheckpointStore checkpointStore, string consumerGroup, SafetySurveillance.EventHubs.EventHubConnection connection, SafetySurveillance.EventHubs.Processor.EventProcessorClientOptions? clientOptions = default);
        public virtual string ConsumerGroup { get; }
        public virtual string EventHubName { get; }
        public virtual string FullyQualifiedNamespace { get; }
        public virtual string Identifier { get; }
        public virtual bool IsRunning { get; }
        public virtual System.Collections.Generic.IReadOnlyCollection<string> OwnedPartitionIds { get; }
        public event System.Func<SafetySurveillance.EventHubs.Processor.PartitionClosingEventArgs, System.Threading.Tasks.Task> PartitionClosingAsync;
        public event System.Func<SafetySurveillance.EventHubs.Processor.PartitionInitializingEventArgs, System.Threading.Tasks.Task> PartitionInitializingAsync;
        public event System.Func<SafetySurveillance.EventHubs.Processor.ProcessErrorEventArgs, System.Threading.Tasks.Task> ProcessErrorAsync;
        public event System.Func<SafetySurveillance.EventHubs.Processor.ProcessEventArgs, System.Threading.Tasks.Task> ProcessEventAsync;
        public event System.Func<SafetySurveillance.EventHubs.Processor.ProcessEventBatchArgs, System.Threading.Tasks.Task> ProcessEventBatchAsync;
        public virtual System.Threading.Tasks.ValueTask DisposeAsync();
        public virtual System.Threading.Tasks.Task StartProcessingAsync(System.Threading.CancellationToken cancellationToken = default);
        public virtual System.Threading.Tasks.Task StopProcessingAsync(System.Threading.CancellationToken cancellationToken = default);
    }
    public sealed class EventProcessorClientOptions
    {
        public EventProcessorClientOptions();
        public SafetySurveillance.EventHubs.EventHubConnectionOptions ConnectionOptions { get; set; }
        public SafetySurveillance.EventHubs.Consumer.EventPosition DefaultStartingPosition { get; set; }
        public string? Identifier { get; set; }
        public SafetySurveillance.EventHubs.Processor.LoadBalancingStrategy LoadBalancingStrategy { get; set; }
        public System.TimeSpan LoadBalancingUpdateInterval { get; set; }
        public int MaximumBatchSize { get; set; }
        public System.TimeSpan? MaximumWaitTime { get; set; }
        public System.TimeSpan PartitionOwnershipExpirationInterval { get; set; }
        public int PrefetchCount { get; set; }
        public SafetySurveillance.EventHubs.EventHubsRetryOptions RetryOptions { get; set; }
        public bool TrackLastEnqueuedEventProperties { get; set; }
    }
    public sealed class EventProcessorPartitionOwnership
    {
        public EventProcessorPartitionOwnership();
        public required string ConsumerGroup { get; init; }
        public required string EventHubName { get; init; }
        public required string FullyQualifiedNamespace { get; init; }
        public System.DateTimeOffset LastModifiedTime { get; init; }
        public required string OwnerIdentifier { get; init; }
        public required string PartitionId { get; init; }
        public string? Version { get; init; }
    }
    public enum LoadBalancingStrategy
    {
        Balanced = 0,
        Greedy = 1,
    }
    public readonly record struct PartitionClosingEventArgs : System.IEquatable<SafetySurveillance.EventHubs.Processor.PartitionClosingEventArgs>
    {
        public PartitionClosingEventArgs(string PartitionId, SafetySurveillance.EventHubs.Processor.ProcessingStoppedReason Reason, System.Threading.CancellationToken CancellationToken);
        public System.Threading.CancellationToken CancellationToken { get; init; }
        public string PartitionId { get; init; }
        public SafetySurveillance.EventHubs.Processor.ProcessingStoppedReason Reason { get; init; }
        public void Deconstruct(out string PartitionId, out SafetySurveillance.EventHubs.Processor.ProcessingStoppedReason Reason, out System.Threading.CancellationToken CancellationToken);
        public bool Equals(SafetySurveillance.EventHubs.Processor.PartitionClosingEventArgs other);
        public override bool Equals(object obj);
        public override int GetHashCode();
        public override string ToString();
    }
    public sealed class PartitionInitializingEventArgs
    {
        public PartitionInitializingEventArgs(string partitionId, SafetySurveillance.EventHubs.Consumer.EventPosition defaultStartingPosition, System.Threading.CancellationToken cancellationToken = default);
        public System.Threading.CancellationToken CancellationToken { get; }
        public SafetySurveillance.EventHubs.Consumer.EventPosition DefaultStartingPosition { get; set; }
        public string PartitionId { get; }
    }
    public readonly record struct ProcessErrorEventArgs : System.IEquatable<SafetySurveillance.EventHubs.Processor.ProcessErrorEventArgs>
    {
        public ProcessErrorEventArgs(string? PartitionId, string Operation, System.Exception Exception, System.Threading.CancellationToken CancellationToken);
        public System.Threading.CancellationToken CancellationToken { get; init; }
        public System.Exception Exception { get; init; }
        public string Operation { get; init; }
        public string? PartitionId { get; init; }
        public void Deconstruct(out string? PartitionId, out string Operation, out System.Exception Exception, out System.Threading.CancellationToken CancellationToken);
        public bool Equals(SafetySurveillance.EventHubs.Processor.ProcessErrorEventArgs other);
        public override bool Equals(object obj);
        public override int GetHashCode();
        public override string ToString();
    }
    public readonly struct ProcessEventArgs
    {
        public ProcessEventArgs(SafetySurveillance.EventHubs.Consumer.PartitionContext partition, SafetySurveillance.EventHubs.EventData? data, System.Func<System.Threading.CancellationToken, System.Threading.Tasks.Task>? updateCheckpoint, System.Threading.CancellationToken cancellationToken = default);
        public System.Threading.CancellationToken CancellationToken { get; }
        public SafetySurveillance.EventHubs.EventData? Data { get; }
        public bool HasEvent { get; }
        public SafetySurveillance.EventHubs.Consumer.PartitionContext Partition { get; }
        public System.Threading.Tasks.Task UpdateCheckpointAsync(System.Threading.CancellationToken cancellationToken = default);
    }
    public sealed class ProcessEventBatchArgs
    {
        public ProcessEventBatchArgs(SafetySurveillance.EventHubs.Consumer.PartitionContext partition, System.Collections.Generic.IReadOnlyList<SafetySurveillance.EventHubs.EventData> events, System.Func<SafetySurveillance.EventHubs.EventData, System.Threading.CancellationToken, System.Threading.Tasks.Task> updateCheckpoint, System.Threading.CancellationToken cancellationToken = default);
        public System.Threading.CancellationToken CancellationToken { get; }
        public System.Collections.Generic.IReadOnlyList<SafetySurveillance.EventHubs.EventData> Events { get; }
        public SafetySurveillance.EventHubs.Consumer.PartitionContext Partition { get; }
        public System.Threading.Tasks.Task UpdateCheckpointAsync(SafetySurveillance.EventHubs.EventData eventData, System.Threading.CancellationToken cancellationToken = default);
        public System.Threading.Tasks.Task UpdateCheckpointAsync(System.Threading.CancellationToken cancellationToken = default);
    }
    public enum ProcessingStoppedReason
    {
        Shutdown = 0,
        OwnershipLost = 1,
    }
}
namespace SafetySurveillance.EventHubs.Producer
{
    public sealed class CreateBatchOptions : SafetySurveillance.EventHubs.Producer.SendEventOptions
    {
        public CreateBatchOptions();
        public long? MaximumSizeInBytes { get; set; }
    }
    public sealed class EventDataBatch : System.IDisposable
    {
        public int Count { get; }
        public long MaximumSizeInBytes { get; }
        public long SizeInBytes { get; }
        public void Dispose();
        public bool TryAdd(SafetySurveillance.EventHubs.EventData eventData);
    }
    public class EventHubProducerClient : System.IAsyncDisposable
    {
        protected EventHubProducerClient();
        public EventHubProducerClient(SafetySurveillance.EventHubs.EventHubConnection connection, SafetySurveillance.EventHubs.Producer.EventHubProducerClientOptions? clientOptions = default);
        public EventHubProducerClient(string connectionString);
        public EventHubProducerClient(string connectionString, string? eventHubName);
        public EventHubProducerClient(string connectionString, string? eventHubName, SafetySurveillance.EventHubs.Producer.EventHubProducerClientOptions? clientOptions);
        public EventHubProducerClient(string fullyQualifiedNamespace, string eventHubName, Azure.AzureNamedKeyCredential credential, SafetySurveillance.EventHubs.Producer.EventHubProducerClientOptions? clientOptions = default);
        public EventHubProducerClient(string fullyQualifiedNamespace, string eventHubName, Azure.AzureSasCredential credential, SafetySurveillance.EventHubs.Producer.EventHubProducerClientOptions? clientOptions = default);
        public EventHubProducerClient(string fullyQualifiedNamespace, string eventHubName, Azure.Core.TokenCredential credential, SafetySurveillance.EventHubs.Producer.EventHubProducerClientOptions? clientOptions = default);
        public virtual string EventHubName { get; }
        public virtual string FullyQualifiedNamespace { get; }
        public virtual string Identifier { get; }
        public virtual bool IsClosed { get; }
        public virtual System.Threading.Tasks.Task CloseAsync(System.Threading.CancellationToken cancellationToken = default);
        public virtual System.Threading.Tasks.ValueTask<SafetySurveillance.EventHubs.Producer.EventDataBatch> CreateBatchAsync(SafetySurveillance.EventHubs.Producer.CreateBatchOptions options, System.Threading.CancellationToken cancellationToken = default);
        public virtual System.Threading.Tasks.ValueTask<SafetySurveillance.EventHubs.Producer.EventDataBatch> CreateBatchAsync(System.Threading.CancellationToken cancellationToken = default);
        public virtual System.Threading.Tasks.ValueTask DisposeAsync();
        public virtual System.Threading.Tasks.Task<SafetySurveillance.EventHubs.EventHubProperties> GetEventHubPropertiesAsync(System.Threading.CancellationToken cancellationToken = default);
        public virtual System.Threading.Tasks.Task<string[]> GetPartitionIdsAsync(System.Threading.CancellationToken cancellationToken = default);
        public virtual System.Threading.Tasks.Task<SafetySurveillance.EventHubs.PartitionProperties> GetPartitionPropertiesAsync(string partitionId, System.Threading.CancellationToken cancellationToken = default);
        public virtual System.Threading.Tasks.Task SendAsync(SafetySurveillance.EventHubs.Producer.EventDataBatch eventBatch, System.Threading.CancellationToken cancellationToken = default);
        public virtual System.Threading.Tasks.Task SendAsync(System.Collections.Generic.IEnumerable<SafetySurveillance.EventHubs.EventData> eventBatch, SafetySurveillance.EventHubs.Producer.SendEventOptions options, System.Threading.CancellationToken cancellationToken = default);
        public virtual System.Threading.Tasks.Task SendAsync(System.Collections.Generic.IEnumerable<SafetySurveillance.EventHubs.EventData> eventBatch, System.Threading.CancellationToken cancellationToken = default);
    }
    public sealed class EventHubProducerClientOptions
    {
        public EventHubProducerClientOptions();
        public SafetySurveillance.EventHubs.EventHubConnectionOptions ConnectionOptions { get; set; }
        public string? Identifier { get; set; }
        public SafetySurveillance.EventHubs.EventHubsRetryOptions RetryOptions { get; set; }
    }
    public class SendEventOptions
    {
        public SendEventOptions();
        public string? PartitionId { get; set; }
        public string? PartitionKey { get; set; }
        public string? PublisherName { get; set; }
    }
}
