using SafetySurveillance.EventHubs;
using SafetySurveillance.EventHubs.Producer;
using SafetySurveillance.Simulator.Generation;

namespace SafetySurveillance.Simulator.Sending;

/// <summary>
/// Sends each trust's events through its own publisher endpoint, <c>{hub}/Publishers/{ods}</c>, in batches
/// sized to the link (and at most <see cref="MaxEventsPerBatch"/>). Bodies are the structured CloudEvents,
/// content type <c>application/cloudevents+json</c>. Safe to call for several trusts at once.
/// </summary>
public sealed class EventHubsTransport : ISafetyEventTransport
{
    public const string StructuredContentType = "application/cloudevents+json";

    private readonly EventHubProducerClient producer;
    private readonly bool ownsProducer;

    /// <summary>Uses <paramref name="producer"/>; the caller keeps and disposes it.</summary>
    public EventHubsTransport(EventHubProducerClient producer, int maxEventsPerBatch = 500)
        : this(producer, maxEventsPerBatch, ownsProducer: false)
    {
    }

    private EventHubsTransport(EventHubProducerClient producer, int maxEventsPerBatch, bool ownsProducer)
    {
        ArgumentNullException.ThrowIfNull(producer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEventsPerBatch);
        this.producer = producer;
        this.ownsProducer = ownsProducer;
        MaxEventsPerBatch = maxEventsPerBatch;
    }

    public int MaxEventsPerBatch { get; }

    public string Name => "event-hubs " + producer.EventHubName;

    /// <summary>Opens a producer from a connection string (<c>UseDevelopmentEmulator=true</c> for the emulator); disposed with the transport.</summary>
    public static EventHubsTransport Create(string connectionString, string? eventHubName, int maxEventsPerBatch = 500) =>
        new(new EventHubProducerClient(connectionString, eventHubName), maxEventsPerBatch, ownsProducer: true);

    public async Task<TransportResult> SendAsync(string trustOds, IReadOnlyList<SimulatedEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(trustOds);
        ArgumentNullException.ThrowIfNull(events);
        var options = new CreateBatchOptions { PublisherName = trustOds };
        var sent = 0;
        var batch = await producer.CreateBatchAsync(options, cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var e in events)
            {
                var data = ToEventData(e);
                if (batch.Count >= MaxEventsPerBatch || !batch.TryAdd(data))
                {
                    if (batch.Count == 0)
                    {
                        throw new InvalidOperationException($"Event {e.Sequence} ({e.Body.Length} bytes) does not fit in an empty batch.");
                    }

                    await producer.SendAsync(batch, cancellationToken).ConfigureAwait(false);
                    sent += batch.Count;
                    batch.Dispose();
                    batch = await producer.CreateBatchAsync(options, cancellationToken).ConfigureAwait(false);
                    if (!batch.TryAdd(data))
                    {
                        throw new InvalidOperationException($"Event {e.Sequence} ({e.Body.Length} bytes) does not fit in an empty batch.");
                    }
                }
            }

            if (batch.Count > 0)
            {
                await producer.SendAsync(batch, cancellationToken).ConfigureAwait(false);
                sent += batch.Count;
            }
        }
        finally
        {
            batch.Dispose();
        }

        return new TransportResult(sent, 0);
    }

    public async ValueTask DisposeAsync()
    {
        if (ownsProducer)
        {
            await producer.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The message for one event: the structured body, marked as such.</summary>
    public static EventData ToEventData(SimulatedEvent simulated)
    {
        ArgumentNullException.ThrowIfNull(simulated);
        return new EventData(simulated.Body) { ContentType = StructuredContentType };
    }
}
