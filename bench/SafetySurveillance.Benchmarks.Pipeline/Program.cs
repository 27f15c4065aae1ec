using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using SafetySurveillance.Benchmarks.Pipeline;
using SafetySurveillance.Benchmarks.Pipeline.InProcess;
using SafetySurveillance.Benchmarks.Pipeline.Measurement;
using SafetySurveillance.Benchmarks.Pipeline.Sending;
using SafetySurveillance.Benchmarks.Pipeline.Stack;
using SafetySurveillance.Simulator.Generation;

// End-to-end pipeline benchmark: simulated trusts → Event Hubs emulator (in DevHost) → DevHost's Event Hubs trigger →
// function app (IngestSafetyEvents) → Signals table in Azurite. Prints send rate, end-to-end events/s, per-event
// latency from send to signal row (p50/p90/p99), and RSS and CPU of each process. See docs/benchmarks.md.
// Build first: dotnet build -c Release (this project builds DevHost and the function app beside itself).
// Run:   dotnet run -c Release --project bench/SafetySurveillance.Benchmarks.Pipeline -- --events 60000 --trusts 20
// Steady state (JIT settled): add --warmup 30000 (those events are sent and drained before the measured window opens).
BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

var inv = CultureInfo.InvariantCulture;
var ownConfiguration = Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
var configuration = options.Configuration?.ToLowerInvariant() ?? ownConfiguration;
var binRoot = options.Artifacts is { } artifacts
    ? Path.GetFullPath(Path.Combine(artifacts, "bin"))
    : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", ".."));
var devHostDll = Path.Combine(binRoot, "SafetySurveillance.DevHost", configuration, "SafetySurveillance.DevHost.dll");
var appPath = Path.Combine(binRoot, "SafetySurveillance.Functions", configuration);
if (!File.Exists(devHostDll) || !File.Exists(Path.Combine(appPath, "host.json")))
{
    Console.Error.WriteLine($"DevHost or the function app is not built: looked for {devHostDll} and {appPath}/host.json. Build first: dotnet build -c Release (or pass --artifacts <root> --configuration <config>).");
    return 2;
}

var repositoryRoot = FindRepositoryRoot();
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

Console.WriteLine(string.Create(inv, $"Pipeline benchmark: {options.Events} events, {options.Trusts} trusts, {options.Senders} senders × {options.SendBatch} events per send, rate {(options.Rate == 0 ? "unpaced" : options.Rate + " events/s")}, {options.Partitions} partitions, {Environment.ProcessorCount} cores"));
Console.WriteLine($"DevHost {devHostDll}\nfunction app {appPath} ({configuration})");
Console.WriteLine($"host.json Event Hubs trigger: {EventHubsSettings(appPath)}");
var loadBefore = ProcFs.LoadAverage();
Console.WriteLine("load average before: " + loadBefore);

// 1. The stream and what the rows must show after each event (all in memory before any timing starts).
var generated = Stopwatch.StartNew();
var run = new SafetyEventGenerator(TimeProvider.System).Generate(new SimulationOptions
{
    Seed = options.Seed,
    TrustCount = options.Trusts,
    EventCount = options.Events,
    MalformedFraction = 0,
    DuplicateFraction = 0,
});
var expected = ExpectedProgress.Build(run);
var byType = string.Join(", ", run.Events.GroupBy(e => e.Type).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key.Split('.')[^2]} {g.Count()}"));
Console.WriteLine(string.Create(inv, $"generated {run.Events.Count} events ({byType}), mean body {run.Events.Average(e => e.Body.Length):F0} B, in {generated.Elapsed.TotalSeconds:F1} s"));
if (options.InProcess)
{
    return await InProcessIngestion.RunAsync(options, run, repositoryRoot, cancel.Token).ConfigureAwait(false);
}

// 2. The stack.
Console.WriteLine("starting DevHost (Azurite, emulator, function app)…");
await using var stack = await DevHostStack.StartAsync(devHostDll, appPath, repositoryRoot, options.Partitions, cancel.Token).ConfigureAwait(false);
Console.WriteLine($"ready: storage tables {stack.Endpoints.AzuriteTablePort}, event hubs {stack.Endpoints.EventHubs.Split(';')[0]}");

var sampler = new ProcessSampler(
[
    new WatchedProcess("DevHost (+ emulator)", () => stack.DevHostProcessId),
    new WatchedProcess("function app", stack.FindFunctionAppProcessId),
    new WatchedProcess("Azurite", stack.FindAzuriteProcessId),
    new WatchedProcess("benchmark (senders + poller)", () => Environment.ProcessId),
]);
using var stopSampling = new CancellationTokenSource();
var sampling = sampler.RunAsync(TimeSpan.FromMilliseconds(500), stopSampling.Token);
var progress = new RowProgress(new TableClient(stack.Endpoints.Storage, "Signals"), expected);

// Warm-up (optional): the first --warmup events of the stream, sent and drained before the window opens.
var warm = expected.Trusts.Values.ToDictionary(t => t.Ods, t => t.Events.Count(e => e.Sequence < options.Warmup), StringComparer.Ordinal);
if (options.Warmup > 0)
{
    Console.WriteLine(string.Create(inv, $"warm-up: sending the first {options.Warmup} events and waiting for their rows…"));
    var warmSent = await ConcurrentSenders.SendAsync(stack.Endpoints.EventHubs, expected, progress, options.Senders, options.SendBatch, options.Rate, t => (0, warm[t.Ods]), cancel.Token).ConfigureAwait(false);
    using var warmTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
    warmTimeout.CancelAfter(TimeSpan.FromSeconds(options.DrainTimeoutSeconds));
    await progress.RunAsync(TimeSpan.FromMilliseconds(options.PollMilliseconds), () => progress.Reached(t => warm[t.Ods]), warmTimeout.Token).ConfigureAwait(false);
    if (!progress.Reached(t => warm[t.Ods]))
    {
        Console.Error.WriteLine($"the warm-up events did not all reach the Signals table: {progress.Shortfall()}\n--- DevHost output ---\n{stack.RecentOutput}");
        return 1;
    }

    Console.WriteLine(string.Create(inv, $"warm-up done: {warmSent.Events} events in; measuring the remaining {run.Events.Count - warmSent.Events}"));
    progress.ResetLatencies();
}

var warmIn = progress.EventsIn;
using var stopPolling = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
sampler.StartWindow();
var polling = Task.Run(() => progress.RunAsync(TimeSpan.FromMilliseconds(options.PollMilliseconds), stopPolling.Token), cancel.Token);
var sending = ConcurrentSenders.SendAsync(stack.Endpoints.EventHubs, expected, progress, options.Senders, options.SendBatch, options.Rate, t => (warm[t.Ods], t.Events.Count), cancel.Token);
var reporter = ReportAsync(sending, polling, progress, run.Events.Count, cancel.Token);

SendFigures sent;
try
{
    sent = await sending.ConfigureAwait(false);
}
catch (Exception ex) when (ex is not OperationCanceledException)
{
    Console.Error.WriteLine($"sending failed: {ex.Message}\n--- DevHost output ---\n{stack.RecentOutput}");
    return 1;
}

Console.WriteLine(string.Create(inv, $"sent {sent.Events} events in {sent.Calls} calls, {sent.Seconds:F1} s; waiting up to {options.DrainTimeoutSeconds} s for the rows…"));
stopPolling.CancelAfter(TimeSpan.FromSeconds(options.DrainTimeoutSeconds));
await polling.ConfigureAwait(false);
sampler.EndWindow();
await reporter.ConfigureAwait(false);
await stopSampling.CancelAsync().ConfigureAwait(false);
await sampling.ConfigureAwait(false);

// 3. Figures (the measured part: everything after the warm-up).
var timeline = progress.Timeline;
var total = run.Events.Count;
var measured = total - warmIn;
var lastChange = timeline.Count == 0 ? sent.StartedAt : timeline.FirstOrDefault(p => p.EventsIn == timeline[^1].EventsIn).At;
var eventsIn = progress.EventsIn;
var measuredIn = eventsIn - warmIn;
var endToEndSeconds = Stopwatch.GetElapsedTime(sent.StartedAt, lastChange).TotalSeconds;
var (p10, p90) = (At(timeline, warmIn + (measured / 10)), At(timeline, warmIn + (measured * 9 / 10)));
var latencies = progress.Latencies.Order().ToArray();

Console.WriteLine();
Console.WriteLine("== results ==");
Console.WriteLine(string.Create(inv, $"load average before: {loadBefore}; after: {ProcFs.LoadAverage()} ({Environment.ProcessorCount} cores; other work on the machine slows every figure)"));
if (warmIn > 0)
{
    Console.WriteLine(string.Create(inv, $"warm-up: {warmIn} events before the window (not counted below)"));
}

Console.WriteLine("measure                                   value");
Row("events sent", sent.Events.ToString(inv));
Row("send rate (events/s)", (sent.Events / sent.Seconds).ToString("F0", inv) + string.Create(inv, $"  ({sent.Seconds:F1} s)"));
Row("events in the Signals table", string.Create(inv, $"{eventsIn} of {total}{(progress.AllIn ? "" : "  INCOMPLETE: " + progress.Shortfall())}"));
Row("end-to-end throughput (events/s)", string.Create(inv, $"{measuredIn / endToEndSeconds:F0}  (first send → last row change, {endToEndSeconds:F1} s)"));
Row("sustained throughput 10%→90% (events/s)", p10 is { } a && p90 is { } b && b > a
    ? string.Create(inv, $"{(measured * 9 / 10 - measured / 10) / Stopwatch.GetElapsedTime(a, b).TotalSeconds:F0}")
    : "n/a (did not reach 90%)");
Row("latency send → row, p50 (ms)", Percentile(latencies, 0.50));
Row("latency send → row, p90 (ms)", Percentile(latencies, 0.90));
Row("latency send → row, p99 (ms)", Percentile(latencies, 0.99));
Row("latency send → row, max (ms)", latencies.Length == 0 ? "n/a" : latencies[^1].ToString("F0", inv));
Row("latency samples (events)", string.Create(inv, $"{latencies.Length}, poll every {options.PollMilliseconds} ms ({progress.Polls} polls, {progress.FailedPolls} failed)"));
Console.WriteLine();

// CPU per event is the figure that survives a busy machine: the work each process does per event, whatever the wall clock.
var figures = sampler.Figures();
var perEvent = measuredIn > 0 ? 1e6 / measuredIn : 0;
Console.WriteLine("process                         pid      RSS max MB  RSS final MB  CPU s    CPU %   CPU µs/event  (CPU % of one core, avg over the window)");
foreach (var p in figures)
{
    Console.WriteLine(string.Create(inv, $"{p.Name,-31} {p.ProcessId,-8} {p.MaxRssKib / 1024.0,10:F0}  {p.FinalRssKib / 1024.0,12:F0}  {p.CpuSeconds,6:F1}  {p.CpuPercent,6:F0}  {p.CpuSeconds * perEvent,12:F0}"));
}

var pipelineCpu = figures.Where(p => !p.Name.StartsWith("benchmark", StringComparison.Ordinal)).Sum(p => p.CpuSeconds);
Console.WriteLine(string.Create(inv, $"{"pipeline (DevHost + app + Azurite)",-31} {"",-8} {"",10}  {"",12}  {pipelineCpu,6:F1}  {"",6}  {pipelineCpu * perEvent,12:F0}"));
Console.WriteLine(string.Create(inv, $"CPU budget for 20,000 events/s on {Environment.ProcessorCount} cores: {Environment.ProcessorCount * 1e6 / 20_000:F0} µs per event for all processes together (senders included); this CPU cost caps the pipeline at ~{(pipelineCpu > 0 ? Environment.ProcessorCount * measuredIn / pipelineCpu : 0):F0} events/s on {Environment.ProcessorCount} idle cores"));

Console.WriteLine();
Console.WriteLine("DevHost's last status: " + (stack.LastStatusLine ?? "(none printed)"));
foreach (var line in stack.RecentOutput.Split('\n').Where(l => l.Contains("signal rows written", StringComparison.Ordinal)).TakeLast(4))
{
    Console.WriteLine("  last invocations: " + line.Trim());
}

Console.WriteLine(string.Create(inv, $"signal-row writes per event (estimated from the stream, {options.Partitions} partitions): {expected.RowWritesPerEvent(MaxEventBatchSize(appPath), options.Partitions):F2} at maxEventBatchSize {MaxEventBatchSize(appPath)}; at other sizes: {string.Join(", ", new[] { 100, 1000, 2000, 5000, 10_000 }.Select(size => string.Create(inv, $"{expected.RowWritesPerEvent(size, options.Partitions):F3} at {size}")))}; plus one ledger transaction per trust per batch"));
Console.WriteLine(string.Create(inv, $"measured window: {figures[0].WindowSeconds:F1} s (first measured send → all rows in); 200% = both cores busy"));
return progress.AllIn ? 0 : 1;

static void Row(string name, string value) => Console.WriteLine($"{name,-41} {value}");

static string Percentile(double[] sorted, double q) =>
    sorted.Length == 0 ? "n/a" : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)].ToString("F0", CultureInfo.InvariantCulture);

static long? At(IReadOnlyList<(long At, int EventsIn)> timeline, int events) =>
    timeline.Where(p => p.EventsIn >= events).Select(p => (long?)p.At).FirstOrDefault();

static async Task ReportAsync(Task sending, Task polling, RowProgress progress, int total, CancellationToken cancellationToken)
{
    var started = Stopwatch.GetTimestamp();
    while (!polling.IsCompleted)
    {
        await Task.WhenAny(polling, Task.Delay(5000, cancellationToken)).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  t={Stopwatch.GetElapsedTime(started).TotalSeconds,5:F0} s  sending {(sending.IsCompleted ? "done" : "…")}  in the Signals table {progress.EventsIn}/{total}  load {ProcFs.LoadAverage()}"));
    }
}

static string EventHubsSettings(string appPath)
{
    using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(appPath, "host.json")));
    return host.RootElement.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("eventHubs", out var eventHubs)
        ? eventHubs.GetRawText().ReplaceLineEndings(" ")
        : "(none)";
}

static int MaxEventBatchSize(string appPath)
{
    using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(appPath, "host.json")));
    return host.RootElement.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("eventHubs", out var eventHubs)
        && eventHubs.TryGetProperty("maxEventBatchSize", out var size) ? size.GetInt32() : 100;
}

static string FindRepositoryRoot()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SafetySurveillance.sln")))
            {
                return dir.FullName;
            }
        }
    }

    return Directory.GetCurrentDirectory();
}
