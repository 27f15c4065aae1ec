namespace SafetySurveillance.Domain.Ingestion;

/// <summary>
/// The event ids one trust has sent, in memory, for de-duplication: "same trust + event id seen before: count once".
/// Classification is stable under redelivery: the delivery that first carried an id is recognised as itself.
/// </summary>
public sealed class EventLedgerIndex
{
    private readonly Dictionary<EventFingerprint, (int Partition, long SequenceNumber)> _seen = [];

    /// <summary>How many distinct event ids the index holds.</summary>
    public int Count => _seen.Count;

    /// <summary>Adds entries read from storage (the first entry for a fingerprint wins).</summary>
    public void Load(IEnumerable<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            _seen.TryAdd(entry.Fingerprint, (entry.Partition, entry.SequenceNumber));
        }
    }

    /// <summary>Classifies an event without recording it.</summary>
    public LedgerVerdict Classify(EventFingerprint fingerprint, int partition, long sequenceNumber) =>
        !_seen.TryGetValue(fingerprint, out var first) ? LedgerVerdict.New
        : first.Partition == partition && first.SequenceNumber == sequenceNumber ? LedgerVerdict.Redelivery
        : LedgerVerdict.Duplicate;

    /// <summary>Classifies and, when new, records the event (so a second copy in the same batch is a duplicate).</summary>
    public LedgerVerdict Record(EventFingerprint fingerprint, int partition, long sequenceNumber)
    {
        var verdict = Classify(fingerprint, partition, sequenceNumber);
        if (verdict == LedgerVerdict.New)
        {
            _seen.Add(fingerprint, (partition, sequenceNumber));
        }

        return verdict;
    }

    /// <summary>Forgets entries that were recorded but never stored (the write failed), so a retry classifies them afresh.</summary>
    public void Forget(IEnumerable<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            if (_seen.TryGetValue(entry.Fingerprint, out var first) && first == (entry.Partition, entry.SequenceNumber))
            {
                _seen.Remove(entry.Fingerprint);
            }
        }
    }
}
