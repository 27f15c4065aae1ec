using SafetySurveillance.EventHubs.Consumer;
using SafetySurveillance.EventHubs.Producer;
using SafetySurveillance.EventHubs.Tests.Support;

namespace SafetySurveillance.EventHubs.Tests.Consumer;

/// <summary>The broker goes away and comes back (same port, same data): clients recover without losing or repeating events.</summary>
public sealed class RecoveryEmulatorTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private readonly CancellationToken cancellationToken = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_reader_and_a_producer_survive_a_broker_restart_and_resume_after_the_last_event()
    {
        var retry = new EventHubsRetryOptions { MaximumRetries = 10, Delay = TimeSpan.FromMilliseconds(100), MaximumDelay = TimeSpan.FromSeconds(1) };
        await using var producer = new EventHubProducerClient(emulator.ConnectionString("recovery"), null, new EventHubProducerClientOptions { RetryOptions = retry });
        await using var receiver = new PartitionReceiver("cg1", "0", EventPosition.Earliest, emulator.ConnectionString("recovery"), new PartitionReceiverOptions { RetryOptions = retry, PrefetchCount = 10 });
        await producer.SendAsync(Enumerable.Range(0, 20).Select(i => new EventData($"e{i}")), cancellationToken);

        var received = new List<EventData>();
        while (received.Count < 20)
        {
            received.AddRange(await receiver.ReceiveBatchAsync(20, TimeSpan.FromSeconds(10), cancellationToken));
        }

        await emulator.StopAsync();
        await emulator.RestartAsync();
        await producer.SendAsync(Enumerable.Range(20, 10).Select(i => new EventData($"e{i}")), cancellationToken);
        while (received.Count < 30)
        {
            received.AddRange(await receiver.ReceiveBatchAsync(30, TimeSpan.FromSeconds(10), cancellationToken));
        }

        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"e{i}"), received.Select(e => e.EventBody.ToString()));
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (long)i), received.Select(e => e.SequenceNumber));
        Assert.Empty(await receiver.ReceiveBatchAsync(10, TimeSpan.FromMilliseconds(300), cancellationToken));
        Assert.True(receiver.LinksOpened >= 2, "the receiver link was re-opened after the restart");
    }
}
