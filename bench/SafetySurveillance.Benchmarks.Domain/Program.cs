using System.Diagnostics;
using System.Globalization;
using SafetySurveillance.Domain.Events;
using SafetySurveillance.Domain.Events.CloudEvents;
using SafetySurveillance.Domain.Ingestion;
using SafetySurveillance.Domain.Pseudonymisation;
using SafetySurveillance.Simulator.Generation;

// Events/s of the storage-free ingestion stages, single-threaded, on simulator events (valid only):
//   read        SafetyEventReader.Read of structured CloudEvents, per event type
//   pseudonymise Pseudonymiser.Pseudonymise of validated events (HMAC-SHA256 of the NHS number)
//   screen      BatchIngestion.Screen of a 1,000-event batch (read + validate + publisher check)
//   aggregate   BatchIngestion.Aggregate of that screened batch with fresh trust state (de-duplicate, pseudonymise, project)
// Each case: warm-up, then rounds of at least --round-ms (default 1000) each; the median round and the spread are printed,
// and the median CPU µs per event of the measuring thread (the figure to compare on a busy machine).
// Usage: dotnet run -c Release --project bench/SafetySurveillance.Benchmarks.Domain [-- --rounds 5 --round-ms 1000]
var inv = CultureInfo.InvariantCulture;
var rounds = Arg("--rounds") ?? 5;
var roundMs = Arg("--round-ms") ?? 1000;

var run = new SafetyEventGenerator(TimeProvider.System).Generate(new SimulationOptions
{
    Seed = 42,
    TrustCount = 20,
    EventCount = 20_000,
    MalformedFraction = 0,
    DuplicateFraction = 0,
});
var now = run.Now + TimeSpan.FromMinutes(5);
var noProperties = new Dictionary<string, object?>();
var pseudonymiser = new Pseudonymiser(new PseudonymisationOptions { KeyId = "bench", Key = Convert.ToBase64String(new byte[32]) });

Console.WriteLine(string.Create(inv, $"Domain ingestion stages, single thread, {Environment.ProcessorCount} cores, load average {LoadAverage()}, {rounds} rounds ≥ {roundMs} ms each"));
Console.WriteLine("case                                       events/round  events/s (median)  min–max events/s     CPU µs/event (median)");

foreach (var group in run.Events.GroupBy(e => e.Type).OrderBy(g => g.Key, StringComparer.Ordinal))
{
    var bodies = group.Select(e => e.Body).ToArray();
    Measure($"read {group.Key.Split('.')[^2]} (mean {bodies.Average(b => b.Length):F0} B)", bodies.Length, () =>
    {
        var valid = 0;
        foreach (var body in bodies)
        {
            valid += SafetyEventReader.Read(body, now).IsValid ? 1 : 0;
        }

        return valid;
    });
}

var validated = run.Events.Select(e => SafetyEventReader.Read(e.Body, now).Event!).ToArray();
Measure("pseudonymise (validated, all types)", validated.Length, () =>
{
    var n = 0;
    foreach (var e in validated)
    {
        n += pseudonymiser.Pseudonymise(e) is null ? 0 : 1;
    }

    return n;
});

var batch = run.Events.Take(1000).Select(e => new IncomingEvent(0, e.Sequence, run.Now,
    new AmqpCloudEventMessage("application/cloudevents+json", noProperties, e.Body), e.TrustOds)).ToList();
var rules = new IngestionRules();
Measure("screen, 1,000-event batch", batch.Count, () => BatchIngestion.Screen(batch, rules).Accepted.Count);
var screened = BatchIngestion.Screen(batch, rules);
Measure("aggregate, 1,000-event batch (fresh state)", batch.Count, () => BatchIngestion.Aggregate(screened, pseudonymiser, FreshState()).Counted);
Measure("screen + aggregate, 1,000-event batch", batch.Count, () => BatchIngestion.Aggregate(BatchIngestion.Screen(batch, rules), pseudonymiser, FreshState()).Counted);
Console.WriteLine("load average after: " + LoadAverage());
return 0;

static Func<string, TrustRegistryState> FreshState()
{
    var states = new Dictionary<string, TrustRegistryState>(StringComparer.Ordinal);
    return ods => states.TryGetValue(ods, out var s) ? s : states[ods] = new TrustRegistryState();
}

void Measure(string name, int eventsPerCall, Func<int> call)
{
    // Warm-up: tiered JIT reaches its optimised code after enough calls; run for about a second.
    var warm = Stopwatch.StartNew();
    var check = 0;
    while (warm.ElapsedMilliseconds < 1000)
    {
        check += call();
    }

    var rates = new List<double>();
    var cpu = new List<double>();
    for (var r = 0; r < rounds; r++)
    {
        long events = 0;
        var cpuStart = ThreadCpuSeconds();
        var watch = Stopwatch.StartNew();
        while (watch.ElapsedMilliseconds < roundMs)
        {
            check += call();
            events += eventsPerCall;
        }

        rates.Add(events / watch.Elapsed.TotalSeconds);
        cpu.Add((ThreadCpuSeconds() - cpuStart) * 1e6 / events);
    }

    if (check == 0)
    {
        throw new InvalidOperationException($"{name}: no event was valid; the figures would mean nothing.");
    }

    rates.Sort();
    cpu.Sort();
    Console.WriteLine(string.Create(inv, $"{name,-42} {eventsPerCall,12}  {rates[rates.Count / 2],17:N0}  {rates[0]:N0}–{rates[^1]:N0}  {cpu[cpu.Count / 2],12:F1}"));
}

int? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : null;
}

// CPU time of this thread (clock_gettime(CLOCK_THREAD_CPUTIME_ID)): unlike the wall clock, it hardly moves when other
// processes share the cores.
static double ThreadCpuSeconds()
{
    var time = default(TimeSpec);
    return ClockGetTime(3, ref time) == 0 ? time.Seconds + (time.Nanoseconds / 1e9) : double.NaN;
}

[System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
static extern int ClockGetTime(int clock, ref TimeSpec time);

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

internal struct TimeSpec
{
    public long Seconds;
    public long Nanoseconds;
}
