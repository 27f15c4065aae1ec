using Azure;
using Azure.Data.Tables;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Domain.Statistics;

namespace SafetySurveillance.Storage.Alerts;

/// <summary>One stored CUSUM chart: a rule's chart for one trust, with the ETag a conditional write must match.</summary>
/// <param name="RuleId">The CUSUM rule.</param>
/// <param name="Trust">The trust's scope.</param>
/// <param name="State">The chart (S, observations, signals, last cohort month charted).</param>
/// <param name="ETag">The row's ETag; <c>default</c> for a chart never stored.</param>
public sealed record StoredCusumChart(string RuleId, SignalScope Trust, CusumChartState State, ETag ETag);

/// <summary>
/// The <c>CusumCharts</c> table: the persistent state of every Bernoulli CUSUM chart, so that the reset after a signal
/// and the months already charted survive restarts. PartitionKey = encoded procedure (as alerts), RowKey =
/// <c>{ruleId}|{trust scope key}</c>; columns S, observations, signals, last signal observation, last cohort month.
/// Writes are conditional on the ETag read (or on the row not existing), as for alerts.
/// </summary>
public class CusumChartStore
{
    /// <summary>The table name.</summary>
    public const string TableName = "CusumCharts";

    private const int SchemaVersion = 1;
    private readonly TableClient _table;

    /// <summary>Creates the store over <paramref name="table"/> (normally the <see cref="TableName"/> table).</summary>
    public CusumChartStore(TableClient table) => _table = table ?? throw new ArgumentNullException(nameof(table));

    /// <summary>For substitution in tests.</summary>
    protected CusumChartStore() => _table = null!;

    /// <summary>Creates the table if it does not exist.</summary>
    public virtual async Task CreateTableIfNotExistsAsync(CancellationToken cancellationToken = default) =>
        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The stored chart, or <see cref="CusumChartState.Initial"/> with no ETag when there is none.</summary>
    public virtual async Task<StoredCusumChart> GetAsync(string procedure, string ruleId, SignalScope trust, CancellationToken cancellationToken = default)
    {
        (string partitionKey, string rowKey) = Keys(procedure, ruleId, trust);
        try
        {
            NullableResponse<TableEntity> found = await _table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (found.HasValue)
            {
                return ToStored(found.Value!);
            }
        }
        catch (RequestFailedException ex) when (AlertStore.IsTableMissing(ex))
        {
        }

        return new StoredCusumChart(ruleId, trust, CusumChartState.Initial, default);
    }

    /// <summary>Every stored chart of a procedure, keyed by rule id and trust.</summary>
    public virtual async Task<IReadOnlyDictionary<(string RuleId, SignalScope Trust), StoredCusumChart>> GetAllAsync(string procedure, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(procedure);
        var charts = new Dictionary<(string, SignalScope), StoredCusumChart>();
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {AlertId.PartitionFor(procedure)}");
        try
        {
            await foreach (TableEntity entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                StoredCusumChart chart = ToStored(entity);
                charts[(chart.RuleId, chart.Trust)] = chart;
            }
        }
        catch (RequestFailedException ex) when (AlertStore.IsTableMissing(ex))
        {
            charts.Clear();
        }

        return charts;
    }

    /// <summary>Writes a chart, conditional on <paramref name="etag"/> (a new row when it is <c>default</c>).</summary>
    /// <exception cref="AlertConflictException">The chart changed (or was created) since it was read; nothing was written.</exception>
    public virtual async Task<StoredCusumChart> SaveAsync(string procedure, string ruleId, SignalScope trust, CusumChartState state, ETag etag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        (string partitionKey, string rowKey) = Keys(procedure, ruleId, trust);
        var entity = new TableEntity(partitionKey, rowKey)
        {
            ["SchemaVersion"] = SchemaVersion,
            ["Procedure"] = procedure,
            ["RuleId"] = ruleId,
            ["Trust"] = trust.ToKey(),
            ["Statistic"] = state.Chart.Statistic,
            ["Observations"] = state.Chart.Observations,
            ["Signals"] = state.Chart.Signals,
        };
        if (state.Chart.LastSignalObservation is { } last)
        {
            entity["LastSignalObservation"] = last;
        }

        if (state.LastMonth is { } month)
        {
            entity["LastMonth"] = month.ToString();
        }

        for (int attempt = 1; ; attempt++)
        {
            try
            {
                Response response = etag == default
                    ? await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
                    : await _table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return new StoredCusumChart(ruleId, trust, state, AlertEntity.ETagOf(response));
            }
            catch (RequestFailedException ex) when (attempt == 1 && AlertStore.IsTableMissing(ex))
            {
                await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
            {
                throw AlertConflictException.For($"{partitionKey}/{rowKey}", ex);
            }
        }
    }

    private static (string PartitionKey, string RowKey) Keys(string procedure, string ruleId, SignalScope trust)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(procedure);
        ArgumentException.ThrowIfNullOrWhiteSpace(ruleId);
        if (trust.Kind != SignalScopeKind.Trust)
        {
            throw new ArgumentException("A CUSUM chart watches one trust.", nameof(trust));
        }

        // The alert id validates the rule id ([a-z0-9-]) and the key length.
        _ = AlertId.For(procedure, SignalPeriod.AllTime, ruleId, trust);
        return (AlertId.PartitionFor(procedure), ruleId + "|" + trust.ToKey());
    }

    private static StoredCusumChart ToStored(TableEntity entity)
    {
        int version = entity.GetInt32("SchemaVersion") ?? 0;
        string? ruleId = entity.GetString("RuleId");
        string? lastMonth = entity.GetString("LastMonth");
        if (version != SchemaVersion
            || ruleId is null
            || !SignalScope.TryParseKey(entity.GetString("Trust"), out SignalScope trust)
            || trust.Kind != SignalScopeKind.Trust
            || entity.GetDouble("Statistic") is not { } statistic
            || (lastMonth is not null && !SignalPeriod.TryParse(lastMonth, out _)))
        {
            throw new AlertFormatException($"The CUSUM chart row {entity.PartitionKey}/{entity.RowKey} cannot be read by this code.");
        }

        var chart = new CusumState(statistic, entity.GetInt64("Observations") ?? 0, entity.GetInt64("Signals") ?? 0, entity.GetInt64("LastSignalObservation"));
        SignalPeriod? month = lastMonth is null ? null : SignalPeriod.Parse(lastMonth);
        return new StoredCusumChart(ruleId, trust, new CusumChartState(chart, month), entity.ETag);
    }
}
