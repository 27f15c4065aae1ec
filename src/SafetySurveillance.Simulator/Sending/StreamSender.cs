using System.Diagnostics;
using SafetySurveillance.Simulator.Generation;

namespace SafetySurveillance.Simulator.Sending;

/// <summary>How to send a stream.</summary>
public sealed record SendOptions
{
    /// <summary>Target events per second over the whole run; null sends as fast as the transport allows.</summary>
    public double? EventsPerSecond { get; init; }

    /// <summary>Most events taken from the stream at once; each trust's share of a window goes as its batches, trusts in parallel.</summary>
    public int WindowEvents { get; init; } = 4_000;

    /// <summary>How many times the whole stream is sent: 2 resends everything once (to prove de-duplication).</summary>
    public int Passes { get; init; } = 1;
}

/// <summary>Progress after a window.</summary>
public sealed record SendProgress(int Pass, long Sent, long Total, long Refused, TimeSpan Elapsed)
{
    public double EventsPerSecond => Elapsed > TimeSpan.Zero ? Sent / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Drives a transport through the stream: windows of consecutive events, split by trust (each trust's events
/// keep their order and go through its own endpoint), trusts sent in parallel, windows one after another,
/// paced to the target rate with the <see cref="TimeProvider"/>.
/// </summary>
public sealed class StreamSender
{
    private readonly ISafetyEventTransport transport;
    private readonly TimeProvider timeProvider;

    public StreamSender(ISafetyEventTransport transport, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.transport = transport;
        this.timeProvider = timeProvider;
    }

    public async Task<SendProgress> SendAsync(
        IReadOnlyList<SimulatedEvent> events,
        SendOptions options,
        IProgress<SendProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.WindowEvents);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Passes);
        if (options.EventsPerSecond is { } r && !(r > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "EventsPerSecond must be positive.");
        }

        var window = options.EventsPerSecond is { } rate
            ? (int)Math.Clamp(rate / 10, 1, options.WindowEvents) // about ten sends a second when paced
            : options.WindowEvents;
        var total = (long)events.Count * options.Passes;
        var started = timeProvider.GetTimestamp();
        long sent = 0, refused = 0;
        var last = new SendProgress(1, 0, total, 0, TimeSpan.Zero);
        for (var pass = 1; pass <= options.Passes; pass++)
        {
            for (var start = 0; start < events.Count; start += window)
            {
                if (options.EventsPerSecond is { } eventsPerSecond)
                {
                    var due = TimeSpan.FromSeconds(sent / eventsPerSecond);
                    var wait = due - timeProvider.GetElapsedTime(started);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
                    }
                }

                var count = Math.Min(window, events.Count - start);
                var byTrust = new Dictionary<string, List<SimulatedEvent>>(StringComparer.Ordinal);
                for (var i = start; i < start + count; i++)
                {
                    var e = events[i];
                    if (!byTrust.TryGetValue(e.TrustOds, out var list))
                    {
                        byTrust[e.TrustOds] = list = [];
                    }

                    list.Add(e);
                }

                var results = await Task.WhenAll(byTrust.Select(t => transport.SendAsync(t.Key, t.Value, cancellationToken))).ConfigureAwait(false);
                foreach (var result in results)
                {
                    refused += result.Refused;
                }

                sent += count;
                Debug.Assert(results.Sum(x => x.Accepted + x.Refused) == count, "every event accounted for");
                last = new SendProgress(pass, sent, total, refused, timeProvider.GetElapsedTime(started));
                progress?.Report(last);
            }
        }

        return last;
    }
}
