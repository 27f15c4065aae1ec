using SafetySurveillance.EventHubs.Consumer;

namespace SafetySurveillance.EventHubs.Tests.Support;

internal static class Read
{
    /// <summary>Reads exactly <paramref name="count"/> events from a partition, failing if they do not arrive within 30 s.</summary>
    public static async Task<List<EventData>> EventsAsync(EventHubConsumerClient consumer, string partitionId, EventPosition position, int count, CancellationToken cancellationToken, ReadEventOptions? options = null)
    {
        var events = new List<EventData>();
        if (count == 0)
        {
            return events;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await foreach (var partitionEvent in consumer.ReadEventsFromPartitionAsync(partitionId, position, options ?? new ReadEventOptions(), timeout.Token))
            {
                if (partitionEvent.Data is { } data)
                {
                    events.Add(data);
                    if (events.Count == count)
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        Assert.True(events.Count == count, $"Read {events.Count} of {count} events from partition {partitionId}.");
        return events;
    }

    /// <summary>Reads whatever arrives within <paramref name="wait"/>; for proving that nothing (more) comes.</summary>
    public static async Task<List<EventData>> AvailableAsync(EventHubConsumerClient consumer, string partitionId, EventPosition position, TimeSpan wait, CancellationToken cancellationToken)
    {
        var events = new List<EventData>();
        await foreach (var partitionEvent in consumer.ReadEventsFromPartitionAsync(partitionId, position, new ReadEventOptions { MaximumWaitTime = wait }, cancellationToken))
        {
            if (partitionEvent.Data is null)
            {
                break;
            }

            events.Add(partitionEvent.Data);
        }

        return events;
    }
}
