namespace SafetySurveillance.EventHubs.Emulator.Storage;

/// <summary>When an appended event counts as written, and so when the producer gets its acknowledgement.</summary>
public enum FlushMode
{
    /// <summary>
    /// Default. Appends are written and <c>fsync</c>ed before the producer is told <c>accepted</c>. Appends that
    /// arrive while a flush is running are written and flushed together (group commit), so the cost of one
    /// <c>fsync</c> is shared by every concurrent send. Survives a process kill and a machine crash.
    /// </summary>
    Fsync,

    /// <summary>
    /// Appends are handed to the operating system (<c>write</c>) before the acknowledgement but not
    /// <c>fsync</c>ed. Survives a kill of the emulator process (the kernel still holds the data), not a machine crash.
    /// </summary>
    OperatingSystem,
}

/// <summary>How partition logs are written and retained.</summary>
public sealed record StorageOptions
{
    /// <summary>See <see cref="Storage.FlushMode"/>; default <see cref="FlushMode.Fsync"/>.</summary>
    public FlushMode FlushMode { get; init; } = FlushMode.Fsync;

    /// <summary>A segment is closed and a new one started once it holds this many bytes (default 64 MiB).</summary>
    public long SegmentBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Bytes between sparse index entries (default 64 KiB).</summary>
    public int IndexIntervalBytes { get; init; } = 64 * 1024;

    /// <summary>Closed segments whose newest event is older than this are deleted (default 1 hour, like the official emulator; null keeps them).</summary>
    public TimeSpan? RetentionTime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>When a partition's log is larger than this, its oldest closed segments are deleted (default: no limit).</summary>
    public long? RetentionBytesPerPartition { get; init; }

    /// <summary>How often retention is checked (default 1 minute).</summary>
    public TimeSpan RetentionCheckInterval { get; init; } = TimeSpan.FromMinutes(1);
}
