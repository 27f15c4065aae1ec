using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using SafetySurveillance.Benchmarks.Storage;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.LocalServices.Azurite;
using SafetySurveillance.Storage.Signals;

// Signal-row write throughput of SignalTableStore.ApplyAsync on a real Azurite (started here, stopped with SIGINT).
// For batches touching 10 / 100 / 1000 distinct rows it measures, per scenario, rows per second:
//   cold    – rows not in the cache: one point read + one write (Add for a new row) per row
//   warm    – rows cached with their ETags: one conditional UpdateReplace per row, no read
//   replay  – the same batch again from a restarted process (empty cache): one read per row, no write
//   race    – two store instances (two "function instances") applying different partitions to the same rows at once
// With --azurite-cost it instead prints Azurite's CPU per request, entity and property for those operations (AzuriteCost).
// Usage: dotnet run -c Release --project bench/SafetySurveillance.Benchmarks.Storage [-- --disk] [--rows-per-size N] [--azurite-cost]
bool disk = args.Contains("--disk");
int rowsPerSize = ArgValue("--rows-per-size") ?? 6000;
string root = FindRepositoryRoot();
await using var azurite = await AzuriteInstance.StartAsync(new AzuriteOptions
{
    NodeModulesDirectory = Path.Combine(root, "node_modules"),
    InMemory = !disk,
}).ConfigureAwait(false);
var service = new TableServiceClient(azurite.ConnectionString);
if (args.Contains("--azurite-cost"))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Azurite ({(disk ? "disk" : "in-memory")}), {Environment.ProcessorCount} cores, load average before: {LoadAverage()}"));
    await AzuriteCost.RunAsync(service, azurite.ProcessId).ConfigureAwait(false);
    Console.WriteLine("load average after: " + LoadAverage());
    return 0;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SignalTableStore.ApplyAsync on Azurite ({(disk ? "disk" : "in-memory")}), {Environment.ProcessorCount} cores, ~{rowsPerSize} rows per scenario, concurrency 8"));
Console.WriteLine("load average before: " + LoadAverage() + " (other processes on this machine slow Azurite down; compare runs at similar load)");
Console.WriteLine("rows/batch  scenario  batches  rows      seconds  rows/s    ms/batch  reads  conflicts");

// Warm up the JIT and Azurite.
await RunAsync(service, 10, 200, print: false).ConfigureAwait(false);
foreach (int rows in new[] { 10, 100, 1000 })
{
    await RunAsync(service, rows, rowsPerSize, print: true).ConfigureAwait(false);
}

Console.WriteLine("load average after: " + LoadAverage());
return 0;

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static async Task RunAsync(TableServiceClient service, int rowsPerBatch, int totalRows, bool print)
{
    int batches = Math.Max(2, totalRows / rowsPerBatch);
    var table = service.GetTableClient("Bench" + Guid.NewGuid().ToString("N")[..10]);
    await table.CreateAsync().ConfigureAwait(false);

    // Each batch touches its own set of rows (distinct procedure codes per batch), each row with 3 events.
    var coldBatches = Enumerable.Range(0, batches).Select(b => Batch(b, rowsPerBatch, firstSequence: 0)).ToList();
    var store = new SignalTableStore(table, new SignalTableStoreOptions { CacheCapacity = Math.Max(4096, rowsPerBatch * batches) });
    await MeasureAsync("cold", store, "0", coldBatches, rowsPerBatch, print).ConfigureAwait(false);

    var warmBatches = Enumerable.Range(0, batches).Select(b => Batch(b, rowsPerBatch, firstSequence: 1_000_000)).ToList();
    await MeasureAsync("warm", store, "0", warmBatches, rowsPerBatch, print).ConfigureAwait(false);

    await MeasureAsync("replay", new SignalTableStore(table), "0", warmBatches, rowsPerBatch, print).ConfigureAwait(false);

    // Two writers, two partitions, the same rows: every row sees both, so ETag conflicts happen and are redone.
    var writerA = new SignalTableStore(table);
    var writerB = new SignalTableStore(table);
    var raceA = Enumerable.Range(0, batches).Select(b => Batch(b, rowsPerBatch, firstSequence: 2_000_000)).ToList();
    var raceB = Enumerable.Range(0, batches).Select(b => Batch(b, rowsPerBatch, firstSequence: 2_000_000)).ToList();
    var clock = Stopwatch.StartNew();
    var results = await Task.WhenAll(
        Task.Run(() => ApplyAllAsync(writerA, "1", raceA)),
        Task.Run(() => ApplyAllAsync(writerB, "2", raceB))).ConfigureAwait(false);
    clock.Stop();
    if (print)
    {
        int written = results.Sum(r => r.RowsWritten);
        Print(rowsPerBatch, "race x2", batches * 2, written, clock.Elapsed, results.Sum(r => r.Reads), results.Sum(r => r.Conflicts));
    }

    await table.DeleteAsync().ConfigureAwait(false);
}

static async Task MeasureAsync(string scenario, SignalTableStore store, string partition, List<List<(SignalKey, SequencedContribution)>> batches, int rowsPerBatch, bool print)
{
    var clock = Stopwatch.StartNew();
    SignalWriteResult total = await ApplyAllAsync(store, partition, batches).ConfigureAwait(false);
    clock.Stop();
    if (print)
    {
        int rows = scenario == "replay" ? total.RowsAlreadyApplied : total.RowsWritten;
        Print(rowsPerBatch, scenario, batches.Count, rows, clock.Elapsed, total.Reads, total.Conflicts);
    }
}

static async Task<SignalWriteResult> ApplyAllAsync(SignalTableStore store, string partition, List<List<(SignalKey, SequencedContribution)>> batches)
{
    var total = SignalWriteResult.None;
    foreach (var batch in batches)
    {
        var r = await store.ApplyAsync(partition, batch).ConfigureAwait(false);
        total = new SignalWriteResult(
            total.RowsTouched + r.RowsTouched, total.RowsWritten + r.RowsWritten, total.RowsAlreadyApplied + r.RowsAlreadyApplied,
            total.ContributionsApplied + r.ContributionsApplied, total.ContributionsSkipped + r.ContributionsSkipped,
            total.Reads + r.Reads, total.Conflicts + r.Conflicts, total.WriteRequests + r.WriteRequests);
    }

    return total;
}

static void Print(int rowsPerBatch, string scenario, int batches, int rows, TimeSpan elapsed, int reads, int conflicts) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{rowsPerBatch,10}  {scenario,-8}  {batches,7}  {rows,8}  {elapsed.TotalSeconds,7:F2}  {rows / elapsed.TotalSeconds,8:F0}  {elapsed.TotalMilliseconds / batches,8:F1}  {reads,5}  {conflicts,9}"));

// One batch touching `rows` distinct rows: procedure P{b}, month/quarter/all × national/trusts/devices, 3 events per row.
static List<(SignalKey, SequencedContribution)> Batch(int batchIndex, int rows, long firstSequence)
{
    var pairs = new List<(SignalKey, SequencedContribution)>(rows * 3);
    string procedure = "B" + (batchIndex % 100).ToString("D2", CultureInfo.InvariantCulture) + "." + (batchIndex / 100 % 10).ToString(CultureInfo.InvariantCulture);
    var date = new DateOnly(2026, 3, 1 + (batchIndex % 28));
    var random = new Random(batchIndex);
    long sequence = firstSequence;
    for (int r = 0; r < rows; r++)
    {
        var scope = r == 0 ? SignalScope.National : SignalScope.Device((10_000_000_000_000 + r).ToString(CultureInfo.InvariantCulture));
        var key = SignalKey.Create(procedure, SignalPeriod.Month(2026, 3), scope);
        for (int e = 0; e < 3; e++)
        {
            SignalContribution contribution = e == 2
                ? new AdverseEventContribution(AdverseEventFacts.Serious | AdverseEventFacts.DeviceRelated, ["A0101", "E0102"])
                : new ProcedureContribution(date, (ProcedureFacts)random.Next(16));
            pairs.Add((key, new SequencedContribution(sequence++, contribution)));
        }
    }

    return pairs;
}

int? ArgValue(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : null;
}

static string FindRepositoryRoot()
{
    foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SafetySurveillance.sln")))
            {
                return dir.FullName;
            }
        }
    }

    throw new InvalidOperationException("Run from inside the repository (SafetySurveillance.sln not found).");
}
