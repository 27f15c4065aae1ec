using SafetySurveillance.Domain.Events;
using SafetySurveillance.EventHubs.Consumer;
using SafetySurveillance.EventHubs.Emulator;
using SafetySurveillance.EventHubs.Emulator.Configuration;
using SafetySurveillance.EventHubs.Producer;
using SafetySurveillance.Simulator.Generation;
using SafetySurveillance.Simulator.Sending;
using SafetySurveillance.Simulator.Tests.Support;
using Xunit;

namespace SafetySurveillance.Simulator.Tests.Sending;

/// <summary>The simulator against the real emulator, in-process on loopback, read back with the project's consumer.</summary>
public sealed class EventHubsTransportTests : IAsyncLifetime
{
    private const string Hub = "safety-events";
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "simulator-eh-" + Guid.NewGuid().ToString("N"));
    private EventHubsEmulator? emulator;

    public async ValueTask InitializeAsync()
    {
        emulator = await EventHubsEmulator.StartAsync(new EventHubsEmulatorOptions
        {
            Port = 0,
            DataDirectory = dataDirectory,
            Configuration = EmulatorConfiguration.ForHubs([(Hub, 4)], "cg1"),
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (emulator is not null)
        {
            await emulator.DisposeAsync();
        }

        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Every_message_sent_through_the_trust_publishers_is_read_back_from_the_hub()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var run = Runs.Generate(new SimulationOptions { Seed = 9, EventCount = 2_000, MalformedFraction = 0.05, DuplicateFraction = 0.05 });
        var connectionString = emulator!.GetConnectionString(Hub);
        await using var producer = new EventHubProducerClient(connectionString);
        await using var transport = new EventHubsTransport(producer, maxEventsPerBatch: 100);

        var final = await new StreamSender(transport, TimeProvider.System)
            .SendAsync(run.Events, new SendOptions { WindowEvents = 400, Passes = 2 }, cancellationToken: cancellationToken);

        Assert.Equal(4_000, final.Sent);
        var received = await ReadAllAsync(connectionString, cancellationToken);
        Assert.Equal(4_000, received.Count);
        Assert.All(received, r => Assert.Equal(EventHubsTransport.StructuredContentType, r.ContentType));
        var sent = run.Events.Concat(run.Events).Select(e => (e.TrustOds, Convert.ToBase64String(e.Body.Span))).Order().ToList();
        Assert.Equal(sent, received.Select(r => (r.Publisher!, Convert.ToBase64String(r.Body))).Order().ToList());

        // What the hub holds reads exactly as the generator meant: the valid events valid, the malformed rejected.
        var valid = received.Count(r => SafetyEventReader.Read(r.Body, Runs.Now).IsValid);
        Assert.Equal(2 * (run.ValidCount + run.DuplicateCount), valid);
    }

    private static async Task<List<(string? Publisher, string? ContentType, byte[] Body)>> ReadAllAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var consumer = new EventHubConsumerClient(EventHubConsumerClient.DefaultConsumerGroupName, connectionString);
        var received = new List<(string?, string?, byte[])>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        foreach (var partition in await consumer.GetPartitionIdsAsync(cancellationToken))
        {
            var properties = await consumer.GetPartitionPropertiesAsync(partition, cancellationToken);
            if (properties.IsEmpty)
            {
                continue;
            }

            await foreach (var item in consumer.ReadEventsFromPartitionAsync(partition, EventPosition.Earliest, timeout.Token))
            {
                if (item.Data is { } data)
                {
                    received.Add((data.PublisherName, data.ContentType, data.Body.ToArray()));
                    if (data.SequenceNumber >= properties.LastEnqueuedSequenceNumber)
                    {
                        break;
                    }
                }
            }
        }

        return received;
    }
}
