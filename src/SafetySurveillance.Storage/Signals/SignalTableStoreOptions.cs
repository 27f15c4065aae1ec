namespace SafetySurveillance.Storage.Signals;

/// <summary>Tuning of a <see cref="SignalTableStore"/>. The defaults suit one function instance against Azure or Azurite.</summary>
public sealed record SignalTableStoreOptions
{
    /// <summary>
    /// Rows read and written at the same time within one call. Azurite saturates at about 8 concurrent single
    /// operations (about 3,000/s); more only adds latency (docs/research: azurite-limits).
    /// </summary>
    public int MaxConcurrency { get; init; } = 8;

    /// <summary>
    /// Entity group transactions in flight at once. Rows of one PartitionKey (one procedure and period) are written in
    /// transactions of up to 100; Azurite writes about 11,000 entities/s in one stream of 100-entity transactions and
    /// fewer with more streams, Azure scales per partition.
    /// </summary>
    public int MaxConcurrentTransactions { get; init; } = 2;

    /// <summary>
    /// Attempts per row (first try plus re-reads after an ETag or create conflict) before the call fails with
    /// <see cref="SignalWriteConflictException"/>. The batch is then retried as a whole, which the watermarks make safe.
    /// </summary>
    public int MaxAttemptsPerRow { get; init; } = 10;

    /// <summary>Rows (with their ETags) kept in memory so an unchanged row is written without a read first.</summary>
    public int CacheCapacity { get; init; } = 4096;

    /// <summary>Time source for the back-off between conflicting attempts.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttemptsPerRow, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentTransactions, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(CacheCapacity);
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
