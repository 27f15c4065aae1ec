using Azure;
using Azure.Data.Tables;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Storage.Signals;

namespace SafetySurveillance.Functions.EvaluateSignals;

/// <summary>
/// Lists the partitions (procedure, period) of the <c>Signals</c> table. Every event touches its partition's national
/// row, so every partition has one: the list is a query for RowKey <c>national</c>, returning only keys.
/// </summary>
public class SignalPartitions
{
    private static readonly string[] KeysOnly = ["PartitionKey", "RowKey"];
    private readonly TableClient _signals;

    /// <summary>Creates the lister over the <see cref="SignalTableStore.TableName"/> table.</summary>
    public SignalPartitions(TableClient signals) => _signals = signals ?? throw new ArgumentNullException(nameof(signals));

    /// <summary>For substitution in tests.</summary>
    protected SignalPartitions() => _signals = null!;

    /// <summary>Every partition, or only those of <paramref name="procedure"/>.</summary>
    public virtual async Task<IReadOnlyList<SignalKey>> ListAsync(string? procedure = null, CancellationToken cancellationToken = default)
    {
        string filter = procedure is null
            ? TableClient.CreateQueryFilter($"RowKey eq {"national"}")
            : TableClient.CreateQueryFilter($"PartitionKey ge {TableKeyEncoding.Encode(procedure) + "|"} and PartitionKey lt {TableKeyEncoding.Encode(procedure) + "}"} and RowKey eq {"national"}");
        var keys = new List<SignalKey>();
        try
        {
            await foreach (TableEntity entity in _signals.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: KeysOnly, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (SignalKey.TryParse(entity.PartitionKey, entity.RowKey, out SignalKey key))
                {
                    keys.Add(key);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && ex.ErrorCode == "TableNotFound")
        {
            keys.Clear();
        }

        return keys;
    }
}
