namespace SafetySurveillance.Domain.Ingestion;

/// <summary>Where an event (by fingerprint) was first accepted: its Event Hubs partition and sequence number.</summary>
public readonly record struct LedgerEntry(EventFingerprint Fingerprint, int Partition, long SequenceNumber);

/// <summary>How an incoming event relates to what the ledger has seen from the same trust.</summary>
public enum LedgerVerdict
{
    /// <summary>Never seen: count it.</summary>
    New,

    /// <summary>The very same delivery again (same partition and sequence number), redelivered after a crash: let the
    /// signal rows' watermarks decide, exactly as for a first delivery.</summary>
    Redelivery,

    /// <summary>The trust sent this event id before as a different message: count it once only (not again).</summary>
    Duplicate,
}
