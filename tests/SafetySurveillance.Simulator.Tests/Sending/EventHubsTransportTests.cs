using System.Globalization;
using SafetySurveillance.Domain.Events;
using SafetySurveillance.Domain.Events.CloudEvents;
using SafetySurveillance.Domain.Ingestion;
using SafetySurveillance.Domain.Pseudonymisation;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.EventHubs;
using SafetySurveillance.EventHubs.Consumer;
using SafetySurveillance.EventHubs.Emulator;
using SafetySurveillance.EventHubs.Emulator.Configuration;
using SafetySurveillance.EventHubs.Producer;
using SafetySurveillance.Simulator.Generation;
using SafetySurveillance.Simulator.GroundTruth;
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
        // Generated as of the real clock: the broker stamps real enqueued times, which ingestion judges dates against.
        var run = Runs.Generate(new SimulationOptions { Seed = 9, EventCount = 2_000, MalformedFraction = 0.05, DuplicateFraction = 0.05 }, TimeProvider.System.GetUtcNow());
        var connectionString = emulator!.GetConnectionString(Hub);
        await using var producer = new EventHubProducerClient(connectionString);
        await using var transport = new EventHubsTransport(producer, maxEventsPerBatch: 100);

        var final = await new StreamSender(transport, TimeProvider.System)
            .SendAsync(run.Events, new SendOptions { WindowEvents = 400, Passes = 2 }, cancellationToken: cancellationToken);

        Assert.Equal(4_000, final.Sent);
        var received = await ReadAllAsync(connectionString, cancellationToken);
        Assert.Equal(4_000, received.Count);
        Assert.All(received, r => Assert.Equal(EventHubsTransport.StructuredContentType, r.Data.ContentType));
        var sent = run.Events.Concat(run.Events).Select(e => (e.TrustOds, Convert.ToBase64String(e.Body.Span))).Order().ToList();
        Assert.Equal(sent, received.Select(r => (r.Data.PublisherName!, Convert.ToBase64String(r.Data.Body.Span))).Order().ToList());

        // What the hub holds reads exactly as the generator meant: the valid events valid, the malformed rejected.
        var valid = received.Count(r => SafetyEventReader.Read(r.Data.Body, run.Now).IsValid);
        Assert.Equal(2 * (run.ValidCount + run.DuplicateCount), valid);

        // Ingesting exactly what the hub delivered (partitions, sequence numbers, publishers as the broker set
        // them) through the domain's ingestion stages gives the ground truth's Signals table, row by row.
        var truth = GroundTruthBuilder.Build(run);
        var ingested = Ingest(received);
        Assert.Equal(2 * truth.Rejections.Count, ingested.Rejected);
        Assert.Empty(SignalTruth.Compare(truth.Signals, ingested.Rows));
    }

    [Fact]
    public async Task A_connection_template_gives_each_trust_its_own_connection()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var run = Runs.Generate(new SimulationOptions { Seed = 4, TrustCount = 5, InjectedTrustIndex = null, EventCount = 300 }, TimeProvider.System.GetUtcNow());
        var template = emulator!.GetConnectionString(Hub, keyName: "trust-" + EventHubsTransport.TrustPlaceholder, key: "key-" + EventHubsTransport.TrustPlaceholder);
        await using var transport = EventHubsTransport.Create(template, Hub, maxEventsPerBatch: 50);

        await new StreamSender(transport, TimeProvider.System).SendAsync(run.Events, new SendOptions(), cancellationToken: cancellationToken);

        var received = await ReadAllAsync(emulator.GetConnectionString(Hub), cancellationToken);
        Assert.Equal(
            run.Events.GroupBy(e => e.TrustOds).ToDictionary(g => g.Key, g => g.Count()),
            received.GroupBy(r => r.Data.PublisherName!).ToDictionary(g => g.Key, g => g.Count()));
    }

    /// <summary>One ingestion batch per partition, as the Event Hubs trigger delivers them, with the trusts' state kept between batches.</summary>
    private static (List<(string PartitionKey, string RowKey, IDictionary<string, object> Properties)> Rows, int Rejected) Ingest(
        List<(string Partition, EventData Data)> received)
    {
        var pseudonymiser = new Pseudonymiser(new PseudonymisationOptions { KeyId = "test", Key = Convert.ToBase64String(new byte[32]) });
        var states = new Dictionary<string, TrustRegistryState>(StringComparer.Ordinal);
        var rows = new Dictionary<SignalKey, SignalRow>();
        var rejected = 0;
        foreach (var partition in received.GroupBy(r => r.Partition))
        {
            var incoming = partition.Select(r => new IncomingEvent(
                int.Parse(r.Partition, CultureInfo.InvariantCulture),
                r.Data.SequenceNumber,
                r.Data.EnqueuedTime,
                new AmqpCloudEventMessage(r.Data.ContentType, r.Data.Properties.ToDictionary(p => p.Key, p => (object?)p.Value), r.Data.Body),
                r.Data.PublisherName)).ToList();
            var screened = BatchIngestion.Screen(incoming, new IngestionRules());
            rejected += screened.Rejected.Count;
            var aggregated = BatchIngestion.Aggregate(screened, pseudonymiser, ods => states.TryGetValue(ods, out var s) ? s : states[ods] = new TrustRegistryState());
            foreach (var group in aggregated.Contributions.GroupBy(c => c.Key))
            {
                if (!rows.TryGetValue(group.Key, out var row))
                {
                    rows[group.Key] = row = new SignalRow();
                }

                row.Apply(partition.Key, [.. group.Select(g => g.Contribution).OrderBy(c => c.SequenceNumber)]);
            }
        }

        return ([.. rows.Select(r => (r.Key.PartitionKey, r.Key.RowKey, (IDictionary<string, object>)SignalRowProperties.ToProperties(r.Value)))], rejected);
    }

    private static async Task<List<(string Partition, EventData Data)>> ReadAllAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var consumer = new EventHubConsumerClient(EventHubConsumerClient.DefaultConsumerGroupName, connectionString);
        var received = new List<(string, EventData)>();
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
                    received.Add((partition, data));
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
