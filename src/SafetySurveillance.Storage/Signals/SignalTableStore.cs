using System.Collections.Concurrent;
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
/// <b>Cost.</b> Table operations scale with touched rows, not events: per row one conditional write, plus one point
/// read when the row is not in this process's cache (one range query per PartitionKey when many of its rows are not). Rows that share a PartitionKey (the national, trust and device
/// rows of one procedure and period) are written together in entity group transactions of up to 100 actions, each
/// still conditional on its own ETag; the service applies all or none. When a transaction is refused because one row
/// changed, nothing was written: the chunk is re-read with one range query and tried again (up to 3 times), then row by row. The cache keeps rows with their ETags (LRU, bounded); a write with a
/// stale ETag gets 412 and costs a re-read. A row whose cached watermark already covers the batch is skipped with
/// no I/O at all: watermarks only rise, so the stored row has those events too.
/// </para>
/// <para>
/// <b>One writer per PartitionKey in a process, combining the others.</b> Calls for different Event Hubs partitions
/// touch the same national and device rows. Within one store, a PartitionKey is written by one call at a time (from
/// the cache look-up to the write); calls that arrive meanwhile queue, and the next write takes all of them at once:
/// each row is applied every queued call's events (each with its own partition's watermark) and written once. So calls
/// in one process never refuse each other's writes with 412 (conflicts, and the reads they cost, come only from other
/// processes), and under load a shared row costs one write for several batches. A combined write that fails fails
/// every call in it, and each is retried as a whole, which the watermarks make safe. A call waits on one PartitionKey
/// at a time and a writer never waits for another, so calls cannot deadlock. (One queue is kept per PartitionKey seen
/// — a few thousand at most: procedures × months, quarters and all time.)
/// </para>
/// <para>Thread-safe; one instance per process, so its cache and gates are shared by all invocations.</para>
/// </remarks>
public class SignalTableStore
{
    /// <summary>The table name.</summary>
    public const string TableName = "Signals";

    private readonly TableClient _table;
    private readonly SignalTableStoreOptions _options;
    private readonly SignalRowCache _cache;
    private readonly ConcurrentDictionary<string, PartitionKeyWriter> _writers = new(StringComparer.Ordinal);
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

    /// <summary>Calls waiting for another call's write of the same PartitionKey (for diagnostics and tests).</summary>
    internal int QueuedCalls
    {
        get
        {
            int queued = 0;
            foreach (PartitionKeyWriter writer in _writers.Values)
            {
                lock (writer.Gate)
                {
                    queued += writer.Waiting.Count;
                }
            }

            return queued;
        }
    }

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
        var partitions = groups
            .GroupBy(g => g.Key.PartitionKey, StringComparer.Ordinal)
            .Select(g => new WriteRequest(partitionId, [.. g.Select(r => (r.Key, r.Value.ToArray()))], totals))
            .ToList();

        // Each PartitionKey (one procedure and period) on its own: read what the cache lacks, apply, write. Calls of this
        // process on the same PartitionKey (other Event Hubs partitions' batches touching the same national or device
        // rows) are combined: one writes at a time, and the calls that arrived meanwhile are written together next, each
        // row once with every partition's events (and watermark). Writers in one process never conflict; a conflict
        // means another process.
        await Parallel.ForEachAsync(
            partitions,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentTransactions, CancellationToken = cancellationToken },
            async (request, ct) => await WriteCombinedAsync(request, ct).ConfigureAwait(false)).ConfigureAwait(false);

        return new SignalWriteResult(
            groups.Count, totals.RowsWritten, totals.RowsAlreadyApplied, totals.ContributionsApplied,
            contributions.Count - totals.ContributionsApplied, totals.Reads, totals.Conflicts, totals.WriteRequests);
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

    /// <summary>
    /// Writes one call's rows of one PartitionKey, combined with those of other calls on the same PartitionKey: if
    /// another call is writing it, this one queues and either the next writer does its work too, or it becomes that
    /// writer. Returns (or throws) when this call's rows are written.
    /// </summary>
    private async Task WriteCombinedAsync(WriteRequest request, CancellationToken cancellationToken)
    {
        PartitionKeyWriter writer = _writers.GetOrAdd(request.Rows[0].Key.PartitionKey, static _ => new PartitionKeyWriter());
        List<WriteRequest>? group = null;
        lock (writer.Gate)
        {
            if (!writer.Busy)
            {
                writer.Busy = true;
                group = [request];
            }
            else
            {
                writer.Waiting.Add(request);
            }
        }

        if (group is null)
        {
            // Queued: the writer in front hands over the group of everyone queued, with this call at its head, or a
            // writer that took this call into its group completes it.
            group = await request.Turn.Task.ConfigureAwait(false);
            if (group is null)
            {
                return;
            }
        }

        Exception? failure = null;
        try
        {
            await WriteGroupAsync(group, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        WriteRequest? next = null;
        lock (writer.Gate)
        {
            if (writer.Waiting.Count > 0)
            {
                next = writer.Waiting[0];
                next.Group = [.. writer.Waiting];
                writer.Waiting.Clear();
            }
            else
            {
                writer.Busy = false;
            }
        }

        foreach (WriteRequest other in group.Skip(1))
        {
            if (failure is null)
            {
                other.Turn.SetResult(null);
            }
            else
            {
                other.Turn.SetException(failure);
            }
        }

        next?.Turn.SetResult(next.Group);
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>Applies every request of the group to the rows of one PartitionKey and writes each touched row once.</summary>
    private async Task WriteGroupAsync(List<WriteRequest> group, CancellationToken cancellationToken)
    {
        var byKey = new Dictionary<SignalKey, PendingRow>();
        var rows = new List<PendingRow>();
        foreach (WriteRequest request in group)
        {
            foreach ((SignalKey key, SequencedContribution[] events) in request.Rows)
            {
                if (!byKey.TryGetValue(key, out PendingRow? row))
                {
                    byKey[key] = row = new PendingRow(key);
                    rows.Add(row);
                }

                row.Parts.Add(new RowPart(request, events));
            }
        }

        // 1. The state each row starts from: the cached row and ETag, else read (a missing row starts empty): point
        //    reads, or one range query when many rows of the PartitionKey are missing from the cache.
        var misses = new List<PendingRow>();
        foreach (PendingRow row in rows)
        {
            row.Current = _cache.Get(row.Key);
            if (row.Current is null)
            {
                misses.Add(row);
            }
        }

        if (misses.Count >= PartitionQueryThreshold)
        {
            await ReadPartitionAsync(misses, cancellationToken).ConfigureAwait(false);
            Count(group, static t => Interlocked.Increment(ref t.Reads));
        }
        else if (misses.Count > 0)
        {
            await Task.WhenAll(misses.Select(async row =>
            {
                row.Current = await ReadAsync(row.Key, cancellationToken).ConfigureAwait(false);
                Count(row.Requests(), static t => Interlocked.Increment(ref t.Reads));
                _cache.Set(row.Key, row.Current);
            })).ConfigureAwait(false);
        }

        // 2. Apply in memory; rows whose watermarks already cover every request's events are done.
        var toWrite = new List<PendingRow>(rows.Count);
        foreach (PendingRow row in rows)
        {
            if (Prepare(row))
            {
                toWrite.Add(row);
            }
            else
            {
                AlreadyApplied(row);
            }
        }

        // 3. Write in entity group transactions (all or nothing, each action ETag-conditional); a lone row, or a
        //    transaction refused because one row changed, goes row by row.
        foreach (List<PendingRow> chunk in Chunks(toWrite))
        {
            await WriteChunkAsync(chunk, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ApplyRowAsync(PendingRow row, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            if (row.Current is null)
            {
                row.Current = await ReadAsync(row.Key, cancellationToken).ConfigureAwait(false);
                Count(row.Requests(), static t => Interlocked.Increment(ref t.Reads));
            }

            if (!Prepare(row))
            {
                AlreadyApplied(row);
                return;
            }

            Count(row.Requests(), static t => Interlocked.Increment(ref t.WriteRequests));
            try
            {
                Response response = row.Current.ETag == default
                    ? await _table.AddEntityAsync(row.Entity!, cancellationToken).ConfigureAwait(false)
                    : await _table.UpdateEntityAsync(row.Entity!, row.Current.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                Written(row, response.Headers.ETag);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 || (ex.Status == 404 && ex.ErrorCode != "TableNotFound"))
            {
                // 409: created by someone else; 412: changed by someone else; 404: deleted since we read it.
                _cache.Remove(row.Key);
                row.Current = null;
                Count(row.Requests(), static t => Interlocked.Increment(ref t.Conflicts));
                if (attempt >= _options.MaxAttemptsPerRow)
                {
                    throw new SignalWriteConflictException(row.Key, attempt, ex);
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

    private const int MaxTransactionActions = 100;
    private const long MaxTransactionBytes = 3 * 1024 * 1024; // the service allows 4 MiB per transaction payload
    private const int MaxTransactionAttempts = 3;

    /// <summary>Splits rows of one PartitionKey into transactions of at most 100 actions and 3 MiB.</summary>
    private static IEnumerable<List<PendingRow>> Chunks(List<PendingRow> rows)
    {
        var chunk = new List<PendingRow>();
        long bytes = 0;
        foreach (PendingRow row in rows)
        {
            if (chunk.Count > 0 && (chunk.Count == MaxTransactionActions || bytes + row.Bytes > MaxTransactionBytes))
            {
                yield return chunk;
                chunk = [];
                bytes = 0;
            }

            chunk.Add(row);
            bytes += row.Bytes;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    private async Task WriteChunkAsync(List<PendingRow> chunk, CancellationToken cancellationToken)
    {
        for (int attempt = 1; chunk.Count > 1 && attempt <= MaxTransactionAttempts; attempt++)
        {
            var actions = chunk.Select(r => r.Current!.ETag == default
                ? new TableTransactionAction(TableTransactionActionType.Add, r.Entity!)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, r.Entity!, r.Current.ETag)).ToList();
            Count(chunk.SelectMany(r => r.Requests()), static t => Interlocked.Increment(ref t.WriteRequests));
            try
            {
                Response<IReadOnlyList<Response>> response = await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                for (int i = 0; i < chunk.Count; i++)
                {
                    Written(chunk[i], response.Value[i].Headers.ETag);
                }

                return;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412 || (ex.Status == 404 && ex.ErrorCode != "TableNotFound"))
            {
                // Nothing was written. Another process changed at least one of these rows, usually many of them (it
                // handles the same rows from another partition): refresh the whole chunk with one range read, re-apply.
                Count(chunk.SelectMany(r => r.Requests()), static t => Interlocked.Increment(ref t.Conflicts));
                foreach (PendingRow row in chunk)
                {
                    _cache.Remove(row.Key);
                    row.Current = null;
                }

                await ReadPartitionAsync(chunk, cancellationToken).ConfigureAwait(false);
                Count(chunk.SelectMany(r => r.Requests()), static t => Interlocked.Increment(ref t.Reads));
                var still = new List<PendingRow>(chunk.Count);
                foreach (PendingRow row in chunk)
                {
                    if (Prepare(row))
                    {
                        still.Add(row);
                    }
                    else
                    {
                        AlreadyApplied(row);
                    }
                }

                chunk = still;
            }
        }

        // A lone row, or a chunk that kept conflicting: row by row, each with its own re-read and retries.
        await Parallel.ForEachAsync(
            chunk,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = cancellationToken },
            async (row, ct) => await ApplyRowAsync(row, ct).ConfigureAwait(false))
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Applies every part's events (each request with its own Event Hubs partition and watermark) to a copy of the
    /// row's current state; false when the row already has them all.
    /// </summary>
    private static bool Prepare(PendingRow row)
    {
        row.Updated = row.Current!.Row.Clone();
        bool any = false;
        foreach (RowPart part in row.Parts)
        {
            part.Applied = row.Updated.Apply(part.Request.PartitionId, part.Events);
            any |= part.Applied > 0;
        }

        if (!any)
        {
            row.Entity = null;
            return false;
        }

        row.Entity = SignalEntity.ToEntity(row.Key, row.Updated, out row.Bytes);
        return true;
    }

    /// <summary>The row was stored with everything its parts added: cache it, count it for each request.</summary>
    private void Written(PendingRow row, ETag? etag)
    {
        _cache.Set(row.Key, new CachedSignalRow(etag ?? throw new InvalidOperationException("The Table service returned no ETag."), row.Updated!));
        foreach (RowPart part in row.Parts)
        {
            if (part.Applied > 0)
            {
                Interlocked.Increment(ref part.Request.Totals.RowsWritten);
                Interlocked.Add(ref part.Request.Totals.ContributionsApplied, part.Applied);
            }
            else
            {
                Interlocked.Increment(ref part.Request.Totals.RowsAlreadyApplied);
            }
        }
    }

    private static void AlreadyApplied(PendingRow row)
    {
        foreach (RowPart part in row.Parts)
        {
            Interlocked.Increment(ref part.Request.Totals.RowsAlreadyApplied);
        }
    }

    /// <summary>Counts one operation once for each distinct call it served.</summary>
    private static void Count(IEnumerable<WriteRequest> requests, Action<Totals> count)
    {
        foreach (Totals totals in requests.Select(r => r.Totals).Distinct())
        {
            count(totals);
        }
    }

    /// <summary>Misses in one PartitionKey from which on a range query is cheaper than point reads.</summary>
    private const int PartitionQueryThreshold = 8;

    /// <summary>Reads many rows of one PartitionKey with one range query (RowKeys between the lowest and highest wanted).</summary>
    private async Task ReadPartitionAsync(List<PendingRow> rows, CancellationToken cancellationToken)
    {
        var wanted = rows.ToDictionary(r => r.Key.RowKey, StringComparer.Ordinal);
        string partitionKey = rows[0].Key.PartitionKey;
        string low = wanted.Keys.Min(StringComparer.Ordinal)!;
        string high = wanted.Keys.Max(StringComparer.Ordinal)!;
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {low} and RowKey le {high}");
        await foreach (TableEntity entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (wanted.TryGetValue(entity.RowKey, out PendingRow? row))
            {
                row.Current = new CachedSignalRow(entity.ETag, SignalEntity.ToRow(entity));
                _cache.Set(row.Key, row.Current);
            }
        }

        foreach (PendingRow row in rows)
        {
            row.Current ??= new CachedSignalRow(default, new SignalRow());
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

    /// <summary>One call's rows of one PartitionKey, each with its events, waiting for (or taking) its turn to be written.</summary>
    private sealed class WriteRequest(string partitionId, List<(SignalKey Key, SequencedContribution[] Events)> rows, Totals totals)
    {
        public string PartitionId { get; } = partitionId;

        public List<(SignalKey Key, SequencedContribution[] Events)> Rows { get; } = rows;

        public Totals Totals { get; } = totals;

        /// <summary>Completed with the group to write when this request leads the next write, with null when another
        /// writer wrote it, or with that writer's failure.</summary>
        public TaskCompletionSource<List<WriteRequest>?> Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<WriteRequest>? Group { get; set; }
    }

    /// <summary>The write queue of one PartitionKey in this process.</summary>
    private sealed class PartitionKeyWriter
    {
        public Lock Gate { get; } = new();

        public bool Busy { get; set; }

        public List<WriteRequest> Waiting { get; } = [];
    }

    /// <summary>One request's events for a row.</summary>
    private sealed class RowPart(WriteRequest request, SequencedContribution[] events)
    {
        public WriteRequest Request { get; } = request;

        public SequencedContribution[] Events { get; } = events;

        public int Applied { get; set; }
    }

    /// <summary>A row of one PartitionKey as it is written: the parts of every combined request.</summary>
    private sealed class PendingRow(SignalKey key)
    {
        public long Bytes;

        public SignalKey Key { get; } = key;

        public List<RowPart> Parts { get; } = [];

        public CachedSignalRow? Current { get; set; }

        public SignalRow? Updated { get; set; }

        public TableEntity? Entity { get; set; }

        public IEnumerable<WriteRequest> Requests() => Parts.Select(p => p.Request);
    }

    private sealed class Totals
    {
        public int RowsWritten;
        public int RowsAlreadyApplied;
        public int ContributionsApplied;
        public int Reads;
        public int Conflicts;
        public int WriteRequests;
    }
}
