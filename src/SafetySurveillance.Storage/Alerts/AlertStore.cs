using Azure;
using Azure.Data.Tables;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Storage.Alerts;

/// <summary>
/// The <c>Alerts</c> table: one row per alert (PartitionKey = encoded procedure, RowKey = <c>{period}|{rule}|{scope}</c>,
/// see <see cref="AlertKeys"/>) holding the <see cref="AlertState"/> (evidence, severity, lifecycle with who and when)
/// and the outbox of sends not yet confirmed on the queue.
/// </summary>
/// <remarks>
/// Every write is conditional: <see cref="SaveAsync"/> adds a row that must not exist yet (no ETag) or replaces the
/// row only if it still has the ETag it was read with. A refused write raises <see cref="AlertConflictException"/> and
/// changes nothing, so two evaluations (or an evaluation and a reviewer's acknowledgement) never overwrite each other's
/// decisions: the loser reads again and decides again. Thread-safe.
/// </remarks>
public class AlertStore
{
    /// <summary>The table name.</summary>
    public const string TableName = "Alerts";

    private readonly TableClient _table;

    /// <summary>Creates the store over <paramref name="table"/> (normally the <see cref="TableName"/> table).</summary>
    public AlertStore(TableClient table) => _table = table ?? throw new ArgumentNullException(nameof(table));

    /// <summary>For substitution in tests.</summary>
    protected AlertStore() => _table = null!;

    /// <summary>Creates the table if it does not exist.</summary>
    public virtual async Task CreateTableIfNotExistsAsync(CancellationToken cancellationToken = default) =>
        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Reads one alert, or null when there is none (or no table yet).</summary>
    /// <exception cref="AlertFormatException">The row cannot be read by this code.</exception>
    public virtual async Task<StoredAlert?> GetAsync(AlertId id, CancellationToken cancellationToken = default)
    {
        (string partitionKey, string rowKey) = AlertKeys.Split(id.Value);
        try
        {
            NullableResponse<TableEntity> found = await _table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            return found.HasValue ? AlertEntity.ToStored(found.Value!) : null;
        }
        catch (RequestFailedException ex) when (IsTableMissing(ex))
        {
            return null;
        }
    }

    /// <summary>
    /// Every alert of one procedure and period (one RowKey range of one partition): the alerts an evaluation of that
    /// signal partition can touch, except CUSUM alerts of other cohort months (read those with <see cref="GetAsync"/>).
    /// </summary>
    public virtual async Task<IReadOnlyDictionary<AlertId, StoredAlert>> GetPeriodAsync(string procedure, SignalPeriod period, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(procedure);
        string partitionKey = AlertId.PartitionFor(procedure);
        string low = AlertKeys.PeriodPrefix(period);
        string high = period.ToString() + "}"; // '}' follows '|' in ordinal order
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {low} and RowKey lt {high}");
        var alerts = new Dictionary<AlertId, StoredAlert>();
        foreach (StoredAlert alert in await RunAsync(filter, cancellationToken).ConfigureAwait(false))
        {
            alerts[alert.Id] = alert;
        }

        return alerts;
    }

    /// <summary>Alerts matching <paramref name="query"/>, most recently updated first.</summary>
    public virtual async Task<IReadOnlyList<StoredAlert>> QueryAsync(AlertQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var clauses = new List<string>();
        if (query.Procedure is not null)
        {
            clauses.Add(TableClient.CreateQueryFilter($"PartitionKey eq {AlertId.PartitionFor(query.Procedure)}"));
        }

        if (query.Status is { } status)
        {
            clauses.Add(TableClient.CreateQueryFilter($"Status eq {status.ToString()}"));
        }

        if (query.TrustOds is not null)
        {
            string ods = SignalScope.Trust(query.TrustOds).Value!;
            clauses.Add(query.AlsoNational
                ? TableClient.CreateQueryFilter($"(TrustOds eq {ods} or ScopeKind eq {"national"})")
                : TableClient.CreateQueryFilter($"TrustOds eq {ods}"));
        }

        string? filter = clauses.Count == 0 ? null : string.Join(" and ", clauses);
        IReadOnlyList<StoredAlert> alerts = await RunAsync(filter, cancellationToken).ConfigureAwait(false);
        return [.. alerts.OrderByDescending(a => a.State.UpdatedAt).ThenBy(a => a.Id.Value, StringComparer.Ordinal)];
    }

    /// <summary>Alerts whose outbox holds sends not yet confirmed on the queue (what a crash can leave behind).</summary>
    public virtual Task<IReadOnlyList<StoredAlert>> GetWithPendingSendsAsync(CancellationToken cancellationToken = default) =>
        RunAsync(TableClient.CreateQueryFilter($"PendingSends gt {0}"), cancellationToken);

    /// <summary>
    /// Writes <paramref name="state"/> with its outbox <paramref name="pendingSends"/>: a new row when
    /// <paramref name="etag"/> is <c>default</c>, otherwise a replacement conditional on <paramref name="etag"/>.
    /// </summary>
    /// <returns>The alert as stored, with its new ETag.</returns>
    /// <exception cref="AlertConflictException">The row exists (new), or changed or vanished since it was read; nothing was written.</exception>
    public virtual async Task<StoredAlert> SaveAsync(AlertState state, IReadOnlyList<AlertNotification> pendingSends, ETag etag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(pendingSends);
        TableEntity entity = AlertEntity.ToEntity(state, pendingSends);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                Response response = etag == default
                    ? await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
                    : await _table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return new StoredAlert(state, pendingSends, AlertEntity.ETagOf(response));
            }
            catch (RequestFailedException ex) when (attempt == 1 && IsTableMissing(ex))
            {
                await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
            {
                throw AlertConflictException.For(state.Id.Value, ex);
            }
        }
    }

    private async Task<IReadOnlyList<StoredAlert>> RunAsync(string? filter, CancellationToken cancellationToken)
    {
        var alerts = new List<StoredAlert>();
        try
        {
            await foreach (TableEntity entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                alerts.Add(AlertEntity.ToStored(entity));
            }
        }
        catch (RequestFailedException ex) when (IsTableMissing(ex))
        {
            alerts.Clear();
        }

        return alerts;
    }

    internal static bool IsTableMissing(RequestFailedException ex) => ex.Status == 404 && ex.ErrorCode == "TableNotFound";
}
