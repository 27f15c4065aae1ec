namespace SafetySurveillance.EventHubs.Producer;

/// <summary>Options for <see cref="EventHubProducerClient"/>.</summary>
public sealed class EventHubProducerClientOptions
{
    /// <summary>Options for the connection the client opens (ignored when the client is given an <see cref="EventHubConnection"/>).</summary>
    public EventHubConnectionOptions ConnectionOptions { get; set; } = new();

    /// <summary>How sends and management reads are retried.</summary>
    public EventHubsRetryOptions RetryOptions { get; set; } = new();

    /// <summary>A name for this producer in logs; default a new GUID.</summary>
    public string? Identifier { get; set; }
}
