using SafetySurveillance.EventHubs.Consumer;
using SafetySurveillance.EventHubs.Emulator.Publishing;
using SafetySurveillance.EventHubs.Producer;
using SafetySurveillance.EventHubs.Tests.Support;

namespace SafetySurveillance.EventHubs.Tests.Producer;

public sealed class ProducerEmulatorTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private readonly CancellationToken cancellationToken = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hub_and_partition_properties_come_from_management()
    {
        await using var producer = new EventHubProducerClient(emulator.ConnectionString("eh"));
        await producer.SendAsync([new EventData("a"), new EventData("b")], new SendEventOptions { PartitionId = "3" }, cancellationToken);

        var hub = await producer.GetEventHubPropertiesAsync(cancellationToken);
        var ids = await producer.GetPartitionIdsAsync(cancellationToken);
        var partition = await producer.GetPartitionPropertiesAsync("3", cancellationToken);
        var untouched = new[] { "0", "1", "2" }.First(id => id != PartitionKeyHasher.PartitionIndex("trust-RX1", 4).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var empty = await producer.GetPartitionPropertiesAsync(untouched, cancellationToken);

        Assert.Equal("eh", hub.Name);
        Assert.Equal(["0", "1", "2", "3"], hub.PartitionIds);
        Assert.Equal(["0", "1", "2", "3"], ids);
        Assert.Equal("3", partition.Id);
        Assert.False(partition.IsEmpty);
        Assert.Equal(1, partition.LastEnqueuedSequenceNumber);
        Assert.True(empty.IsEmpty);
        Assert.Equal(-1, empty.LastEnqueuedSequenceNumber);
    }

    [Fact]
    public async Task A_batch_takes_the_emulators_one_megabyte_limit_and_arrives_whole_in_order()
    {
        await using var producer = new EventHubProducerClient(emulator.ConnectionString("batches"));
        await using var consumer = new EventHubConsumerClient(EventHubConsumerClient.DefaultConsumerGroupName, emulator.ConnectionString("batches"));

        using var batch = await producer.CreateBatchAsync(new CreateBatchOptions { PartitionId = "1" }, cancellationToken);
        var index = 0;
        while (batch.TryAdd(new EventData(new byte[1024]) { MessageId = $"e{index}" }))
        {
            index++;
        }

        await producer.SendAsync(batch, cancellationToken);
        var received = await Read.EventsAsync(consumer, "1", EventPosition.Earliest, batch.Count, cancellationToken);

        Assert.Equal(1024 * 1024, batch.MaximumSizeInBytes);
        Assert.InRange(batch.Count, 900, 1020);
        Assert.Equal(Enumerable.Range(0, batch.Count).Select(i => $"e{i}"), received.Select(e => e.MessageId));
        Assert.Equal(Enumerable.Range(0, batch.Count).Select(i => (long)i), received.Select(e => e.SequenceNumber));
    }

    [Fact]
    public async Task An_event_over_one_megabyte_is_refused_as_too_large()
    {
        await using var producer = new EventHubProducerClient(emulator.ConnectionString("batches"));

        var failure = await Assert.ThrowsAsync<EventHubsException>(() =>
            producer.SendAsync([new EventData(new byte[1024 * 1024 + 1])], new SendEventOptions { PartitionId = "0" }, cancellationToken));

        Assert.Equal(EventHubsException.FailureReason.MessageSizeExceeded, failure.Reason);
        Assert.True((await producer.GetPartitionPropertiesAsync("0", cancellationToken)).IsEmpty);
    }

    [Fact]
    public async Task Events_with_a_partition_key_land_in_the_partition_the_key_hashes_to()
    {
        await using var producer = new EventHubProducerClient(emulator.ConnectionString("eh"));
        await using var consumer = new EventHubConsumerClient(EventHubConsumerClient.DefaultConsumerGroupName, emulator.ConnectionString("eh"));
        var expected = PartitionKeyHasher.PartitionIndex("trust-RX1", 4).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var before = await producer.GetPartitionPropertiesAsync(expected, cancellationToken);

        await producer.SendAsync([new EventData("k1"), new EventData("k2")], new SendEventOptions { PartitionKey = "trust-RX1" }, cancellationToken);
        using var batch = await producer.CreateBatchAsync(new CreateBatchOptions { PartitionKey = "trust-RX1" }, cancellationToken);
        Assert.True(batch.TryAdd(new EventData("k3")));
        await producer.SendAsync(batch, cancellationToken);

        var received = await Read.EventsAsync(consumer, expected, EventPosition.FromSequenceNumber(before.LastEnqueuedSequenceNumber, isInclusive: false), 3, cancellationToken);
        Assert.Equal(["k1", "k2", "k3"], received.Select(e => e.EventBody.ToString()));
        Assert.All(received, e => Assert.Equal("trust-RX1", e.PartitionKey));
    }

    [Fact]
    public async Task A_trust_key_scoped_to_its_publisher_endpoint_sends_there_and_events_carry_the_publisher()
    {
        await using var trust = new EventHubProducerClient(emulator.TrustConnectionString("publishers"));
        await using var consumer = new EventHubConsumerClient(EventHubConsumerClient.DefaultConsumerGroupName, emulator.ConnectionString("publishers"));

        await trust.SendAsync([new EventData("from RX1")], new SendEventOptions { PublisherName = "RX1" }, cancellationToken);

        var partition = PartitionKeyHasher.PartitionIndex("RX1", 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var received = Assert.Single(await Read.EventsAsync(consumer, partition, EventPosition.Earliest, 1, cancellationToken));
        Assert.Equal("from RX1", received.EventBody.ToString());
        Assert.Equal("RX1", received.PublisherName);
    }

    [Fact]
    public async Task A_trust_key_cannot_send_as_another_publisher_or_to_the_hub()
    {
        await using var trust = new EventHubProducerClient(emulator.TrustConnectionString("publishers"));

        var otherPublisher = await Assert.ThrowsAsync<EventHubsException>(() =>
            trust.SendAsync([new EventData("spoof")], new SendEventOptions { PublisherName = "RX2" }, cancellationToken));
        var hub = await Assert.ThrowsAsync<EventHubsException>(() => trust.SendAsync([new EventData("spoof")], cancellationToken));

        Assert.Equal(EventHubsException.FailureReason.Unauthorized, otherPublisher.Reason);
        Assert.Equal(EventHubsException.FailureReason.Unauthorized, hub.Reason);
    }

    [Fact]
    public async Task A_wrong_key_is_unauthorized()
    {
        var connectionString = emulator.Emulator.GetConnectionString("eh", EmulatorFixture.RootKeyName, "not-the-key");
        await using var producer = new EventHubProducerClient(connectionString);

        var failure = await Assert.ThrowsAsync<EventHubsException>(() => producer.SendAsync([new EventData("x")], cancellationToken));

        Assert.Equal(EventHubsException.FailureReason.Unauthorized, failure.Reason);
        Assert.False(failure.IsTransient);
    }

    [Fact]
    public async Task A_missing_hub_is_resource_not_found_not_a_network_error()
    {
        await using var producer = new EventHubProducerClient(emulator.ConnectionString("no-such-hub"));

        var send = await Assert.ThrowsAsync<EventHubsException>(() => producer.SendAsync([new EventData("x")], cancellationToken));
        var properties = await Assert.ThrowsAsync<EventHubsException>(() => producer.GetEventHubPropertiesAsync(cancellationToken));

        Assert.Equal(EventHubsException.FailureReason.ResourceNotFound, send.Reason);
        Assert.Equal(EventHubsException.FailureReason.ResourceNotFound, properties.Reason);
    }
}
