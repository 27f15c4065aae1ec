using SafetySurveillance.Domain.Events.CloudEvents;
using SafetySurveillance.Domain.Ingestion;
using SafetySurveillance.Domain.Pseudonymisation;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Simulator.Generation;

namespace SafetySurveillance.Benchmarks.Pipeline.Measurement;

/// <summary>
/// What each trust's all-time trust rows must show after its first k events: the stream is run through the domain's
/// own ingestion stages (<see cref="BatchIngestion.Screen"/> and <see cref="BatchIngestion.Aggregate"/>, as the
/// simulator's ground truth does), and every event that contributes to its trust's all-time row (under its procedure
/// code or <c>UNLINKED</c>) adds one to that row's <see cref="RowProgress.Applied"/> count (procedures + adverse
/// events + outcome reports). Events that add nothing to that row (a second report for the same timepoint) weigh 0.
/// </summary>
internal sealed class ExpectedProgress
{
    private const int ChunkSize = 20_000;

    private readonly IReadOnlyList<IReadOnlyList<SignalKey>> _keysByEvent;

    private ExpectedProgress(IReadOnlyDictionary<string, TrustStream> trusts, IReadOnlyList<string> partitionKeys, IReadOnlyList<IReadOnlyList<SignalKey>> keysByEvent)
    {
        Trusts = trusts;
        PartitionKeys = partitionKeys;
        _keysByEvent = keysByEvent;
    }

    public IReadOnlyDictionary<string, TrustStream> Trusts { get; }

    /// <summary>The all-time partitions (<c>{procedure}|all</c>) holding the trust rows.</summary>
    public IReadOnlyList<string> PartitionKeys { get; }

    public static ExpectedProgress Build(SimulationRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var pseudonymiser = new Pseudonymiser(new PseudonymisationOptions { KeyId = "bench", Key = Convert.ToBase64String(new byte[32]) });
        var states = new Dictionary<string, TrustRegistryState>(StringComparer.Ordinal);
        var contributes = new bool[run.Events.Count];
        var partitions = new SortedSet<string>(StringComparer.Ordinal);
        var keysByEvent = new List<SignalKey>[run.Events.Count];
        var noProperties = new Dictionary<string, object?>();
        foreach (var chunk in run.Events.Chunk(ChunkSize))
        {
            var incoming = chunk.Select(e => new IncomingEvent(0, e.Sequence, run.Now,
                new AmqpCloudEventMessage("application/cloudevents+json", noProperties, e.Body), e.TrustOds)).ToList();
            var aggregated = BatchIngestion.Aggregate(BatchIngestion.Screen(incoming, new IngestionRules()), pseudonymiser, ods =>
            {
                if (!states.TryGetValue(ods, out var state))
                {
                    states[ods] = state = new TrustRegistryState();
                }

                return state;
            });
            foreach (var (key, contribution) in aggregated.Contributions)
            {
                (keysByEvent[contribution.SequenceNumber] ??= []).Add(key);
                if (key.Period.Kind == SignalPeriodKind.AllTime && key.RowKey.StartsWith(RowProgress.TrustRowPrefix, StringComparison.Ordinal))
                {
                    contributes[contribution.SequenceNumber] = true;
                    partitions.Add(key.PartitionKey);
                }
            }

            foreach (var state in states.Values)
            {
                state.TakePending();
            }
        }

        var trusts = run.Events.GroupBy(e => e.TrustOds, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => new TrustStream(g.Key, [.. g], [.. Cumulative(g.Select(e => contributes[e.Sequence]))]),
            StringComparer.Ordinal);
        return new ExpectedProgress(trusts, [.. partitions], [.. keysByEvent.Select(k => (IReadOnlyList<SignalKey>?)k ?? [])]);
    }

    /// <summary>
    /// Signal-row writes per event if each partition's stream were cut into batches of <paramref name="batchSize"/>
    /// (one write per distinct row a batch touches), with trusts dealt to <paramref name="partitions"/> partitions
    /// round-robin (the broker hashes publisher names, so the real deal differs but the spread is alike).
    /// </summary>
    public double RowWritesPerEvent(int batchSize, int partitions)
    {
        var ordered = Trusts.Keys.Order(StringComparer.Ordinal).ToList();
        long writes = 0, events = 0;
        for (var p = 0; p < partitions; p++)
        {
            var mine = ordered.Where((_, i) => i % partitions == p).ToHashSet(StringComparer.Ordinal);
            var stream = Trusts.Values.Where(t => mine.Contains(t.Ods)).SelectMany(t => t.Events).OrderBy(e => e.Sequence).ToList();
            foreach (var batch in stream.Chunk(batchSize))
            {
                writes += batch.SelectMany(e => _keysByEvent[e.Sequence]).Distinct().Count();
                events += batch.Length;
            }
        }

        return events == 0 ? 0 : (double)writes / events;
    }

    private static IEnumerable<long> Cumulative(IEnumerable<bool> contributes)
    {
        long sum = 0;
        foreach (var c in contributes)
        {
            sum += c ? 1 : 0;
            yield return sum;
        }
    }
}

/// <summary>One trust's events in send order, with the applied count its rows show once the first i+1 are in.</summary>
internal sealed record TrustStream(string Ods, IReadOnlyList<SimulatedEvent> Events, IReadOnlyList<long> CumulativeApplied)
{
    public long FinalApplied => CumulativeApplied.Count == 0 ? 0 : CumulativeApplied[^1];

    /// <summary>How many of this trust's events are in once its rows show <paramref name="applied"/>: every event up to the last one with that cumulative count.</summary>
    public int EventsIn(long applied)
    {
        // Last index with CumulativeApplied[i] <= applied (the list is non-decreasing).
        int lo = 0, hi = CumulativeApplied.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (CumulativeApplied[mid] <= applied)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return applied >= FinalApplied ? CumulativeApplied.Count : lo;
    }
}
