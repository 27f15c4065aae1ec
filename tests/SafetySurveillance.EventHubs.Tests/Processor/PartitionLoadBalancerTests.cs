using Microsoft.Extensions.Time.Testing;
using SafetySurveillance.EventHubs.Processor;

namespace SafetySurveillance.EventHubs.Tests.Processor;

public sealed class PartitionLoadBalancerTests
{
    private static readonly TimeSpan Expiration = TimeSpan.FromMinutes(2);
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    private readonly CancellationToken cancellationToken = TestContext.Current.CancellationToken;

    private static string[] Partitions(int count) => Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private PartitionLoadBalancer Balancer(CheckpointStore store, string owner, LoadBalancingStrategy strategy = LoadBalancingStrategy.Greedy)
        => new(store, "localhost", "eh1", "$Default", owner, Expiration, strategy, clock);

    [Fact]
    public async Task A_lone_greedy_instance_claims_every_partition_in_one_cycle()
    {
        var store = new InMemoryCheckpointStore(clock);

        var owned = await Balancer(store, "a").RunAsync(Partitions(4), cancellationToken);

        Assert.Equal(4, owned.Count);
        Assert.All(store.Owners().Values, owner => Assert.Equal("a", owner));
    }

    [Fact]
    public async Task A_balanced_instance_claims_one_partition_per_cycle()
    {
        var store = new InMemoryCheckpointStore(clock);
        var balancer = Balancer(store, "a", LoadBalancingStrategy.Balanced);

        Assert.Single(await balancer.RunAsync(Partitions(3), cancellationToken));
        Assert.Equal(2, (await balancer.RunAsync(Partitions(3), cancellationToken)).Count);
        Assert.Equal(3, (await balancer.RunAsync(Partitions(3), cancellationToken)).Count);
    }

    [Theory]
    [InlineData(8, 2, LoadBalancingStrategy.Greedy)]
    [InlineData(5, 2, LoadBalancingStrategy.Greedy)]
    [InlineData(32, 3, LoadBalancingStrategy.Balanced)]
    [InlineData(2, 3, LoadBalancingStrategy.Greedy)]
    public async Task Instances_converge_to_a_fair_split_by_stealing_from_the_richest(int partitionCount, int instanceCount, LoadBalancingStrategy strategy)
    {
        var store = new InMemoryCheckpointStore(clock);
        var balancers = Enumerable.Range(0, instanceCount).Select(i => Balancer(store, $"instance-{i}", strategy)).ToList();
        var partitions = Partitions(partitionCount);

        // The first instance starts alone and takes everything; the others join later.
        await balancers[0].RunAsync(partitions, cancellationToken);
        for (var cycle = 0; cycle < partitionCount + 5; cycle++)
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            foreach (var balancer in balancers)
            {
                await balancer.RunAsync(partitions, cancellationToken);
            }
        }

        var counts = balancers.Select(b => b.OwnedPartitionIds.Count).OrderBy(c => c).ToList();
        Assert.Equal(partitionCount, counts.Sum());
        Assert.Equal(partitionCount / instanceCount, counts[0]);
        Assert.True(counts[^1] - counts[0] <= 1);
        Assert.Equal(partitionCount, balancers.SelectMany(b => b.OwnedPartitionIds).Distinct().Count());
    }

    [Fact]
    public async Task An_ownership_not_renewed_within_the_expiration_interval_is_taken_over()
    {
        var store = new InMemoryCheckpointStore(clock);
        await Balancer(store, "crashed").RunAsync(Partitions(4), cancellationToken);
        var survivor = Balancer(store, "survivor");

        Assert.Equal(2, (await survivor.RunAsync(Partitions(4), cancellationToken)).Count);
        clock.Advance(Expiration + TimeSpan.FromSeconds(1));
        var owned = await survivor.RunAsync(Partitions(4), cancellationToken);

        Assert.Equal(4, owned.Count);
        Assert.All(store.Owners().Values, owner => Assert.Equal("survivor", owner));
    }

    [Fact]
    public async Task An_instance_that_stops_gives_its_partitions_up_for_immediate_takeover()
    {
        var store = new InMemoryCheckpointStore(clock);
        var leaving = Balancer(store, "leaving");
        await leaving.RunAsync(Partitions(4), cancellationToken);

        await leaving.RelinquishAsync(cancellationToken);
        var owned = await Balancer(store, "staying").RunAsync(Partitions(4), cancellationToken);

        Assert.Equal(4, owned.Count);
    }

    [Fact]
    public async Task Of_two_claims_made_from_the_same_listing_only_one_wins()
    {
        var store = new InMemoryCheckpointStore(clock);
        var listing = await store.ListOwnershipAsync("localhost", "eh1", "$Default", cancellationToken);
        Assert.Empty(listing);
        var claim = (string owner) => new EventProcessorPartitionOwnership
        {
            FullyQualifiedNamespace = "localhost",
            EventHubName = "eh1",
            ConsumerGroup = "$Default",
            PartitionId = "0",
            OwnerIdentifier = owner,
        };

        var first = await store.ClaimOwnershipAsync([claim("a")], cancellationToken);
        var second = await store.ClaimOwnershipAsync([claim("b")], cancellationToken);

        Assert.Single(first);
        Assert.Empty(second);
        Assert.Equal("a", store.Owners()["0"]);
    }
}
