using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SafetySurveillance.Benchmarks.Pipeline.Stack;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Invocation;
using SafetySurveillance.Domain.Ingestion;
using SafetySurveillance.Domain.Pseudonymisation;
using SafetySurveillance.Functions.IngestSafetyEvents;
using SafetySurveillance.LocalServices.Azurite;
using SafetySurveillance.Simulator.Generation;
using SafetySurveillance.Storage.DeadLetters;
using SafetySurveillance.Storage.Ledger;
using SafetySurveillance.Storage.Signals;

namespace SafetySurveillance.Benchmarks.Pipeline.InProcess;

/// <summary>
/// <c>--in-process</c>: the function app's ingestion in this process against a real Azurite, without the emulator and
/// DevHost, so the CPU per event of each side can be measured without their noise. The stream is dealt to partitions
/// (trusts round-robin, as in <see cref="Measurement.ExpectedProgress.RowWritesPerEvent"/>), cut into trigger batches,
/// and each batch is encoded as DevHost encodes it (<see cref="EventHubsTriggerBatch.ToInvocationRequest"/> serialised as
/// <c>FunctionInvoker</c> sends it) and handed to <see cref="IngestSafetyEventsFunction.InvokeAsync"/> with the answer
/// written out, the partitions concurrently and each partition's batches in order, as DevHost's trigger does.
/// Prints CPU µs per event: encoding (DevHost's share), the function app's invocations, and Azurite.
/// </summary>
internal static class InProcessIngestion
{
    public static async Task<int> RunAsync(BenchmarkOptions options, SimulationRun run, string repositoryRoot, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var data = Directory.CreateTempSubdirectory("bench-inprocess-").FullName;
        try
        {
            await using var azurite = await AzuriteInstance.StartAsync(
                new AzuriteOptions { NodeModulesDirectory = Path.Combine(repositoryRoot, "node_modules"), DataDirectory = data, InMemory = options.AzuriteInMemory },
                cancellationToken).ConfigureAwait(false);
            var requests = new RequestCounter();
            var tableOptions = new TableClientOptions();
            tableOptions.AddPolicy(requests, HttpPipelinePosition.PerCall);
            var blobOptions = new BlobClientOptions();
            blobOptions.AddPolicy(requests, HttpPipelinePosition.PerCall);
            var tables = new TableServiceClient(azurite.ConnectionString, tableOptions);
            var blobs = new BlobServiceClient(azurite.ConnectionString, blobOptions);
            var ingestion = await CreateIngestionAsync(tables, blobs, cancellationToken).ConfigureAwait(false);
            var services = new ServiceCollection().AddLogging().BuildServiceProvider();

            // The batches each partition's trigger would deliver.
            var trusts = run.Events.Select(e => e.TrustOds).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var partitionOf = trusts.Select((ods, i) => (ods, i % options.Partitions)).ToDictionary(t => t.ods, t => t.Item2, StringComparer.Ordinal);
            var enqueued = run.Now;
            var partitions = Enumerable.Range(0, options.Partitions).Select(p =>
            {
                var events = run.Events.Where(e => partitionOf[e.TrustOds] == p).ToList();
                return events.Select((e, sequence) => new EventHubsTriggerEvent(
                        e.Body,
                        sequence,
                        (sequence * 1000L).ToString(inv),
                        enqueued,
                        null,
                        new Dictionary<string, JsonElement>(),
                        SystemProperties(sequence, enqueued, e.TrustOds)))
                    .Chunk(options.TriggerBatch)
                    .Select(chunk => new EventHubsTriggerBatch(new EventHubsPartitionContext("localhost", "safety-events", "$Default", p.ToString(inv)), chunk))
                    .ToList();
            }).ToList();

            // Encoding, as DevHost does for every invocation (single thread, CPU time of this thread; the second pass, so
            // that the JIT's first compilations are not counted).
            var encoded = partitions.Select(batches => batches.Select(Encode).ToList()).ToList();
            var encodeAllocated = GC.GetAllocatedBytesForCurrentThread();
            var encodeStart = ThreadCpu.Now();
            encoded = [.. partitions.Select(batches => batches.Select(Encode).ToList())];
            var encodeSeconds = ThreadCpu.Now() - encodeStart;
            encodeAllocated = GC.GetAllocatedBytesForCurrentThread() - encodeAllocated;
            var totalEvents = run.Events.Count;
            var bytes = encoded.Sum(p => p.Sum(b => (long)b.Length));
            Console.WriteLine(string.Create(inv, $"in-process: {totalEvents} events, {options.Partitions} partitions, trigger batches of {options.TriggerBatch}, {encoded.Sum(p => p.Count)} invocations, {bytes / (double)totalEvents:F0} B of invocation JSON per event, Azurite {(options.AzuriteInMemory ? "in memory" : "on disk")}"));
            Console.WriteLine(string.Create(inv, $"encode (DevHost's ToInvocationRequest + serialise): {encodeSeconds * 1e6 / totalEvents:F1} µs CPU per event (one thread), {encodeAllocated / (double)totalEvents:F0} B allocated per event"));

            // The storage-free phases of an invocation, one thread, CPU time per phase (after two unmeasured passes).
            PrintPhases(encoded[0]);
            PrintRowOverlap(partitions);

            // Warm-up: the first batches of every partition until --warmup events are in.
            var warmBatches = 0;
            for (var seen = 0; seen < options.Warmup && warmBatches < encoded.Max(p => p.Count); warmBatches++)
            {
                seen += partitions.Sum(p => warmBatches < p.Count ? p[warmBatches].Events.Count : 0);
            }

            var warmEvents = partitions.Sum(p => p.Take(warmBatches).Sum(b => b.Events.Count));
            await InvokeAllAsync(ingestion, services, encoded, 0, warmBatches, null, cancellationToken).ConfigureAwait(false);

            Console.WriteLine(string.Create(inv, $"warm-up done ({warmEvents} events); measuring, Azurite pid {azurite.ProcessId}"));
            var summaries = new List<JsonElement>();
            var process = Process.GetCurrentProcess();
            var appBefore = process.TotalProcessorTime;
            var azuriteBefore = ProcFs.CpuTicks(azurite.ProcessId) ?? 0;
            requests.Reset();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var wall = Stopwatch.StartNew();
            await InvokeAllAsync(ingestion, services, encoded, warmBatches, int.MaxValue, summaries, cancellationToken).ConfigureAwait(false);
            wall.Stop();
            process.Refresh();
            var appSeconds = (process.TotalProcessorTime - appBefore).TotalSeconds;
            var azuriteSeconds = ((ProcFs.CpuTicks(azurite.ProcessId) ?? 0) - azuriteBefore) / ProcFs.TicksPerSecond;
            var measured = totalEvents - warmEvents;

            int Sum(string name) => summaries.Sum(s => s.TryGetProperty(name, out var v) ? v.GetInt32() : 0);
            var invocations = summaries.Count;
            Console.WriteLine(string.Create(inv, $"measured: {measured} events after a warm-up of {warmEvents}, {invocations} invocations, {wall.Elapsed.TotalSeconds:F1} s wall ({measured / wall.Elapsed.TotalSeconds:F0} events/s), load average {ProcFs.LoadAverage()}"));
            if (Sum("Rejected") > 0)
            {
                Console.Error.WriteLine(string.Create(inv, $"{Sum("Rejected")} events were rejected (the stream has no malformed events): the figures would mean nothing"));
                return 1;
            }

            Console.WriteLine(string.Create(inv, $"per invocation: {Sum("RowsWritten") / (double)invocations:F0} signal rows written in {Sum("SignalWriteRequests") / (double)invocations:F1} write requests, {Sum("SignalReads") / (double)invocations:F1} reads, {Sum("SignalConflicts") / (double)invocations:F1} conflicts"));
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            Console.WriteLine(string.Create(inv, $"function app allocations: {allocated / (double)measured:F0} B per event; GCs gen0 {GC.CollectionCount(0) - gcBefore.Item1}, gen1 {GC.CollectionCount(1) - gcBefore.Item2}, gen2 {GC.CollectionCount(2) - gcBefore.Item3}"));
            Console.WriteLine(string.Create(inv, $"Azurite requests per 1000 events: {string.Join(", ", requests.Counts().Select(c => $"{c.Kind} {c.Count * 1000.0 / measured:F1}"))}"));
            Console.WriteLine(string.Create(inv, $"CPU µs per event: function app (invocations, this process) {appSeconds * 1e6 / measured:F0}; Azurite {azuriteSeconds * 1e6 / measured:F0}; both {(appSeconds + azuriteSeconds) * 1e6 / measured:F0}"));
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // Left in the temp folder.
            }
        }
    }

    /// <summary>
    /// Runs the storage-free phases of IngestSafetyEvents over one partition's batches, on this thread, and prints CPU µs
    /// per event of each: decode (invocation JSON → events), screen, aggregate (fresh trust states carried across the
    /// batches), and rows (group by row, apply to an empty row, flatten to table properties — what the store does before
    /// the Table SDK serialises the entities).
    /// </summary>
    private static void PrintPhases(List<byte[]> batches)
    {
        var inv = CultureInfo.InvariantCulture;
        var keyOptions = new PseudonymisationOptions { KeyId = "bench", Key = Convert.ToBase64String(new byte[32]) };
        var pseudonymiser = new Pseudonymiser(keyOptions);
        var rules = new IngestionRules();
        var phases = new double[4];
        var allocated = new long[4];
        var events = 0;
        for (var pass = 0; pass < 3; pass++)
        {
            Array.Clear(phases);
            Array.Clear(allocated);
            events = 0;
            var states = new Dictionary<string, TrustRegistryState>(StringComparer.Ordinal);
            foreach (var body in batches)
            {
                var a0 = GC.GetAllocatedBytesForCurrentThread();
                var t0 = ThreadCpu.Now();
                EventHubsTriggerBatch batch;
                using (var request = JsonDocument.Parse(body))
                {
                    batch = EventHubsTriggerBatch.Read(request.RootElement, IngestSafetyEventsFunction.BodyEncoding, IngestSafetyEventsFunction.BindingName);
                }

                var incoming = IngestSafetyEventsFunction.ToIncomingEvents(batch, int.Parse(batch.PartitionContext.PartitionId, inv));
                var t1 = ThreadCpu.Now();
                var a1 = GC.GetAllocatedBytesForCurrentThread();
                var screened = BatchIngestion.Screen(incoming, rules);
                var t2 = ThreadCpu.Now();
                var a2 = GC.GetAllocatedBytesForCurrentThread();
                var aggregated = BatchIngestion.Aggregate(screened, pseudonymiser, ods => states.TryGetValue(ods, out var s) ? s : states[ods] = new TrustRegistryState());
                foreach (var state in states.Values)
                {
                    state.TakePending();
                }

                var t3 = ThreadCpu.Now();
                var a3 = GC.GetAllocatedBytesForCurrentThread();
                var properties = 0;
                foreach (var row in aggregated.Contributions.GroupBy(c => c.Key, c => c.Contribution))
                {
                    var signalRow = new Domain.Signals.SignalRow();
                    signalRow.Apply(batch.PartitionContext.PartitionId, row.ToArray());
                    properties += Domain.Signals.SignalRowProperties.ToProperties(signalRow).Count;
                }

                var t4 = ThreadCpu.Now();
                var a4 = GC.GetAllocatedBytesForCurrentThread();
                if (properties == 0)
                {
                    throw new InvalidOperationException("No row properties: the phases measured nothing.");
                }

                phases[0] += t1 - t0;
                phases[1] += t2 - t1;
                phases[2] += t3 - t2;
                phases[3] += t4 - t3;
                allocated[0] += a1 - a0;
                allocated[1] += a2 - a1;
                allocated[2] += a3 - a2;
                allocated[3] += a4 - a3;
                events += incoming.Count;
            }
        }

        Console.WriteLine(string.Create(inv,
            $"storage-free phases, one thread, {events} events of one partition: CPU µs per event decode {phases[0] * 1e6 / events:F1}, screen {phases[1] * 1e6 / events:F1}, aggregate {phases[2] * 1e6 / events:F1}, rows {phases[3] * 1e6 / events:F1}; total {phases.Sum() * 1e6 / events:F1}; allocated B per event {string.Join(" / ", allocated.Select(a => (a / (double)events).ToString("F0", inv)))}"));
    }

    /// <summary>
    /// Rows touched per batch by scope, and how many of them the same-numbered batches of the other partitions touch too
    /// (the writes one combined write per row across partitions would save).
    /// </summary>
    private static void PrintRowOverlap(List<List<EventHubsTriggerBatch>> partitions)
    {
        var keyOptions = new PseudonymisationOptions { KeyId = "bench", Key = Convert.ToBase64String(new byte[32]) };
        var pseudonymiser = new Pseudonymiser(keyOptions);
        var states = new Dictionary<string, TrustRegistryState>(StringComparer.Ordinal);
        var rounds = partitions.Min(p => p.Count);
        long separate = 0, combined = 0;
        var byScope = new Dictionary<Domain.Signals.SignalScopeKind, long>();
        for (var b = 0; b < rounds; b++)
        {
            var union = new HashSet<Domain.Signals.SignalKey>();
            for (var p = 0; p < partitions.Count; p++)
            {
                var batch = partitions[p][b];
                var incoming = IngestSafetyEventsFunction.ToIncomingEvents(batch, p);
                var aggregated = BatchIngestion.Aggregate(BatchIngestion.Screen(incoming, new IngestionRules()), pseudonymiser, ods => states.TryGetValue(ods, out var s) ? s : states[ods] = new TrustRegistryState());
                var keys = aggregated.Contributions.Select(c => c.Key).ToHashSet();
                separate += keys.Count;
                union.UnionWith(keys);
                foreach (var key in keys)
                {
                    byScope[key.Scope.Kind] = byScope.GetValueOrDefault(key.Scope.Kind) + 1;
                }
            }

            combined += union.Count;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rows per batch: {separate / (double)(rounds * partitions.Count):F0} ({string.Join(", ", byScope.OrderBy(e => e.Key).Select(e => $"{e.Key} {e.Value / (double)(rounds * partitions.Count):F0}"))}); one write per row for the {partitions.Count} partitions' batches together would write {combined / (double)separate:P0} of the rows"));
    }

    /// <summary>Counts the storage requests the function app makes, by kind (method, table or container, point or query).</summary>
    private sealed class RequestCounter : HttpPipelinePolicy
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

        public void Reset() => _counts.Clear();

        public IEnumerable<(string Kind, int Count)> Counts() => _counts.OrderByDescending(c => c.Value).Select(c => (c.Key, c.Value));

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Count(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Count(message);
            return ProcessNextAsync(message, pipeline);
        }

        private void Count(HttpMessage message)
        {
            var path = message.Request.Uri.Path;
            var resource = path[(path.IndexOf('/', 1) + 1)..];
            var paren = resource.IndexOf('(', StringComparison.Ordinal);
            var kind = paren < 0 ? resource : resource[..paren] + (resource.Length > paren + 2 ? " point" : " query");
            _counts.AddOrUpdate($"{message.Request.Method} {kind}", 1, (_, n) => n + 1);
        }
    }

    /// <summary>As DevHost does: the trigger batch as the host encodes it, written as FunctionInvoker sends it.</summary>
    private static byte[] Encode(EventHubsTriggerBatch batch)
    {
        var request = batch.ToInvocationRequest(IngestSafetyEventsFunction.BodyEncoding, IngestSafetyEventsFunction.BindingName);
        var size = 64 + request.Data.Concat(request.Metadata).Sum(v => v.Key.Length + 8 + System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(v.Value).Length);
        var body = new System.Buffers.ArrayBufferWriter<byte>(size);
        using (var writer = new Utf8JsonWriter(body))
        {
            request.WriteTo(writer);
        }

        return body.WrittenMemory.Length == body.Capacity ? body.WrittenMemory.ToArray() : body.WrittenSpan.ToArray();
    }

    private static Dictionary<string, JsonElement> SystemProperties(long sequence, DateTimeOffset enqueued, string publisher) => new(StringComparer.Ordinal)
    {
        ["x-opt-sequence-number"] = JsonSerializer.SerializeToElement(sequence),
        ["x-opt-offset"] = JsonSerializer.SerializeToElement((sequence * 1000).ToString(CultureInfo.InvariantCulture)),
        ["x-opt-enqueued-time"] = JsonSerializer.SerializeToElement(enqueued),
        ["x-opt-publisher"] = JsonSerializer.SerializeToElement(publisher),
        ["content-type"] = JsonSerializer.SerializeToElement("application/cloudevents+json"),
    };

    private static async Task<SafetyEventIngestion> CreateIngestionAsync(TableServiceClient tables, BlobServiceClient blobs, CancellationToken cancellationToken)
    {
        foreach (var table in new[] { SignalTableStore.TableName, TableEventLedger.TableName, DeadLetterStore.TableName })
        {
            await tables.CreateTableIfNotExistsAsync(table, cancellationToken).ConfigureAwait(false);
        }

        var payloads = blobs.GetBlobContainerClient(DeadLetterStore.ContainerName);
        await payloads.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var keyOptions = new PseudonymisationOptions { KeyId = "bench", Key = Convert.ToBase64String(new byte[32]) };
        return new SafetyEventIngestion(
            new Pseudonymiser(keyOptions),
            new TableEventLedger(tables.GetTableClient(TableEventLedger.TableName)),
            new SignalTableStore(tables.GetTableClient(SignalTableStore.TableName)),
            new DeadLetterStore(tables.GetTableClient(DeadLetterStore.TableName), payloads, new PayloadProtector(keyOptions)),
            new IngestionRules(),
            NullLogger<SafetyEventIngestion>.Instance);
    }

    /// <summary>Invokes batches [from, to) of every partition: partitions concurrently, each partition's batches in order.</summary>
    private static async Task InvokeAllAsync(SafetyEventIngestion ingestion, IServiceProvider services, List<List<byte[]>> encoded, int from, int to, List<JsonElement>? summaries, CancellationToken cancellationToken)
    {
        var gate = new Lock();
        await Task.WhenAll(encoded.Select(batches => Task.Run(
            async () =>
            {
                for (var b = from; b < Math.Min(to, batches.Count); b++)
                {
                    var summary = await InvokeAsync(ingestion, services, batches[b], cancellationToken).ConfigureAwait(false);
                    if (summaries is not null)
                    {
                        lock (gate)
                        {
                            summaries.Add(summary);
                        }
                    }
                }
            },
            cancellationToken))).ConfigureAwait(false);
    }

    private static async Task<JsonElement> InvokeAsync(SafetyEventIngestion ingestion, IServiceProvider services, byte[] body, CancellationToken cancellationToken)
    {
        var context = new DefaultHttpContext { RequestServices = services, RequestAborted = cancellationToken };
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(body, writable: false);
        using var response = new MemoryStream();
        context.Response.Body = response;
        var result = await IngestSafetyEventsFunction.InvokeAsync(context, ingestion).ConfigureAwait(false);
        await result.ExecuteAsync(context).ConfigureAwait(false);
        if (context.Response.StatusCode != StatusCodes.Status200OK)
        {
            throw new InvalidOperationException($"The invocation answered {context.Response.StatusCode}: {System.Text.Encoding.UTF8.GetString(response.ToArray())}");
        }

        using var answer = JsonDocument.Parse(response.ToArray());
        return answer.RootElement.GetProperty("ReturnValue").Clone();
    }
}
