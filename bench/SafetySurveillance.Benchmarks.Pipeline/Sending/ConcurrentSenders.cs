using System.Diagnostics;
using SafetySurveillance.Benchmarks.Pipeline.Measurement;
using SafetySurveillance.Simulator.Sending;

namespace SafetySurveillance.Benchmarks.Pipeline.Sending;

/// <summary>What the senders did.</summary>
internal sealed record SendFigures(int Events, int Calls, long StartedAt, long FinishedAt)
{
    public double Seconds => Stopwatch.GetElapsedTime(StartedAt, FinishedAt).TotalSeconds;
}

/// <summary>
/// Several senders at once, each with its own AMQP connection (<see cref="EventHubsTransport"/>), each owning a
/// round-robin share of the trusts and sending them in turn, <c>sendBatch</c> consecutive events of one trust per
/// call, through the trust's publisher endpoint. A trust's events always go in order from one sender.
/// With a target rate, the senders share one schedule: a batch may start once every event reserved before it is
/// due at that rate, so the total rate holds however unequal the trusts' shares are.
/// </summary>
internal static class ConcurrentSenders
{
    private const string Hub = "safety-events";

    /// <summary>Sends every trust's events from index <c>range(trust).From</c> (inclusive) to <c>range(trust).To</c> (exclusive).</summary>
    public static async Task<SendFigures> SendAsync(string connection, ExpectedProgress expected, RowProgress progress, int senders, int sendBatch, int rate, Func<TrustStream, (int From, int To)> range, CancellationToken cancellationToken)
    {
        var trusts = expected.Trusts.Values.OrderBy(t => t.Ods, StringComparer.Ordinal).ToList();
        var shares = Enumerable.Range(0, senders)
            .Select(s => trusts.Where((_, i) => i % senders == s).ToList())
            .Where(share => share.Count > 0)
            .ToList();
        var schedule = new Schedule(rate, Stopwatch.GetTimestamp());
        var started = Stopwatch.GetTimestamp();
        var results = await Task.WhenAll(shares.Select(share => Task.Run(() => SendShareAsync(connection, share, progress, sendBatch, schedule, range, cancellationToken), cancellationToken))).ConfigureAwait(false);
        return new SendFigures(results.Sum(r => r.Events), results.Sum(r => r.Calls), started, Stopwatch.GetTimestamp());
    }

    private static async Task<(int Events, int Calls)> SendShareAsync(string connection, List<TrustStream> share, RowProgress progress, int sendBatch, Schedule schedule, Func<TrustStream, (int From, int To)> range, CancellationToken cancellationToken)
    {
        await using var transport = EventHubsTransport.Create(connection, Hub, maxEventsPerBatch: sendBatch);
        var next = share.Select(t => range(t).From).ToArray();
        var end = share.Select(t => range(t).To).ToArray();
        int events = 0, calls = 0;
        var more = true;
        while (more)
        {
            more = false;
            for (var t = 0; t < share.Count; t++)
            {
                var stream = share[t];
                if (next[t] >= end[t])
                {
                    continue;
                }

                var count = Math.Min(sendBatch, end[t] - next[t]);
                var batch = new ArraySegmentList(stream, next[t], count);
                next[t] += count;
                more |= next[t] < end[t];

                var wait = schedule.Reserve(count);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }

                progress.Expect(stream.Ods, new PendingBatch(stream.CumulativeApplied[next[t] - 1], count, Stopwatch.GetTimestamp()));
                await transport.SendAsync(stream.Ods, batch, cancellationToken).ConfigureAwait(false);
                events += count;
                calls++;
            }
        }

        return (events, calls);
    }

    /// <summary>The shared send schedule at a total rate (events/s); a rate of 0 never waits.</summary>
    private sealed class Schedule(int rate, long startedAt)
    {
        private long _reserved;

        /// <summary>Reserves <paramref name="count"/> events; returns how long to wait until the events before them are due.</summary>
        public TimeSpan Reserve(int count)
        {
            var before = Interlocked.Add(ref _reserved, count) - count;
            return rate == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)before / rate) - Stopwatch.GetElapsedTime(startedAt);
        }
    }

    /// <summary>A slice of a trust's events without copying.</summary>
    private sealed class ArraySegmentList(TrustStream stream, int offset, int count) : IReadOnlyList<Simulator.Generation.SimulatedEvent>
    {
        public Simulator.Generation.SimulatedEvent this[int index] => stream.Events[offset + index];

        public int Count => count;

        public IEnumerator<Simulator.Generation.SimulatedEvent> GetEnumerator()
        {
            for (var i = 0; i < count; i++)
            {
                yield return stream.Events[offset + i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
