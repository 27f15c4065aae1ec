namespace SafetySurveillance.Domain.Signals;

/// <summary>One event's contribution with its Event Hubs sequence number in its partition.</summary>
/// <param name="SequenceNumber">The event's sequence number (0 or more, increasing within a partition).</param>
/// <param name="Contribution">What the event adds to the rows it touches.</param>
public readonly record struct SequencedContribution(long SequenceNumber, SignalContribution Contribution);

/// <summary>
/// A stored signal row: its totals plus one watermark per Event Hubs partition, the last sequence number from
/// that partition already counted in the totals.
/// </summary>
/// <remarks>
/// <para>
/// <b>Exactly-once effect.</b> A batch from partition p is applied with <see cref="Apply"/>: only events with a
/// sequence number above the row's watermark for p are added, and the watermark moves to the highest one
/// applied. The adapter reads the row, applies the batch and writes it back with the ETag it read, so a batch
/// redelivered after a crash (before or after the write) adds nothing twice, and a redelivery that overlaps
/// the last write adds only the part not yet counted.
/// </para>
/// <para>
/// This relies on two facts about Event Hubs: sequence numbers rise within a partition, and a consumer
/// handles a partition's events in order. A row must therefore receive, for one partition, every event that
/// touches it from a batch in one <see cref="Apply"/> call (as the ingestion does: aggregate per row, then
/// write once per row).
/// </para>
/// </remarks>
public sealed class SignalRow : IEquatable<SignalRow>
{
    private readonly Dictionary<string, long> watermarks;

    /// <summary>An empty row: zero totals, no watermarks.</summary>
    public SignalRow()
        : this(new SignalDelta(), new Dictionary<string, long>(StringComparer.Ordinal))
    {
    }

    internal SignalRow(SignalDelta totals, Dictionary<string, long> watermarks)
    {
        Totals = totals;
        this.watermarks = watermarks;
    }

    /// <summary>Everything counted so far.</summary>
    public SignalDelta Totals { get; }

    /// <summary>Last applied sequence number per partition id.</summary>
    public IReadOnlyDictionary<string, long> Watermarks => watermarks;

    /// <summary>The watermark for a partition, or −1 if nothing from it has been applied.</summary>
    public long WatermarkFor(string partitionId)
        => watermarks.TryGetValue(partitionId, out long value) ? value : -1;

    /// <summary>
    /// Applies the events of one batch from <paramref name="partitionId"/> that are newer than the row's
    /// watermark for that partition, in place, and advances the watermark. Returns how many were applied;
    /// 0 means the row is unchanged and need not be written.
    /// </summary>
    /// <exception cref="ArgumentException">The partition id is not 1–64 ASCII letters, digits, '-' or '_', or a sequence number is negative.</exception>
    public int Apply(string partitionId, ReadOnlySpan<SequencedContribution> events)
    {
        if (!IsValidPartitionId(partitionId))
        {
            throw new ArgumentException("A partition id is 1–64 ASCII letters, digits, '-' or '_'.", nameof(partitionId));
        }

        long watermark = WatermarkFor(partitionId);
        long highest = watermark;
        int applied = 0;
        foreach (SequencedContribution e in events)
        {
            if (e.SequenceNumber < 0)
            {
                throw new ArgumentException("Sequence numbers are never negative.", nameof(events));
            }

            if (e.SequenceNumber <= watermark)
            {
                continue;
            }

            Totals.Add(e.Contribution);
            applied++;
            highest = Math.Max(highest, e.SequenceNumber);
        }

        if (applied > 0)
        {
            watermarks[partitionId] = highest;
        }

        return applied;
    }

    /// <summary>The pure form of <see cref="Apply"/>: returns a new row and leaves <paramref name="row"/> unchanged.</summary>
    public static SignalRow Applied(SignalRow row, string partitionId, ReadOnlySpan<SequencedContribution> events)
    {
        ArgumentNullException.ThrowIfNull(row);
        SignalRow copy = row.Clone();
        copy.Apply(partitionId, events);
        return copy;
    }

    /// <summary>A deep copy.</summary>
    public SignalRow Clone() => new(Totals.Clone(), new Dictionary<string, long>(watermarks, StringComparer.Ordinal));

    /// <inheritdoc />
    public bool Equals(SignalRow? other)
    {
        if (other is null)
        {
            return false;
        }

        if (!Totals.Equals(other.Totals) || watermarks.Count != other.watermarks.Count)
        {
            return false;
        }

        foreach (KeyValuePair<string, long> entry in watermarks)
        {
            if (!other.watermarks.TryGetValue(entry.Key, out long value) || value != entry.Value)
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SignalRow);

    /// <inheritdoc />
    public override int GetHashCode() => Totals.GetHashCode();

    /// <summary>Whether a partition id is acceptable: 1–64 ASCII letters, digits, '-' or '_' (Event Hubs uses "0", "1", …).</summary>
    public static bool IsValidPartitionId(string? partitionId)
    {
        if (string.IsNullOrEmpty(partitionId) || partitionId.Length > 64)
        {
            return false;
        }

        foreach (char c in partitionId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    internal void SetWatermark(string partitionId, long value) => watermarks[partitionId] = value;
}
