namespace SafetySurveillance.EventHubs.Producer;

/// <summary>Where a send goes: the hub (the broker picks a partition), one partition, a partition key, or a publisher endpoint.</summary>
public class SendEventOptions
{
    /// <summary>Send to this partition.</summary>
    public string? PartitionId { get; set; }

    /// <summary>Send with this partition key (at most 128 characters); events with the same key land in the same partition.</summary>
    public string? PartitionKey { get; set; }

    /// <summary>Send through the publisher endpoint <c>&lt;hub&gt;/Publishers/&lt;name&gt;</c>; the broker records the publisher on each event.</summary>
    public string? PublisherName { get; set; }

    internal void Validate()
    {
        var targets = (PartitionId is null ? 0 : 1) + (PartitionKey is null ? 0 : 1) + (PublisherName is null ? 0 : 1);
        if (targets > 1)
        {
            throw new InvalidOperationException("Give at most one of PartitionId, PartitionKey and PublisherName.");
        }

        if (PartitionKey is { Length: > 128 })
        {
            throw new InvalidOperationException("A partition key has at most 128 characters.");
        }

        if (PartitionId is { Length: 0 } || PublisherName is { Length: 0 })
        {
            throw new InvalidOperationException("PartitionId and PublisherName must not be empty.");
        }
    }

    internal string EntityPath(string eventHubName)
        => PartitionId is not null ? $"{eventHubName}/Partitions/{PartitionId}"
        : PublisherName is not null ? $"{eventHubName}/Publishers/{PublisherName}"
        : eventHubName;
}
