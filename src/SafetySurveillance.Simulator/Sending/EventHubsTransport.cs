using System.Collections.Concurrent;
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

    /// <summary>In a connection string, replaced by the trust's ODS code (one connection per trust, e.g. per-trust send keys).</summary>
    public const string TrustPlaceholder = "{ods}";

    private readonly Func<string, EventHubProducerClient> producerFor;
    private readonly ConcurrentDictionary<string, Lazy<EventHubProducerClient>> owned = new(StringComparer.Ordinal);
    private readonly string hubName;

    /// <summary>Uses <paramref name="producer"/> for every trust; the caller keeps and disposes it.</summary>
    public EventHubsTransport(EventHubProducerClient producer, int maxEventsPerBatch = 500)
    {
        ArgumentNullException.ThrowIfNull(producer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEventsPerBatch);
        producerFor = _ => producer;
        hubName = producer.EventHubName;
        MaxEventsPerBatch = maxEventsPerBatch;
    }

    private EventHubsTransport(string connectionString, string eventHubName, int maxEventsPerBatch)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentException.ThrowIfNullOrEmpty(eventHubName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEventsPerBatch);
        var perTrust = connectionString.Contains(TrustPlaceholder, StringComparison.Ordinal);
        hubName = eventHubName;
        MaxEventsPerBatch = maxEventsPerBatch;
        producerFor = ods => owned.GetOrAdd(
            perTrust ? ods : string.Empty,
            key => new Lazy<EventHubProducerClient>(() => new EventHubProducerClient(
                perTrust ? connectionString.Replace(TrustPlaceholder, key, StringComparison.Ordinal) : connectionString,
                eventHubName))).Value;
    }

    public int MaxEventsPerBatch { get; }

    public string Name => "event-hubs " + hubName;

    /// <summary>
    /// Opens producers from a connection string (<c>UseDevelopmentEmulator=true</c> for the emulator), disposed with
    /// the transport. When the string contains <see cref="TrustPlaceholder"/>, each trust gets its own connection
    /// with its code substituted (for per-trust send keys, e.g. <c>SharedAccessKeyName=trust-{ods}</c>); otherwise
    /// all trusts share one.
    /// </summary>
    public static EventHubsTransport Create(string connectionString, string eventHubName, int maxEventsPerBatch = 500) =>
        new(connectionString, eventHubName, maxEventsPerBatch);

    public async Task<TransportResult> SendAsync(string trustOds, IReadOnlyList<SimulatedEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(trustOds);
        ArgumentNullException.ThrowIfNull(events);
        var producer = producerFor(trustOds);
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
        foreach (var producer in owned.Values.Where(p => p.IsValueCreated))
        {
            await producer.Value.DisposeAsync().ConfigureAwait(false);
        }

        owned.Clear();
    }

    /// <summary>The message for one event: the structured body, marked as such.</summary>
    public static EventData ToEventData(SimulatedEvent simulated)
    {
        ArgumentNullException.ThrowIfNull(simulated);
        return new EventData(simulated.Body) { ContentType = StructuredContentType };
    }
}
