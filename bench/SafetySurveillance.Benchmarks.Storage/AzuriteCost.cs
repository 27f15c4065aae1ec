using System.Diagnostics;
using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace SafetySurveillance.Benchmarks.Storage;

/// <summary>
/// What Azurite's Table service costs in CPU per request, per entity and per property (<c>--azurite-cost</c>): the
/// operations ingestion makes, each repeated on a fresh table, with Azurite's own CPU time (utime + stime from
/// /proc/{pid}/stat) and this process's divided by the entities (or requests) they handled. CPU time, unlike the wall
/// clock, hardly depends on what else the machine runs.
/// </summary>
internal static class AzuriteCost
{
    private const double TicksPerSecond = 100; // USER_HZ

    public static async Task RunAsync(TableServiceClient service, int azuritePid)
    {
        Console.WriteLine("Azurite CPU per operation (µs of Azurite CPU / µs of client CPU); entities are signal-row-like (long properties)");
        Console.WriteLine("operation                                         requests  entities  Azurite µs/entity  Azurite µs/request  client µs/entity");
        var table = service.GetTableClient("Cost" + Guid.NewGuid().ToString("N")[..10]);
        await table.CreateAsync().ConfigureAwait(false);

        // Warm-up: JIT here, V8 optimisation there.
        await TransactionsAsync(table, "W", 40, 100, 20, replace: false).ConfigureAwait(false);
        await TransactionsAsync(table, "W", 40, 100, 20, replace: true).ConfigureAwait(false);

        foreach (int properties in new[] { 5, 40, 120 })
        {
            string pk = "P" + properties.ToString(CultureInfo.InvariantCulture);
            await MeasureAsync($"insert, transactions of 100, {properties} props", azuritePid, 20, 2000,
                () => TransactionsAsync(table, pk, properties, 100, 20, replace: false)).ConfigureAwait(false);
            await MeasureAsync($"replace, transactions of 100, {properties} props", azuritePid, 20, 2000,
                () => TransactionsAsync(table, pk, properties, 100, 20, replace: true)).ConfigureAwait(false);
        }

        await MeasureAsync("replace, transactions of 100, 120 Int32 props", azuritePid, 20, 2000,
            () => TransactionsAsync(table, "P120", 120, 100, 20, replace: true, int32: true)).ConfigureAwait(false);
        await MeasureAsync("replace, transactions of 100, 120 values in 1 string", azuritePid, 20, 2000,
            () => TransactionsAsync(table, "P120", 120, 100, 20, replace: true, packed: true)).ConfigureAwait(false);
        await MeasureAsync("replace, transactions of 5, 120 props", azuritePid, 100, 500,
            () => TransactionsAsync(table, "P120", 120, 5, 100, replace: true)).ConfigureAwait(false);
        await MeasureAsync("replace, single entity (no transaction), 120 props", azuritePid, 300, 300, async () =>
        {
            for (int i = 0; i < 300; i++)
            {
                await table.UpdateEntityAsync(Entity("P120", i, 120, 7), ETag.All, TableUpdateMode.Replace).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        await MeasureAsync("point read, 120 props", azuritePid, 300, 300, async () =>
        {
            for (int i = 0; i < 300; i++)
            {
                await table.GetEntityIfExistsAsync<TableEntity>("P120", Row(i)).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        await MeasureAsync("point read, 1 selected prop", azuritePid, 300, 300, async () =>
        {
            for (int i = 0; i < 300; i++)
            {
                await table.GetEntityIfExistsAsync<TableEntity>("P120", Row(i), ["Count000"]).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        int rowsInTable = 40 * 2 + 2000 * 3; // the whole table is scanned by every filter query
        await MeasureAsync($"range query (PK + RowKey range, 10 rows of {rowsInTable})", azuritePid, 100, 1000, async () =>
        {
            for (int i = 0; i < 100; i++)
            {
                string low = Row(i * 10);
                string high = Row((i * 10) + 9);
                string filter = TableClient.CreateQueryFilter($"PartitionKey eq {"P120"} and RowKey ge {low} and RowKey le {high}");
                await foreach (TableEntity _ in table.QueryAsync<TableEntity>(filter).ConfigureAwait(false))
                {
                }
            }
        }).ConfigureAwait(false);
        await table.DeleteAsync().ConfigureAwait(false);
    }

    private static async Task TransactionsAsync(TableClient table, string partitionKey, int properties, int perTransaction, int transactions, bool replace, bool int32 = false, bool packed = false)
    {
        for (int t = 0; t < transactions; t++)
        {
            var actions = new List<TableTransactionAction>(perTransaction);
            for (int i = 0; i < perTransaction; i++)
            {
                var entity = Entity(partitionKey, (t * perTransaction) + i, properties, replace ? 2 : 1, int32, packed);
                actions.Add(replace
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, ETag.All)
                    : new TableTransactionAction(TableTransactionActionType.Add, entity));
            }

            await table.SubmitTransactionAsync(actions).ConfigureAwait(false);
        }
    }

    private static TableEntity Entity(string partitionKey, int row, int properties, long seed, bool int32 = false, bool packed = false)
    {
        var entity = new TableEntity(partitionKey, Row(row));
        if (packed)
        {
            entity["Counts"] = string.Join(';', Enumerable.Range(0, properties).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p}={(seed * 1_000_003) + p}")));
            return entity;
        }

        for (int p = 0; p < properties; p++)
        {
            long value = (seed * 1_000_003) + p;
            entity["Count" + p.ToString("D3", CultureInfo.InvariantCulture)] = int32 ? (object)(int)value : value;
        }

        return entity;
    }

    private static string Row(int i) => "row-" + i.ToString("D6", CultureInfo.InvariantCulture);

    private static async Task MeasureAsync(string name, int azuritePid, int requests, int entities, Func<Task> work)
    {
        long before = CpuTicks(azuritePid);
        TimeSpan clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
        await work().ConfigureAwait(false);
        await Task.Delay(50).ConfigureAwait(false); // let Azurite finish any work after its last answer
        long after = CpuTicks(azuritePid);
        TimeSpan client = Process.GetCurrentProcess().TotalProcessorTime - clientBefore;
        double azuriteMicros = (after - before) / TicksPerSecond * 1e6;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-49} {requests,8}  {entities,8}  {azuriteMicros / entities,17:F0}  {azuriteMicros / requests,18:F0}  {client.TotalMicroseconds / entities,16:F0}"));
    }

    private static long CpuTicks(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }
}
