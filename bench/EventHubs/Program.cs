using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amqp;
using Amqp.Framing;
using Amqp.Sasl;
using Amqp.Types;
using SafetySurveillance.EventHubs;
using SafetySurveillance.EventHubs.Producer;

// Durable-ingest benchmark with 1 KB events against the emulator running as its own process (default flush
// policy: fsync before acknowledging, group commit). Prints events/s for our producer, the official JS producer,
// an AMQP consumer and the JS consumer, and the emulator's resident memory after each phase.
// Usage: dotnet run -c Release --project bench/EventHubs -- [seconds per producer run, default 10] [partitions, default 4]
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var partitions = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;
var hub = "bench";
var data = Path.Combine(Path.GetTempPath(), "eh-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(data);
var config = Path.Combine(data, "Config.json");
await File.WriteAllTextAsync(config, """
    {"UserConfig":{"NamespaceConfig":[{"Type":"EventHub","Name":"emulatorNs1","Entities":[{"Name":"HUB","PartitionCount":COUNT}]}],"LoggingConfig":{"Type":"Console"}}}
    """.Replace("HUB", hub, StringComparison.Ordinal).Replace("COUNT", partitions.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));

using var emulator = StartEmulator(Path.Combine(data, "logs"), config, out var port);
var connectionString = $"Endpoint=sb://localhost:{port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true";
Console.WriteLine($"emulator pid {emulator.Id} on port {port}; {partitions} partitions; 1 KB events; flush policy fsync; {Environment.ProcessorCount} cores");
Console.WriteLine($"emulator RSS at start: {RssMiB(emulator.Id):F0} MiB");

long total = 0;
var raw = await RawAmqpIngestAsync(port, hub, partitions, seconds);
total += raw.Events;
Report("Emulator ingest: raw AMQP batches, 4 in flight per partition", raw.Events, raw.Seconds, emulator.Id);

for (var round = 1; round <= 2; round++)
{
    var ours = await OurProducerAsync(connectionString, hub, seconds);
    total += ours.Events;
    Report($"C# producer (SafetySurveillance.EventHubs), round {round}", ours.Events, ours.Seconds, emulator.Id);

    var js = await JsProducerAsync(connectionString, hub, seconds);
    total += js.Events;
    Report($"JS producer (@azure/event-hubs 6.0.4), round {round}", js.Events, js.Seconds, emulator.Id);
}

var consumed = await AmqpConsumerAsync(port, hub, partitions, total);
Report("AMQP consumer (AMQPNetLite receivers, credit 2000)", consumed.Events, consumed.Seconds, emulator.Id);
var jsConsumed = await JsConsumerAsync(connectionString, hub, total);
Report("JS consumer (EventHubConsumerClient.subscribe)", jsConsumed.Events, jsConsumed.Seconds, emulator.Id);
var bytes = Directory.EnumerateFiles(Path.Combine(data, "logs"), "*.log", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
Console.WriteLine($"log on disk: {bytes / 1048576.0:F0} MiB for {total} events");

emulator.Kill();
await emulator.WaitForExitAsync();
Directory.Delete(data, recursive: true);
return 0;

static void Report(string name, long events, double elapsed, int pid) =>
    Console.WriteLine($"{name,-58} {events,10:N0} events in {elapsed,5:F1} s = {events / elapsed,9:N0} events/s   emulator RSS {RssMiB(pid):F0} MiB");

static double RssMiB(int pid)
{
    var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return line is null ? double.NaN : long.Parse(Regex.Match(line, @"\d+").Value, CultureInfo.InvariantCulture) / 1024.0;
}

static Process StartEmulator(string data, string config, out int port)
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
    foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "SafetySurveillance.EventHubs.Emulator.dll"), "--port", "0", "--health-port", "0", "--data", data, "--config", config])
    {
        start.ArgumentList.Add(argument);
    }

    var process = Process.Start(start)!;
    var line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the emulator did not start");
    port = int.Parse(Regex.Match(line, @"amqp=(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
    _ = process.StandardOutput.ReadToEndAsync();
    return process;
}

static async Task<(long Events, double Seconds)> OurProducerAsync(string connectionString, string hub, int seconds)
{
    await using var producer = new EventHubProducerClient(connectionString, hub);
    var ids = await producer.GetPartitionIdsAsync();
    var body = new byte[1024];
    Array.Fill(body, (byte)'x');
    long events = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(ids.Select(async id =>
    {
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            using var batch = await producer.CreateBatchAsync(new CreateBatchOptions { PartitionId = id });
            while (batch.TryAdd(new EventData(body)))
            {
            }

            await producer.SendAsync(batch);
            Interlocked.Add(ref events, batch.Count);
        }
    }));
    return (events, clock.Elapsed.TotalSeconds);
}

static async Task<(long Events, double Seconds)> JsProducerAsync(string connectionString, string hub, int seconds)
{
    var result = await RunNodeAsync("produce.mjs", connectionString, hub, seconds.ToString(CultureInfo.InvariantCulture));
    return (result["events"]!.GetValue<long>(), result["seconds"]!.GetValue<double>());
}

static async Task<(long Events, double Seconds)> JsConsumerAsync(string connectionString, string hub, long count)
{
    var result = await RunNodeAsync("consume.mjs", connectionString, hub, count.ToString(CultureInfo.InvariantCulture));
    return (result["events"]!.GetValue<long>(), result["seconds"]!.GetValue<double>());
}

static async Task<JsonNode> RunNodeAsync(string script, params string[] arguments)
{
    var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, UseShellExecute = false };
    start.ArgumentList.Add(Path.Combine(ScriptDirectory(), "js", script));
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    using var process = Process.Start(start)!;
    var output = await process.StandardOutput.ReadToEndAsync();
    await process.WaitForExitAsync();
    return JsonNode.Parse(output.Trim().Split('\n')[^1])!;
}

static async Task<(long Events, double Seconds)> RawAmqpIngestAsync(int port, string hub, int partitions, int seconds)
{
    // Pre-encoded 0x80013700 batches of 1000 x 1 KB events: measures the broker, not a client library.
    var inner = new Message { BodySection = new Data { Binary = new byte[1024] } }.Encode();
    var innerBytes = inner.Buffer.AsSpan(inner.Offset, inner.Length).ToArray();
    var sections = new DataList();
    for (var i = 0; i < 1000; i++)
    {
        sections.Add(new Data { Binary = innerBytes });
    }

    var factory = new ConnectionFactory();
    factory.SASL.Profile = SaslProfile.Anonymous;
    var connection = await factory.CreateAsync(new Address($"amqp://127.0.0.1:{port}"));
    long events = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, partitions).Select(async p =>
    {
        var session = new Session(connection);
        var sender = new SenderLink(session, $"raw-{p}", $"{hub}/Partitions/{p}");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                await sender.SendAsync(new Message { Format = 0x80013700, BodySection = sections });
                Interlocked.Add(ref events, 1000);
            }
        }));
    }));
    var elapsed = clock.Elapsed.TotalSeconds;
    await connection.CloseAsync();
    return (events, elapsed);
}

static async Task<(long Events, double Seconds)> AmqpConsumerAsync(int port, string hub, int partitions, long expected)
{
    var factory = new ConnectionFactory();
    factory.SASL.Profile = SaslProfile.Anonymous;
    var connection = await factory.CreateAsync(new Address($"amqp://127.0.0.1:{port}"));
    long events = 0;
    var clock = Stopwatch.StartNew();
    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    var links = new List<ReceiverLink>();
    for (var p = 0; p < partitions; p++)
    {
        var session = new Session(connection);
        var filter = new Map { [new Symbol("apache.org:selector-filter:string")] = new DescribedValue(new Symbol("apache.org:selector-filter:string"), "amqp.annotation.x-opt-offset > -1") };
        var link = new ReceiverLink(session, $"bench-{p}", new Attach { Source = new Source { Address = $"{hub}/ConsumerGroups/$Default/Partitions/{p}", FilterSet = filter }, Target = new Target() }, null);
        link.Start(2000, (l, m) =>
        {
            l.Accept(m);
            if (Interlocked.Increment(ref events) >= expected)
            {
                done.TrySetResult();
            }
        });
        links.Add(link);
    }

    await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromMinutes(5)));
    var elapsed = clock.Elapsed.TotalSeconds;
    await connection.CloseAsync();
    return (Interlocked.Read(ref events), elapsed);
}

static string ScriptDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
