namespace SafetySurveillance.EventHubs;

/// <summary>What <c>$management</c> reports about a hub.</summary>
public sealed class EventHubProperties
{
    internal EventHubProperties(string name, DateTimeOffset createdOn, IReadOnlyList<string> partitionIds)
    {
        Name = name;
        CreatedOn = createdOn;
        PartitionIds = partitionIds;
    }

    /// <summary>The hub's name.</summary>
    public string Name { get; }

    /// <summary>When the hub was created.</summary>
    public DateTimeOffset CreatedOn { get; }

    /// <summary>The hub's partition ids.</summary>
    public IReadOnlyList<string> PartitionIds { get; }
}
