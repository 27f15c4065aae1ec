using SafetySurveillance.EventHubs.Consumer;

namespace SafetySurveillance.EventHubs.Processor;

/// <summary>Options for <see cref="EventProcessorClient"/>. Defaults follow the official .NET processor.</summary>
public sealed class EventProcessorClientOptions
{
    /// <summary>This instance's owner identifier in the ownership blobs; default a new GUID.</summary>
    public string? Identifier { get; set; }

    /// <summary>Options for the connection the processor opens.</summary>
    public EventHubConnectionOptions ConnectionOptions { get; set; } = new();

    /// <summary>How link failures and management reads are retried.</summary>
    public EventHubsRetryOptions RetryOptions { get; set; } = new();

    /// <summary>How many partitions an instance claims per load-balancing cycle. Default greedy.</summary>
    public LoadBalancingStrategy LoadBalancingStrategy { get; set; } = LoadBalancingStrategy.Greedy;

    /// <summary>How often ownership is renewed and the balance re-evaluated. Default 30 s.</summary>
    public TimeSpan LoadBalancingUpdateInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an ownership lasts without renewal. Default 2 min.</summary>
    public TimeSpan PartitionOwnershipExpirationInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Where a partition without a checkpoint starts; <see cref="EventProcessorClient.PartitionInitializingAsync"/> may override it. Default earliest.</summary>
    public EventPosition DefaultStartingPosition { get; set; } = EventPosition.Earliest;

    /// <summary>Link credit per partition. Default 300.</summary>
    public int PrefetchCount { get; set; } = 300;

    /// <summary>The most events one batch handler call receives. Default 100.</summary>
    public int MaximumBatchSize { get; set; } = 100;

    /// <summary>When set, handlers are called with no events after this long without any.</summary>
    public TimeSpan? MaximumWaitTime { get; set; }

    /// <summary>Ask the broker for the partition's newest event with every delivery.</summary>
    public bool TrackLastEnqueuedEventProperties { get; set; }
}

/// <summary>How fast an instance takes partitions.</summary>
public enum LoadBalancingStrategy
{
    /// <summary>One partition per cycle.</summary>
    Balanced,

    /// <summary>As many as its fair share in one cycle.</summary>
    Greedy,
}
