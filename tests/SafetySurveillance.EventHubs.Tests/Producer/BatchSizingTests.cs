using Amqp.Framing;
using Amqp.Types;
using SafetySurveillance.EventHubs.Producer;
using SafetySurveillance.EventHubs.Tests.Peers;

namespace SafetySurveillance.EventHubs.Tests.Producer;

public sealed class BatchSizingTests
{
    [Fact]
    public async Task A_batch_takes_its_limit_from_the_link_max_message_size()
    {
        await using var broker = RecordingBroker.Start(maximumMessageSize: 4000);
        await using var producer = new EventHubProducerClient(broker.ConnectionString());

        using var batch = await producer.CreateBatchAsync(new CreateBatchOptions { PartitionKey = "trust-RX1" }, TestContext.Current.CancellationToken);
        while (batch.TryAdd(new EventData(new byte[500])))
        {
        }

        await producer.SendAsync(batch, TestContext.Current.CancellationToken);

        Assert.Equal(4000, batch.MaximumSizeInBytes);
        var (address, message) = Assert.Single(broker.Received);
        Assert.Equal("eh1", address);
        Assert.Equal(0x80013700u, message.Format);
        Assert.Equal("trust-RX1", message.MessageAnnotations[new Symbol("x-opt-partition-key")]);
        Assert.Equal(batch.Count, Assert.IsType<DataList>(message.BodySection).Count);
        Assert.True(batch.Count >= 7);
        Assert.True(message.Encode().Length <= 4000);
    }

    [Fact]
    public async Task A_send_larger_than_the_link_allows_fails_without_reaching_the_broker()
    {
        await using var broker = RecordingBroker.Start(maximumMessageSize: 4000);
        await using var producer = new EventHubProducerClient(broker.ConnectionString());

        var failure = await Assert.ThrowsAsync<EventHubsException>(() =>
            producer.SendAsync([new EventData(new byte[3000]), new EventData(new byte[3000])], TestContext.Current.CancellationToken));

        Assert.Equal(EventHubsException.FailureReason.MessageSizeExceeded, failure.Reason);
        Assert.Empty(broker.Received);
    }

    [Fact]
    public async Task A_batch_may_be_smaller_than_the_link_but_not_larger()
    {
        await using var broker = RecordingBroker.Start(maximumMessageSize: 4000);
        await using var producer = new EventHubProducerClient(broker.ConnectionString());

        using var small = await producer.CreateBatchAsync(new CreateBatchOptions { MaximumSizeInBytes = 1000 }, TestContext.Current.CancellationToken);
        Assert.Equal(1000, small.MaximumSizeInBytes);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
            await producer.CreateBatchAsync(new CreateBatchOptions { MaximumSizeInBytes = 5000 }, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("0", null, null, "eh1/Partitions/0")]
    [InlineData(null, null, "RX1", "eh1/Publishers/RX1")]
    [InlineData(null, "key", null, "eh1")]
    public async Task Each_target_is_its_own_link_address(string? partitionId, string? partitionKey, string? publisher, string expected)
    {
        await using var broker = RecordingBroker.Start();
        await using var producer = new EventHubProducerClient(broker.ConnectionString());

        await producer.SendAsync(
            [new EventData("x")],
            new SendEventOptions { PartitionId = partitionId, PartitionKey = partitionKey, PublisherName = publisher },
            TestContext.Current.CancellationToken);

        Assert.Equal(expected, Assert.Single(broker.Received).Address);
        Assert.Equal($"sb://127.0.0.1:{broker.Port}/{expected}", Assert.Single(broker.PutTokens).Name);
    }

    [Fact]
    public async Task Partition_id_and_key_together_are_refused()
    {
        await using var broker = RecordingBroker.Start();
        await using var producer = new EventHubProducerClient(broker.ConnectionString());

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            producer.SendAsync([new EventData("x")], new SendEventOptions { PartitionId = "0", PartitionKey = "k" }, TestContext.Current.CancellationToken));
    }
}
