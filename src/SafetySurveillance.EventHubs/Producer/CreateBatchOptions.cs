namespace SafetySurveillance.EventHubs.Producer;

/// <summary>Where a batch goes and, optionally, a size limit below the link's max-message-size.</summary>
public sealed class CreateBatchOptions : SendEventOptions
{
    /// <summary>The largest the batch may grow, in bytes; default the max-message-size the broker granted the sender link.</summary>
    public long? MaximumSizeInBytes { get; set; }

    internal CreateBatchOptions Clone() => new()
    {
        PartitionId = PartitionId,
        PartitionKey = PartitionKey,
        PublisherName = PublisherName,
        MaximumSizeInBytes = MaximumSizeInBytes,
    };
}
