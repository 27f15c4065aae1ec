using SafetySurveillance.EventHubs.Consumer;
using SafetySurveillance.EventHubs.Producer;
using SafetySurveillance.EventHubs.Tests.Support;

namespace SafetySurveillance.EventHubs.Tests.Consumer;

public sealed class ConsumerEmulatorTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private readonly CancellationToken cancellationToken = TestContext.Current.CancellationToken;

    private static IEnumerable<EventData> Numbered(int from, int count) => Enumerable.Range(from, count).Select(i => new EventData($"event-{i}"));

    private static string[] Bodies(IEnumerable<EventData> events) => [.. events.Select(e => e.EventBody.ToString())];

    [Fact]
    public async Task Each_position_starts_where_it_says()
    {
        await using var producer = new EventHubProducerClient(emulator.ConnectionString("positions"));
        await using var consumer = new EventHubConsumerClient("cg1", emulator.ConnectionString("positions"));
        var toPartition = new SendEventOptions { PartitionId = "1" };
        await producer.SendAsync(Numbered(0, 5), toPartition, cancellationToken);
        var all = await Read.EventsAsync(consumer, "1", EventPosition.Earliest, 5, cancellationToken);
        await Task.Delay(20, cancellationToken);
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(20, cancellationToken);
        await producer.SendAsync(Numbered(5, 3), toPartition, cancellationToken);

        var fromSequence = await Read.EventsAsync(consumer, "1", EventPosition.FromSequenceNumber(2), 6, cancellationToken);
        var afterSequence = await Read.EventsAsync(consumer, "1", EventPosition.FromSequenceNumber(2, isInclusive: false), 5, cancellationToken);
        var fromOffset = await Read.EventsAsync(consumer, "1", EventPosition.FromOffset(all[3].OffsetString!), 5, cancellationToken);
        var afterOffset = await Read.EventsAsync(consumer, "1", EventPosition.FromOffset(all[3].OffsetString!, isInclusive: false), 4, cancellationToken);
        var fromTime = await Read.EventsAsync(consumer, "1", EventPosition.FromEnqueuedTime(between), 3, cancellationToken);

        Assert.Equal(Bodies(Numbered(0, 5)), Bodies(all));
        Assert.Equal([0L, 1, 2, 3, 4], all.Select(e => e.SequenceNumber));
        Assert.Equal(Bodies(Numbered(2, 6)), Bodies(fromSequence));
        Assert.Equal(Bodies(Numbered(3, 5)), Bodies(afterSequence));
        Assert.Equal(Bodies(Numbered(3, 5)), Bodies(fromOffset));
        Assert.Equal(Bodies(Numbered(4, 4)), Bodies(afterOffset));
        Assert.Equal(Bodies(Numbered(5, 3)), Bodies(fromTime));
        Assert.All(all, e => Assert.InRange(e.EnqueuedTime, between.AddMinutes(-1), between));
    }

    [Fact]
    public async Task Latest_sees_only_events_sent_after_the_reader_attached()
    {
        await using var producer = new EventHubProducerClient(emulator.ConnectionString("positions"));
        await using var consumer = new EventHubConsumerClient("cg1", emulator.ConnectionString("positions"));
        await producer.SendAsync(Numbered(0, 3), new SendEventOptions { PartitionId = "0" }, cancellationToken);

        var received = new List<EventData>();
        await foreach (var partitionEvent in consumer.ReadEventsFromPartitionAsync("0", EventPosition.Latest, new ReadEventOptions { MaximumWaitTime = TimeSpan.FromMilliseconds(300) }, cancellationToken))
        {
            if (partitionEvent.Data is null)
            {
                // The reader is attached and idle: now send.
                await producer.SendAsync([new EventData("after")], new SendEventOptions { PartitionId = "0" }, cancellationToken);
                continue;
            }

            received.Add(partitionEvent.Data);
            break;
        }

        Assert.Equal(["after"], Bodies(received));
    }

    [Fact]
    public async Task A_receiver_with_a_higher_owner_level_takes_the_partition_and_the_old_one_is_told()
    {
        await using var producer = new EventHubProducerClient(emulator.ConnectionString("epoch"));
        await using var first = new PartitionReceiver("cg1", "0", EventPosition.Earliest, emulator.ConnectionString("epoch"), new PartitionReceiverOptions { OwnerLevel = 1 });
        await using var second = new PartitionReceiver("cg1", "0", EventPosition.Earliest, emulator.ConnectionString("epoch"), new PartitionReceiverOptions { OwnerLevel = 2 });
        await using var lower = new PartitionReceiver("cg1", "0", EventPosition.Earliest, emulator.ConnectionString("epoch"), new PartitionReceiverOptions { OwnerLevel = 1 });
        await producer.SendAsync([new EventData("one")], new SendEventOptions { PartitionId = "0" }, cancellationToken);

        Assert.Single(await first.ReceiveBatchAsync(10, TimeSpan.FromSeconds(10), cancellationToken));
        Assert.Single(await second.ReceiveBatchAsync(10, TimeSpan.FromSeconds(10), cancellationToken));
        var stolen = await Assert.ThrowsAsync<EventHubsException>(() => first.ReceiveBatchAsync(10, TimeSpan.FromSeconds(10), cancellationToken));
        var refused = await Assert.ThrowsAsync<EventHubsException>(() => lower.ReceiveBatchAsync(10, TimeSpan.FromSeconds(10), cancellationToken));

        Assert.Equal(EventHubsException.FailureReason.ConsumerDisconnected, stolen.Reason);
        Assert.False(stolen.IsTransient);
        Assert.Equal(EventHubsException.FailureReason.ConsumerDisconnected, refused.Reason);
    }

    [Fact]
    public async Task A_receiver_batch_is_bounded_and_tracks_the_newest_event()
    {
        await using var producer = new EventHubProducerClient(emulator.ConnectionString("epoch"));
        await using var receiver = new PartitionReceiver("cg1", "1", EventPosition.Earliest, emulator.ConnectionString("epoch"), new PartitionReceiverOptions { TrackLastEnqueuedEventProperties = true, PrefetchCount = 50 });
        await producer.SendAsync(Numbered(0, 30), new SendEventOptions { PartitionId = "1" }, cancellationToken);

        var received = new List<EventData>();
        while (received.Count < 30)
        {
            var batch = (await receiver.ReceiveBatchAsync(7, TimeSpan.FromSeconds(10), cancellationToken)).ToList();
            Assert.InRange(batch.Count, 1, 7);
            received.AddRange(batch);
        }

        Assert.Equal(Bodies(Numbered(0, 30)), Bodies(received));
        Assert.Equal(29, receiver.ReadLastEnqueuedEventProperties().SequenceNumber);
        Assert.Empty(await receiver.ReceiveBatchAsync(10, TimeSpan.FromMilliseconds(200), cancellationToken));
    }

    [Fact]
    public async Task A_sixth_receiver_without_owner_level_exceeds_the_quota_and_an_owner_level_receiver_evicts_the_rest()
    {
        await using var producer = new EventHubProducerClient(emulator.ConnectionString("positions"));
        await producer.SendAsync([new EventData("x")], new SendEventOptions { PartitionId = "0" }, cancellationToken);
        var receivers = Enumerable.Range(0, 6)
            .Select(_ => new PartitionReceiver("$Default", "0", EventPosition.Earliest, emulator.ConnectionString("positions"), new PartitionReceiverOptions { PrefetchCount = 10 }))
            .ToList();
        try
        {
            foreach (var receiver in receivers.Take(5))
            {
                Assert.NotEmpty(await receiver.ReceiveBatchAsync(1, TimeSpan.FromSeconds(10), cancellationToken));
            }

            var quota = await Assert.ThrowsAsync<EventHubsException>(() => receivers[5].ReceiveBatchAsync(1, TimeSpan.FromSeconds(10), cancellationToken));
            Assert.Equal(EventHubsException.FailureReason.QuotaExceeded, quota.Reason);

            await using var owner = new PartitionReceiver("$Default", "0", EventPosition.Earliest, emulator.ConnectionString("positions"), new PartitionReceiverOptions { OwnerLevel = 0 });
            Assert.NotEmpty(await owner.ReceiveBatchAsync(1, TimeSpan.FromSeconds(10), cancellationToken));
            // Events it had already buffered are still handed out; then the eviction surfaces.
            var evicted = await Assert.ThrowsAsync<EventHubsException>(async () =>
            {
                for (var i = 0; i < 100; i++)
                {
                    await receivers[0].ReceiveBatchAsync(100, TimeSpan.FromSeconds(10), cancellationToken);
                }
            });
            Assert.Equal(EventHubsException.FailureReason.ConsumerDisconnected, evicted.Reason);
        }
        finally
        {
            foreach (var receiver in receivers)
            {
                await receiver.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_missing_consumer_group_is_resource_not_found()
    {
        await using var consumer = new EventHubConsumerClient("no-such-group", emulator.ConnectionString("positions"));

        var failure = await Assert.ThrowsAsync<EventHubsException>(() => Read.EventsAsync(consumer, "0", EventPosition.Earliest, 1, cancellationToken));

        Assert.Equal(EventHubsException.FailureReason.ResourceNotFound, failure.Reason);
    }
}
