using SafetySurveillance.EventHubs;
using SafetySurveillance.EventHubs.Producer;

namespace SafetySurveillance.Functions.SubmitEvents;

/// <summary>
/// Sends accepted events to the hub through the trust's publisher endpoint <c>&lt;hub&gt;/Publishers/{ods}</c>, so the
/// ingest side sees the publisher exactly as for an AMQP sender, each with content type
/// <c>application/cloudevents+json</c> and the trust's bytes unchanged. All events go in one batch transfer
/// (atomic); only when they exceed the link's max-message-size are they split into as few transfers as fit.
/// </summary>
public sealed class HubForwarder
{
    /// <summary>The content type set on every forwarded event.</summary>
    public const string ContentType = "application/cloudevents+json";

    private readonly EventHubProducerClient _producer;

    /// <summary>Creates the forwarder over the app's one producer.</summary>
    public HubForwarder(EventHubProducerClient producer) => _producer = producer ?? throw new ArgumentNullException(nameof(producer));

    /// <summary>Sends <paramref name="events"/> as the publisher <paramref name="odsCode"/>; returns the number of transfers.</summary>
    public async Task<int> ForwardAsync(string odsCode, IReadOnlyList<ReadOnlyMemory<byte>> events, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(odsCode);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return 0;
        }

        var options = new CreateBatchOptions { PublisherName = odsCode };
        var transfers = 0;
        var batch = await _producer.CreateBatchAsync(options, cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var body in events)
            {
                var data = new EventData(body) { ContentType = ContentType };
                if (batch.TryAdd(data))
                {
                    continue;
                }

                if (batch.Count == 0)
                {
                    throw new EventHubsException(false, _producer.EventHubName, "One event is larger than the hub accepts.", EventHubsException.FailureReason.MessageSizeExceeded);
                }

                await _producer.SendAsync(batch, cancellationToken).ConfigureAwait(false);
                transfers++;
                batch.Dispose();
                batch = await _producer.CreateBatchAsync(options, cancellationToken).ConfigureAwait(false);
                if (!batch.TryAdd(data))
                {
                    throw new EventHubsException(false, _producer.EventHubName, "One event is larger than the hub accepts.", EventHubsException.FailureReason.MessageSizeExceeded);
                }
            }

            await _producer.SendAsync(batch, cancellationToken).ConfigureAwait(false);
            return transfers + 1;
        }
        finally
        {
            batch.Dispose();
        }
    }
}
