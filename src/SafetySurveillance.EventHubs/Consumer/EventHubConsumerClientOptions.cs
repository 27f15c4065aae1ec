namespace SafetySurveillance.EventHubs.Consumer;

/// <summary>Options for <see cref="EventHubConsumerClient"/>.</summary>
public sealed class EventHubConsumerClientOptions
{
    /// <summary>Options for the connection the client opens (ignored when the client is given an <see cref="EventHubConnection"/>).</summary>
    public EventHubConnectionOptions ConnectionOptions { get; set; } = new();

    /// <summary>How link failures and management reads are retried.</summary>
    public EventHubsRetryOptions RetryOptions { get; set; } = new();

    /// <summary>A name for this consumer, sent to the broker as the receiver name; default a new GUID.</summary>
    public string? Identifier { get; set; }
}

/// <summary>Options for <see cref="PartitionReceiver"/>.</summary>
public sealed class PartitionReceiverOptions
{
    /// <summary>Options for the connection the receiver opens (ignored when it is given an <see cref="EventHubConnection"/>).</summary>
    public EventHubConnectionOptions ConnectionOptions { get; set; } = new();

    /// <summary>How link failures are retried.</summary>
    public EventHubsRetryOptions RetryOptions { get; set; } = new();

    /// <summary>How long <see cref="PartitionReceiver.ReceiveBatchAsync(int, CancellationToken)"/> waits for a first event. Default 60 s.</summary>
    public TimeSpan DefaultMaximumReceiveWaitTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The owner level (epoch); see <see cref="ReadEventOptions.OwnerLevel"/>.</summary>
    public long? OwnerLevel { get; set; }

    /// <summary>How many events the broker may send ahead (link credit). Default 300.</summary>
    public int PrefetchCount { get; set; } = 300;

    /// <summary>Ask the broker for the partition's newest event with every delivery.</summary>
    public bool TrackLastEnqueuedEventProperties { get; set; }

    /// <summary>A name for this receiver, sent to the broker; default a new GUID.</summary>
    public string? Identifier { get; set; }
}
