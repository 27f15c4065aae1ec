using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using SafetySurveillance.EventHubs.Emulator;
using SafetySurveillance.EventHubs.Emulator.Configuration;
using SafetySurveillance.EventHubs.Emulator.Storage;

// Standalone console program: dotnet run --project src/SafetySurveillance.EventHubs.Emulator -- [options]
string? configPath = null;
var port = 5672;
var healthPort = 5300;
var data = Path.Combine(".data", "eventhubs");
var listen = IPAddress.Loopback;
var flush = FlushMode.Fsync;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--config":
            configPath = Next();
            break;
        case "--port":
            port = int.Parse(Next(), CultureInfo.InvariantCulture);
            break;
        case "--health-port":
            healthPort = int.Parse(Next(), CultureInfo.InvariantCulture);
            break;
        case "--data":
            data = Next();
            break;
        case "--listen":
            listen = IPAddress.Parse(Next());
            break;
        case "--flush":
            flush = Enum.Parse<FlushMode>(Next(), ignoreCase: true);
            break;
        case "-h" or "--help":
            Console.WriteLine("""
                SafetySurveillance Event Hubs emulator (AMQP 1.0, durable).
                  --config <Config.json>   official emulator Config.json (default: built-in default, hub eh1 with 2 partitions)
                  --port <port>            AMQP port (default 5672; 0 = any free port)
                  --health-port <port>     GET /health port (default 5300)
                  --data <folder>          partition logs (default ./.data/eventhubs)
                  --listen <ip>            address to bind (default 127.0.0.1)
                  --flush fsync|operatingsystem   acknowledge after fsync (default) or after write
                """);
            return 0;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Use --help.");
            return 2;
    }
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    // Stop gracefully: close the listener and the logs, then let Main return.
    context.Cancel = true;
    stop.Cancel();
});

try
{
    var configuration = configPath is null ? EmulatorConfiguration.Default : await EmulatorConfiguration.LoadAsync(configPath, stop.Token);
    await using var emulator = await EventHubsEmulator.StartAsync(
        new EventHubsEmulatorOptions
        {
            Port = port,
            HealthPort = healthPort,
            DataDirectory = data,
            ListenAddress = listen,
            Configuration = configuration,
            Storage = new StorageOptions { FlushMode = flush },
        },
        stop.Token);

    // One machine-readable line first, so a parent process can find the ports.
    Console.WriteLine($"listening amqp={emulator.Port} health={emulator.HealthPort} data={Path.GetFullPath(data)}");
    Console.WriteLine($"hubs: {string.Join(", ", configuration.Namespace.Entities.Select(e => $"{e.Name} ({e.PartitionCount} partitions)"))}");
    Console.WriteLine(emulator.GetConnectionString());
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
    }

    return 0;
}
catch (EmulatorConfigurationException exception)
{
    Console.Error.WriteLine($"Invalid configuration: {exception.Message}");
    return 3;
}
