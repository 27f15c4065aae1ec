namespace SafetySurveillance.EventHubs.Processor;

/// <summary>
/// One instance's side of load balancing, run once per cycle: list ownership, renew what it owns, and claim (or
/// steal) partitions until it holds its fair share. Fair share: with P partitions and N active owners, everyone
/// holds ⌊P/N⌋ and P mod N owners hold one more. An ownership is active while it is younger than the expiration
/// interval and names an owner. Claims are ETag-conditional, so two instances never both win a partition.
/// </summary>
internal sealed class PartitionLoadBalancer(
    CheckpointStore store,
    string fullyQualifiedNamespace,
    string eventHubName,
    string consumerGroup,
    string ownerIdentifier,
    TimeSpan ownershipExpiration,
    LoadBalancingStrategy strategy,
    TimeProvider timeProvider)
{
    private Dictionary<string, EventProcessorPartitionOwnership> owned = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> OwnedPartitionIds => owned.Keys;

    /// <summary>Runs one cycle and returns the partitions this instance owns afterwards.</summary>
    public async Task<IReadOnlyCollection<string>> RunAsync(IReadOnlyList<string> partitionIds, CancellationToken cancellationToken)
    {
        var listed = await store.ListOwnershipAsync(fullyQualifiedNamespace, eventHubName, consumerGroup, cancellationToken).ConfigureAwait(false);
        var now = timeProvider.GetUtcNow();
        var records = listed.Where(o => partitionIds.Contains(o.PartitionId)).ToDictionary(o => o.PartitionId, StringComparer.Ordinal);
        var active = records.Values
            .Where(o => o.OwnerIdentifier.Length > 0 && now - o.LastModifiedTime < ownershipExpiration)
            .ToList();

        // Renew what is still ours (by the store's record, so a partition taken from us is dropped).
        var mine = active.Where(o => o.OwnerIdentifier == ownerIdentifier).Select(o => WithOwner(o, ownerIdentifier)).ToList();
        var renewed = mine.Count == 0 ? [] : await store.ClaimOwnershipAsync(mine, cancellationToken).ConfigureAwait(false);
        owned = renewed.ToDictionary(o => o.PartitionId, StringComparer.Ordinal);
        foreach (var record in renewed)
        {
            records[record.PartitionId] = record;
        }

        active = [.. active.Where(o => o.OwnerIdentifier != ownerIdentifier), .. renewed];
        var claimsLeft = strategy == LoadBalancingStrategy.Greedy ? int.MaxValue : 1;
        while (claimsLeft-- > 0)
        {
            var candidate = ChooseClaim(partitionIds, records, active);
            if (candidate is null)
            {
                break;
            }

            var claimed = await store.ClaimOwnershipAsync([candidate], cancellationToken).ConfigureAwait(false);
            if (claimed.Count == 0)
            {
                break;
            }

            var record = claimed[0];
            owned[record.PartitionId] = record;
            records[record.PartitionId] = record;
            active.RemoveAll(o => o.PartitionId == record.PartitionId);
            active.Add(record);
        }

        return owned.Keys.ToList();
    }

    /// <summary>Gives up every owned partition (owner identifier set empty), so others can take them at once.</summary>
    /// <remarks>
    /// Works from a fresh listing, not from what the last cycle saw: a renewal cut short by the stop may have changed
    /// the ETags, and a relinquish with a stale ETag would silently fail and leave partitions held until expiry.
    /// </remarks>
    public async Task RelinquishAsync(CancellationToken cancellationToken)
    {
        var listed = await store.ListOwnershipAsync(fullyQualifiedNamespace, eventHubName, consumerGroup, cancellationToken).ConfigureAwait(false);
        var mine = listed.Where(o => o.OwnerIdentifier == ownerIdentifier).Select(o => WithOwner(o, string.Empty)).ToList();
        if (mine.Count > 0)
        {
            await store.ClaimOwnershipAsync(mine, cancellationToken).ConfigureAwait(false);
        }

        owned.Clear();
    }

    /// <summary>Forgets a partition whose link was stolen; the next cycle sees the new owner.</summary>
    public void Forget(string partitionId) => owned.Remove(partitionId);

    private EventProcessorPartitionOwnership? ChooseClaim(
        IReadOnlyList<string> partitionIds,
        Dictionary<string, EventProcessorPartitionOwnership> records,
        List<EventProcessorPartitionOwnership> active)
    {
        var counts = active.GroupBy(o => o.OwnerIdentifier).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        counts.TryAdd(ownerIdentifier, 0);
        var owners = counts.Count;
        var minimum = partitionIds.Count / owners;
        var extras = partitionIds.Count % owners;
        var mineCount = counts[ownerIdentifier];
        var othersAboveMinimum = counts.Count(c => c.Key != ownerIdentifier && c.Value > minimum);

        var wantsMore = mineCount < minimum || (mineCount == minimum && othersAboveMinimum < extras);
        if (!wantsMore)
        {
            return null;
        }

        var activeIds = active.Select(o => o.PartitionId).ToHashSet(StringComparer.Ordinal);
        var free = partitionIds.Where(id => !activeIds.Contains(id)).ToList();
        if (free.Count > 0)
        {
            var id = free[Random.Shared.Next(free.Count)];
            return records.TryGetValue(id, out var existing)
                ? WithOwner(existing, ownerIdentifier)
                : new EventProcessorPartitionOwnership
                {
                    FullyQualifiedNamespace = fullyQualifiedNamespace,
                    EventHubName = eventHubName,
                    ConsumerGroup = consumerGroup,
                    PartitionId = id,
                    OwnerIdentifier = ownerIdentifier,
                };
        }

        // Nothing free: steal from the owner holding the most, if it holds more than its share.
        var (richest, richestCount) = counts.Where(c => c.Key != ownerIdentifier).OrderByDescending(c => c.Value).Select(c => (c.Key, c.Value)).FirstOrDefault();
        var canSteal = richest is not null
            && (richestCount > minimum + 1 || (richestCount > minimum && othersAboveMinimum > extras) || (mineCount < minimum && richestCount > minimum));
        if (!canSteal)
        {
            return null;
        }

        var victims = active.Where(o => o.OwnerIdentifier == richest).ToList();
        return WithOwner(victims[Random.Shared.Next(victims.Count)], ownerIdentifier);
    }

    private static EventProcessorPartitionOwnership WithOwner(EventProcessorPartitionOwnership record, string owner) => new()
    {
        FullyQualifiedNamespace = record.FullyQualifiedNamespace,
        EventHubName = record.EventHubName,
        ConsumerGroup = record.ConsumerGroup,
        PartitionId = record.PartitionId,
        OwnerIdentifier = owner,
        LastModifiedTime = record.LastModifiedTime,
        Version = record.Version,
    };
}
