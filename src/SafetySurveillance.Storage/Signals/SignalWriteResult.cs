namespace SafetySurveillance.Storage.Signals;

/// <summary>What one <see cref="SignalTableStore.ApplyAsync"/> call did.</summary>
/// <param name="RowsTouched">Distinct signal rows the batch touched.</param>
/// <param name="RowsWritten">Rows written (one conditional write each, counting only the successful one).</param>
/// <param name="RowsAlreadyApplied">Rows left alone because their watermark already covered every contribution (a replay).</param>
/// <param name="ContributionsApplied">Contributions added to rows (a contribution touching three rows counts three times).</param>
/// <param name="ContributionsSkipped">Contributions not added because the row already held them.</param>
/// <param name="Reads">Read operations made: point reads and partition range queries (for cache misses) and re-reads after a conflict.</param>
/// <param name="Conflicts">Writes refused because another writer changed or created the row first (each was redone).</param>
/// <param name="WriteRequests">Write requests sent: entity group transactions and single-row writes, refused ones included.</param>
public sealed record SignalWriteResult(
    int RowsTouched,
    int RowsWritten,
    int RowsAlreadyApplied,
    int ContributionsApplied,
    int ContributionsSkipped,
    int Reads,
    int Conflicts,
    int WriteRequests = 0)
{
    /// <summary>Nothing touched.</summary>
    public static SignalWriteResult None { get; } = new(0, 0, 0, 0, 0, 0, 0);
}
