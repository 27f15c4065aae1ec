using System.Text;
using SafetySurveillance.Domain.Events.CloudEvents;
using SafetySurveillance.Domain.Ingestion;
using SafetySurveillance.Domain.Pseudonymisation;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Simulator.Generation;

namespace SafetySurveillance.Simulator.GroundTruth;

/// <summary>One signal row ingestion must end with: its keys and its flat table properties (watermarks left out).</summary>
/// <param name="PartitionKey"><c>{procedure}|{period}</c>.</param>
/// <param name="RowKey"><c>national</c>, <c>trust:{ods}</c> or <c>device:{udi}</c>.</param>
/// <param name="Properties">As <see cref="SignalRowProperties.ToProperties"/> writes them (long or string values), without <c>Watermarks</c>.</param>
public sealed record ExpectedSignalRow(string PartitionKey, string RowKey, SortedDictionary<string, object> Properties);

/// <summary>
/// The expected Signals table: the stream's messages fed, in stream order, through the domain's own ingestion
/// stages — <see cref="BatchIngestion.Screen"/> (read, validate, publisher = source) and
/// <see cref="BatchIngestion.Aggregate"/> (pseudonymise, de-duplicate on the trust ledger, project with
/// <see cref="SignalProjection"/> and the trust's registry state) — and merged per row. Each trust's events
/// are in one partition in stream order, as Event Hubs keeps a publisher's events; since signal rows are
/// sums, the result does not depend on how the stream was cut into batches.
/// </summary>
public static class SignalTruth
{
    /// <summary>The partition id used for the single simulated delivery order.</summary>
    private const string Partition = "0";

    private const int ChunkSize = 20_000;

    private static readonly IReadOnlyDictionary<string, object?> NoProperties = new Dictionary<string, object?>();

    public static (IReadOnlyList<ExpectedSignalRow> Rows, int Rejected) Build(SimulationRun run, Pseudonymiser pseudonymiser)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(pseudonymiser);
        // In chunks (as ingestion's batches), so memory stays flat for long streams; state carries over.
        var states = new Dictionary<string, TrustRegistryState>(StringComparer.Ordinal);
        var rows = new Dictionary<SignalKey, SignalRow>();
        var rejected = 0;
        foreach (var chunk in run.Events.Chunk(ChunkSize))
        {
            var incoming = chunk.Select(e => new IncomingEvent(
                0,
                e.Sequence,
                run.Now,
                new AmqpCloudEventMessage("application/cloudevents+json", NoProperties, e.Body),
                e.TrustOds)).ToList();
            var screened = BatchIngestion.Screen(incoming, new IngestionRules());
            rejected += screened.Rejected.Count;
            var aggregated = BatchIngestion.Aggregate(screened, pseudonymiser, ods =>
            {
                if (!states.TryGetValue(ods, out var state))
                {
                    states[ods] = state = new TrustRegistryState();
                }

                return state;
            });

            foreach (var group in aggregated.Contributions.GroupBy(c => c.Key))
            {
                if (!rows.TryGetValue(group.Key, out var row))
                {
                    rows[group.Key] = row = new SignalRow();
                }

                row.Apply(Partition, [.. group.Select(g => g.Contribution).OrderBy(c => c.SequenceNumber)]);
            }

            foreach (var state in states.Values)
            {
                state.TakePending(); // what ingestion would store with the ledger; not needed here
            }
        }

        var expected = new List<ExpectedSignalRow>(rows.Count);
        foreach (var (key, row) in rows)
        {
            var properties = new SortedDictionary<string, object>(SignalRowProperties.ToProperties(row), StringComparer.Ordinal);
            properties.Remove(SignalRowProperties.Watermarks);
            expected.Add(new ExpectedSignalRow(key.PartitionKey, key.RowKey, properties));
        }

        expected.Sort((a, b) =>
        {
            var byPartition = string.CompareOrdinal(a.PartitionKey, b.PartitionKey);
            return byPartition != 0 ? byPartition : string.CompareOrdinal(a.RowKey, b.RowKey);
        });
        return (expected, rejected);
    }

    /// <summary>
    /// Compares a Signals table with the expected rows, row by row, on totals only (watermarks depend on
    /// sequence numbers, which the broker assigns). Returns every difference in plain words; empty when equal.
    /// </summary>
    /// <param name="expected">The ground truth's rows.</param>
    /// <param name="actual">Every row of the table: keys and properties (extra properties such as Timestamp are ignored).</param>
    public static IReadOnlyList<string> Compare(IReadOnlyList<ExpectedSignalRow> expected, IEnumerable<(string PartitionKey, string RowKey, IDictionary<string, object> Properties)> actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var differences = new List<string>();
        var remaining = expected.ToDictionary(r => (r.PartitionKey, r.RowKey));
        foreach (var (partitionKey, rowKey, properties) in actual)
        {
            if (!SignalRowProperties.TryFromProperties(properties, out var actualRow, out var error))
            {
                differences.Add($"{partitionKey}/{rowKey}: unreadable ({error})");
                continue;
            }

            if (!remaining.Remove((partitionKey, rowKey), out var want))
            {
                if (!actualRow.Totals.IsEmpty)
                {
                    differences.Add($"{partitionKey}/{rowKey}: not expected, but holds {actualRow.Totals}");
                }

                continue;
            }

            SignalRowProperties.TryFromProperties(new Dictionary<string, object>(want.Properties), out var expectedRow, out _);
            if (!expectedRow.Totals.Equals(actualRow.Totals))
            {
                differences.Add($"{partitionKey}/{rowKey}: {Describe(want.Properties, properties)}");
            }
        }

        differences.AddRange(remaining.Values.Select(r => $"{r.PartitionKey}/{r.RowKey}: missing"));
        return differences;
    }

    private static string Describe(SortedDictionary<string, object> want, IDictionary<string, object> got)
    {
        var text = new StringBuilder();
        foreach (var name in want.Keys.Union(got.Keys.Where(k => !want.ContainsKey(k))).Order(StringComparer.Ordinal))
        {
            if (name is SignalRowProperties.Watermarks or "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")
            {
                continue;
            }

            var w = want.GetValueOrDefault(name)?.ToString() ?? "0";
            var g = got.TryGetValue(name, out var value) ? value?.ToString() ?? "0" : "0";
            if (w != g)
            {
                text.Append(name).Append(" expected ").Append(w).Append(" got ").Append(g).Append("; ");
            }
        }

        return text.Length == 0 ? "totals differ" : text.ToString().TrimEnd(' ', ';');
    }
}
