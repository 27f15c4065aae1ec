using Azure;
using Azure.Data.Tables;
using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Storage.Signals;

/// <summary>
/// The <c>Signals</c> table: one entity per <see cref="SignalKey"/> (PartitionKey <c>{procedure}|{period}</c>,
/// RowKey <c>{scope}</c>), holding a <see cref="SignalRow"/>'s totals and its per-partition watermarks.
/// </summary>
/// <remarks>
/// <para>
/// <b>Exactly-once effect.</b> <see cref="ApplyAsync"/> takes every contribution of one Event Hubs batch from one
/// partition, groups them by row, and for each touched row applies them with <see cref="SignalRow.Apply"/> (which
/// keeps only events above the row's watermark for that partition) and writes the row back in one ETag-conditional
/// operation: <c>Add</c> for a new row (409: someone created it first), <c>UpdateReplace</c> with <c>If-Match</c>
/// otherwise (412: someone changed it first). On a conflict the row is read again and the batch re-applied to
/// the fresh row, up to <see cref="SignalTableStoreOptions.MaxAttemptsPerRow"/> times. A crash between row
/// writes leaves some rows with the batch and some without; replaying the batch (with the same or different
/// boundaries) completes the rest and changes nothing that already has it.
/// </para>
/// <para>
/// <b>Cost.</b> Table operations scale with touched rows, not events: per row one write, plus one point read when
/// the row is not in this process's cache. The cache keeps rows with their ETags (LRU, bounded); a write with a
/// stale ETag gets 412 and costs a re-read. A row whose cached watermark already covers the batch is skipped with
/// no I/O at all: watermarks only rise, so the stored row has those events too.
/// </para>
/// <para>Thread-safe; one instance per process, so its cache is shared by all invocations.</para>
/// </remarks>
public class SignalTableStore
{
    /// <summary>The table name.</summary>
    public const string TableName = "Signals";

    private readonly TableClient _table;
    private readonly SignalTableStoreOptions _options;
    private readonly SignalRowCache _cache;
    private volatile bool _tableReady;

    /// <summary>Creates the store over <paramref name="table"/> (normally the <see cref="TableName"/> table).</summary>
    public SignalTableStore(TableClient table, SignalTableStoreOptions? options = null)
    {
        _table = table ?? throw new ArgumentNullException(nameof(table));
        _options = options ?? new SignalTableStoreOptions();
        _options.Validate();
        _cache = new SignalRowCache(_options.CacheCapacity);
    }

    /// <summary>For substitution in tests.</summary>
    protected SignalTableStore()
    {
        _table = null!;
        _options = new SignalTableStoreOptions();
        _cache = new SignalRowCache(0);
    }

    /// <summary>Rows currently cached (for diagnostics).</summary>
    public int CachedRows => _cache.Count;

    /// <summary>
    /// Applies one batch from Event Hubs partition <paramref name="partitionId"/>: every contribution paired with
    /// every row it touches. Pass the whole batch in one call (a row must see all of a partition's events of a
    /// batch at once). Rows are processed concurrently; each gets at most one successful write.
    /// </summary>
    /// <exception cref="ArgumentException">The partition id is not 1–64 letters, digits, '-' or '_', or a sequence number is negative.</exception>
    /// <exception cref="SignalWriteConflictException">A row kept changing under this writer; retry the batch.</exception>
    /// <exception cref="RequestFailedException">The Table service failed after the client's own retries; retry the batch.</exception>
    public virtual async Task<SignalWriteResult> ApplyAsync(
        string partitionId,
        IReadOnlyList<(SignalKey Key, SequencedContribution Contribution)> contributions,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contributions);
        _ = new SignalRow().Apply(partitionId, []); // validates the partition id before any I/O

        var groups = new Dictionary<SignalKey, List<SequencedContribution>>();
        foreach ((SignalKey key, SequencedContribution contribution) in contributions)
        {
            if (contribution.SequenceNumber < 0 || contribution.Contribution is null)
            {
                throw new ArgumentException("Every contribution needs a non-negative sequence number and a value.", nameof(contributions));
            }

            if (!groups.TryGetValue(key, out List<SequencedContribution>? list))
            {
                groups[key] = list = [];
            }

            list.Add(contribution);
        }

        if (groups.Count == 0)
        {
            return SignalWriteResult.None;
        }

        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var totals = new Totals();
        await Parallel.ForEachAsync(
            groups,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = cancellationToken },
            async (group, ct) => await ApplyRowAsync(partitionId, group.Key, group.Value.ToArray(), totals, ct).ConfigureAwait(false))
            .ConfigureAwait(false);

        return new SignalWriteResult(
            groups.Count, totals.RowsWritten, totals.RowsAlreadyApplied, totals.ContributionsApplied,
            contributions.Count - totals.ContributionsApplied, totals.Reads, totals.Conflicts);
    }

    /// <summary>
    /// Reads the rows of one procedure and period that pass <paramref name="scope"/>, ordered by RowKey
    /// (<c>device:…</c>, <c>national</c>, <c>trust:…</c>). An unknown procedure or a missing table gives no rows.
    /// </summary>
    /// <exception cref="ArgumentException">The procedure is blank or too long for a key.</exception>
    /// <exception cref="SignalRowFormatException">A stored row cannot be read by this code.</exception>
    public virtual async Task<IReadOnlyList<(SignalKey Key, SignalRow Row)>> QueryAsync(
        string procedure,
        SignalPeriod period,
        SignalScopeFilter scope,
        CancellationToken cancellationToken = default)
    {
        string partitionKey = SignalKey.Create(procedure, period, SignalScope.National).PartitionKey;
        var rows = new List<(SignalKey, SignalRow)>();
        try
        {
            if (scope.Scope is { } exact)
            {
                SignalKey key = SignalKey.Create(procedure, period, exact);
                NullableResponse<TableEntity> found = await _table.GetEntityIfExistsAsync<TableEntity>(key.PartitionKey, key.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (found.HasValue)
                {
                    rows.Add((key, SignalEntity.ToRow(found.Value!)));
                }

                return rows;
            }

            string filter = scope.Kind switch
            {
                SignalScopeKind.Trust => TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {"trust:"} and RowKey lt {"trust;"}"),
                SignalScopeKind.Device => TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {"device:"} and RowKey lt {"device;"}"),
                _ => TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}"),
            };
            await foreach (TableEntity entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                SignalKey key = SignalEntity.KeyOf(entity);
                if (scope.Matches(key.Scope))
                {
                    rows.Add((key, SignalEntity.ToRow(entity)));
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && ex.ErrorCode == "TableNotFound")
        {
            rows.Clear();
        }

        return rows;
    }

    /// <summary>Reads one row from storage (not the cache), or null when it does not exist.</summary>
    public virtual async Task<SignalRow?> GetAsync(SignalKey key, CancellationToken cancellationToken = default)
    {
        try
        {
            NullableResponse<TableEntity> found = await _table.GetEntityIfExistsAsync<TableEntity>(key.PartitionKey, key.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            return found.HasValue ? SignalEntity.ToRow(found.Value!) : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && ex.ErrorCode == "TableNotFound")
        {
            return null;
        }
    }

    private async Task ApplyRowAsync(string partitionId, SignalKey key, SequencedContribution[] events, Totals totals, CancellationToken cancellationToken)
    {
        CachedSignalRow? current = _cache.Get(key);
        for (int attempt = 1; ; attempt++)
        {
            if (current is null)
            {
                current = await ReadAsync(key, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref totals.Reads);
            }

            SignalRow row = current.Row.Clone();
            int applied = row.Apply(partitionId, events);
            if (applied == 0)
            {
                Interlocked.Increment(ref totals.RowsAlreadyApplied);
                return;
            }

            TableEntity entity = SignalEntity.ToEntity(key, row);
            try
            {
                Response response = current.ETag == default
                    ? await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
                    : await _table.UpdateEntityAsync(entity, current.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                _cache.Set(key, new CachedSignalRow(response.Headers.ETag ?? throw new InvalidOperationException("The Table service returned no ETag."), row));
                Interlocked.Increment(ref totals.RowsWritten);
                Interlocked.Add(ref totals.ContributionsApplied, applied);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 || (ex.Status == 404 && ex.ErrorCode != "TableNotFound"))
            {
                // 409: created by someone else; 412: changed by someone else; 404: deleted since we read it.
                _cache.Remove(key);
                current = null;
                Interlocked.Increment(ref totals.Conflicts);
                if (attempt >= _options.MaxAttemptsPerRow)
                {
                    throw new SignalWriteConflictException(key, attempt, ex);
                }

                if (attempt > 1)
                {
                    // Repeated conflicts: spread the contenders out a little (jitter up to 5 ms per attempt).
                    TimeSpan pause = TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * attempt));
                    await Task.Delay(pause, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task<CachedSignalRow> ReadAsync(SignalKey key, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> found = await _table.GetEntityIfExistsAsync<TableEntity>(key.PartitionKey, key.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue
            ? new CachedSignalRow(found.Value!.ETag, SignalEntity.ToRow(found.Value!))
            : new CachedSignalRow(default, new SignalRow());
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (_tableReady)
        {
            return;
        }

        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        _tableReady = true;
    }

    private sealed class Totals
    {
        public int RowsWritten;
        public int RowsAlreadyApplied;
        public int ContributionsApplied;
        public int Reads;
        public int Conflicts;
    }
}
