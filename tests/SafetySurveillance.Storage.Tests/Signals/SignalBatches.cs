using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Storage.Tests.Signals;

/// <summary>Deterministic synthetic batches: events with sequence numbers, each paired with every row it touches.</summary>
internal static class SignalBatches
{
    public static readonly string[] Trusts = ["RX1", "RY2", "RZ3", "R0A"];

    /// <summary>UDI-DIs including characters that table keys forbid or that our keys use as separators.</summary>
    public static readonly string[] Devices = ["05012345678900", "+H123/ABC#1?", "dev|ice:'q'\\x", "Gerät-Ω"];

    public static readonly string[] Procedures = ["A48.4", "A70.1"];

    private static readonly string[] Codes = ["A0101", "A010401", "E0102", "E1301", "F01", "F1001"];

    /// <summary>Events with sequence numbers <paramref name="firstSequence"/>, +1, … each expanded to its touched keys.</summary>
    public static List<(SignalKey Key, SequencedContribution Contribution)> Create(int seed, int events, long firstSequence = 0, int monthsSpan = 3)
    {
        var random = new Random(seed);
        var pairs = new List<(SignalKey, SequencedContribution)>();
        var keys = new SignalKey[SignalKey.MaxTouchedKeys];
        for (int i = 0; i < events; i++)
        {
            var date = new DateOnly(2026, 1 + random.Next(monthsSpan), 1 + random.Next(28));
            string trust = Trusts[random.Next(Trusts.Length)];
            string? device = random.Next(4) == 0 ? null : Devices[random.Next(Devices.Length)];
            string procedure = Procedures[random.Next(Procedures.Length)];
            SignalContribution contribution = random.Next(3) switch
            {
                0 => new ProcedureContribution(date, (ProcedureFacts)random.Next(16)),
                1 => new AdverseEventContribution((AdverseEventFacts)random.Next(256), Enumerable.Range(0, random.Next(3)).Select(_ => Codes[random.Next(Codes.Length)])),
                _ => new OutcomeContribution(
                    date,
                    (OutcomeTimepoint)random.Next(5),
                    painNrs: new MeasureObservation(random.Next(11), random.Next(-5, 6), random.Next(2) == 0),
                    odi: random.Next(2) == 0 ? null : new MeasureObservation(random.Next(101)),
                    eq5dIndex: new MeasureObservation(random.Next(-594, 1001), random.Next(-300, 301))),
            };

            int count = SignalKey.WriteTouched(keys, procedure, date, trust, device);
            var sequenced = new SequencedContribution(firstSequence + i, contribution);
            foreach (SignalKey key in keys.AsSpan(0, count))
            {
                pairs.Add((key, sequenced));
            }
        }

        return pairs;
    }

    /// <summary>The rows one in-memory application of each batch (in order, per partition) gives.</summary>
    public static Dictionary<SignalKey, SignalRow> Expected(params (string PartitionId, IEnumerable<(SignalKey Key, SequencedContribution Contribution)> Batch)[] batches)
    {
        var rows = new Dictionary<SignalKey, SignalRow>();
        foreach ((string partitionId, IEnumerable<(SignalKey Key, SequencedContribution Contribution)> batch) in batches)
        {
            foreach (IGrouping<SignalKey, (SignalKey Key, SequencedContribution Contribution)> group in batch.GroupBy(p => p.Key))
            {
                if (!rows.TryGetValue(group.Key, out SignalRow? row))
                {
                    rows[group.Key] = row = new SignalRow();
                }

                row.Apply(partitionId, group.Select(p => p.Contribution).ToArray());
            }
        }

        return rows;
    }
}
