using Azure.Data.Tables;
using Azure.Storage.Blobs;
using SafetySurveillance.Domain.Ingestion;
using SafetySurveillance.Storage.DeadLetters;

namespace SafetySurveillance.Functions.SubmitEvents;

/// <summary>
/// Keeps the events the gateway rejects in the same <c>DeadLetters</c> store the ingest function uses, with
/// <c>Partition = -1</c> (gateway rejections: row key <c>gw-{ticks}-{n}</c>). Creates the table and blob
/// container on first use.
/// </summary>
public sealed class GatewayDeadLetters
{
    /// <summary>The partition number that marks a gateway rejection in <see cref="DeadLetter.Partition"/>.</summary>
    public const int GatewayPartition = -1;

    private readonly DeadLetterStore _store;
    private readonly TableClient _table;
    private readonly BlobContainerClient _container;
    private readonly SemaphoreSlim _createGate = new(1, 1);
    private volatile bool _created;

    /// <summary>Creates the writer over the store and the table and container it writes to.</summary>
    public GatewayDeadLetters(DeadLetterStore store, TableClient table, BlobContainerClient container)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _table = table ?? throw new ArgumentNullException(nameof(table));
        _container = container ?? throw new ArgumentNullException(nameof(container));
    }

    /// <summary>Stores the rejections.</summary>
    public async Task AddAsync(IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deadLetters);
        if (deadLetters.Count == 0)
        {
            return;
        }

        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await _store.AddAsync(deadLetters, cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (_created)
        {
            return;
        }

        await _createGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_created)
            {
                await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
                await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                _created = true;
            }
        }
        finally
        {
            _createGate.Release();
        }
    }
}
