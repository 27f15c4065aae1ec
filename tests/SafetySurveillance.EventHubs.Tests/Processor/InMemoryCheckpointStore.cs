using System.Collections.Concurrent;
using SafetySurveillance.EventHubs.Processor;

namespace SafetySurveillance.EventHubs.Tests.Processor;

/// <summary>A checkpoint store with the blob store's version semantics (ETag-like), stamped by a test clock.</summary>
internal sealed class InMemoryCheckpointStore(TimeProvider clock) : CheckpointStore
{
    private readonly ConcurrentDictionary<string, EventProcessorPartitionOwnership> ownership = new();
    private readonly ConcurrentDictionary<string, EventProcessorCheckpoint> checkpoints = new();
    private readonly Lock sync = new();
    private long version;

    public override Task<IReadOnlyList<EventProcessorPartitionOwnership>> ListOwnershipAsync(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<EventProcessorPartitionOwnership>>(ownership.Values.ToList());

    public override Task<IReadOnlyList<EventProcessorPartitionOwnership>> ClaimOwnershipAsync(IEnumerable<EventProcessorPartitionOwnership> desiredOwnership, CancellationToken cancellationToken = default)
    {
        var claimed = new List<EventProcessorPartitionOwnership>();
        lock (sync)
        {
            foreach (var desired in desiredOwnership)
            {
                ownership.TryGetValue(desired.PartitionId, out var stored);
                if (stored?.Version != desired.Version)
                {
                    continue;
                }

                var record = new EventProcessorPartitionOwnership
                {
                    FullyQualifiedNamespace = desired.FullyQualifiedNamespace,
                    EventHubName = desired.EventHubName,
                    ConsumerGroup = desired.ConsumerGroup,
                    PartitionId = desired.PartitionId,
                    OwnerIdentifier = desired.OwnerIdentifier,
                    LastModifiedTime = clock.GetUtcNow(),
                    Version = (++version).ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                ownership[desired.PartitionId] = record;
                claimed.Add(record);
            }
        }

        return Task.FromResult<IReadOnlyList<EventProcessorPartitionOwnership>>(claimed);
    }

    public override Task<EventProcessorCheckpoint?> GetCheckpointAsync(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId, CancellationToken cancellationToken = default)
        => Task.FromResult(checkpoints.TryGetValue(partitionId, out var checkpoint) ? checkpoint : null);

    public override Task UpdateCheckpointAsync(EventProcessorCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        checkpoints[checkpoint.PartitionId] = checkpoint;
        return Task.CompletedTask;
    }

    public IReadOnlyDictionary<string, string> Owners() => ownership.ToDictionary(o => o.Key, o => o.Value.OwnerIdentifier);
}
