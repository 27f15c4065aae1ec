using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using SafetySurveillance.EventHubs.Diagnostics;
using SafetySurveillance.EventHubs.Producer;
using SafetySurveillance.EventHubs.Tests.Peers;

namespace SafetySurveillance.EventHubs.Tests.Diagnostics;

public sealed class EventHubsDiagnosticsTests
{
    [Fact]
    public async Task A_send_is_traced_as_a_producer_span_and_counted_per_event()
    {
        var hub = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        var sent = new ConcurrentBag<long>();
        var spans = new ConcurrentBag<Activity>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EventHubsDiagnostics.Name && instrument.Name == "eventhubs.client.sent.events")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "messaging.destination.name" && Equals(tag.Value, hub))
                {
                    sent.Add(value);
                }
            }
        });
        meters.Start();
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == EventHubsDiagnostics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.DisplayName == "send " + hub)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(activities);

        await using var broker = RecordingBroker.Start();
        await using var producer = new EventHubProducerClient(broker.ConnectionString(hub));
        await producer.SendAsync([new EventData("a"), new EventData("b"), new EventData("c")], new SendEventOptions { PartitionId = "0" }, TestContext.Current.CancellationToken);

        Assert.Equal(3, sent.Sum());
        var span = Assert.Single(spans);
        Assert.Equal(ActivityKind.Producer, span.Kind);
        Assert.Equal($"{hub}/Partitions/0", span.GetTagItem("messaging.destination.name"));
        Assert.Equal(3, span.GetTagItem("messaging.batch.message_count"));
    }
}
