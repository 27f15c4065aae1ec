using System.Globalization;
using SafetySurveillance.EventHubs.Emulator.Configuration;
using SafetySurveillance.EventHubs.Emulator.Publishing;
using SafetySurveillance.EventHubs.Emulator.Storage;

namespace SafetySurveillance.EventHubs.Emulator.Broker;

/// <summary>An event hub: its partition logs, consumer groups and active receivers.</summary>
internal sealed class EventHub : IAsyncDisposable
{
    private readonly PartitionLog[] partitions;
    private readonly HashSet<string> consumerGroups;
    private int roundRobin = -1;

    private EventHub(string name, DateTime createdAt, PartitionLog[] partitions, HashSet<string> consumerGroups)
    {
        Name = name;
        CreatedAt = createdAt;
        this.partitions = partitions;
        this.consumerGroups = consumerGroups;
        PartitionIds = [.. partitions.Select(p => p.PartitionId)];
    }

    public string Name { get; }

    public DateTime CreatedAt { get; }

    public string[] PartitionIds { get; }

    public IReadOnlyList<PartitionLog> Partitions => partitions;

    public ReceiverRegistry Receivers { get; } = new();

    public static async Task<EventHub> OpenAsync(EntityConfig config, string dataDirectory, StorageOptions storage, TimeProvider time, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(dataDirectory, config.Name);
        Directory.CreateDirectory(directory);
        var createdFile = Path.Combine(directory, "created.txt");
        DateTime createdAt;
        if (File.Exists(createdFile)
            && DateTime.TryParse(await File.ReadAllTextAsync(createdFile, cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var stored))
        {
            createdAt = stored;
        }
        else
        {
            createdAt = time.GetUtcNow().UtcDateTime;
            await File.WriteAllTextAsync(createdFile, createdAt.ToString("O", CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        }

        var logs = await Task.WhenAll(Enumerable.Range(0, config.PartitionCount).Select(i => Task.Run(() =>
        {
            var id = i.ToString(CultureInfo.InvariantCulture);
            return PartitionLog.Open(Path.Combine(directory, id), id, storage, time);
        }, cancellationToken))).ConfigureAwait(false);

        var groups = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { EmulatorConfiguration.DefaultConsumerGroup };
        foreach (var group in config.ConsumerGroups ?? [])
        {
            groups.Add(group.Name);
        }

        return new EventHub(config.Name, createdAt, logs, groups);
    }

    public bool HasConsumerGroup(string name) => consumerGroups.Contains(name);

    public PartitionLog? FindPartition(string? id) =>
        int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < partitions.Length
        && string.Equals(partitions[index].PartitionId, id, StringComparison.Ordinal)
            ? partitions[index]
            : null;

    /// <summary>The partition for a send to the hub itself: by key hash when there is a key, else round robin.</summary>
    public PartitionLog Route(string? partitionKey)
    {
        if (partitionKey is not null)
        {
            return partitions[PartitionKeyHasher.PartitionIndex(partitionKey, partitions.Length)];
        }

        var next = (uint)Interlocked.Increment(ref roundRobin);
        return partitions[next % (uint)partitions.Length];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var log in partitions)
        {
            await log.DisposeAsync().ConfigureAwait(false);
        }
    }
}
