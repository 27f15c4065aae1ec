using Azure;
using Microsoft.Extensions.Logging;
using SafetySurveillance.Domain.Ingestion;
using SafetySurveillance.Domain.Pseudonymisation;
using SafetySurveillance.Storage.DeadLetters;
using SafetySurveillance.Storage.Ledger;
using SafetySurveillance.Storage.Signals;

namespace SafetySurveillance.Functions.IngestSafetyEvents;

/// <summary>What one ingested batch did.</summary>
/// <param name="Events">Events in the batch.</param>
/// <param name="Accepted">Events that passed the checks.</param>
/// <param name="Rejected">Events kept as dead letters.</param>
/// <param name="Duplicates">Accepted events the trust had sent before under the same id.</param>
/// <param name="RowsWritten">Signal rows written.</param>
/// <param name="RowsAlreadyApplied">Signal rows whose watermark already covered the batch.</param>
/// <param name="SignalWriteRequests">Signal write requests (transactions and single-row writes, refused ones included).</param>
/// <param name="SignalReads">Signal read requests (cache misses and re-reads after a conflict).</param>
/// <param name="SignalConflicts">Signal writes refused because another writer changed a row first.</param>
public sealed record IngestionSummary(int Events, int Accepted, int Rejected, int Duplicates, int RowsWritten, int RowsAlreadyApplied, int SignalWriteRequests = 0, int SignalReads = 0, int SignalConflicts = 0);

/// <summary>
/// Ingests one Event Hubs batch with an exactly-once effect on the signal rows:
/// <list type="number">
/// <item>screen every event (parse, validate, publisher = source) — pure;</item>
/// <item>keep every rejection in DeadLetters (idempotent keys: partition + sequence number);</item>
/// <item>open each touched trust's registry state (ledger + derived facts), holding the trust's gate;</item>
/// <item>de-duplicate, pseudonymise and project in sequence order — pure, on the in-memory state;</item>
/// <item>write each touched signal row once, ETag-conditional, advancing the row's watermark for this partition;</item>
/// <item>only then append the new ledger entries and state records (one transaction per trust).</item>
/// </list>
/// A crash at any point leaves storage such that replaying the batch (same or different boundaries) changes
/// nothing that was already applied and completes the rest. On any failure the in-memory trust states of the
/// batch are dropped, so the retry re-reads what storage really holds.
/// </summary>
public sealed partial class SafetyEventIngestion
{
    private const int MaxLedgerConflictRetries = 3;
    private readonly Pseudonymiser _pseudonymiser;
    private readonly TableEventLedger _ledger;
    private readonly SignalTableStore _signals;
    private readonly DeadLetterStore _deadLetters;
    private readonly IngestionRules _rules;
    private readonly ILogger<SafetyEventIngestion> _logger;
    private readonly SignalsTouchedNotifier? _touched;

    /// <summary>Creates the ingestion service.</summary>
    public SafetyEventIngestion(
        Pseudonymiser pseudonymiser,
        TableEventLedger ledger,
        SignalTableStore signals,
        DeadLetterStore deadLetters,
        IngestionRules rules,
        ILogger<SafetyEventIngestion> logger,
        SignalsTouchedNotifier? touched = null)
    {
        _touched = touched;
        _pseudonymiser = pseudonymiser;
        _ledger = ledger;
        _signals = signals;
        _deadLetters = deadLetters;
        _rules = rules;
        _logger = logger;
    }

    /// <summary>Ingests the batch; throws on storage failures (the host then retries the whole batch).</summary>
    public async Task<IngestionSummary> IngestAsync(string partitionId, IReadOnlyList<IncomingEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var screened = BatchIngestion.Screen(events, _rules);
        await _deadLetters.AddAsync(screened.Rejected, cancellationToken).ConfigureAwait(false);

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AggregateAndWriteAsync(partitionId, events.Count, screened, cancellationToken).ConfigureAwait(false);
            }
            catch (LedgerConflictException ex) when (attempt < MaxLedgerConflictRetries)
            {
                // Another instance appended to a trust's ledger (a partition moved): re-read and redo the batch.
                LogLedgerConflict(_logger, ex.Message, attempt);
            }
        }
    }

    private async Task<IngestionSummary> AggregateAndWriteAsync(string partitionId, int eventCount, ScreenedBatch screened, CancellationToken cancellationToken)
    {
        var trusts = screened.Trusts.Order(StringComparer.Ordinal).ToList();
        var opened = new Dictionary<string, TrustLedger>(StringComparer.Ordinal);
        var held = new List<SemaphoreSlim>();
        var succeeded = false;
        try
        {
            foreach (var trust in trusts)
            {
                var ledger = await _ledger.OpenAsync(trust, cancellationToken).ConfigureAwait(false);
                await ledger.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                held.Add(ledger.Gate);
                opened[trust] = ledger;
            }

            var aggregated = BatchIngestion.Aggregate(screened, _pseudonymiser, ods => opened[ods].State);
            var written = await _signals.ApplyAsync(partitionId, aggregated.Contributions, cancellationToken).ConfigureAwait(false);
            await (_touched?.NotifyAsync(aggregated.Contributions.Select(c => c.Key), cancellationToken) ?? Task.CompletedTask).ConfigureAwait(false);
            foreach (var trust in trusts)
            {
                var ledger = opened[trust];
                var entries = aggregated.LedgerEntries.TryGetValue(trust, out var e) ? e : [];
                await _ledger.AppendAsync(ledger, entries, ledger.State.TakePending(), cancellationToken).ConfigureAwait(false);
            }

            succeeded = true;
            return new IngestionSummary(eventCount, screened.Accepted.Count, screened.Rejected.Count, aggregated.Duplicates, written.RowsWritten, written.RowsAlreadyApplied, written.WriteRequests, written.Reads, written.Conflicts);
        }
        finally
        {
            if (!succeeded)
            {
                foreach (var trust in opened.Keys)
                {
                    _ledger.Invalidate(trust);
                }
            }

            foreach (var gate in held)
            {
                gate.Release();
            }
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "{Reason} (attempt {Attempt})")]
    private static partial void LogLedgerConflict(ILogger logger, string reason, int attempt);
}
