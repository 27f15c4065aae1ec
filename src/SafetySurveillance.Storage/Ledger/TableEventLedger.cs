using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using SafetySurveillance.Domain.Ingestion;

namespace SafetySurveillance.Storage.Ledger;

/// <summary>
/// Each trust's registry state in Azure Tables — the event ledger plus the facts ingestion derives across events
/// (<see cref="TrustRegistryState"/>): per trust (PartitionKey = ODS code) a <c>head</c> row and append-only
/// <c>chunk-NNNNNNNNNN</c> rows holding packed fingerprints (<c>E..</c> properties) and state records (<c>S..</c>). Writes per batch scale with trusts, not events:
/// one transaction (new chunk + head, ETag-conditional) per trust per batch. Each trust's ledger is cached in memory
/// and re-read only when the head's ETag shows another writer appended.
/// </summary>
public sealed class TableEventLedger
{
    /// <summary>The table name.</summary>
    public const string TableName = "EventLedger";

    private const string HeadRowKey = "head";
    private const string ChunkPrefix = "chunk-";
    private const int MaxBlocksPerEntity = 12;
    private const int MaxEntitiesPerTransaction = 3;
    private readonly TableClient _table;
    private readonly ConcurrentDictionary<string, TrustLedger> _cache = new(StringComparer.Ordinal);

    /// <summary>Creates the ledger over <paramref name="table"/>.</summary>
    public TableEventLedger(TableClient table) => _table = table ?? throw new ArgumentNullException(nameof(table));

    /// <summary>Returns the trust's ledger, brought up to date with storage. Callers hold <see cref="TrustLedger.Gate"/> while they classify and append.</summary>
    public async Task<TrustLedger> OpenAsync(string odsCode, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(odsCode);
        var ledger = _cache.GetOrAdd(odsCode, code => new TrustLedger(code));
        var head = await _table.GetEntityIfExistsAsync<TableEntity>(odsCode, HeadRowKey, [nameof(TrustLedger.Chunks)], cancellationToken).ConfigureAwait(false);
        var etag = head.HasValue ? head.Value!.ETag : default;
        if (ledger.IsLoaded && ledger.HeadETag == etag)
        {
            return ledger;
        }

        var state = new TrustRegistryState();
        var chunks = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {odsCode} and RowKey ge {ChunkPrefix} and RowKey lt {"chunk."}");
        await foreach (var chunk in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            chunks++;
            foreach (var (name, value) in chunk)
            {
                if (name.StartsWith('E') && value is byte[] block)
                {
                    state.Events.Load(LedgerChunkCodec.Decode(block));
                }
                else if (name.StartsWith('S') && value is byte[] records)
                {
                    state.Load(TrustStateRecord.Decode(records));
                }
            }
        }

        ledger.Reset(state, etag, head.HasValue ? Math.Max(chunks, head.Value!.GetInt32(nameof(TrustLedger.Chunks)) ?? 0) : chunks);
        return ledger;
    }

    /// <summary>Drops a trust's cached state (after a failed batch), so the next open reads what storage holds.</summary>
    public void Invalidate(string odsCode) => _cache.TryRemove(odsCode, out _);

    /// <summary>
    /// Stores the entries recorded since the last append, in one transaction with the head row (ETag-conditional).
    /// </summary>
    /// <exception cref="LedgerConflictException">Another writer appended first; the cache was dropped and the caller must re-run the batch.</exception>
    public async Task AppendAsync(TrustLedger ledger, IReadOnlyList<LedgerEntry> entries, IReadOnlyList<TrustStateRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(records);
        if (entries.Count == 0 && records.Count == 0)
        {
            return;
        }

        var blocks = LedgerChunkCodec.Encode(entries).Select(b => ("E", b))
            .Concat(TrustStateRecord.Encode(records).Select(b => ("S", b)))
            .ToList();
        var entityCount = (blocks.Count + MaxBlocksPerEntity - 1) / MaxBlocksPerEntity;
        if (entityCount > MaxEntitiesPerTransaction)
        {
            throw new ArgumentException($"{entries.Count} ledger entries for one trust in one batch exceed one transaction; use smaller batches.", nameof(entries));
        }

        var actions = new List<TableTransactionAction>(entityCount + 1);
        for (var e = 0; e < entityCount; e++)
        {
            var entity = new TableEntity(ledger.OdsCode, ChunkPrefix + (ledger.Chunks + e + 1).ToString("D10", CultureInfo.InvariantCulture));
            var first = e * MaxBlocksPerEntity;
            for (var b = first; b < Math.Min(first + MaxBlocksPerEntity, blocks.Count); b++)
            {
                var (prefix, block) = blocks[b];
                entity[prefix + (b - first).ToString("D2", CultureInfo.InvariantCulture)] = block;
            }

            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, entity));
        }

        var head = new TableEntity(ledger.OdsCode, HeadRowKey) { [nameof(TrustLedger.Chunks)] = ledger.Chunks + entityCount };
        actions.Add(ledger.HeadETag == default
            ? new TableTransactionAction(TableTransactionActionType.Add, head)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, head, ledger.HeadETag));
        try
        {
            var response = await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            ledger.Appended(entityCount, response.Value[^1].Headers.ETag ?? default);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
        {
            _cache.TryRemove(ledger.OdsCode, out _);
            throw new LedgerConflictException(ledger.OdsCode, ex);
        }
    }
}

/// <summary>One trust's cached ledger.</summary>
public sealed class TrustLedger
{
    internal TrustLedger(string odsCode) => OdsCode = odsCode;

    /// <summary>The trust.</summary>
    public string OdsCode { get; }

    /// <summary>Serialises classify-and-append for this trust within the process.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The trust's registry state (event ledger and derived facts).</summary>
    public TrustRegistryState State { get; private set; } = new();

    /// <summary>How many chunk rows are stored.</summary>
    public int Chunks { get; private set; }

    internal ETag HeadETag { get; private set; }

    internal bool IsLoaded { get; private set; }

    internal void Reset(TrustRegistryState state, ETag headETag, int chunks)
    {
        State = state;
        HeadETag = headETag;
        Chunks = chunks;
        IsLoaded = true;
    }

    internal void Appended(int chunks, ETag headETag)
    {
        Chunks += chunks;
        HeadETag = headETag;
    }
}

/// <summary>Another writer appended to a trust's ledger first.</summary>
public sealed class LedgerConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LedgerConflictException(string odsCode, Exception innerException)
        : base($"The event ledger of trust {odsCode} changed under this writer; the batch must be re-run.", innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public LedgerConflictException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public LedgerConflictException(string message)
        : base(message)
    {
    }
}
