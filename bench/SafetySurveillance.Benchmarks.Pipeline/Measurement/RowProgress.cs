using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Azure;
using Azure.Data.Tables;
using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Benchmarks.Pipeline.Measurement;

/// <summary>A send call's events as the poller waits for them: the trust's cumulative applied count once they are all in.</summary>
/// <param name="AppliedAfter">The trust rows' applied count once this batch is in.</param>
/// <param name="Count">Events in the batch.</param>
/// <param name="SentAt">Stopwatch timestamp taken just before the send call.</param>
internal sealed record PendingBatch(long AppliedAfter, int Count, long SentAt);

/// <summary>
/// Polls the Signals table's all-time trust rows and turns what they show into events in (per trust, through
/// <see cref="ExpectedProgress"/>) and per-event latencies: a send batch is in when its trust's applied count reaches
/// the batch's cumulative count; each of its events is given the latency from the batch's send start to the poll that
/// saw it. A trust's events are sent in order by one sender, travel in one partition, and are applied in sequence
/// order, so reaching the count means exactly this batch and every earlier one of the trust are in.
/// </summary>
internal sealed class RowProgress
{
    public const string TrustRowPrefix = "trust:";

    private static readonly string[] AppliedColumns =
    [
        nameof(SignalCount.Procedures),
        nameof(SignalCount.AdverseEvents),
        .. Enum.GetValues<OutcomeTimepoint>().Select(t => "Reports_" + t),
    ];

    private readonly TableClient _signals;
    private readonly ExpectedProgress _expected;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<PendingBatch>> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _applied = new(StringComparer.Ordinal);
    private readonly List<double> _latencies = [];
    private readonly List<(long At, int EventsIn)> _timeline = [];
    private readonly string _filter;

    public RowProgress(TableClient signals, ExpectedProgress expected)
    {
        _signals = signals;
        _expected = expected;
        foreach (var ods in expected.Trusts.Keys)
        {
            _pending[ods] = new ConcurrentQueue<PendingBatch>();
            _applied[ods] = 0;
        }

        var partitions = string.Join(" or ", expected.PartitionKeys.Select(pk => TableClient.CreateQueryFilter($"PartitionKey eq {pk}")));
        _filter = $"({partitions}) and " + TableClient.CreateQueryFilter($"RowKey ge {TrustRowPrefix} and RowKey lt {"trust;"}");
    }

    public int Polls { get; private set; }

    public int FailedPolls { get; private set; }

    /// <summary>Per-event latencies in milliseconds (one entry per event of each batch seen in).</summary>
    public IReadOnlyList<double> Latencies => _latencies;

    /// <summary>(Stopwatch timestamp, events in) after each poll.</summary>
    public IReadOnlyList<(long At, int EventsIn)> Timeline => _timeline;

    public IReadOnlyDictionary<string, long> Applied => _applied;

    /// <summary>Forgets the latencies seen so far (those of a warm-up).</summary>
    public void ResetLatencies() => _latencies.Clear();

    /// <summary>Called by a sender just before it sends a trust's batch.</summary>
    public void Expect(string ods, PendingBatch batch) => _pending[ods].Enqueue(batch);

    public int EventsIn => _expected.Trusts.Sum(t => t.Value.EventsIn(_applied[t.Key]));

    public bool AllIn => _expected.Trusts.All(t => _applied[t.Key] >= t.Value.FinalApplied);

    /// <summary>Whether every trust's rows show at least its first <c>eventsOf(trust)</c> events.</summary>
    public bool Reached(Func<TrustStream, int> eventsOf) =>
        _expected.Trusts.All(t => eventsOf(t.Value) is var n && (n == 0 || _applied[t.Key] >= t.Value.CumulativeApplied[n - 1]));

    /// <summary>Polls until every trust's rows show all its events, or the token is cancelled.</summary>
    public Task RunAsync(TimeSpan interval, CancellationToken cancellationToken) => RunAsync(interval, () => AllIn, cancellationToken);

    /// <summary>Polls until <paramref name="done"/> holds after a poll, or the token is cancelled.</summary>
    public async Task RunAsync(TimeSpan interval, Func<bool> done, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await PollOnceAsync(cancellationToken).ConfigureAwait(false);
            if (done())
            {
                return;
            }

            try
            {
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        var sums = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            await foreach (var row in _signals.QueryAsync<TableEntity>(_filter, select: [.. AppliedColumns, "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var ods = row.RowKey[TrustRowPrefix.Length..];
                long applied = 0;
                foreach (var column in AppliedColumns)
                {
                    // Counts are stored as Int32 when they fit, Int64 otherwise.
                    applied += row.TryGetValue(column, out var value) && value is not null ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
                }

                sums[ods] = sums.GetValueOrDefault(ods) + applied;
            }
        }
        catch (RequestFailedException)
        {
            // The table does not exist yet (404), or Azurite is busy: try again next time.
            FailedPolls++;
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var seenAt = Stopwatch.GetTimestamp();
        Polls++;
        foreach (var (ods, applied) in sums)
        {
            if (!_applied.ContainsKey(ods))
            {
                continue;
            }

            _applied[ods] = applied;
            var queue = _pending[ods];
            while (queue.TryPeek(out var batch) && batch.AppliedAfter <= applied)
            {
                queue.TryDequeue(out _);
                var ms = Stopwatch.GetElapsedTime(batch.SentAt, seenAt).TotalMilliseconds;
                for (var i = 0; i < batch.Count; i++)
                {
                    _latencies.Add(ms);
                }
            }
        }

        _timeline.Add((seenAt, EventsIn));
    }

    /// <summary>Trusts whose rows do not show what ground truth says (empty when all are in).</summary>
    public string Shortfall()
    {
        var text = new StringBuilder();
        foreach (var (ods, stream) in _expected.Trusts.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (_applied[ods] != stream.FinalApplied)
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{ods}: rows show {_applied[ods]} of {stream.FinalApplied}; ");
            }
        }

        return text.ToString();
    }
}
