using System.Globalization;

namespace SafetySurveillance.Benchmarks.Pipeline;

/// <summary>Command-line settings of the pipeline benchmark.</summary>
internal sealed record BenchmarkOptions
{
    public int Events { get; init; } = 60_000;

    public int Trusts { get; init; } = 20;

    /// <summary>Concurrent senders, each with its own AMQP connection; trusts are dealt round-robin between them.</summary>
    public int Senders { get; init; } = 4;

    /// <summary>Events per send call (one trust's consecutive events, one or more AMQP batches).</summary>
    public int SendBatch { get; init; } = 200;

    /// <summary>Target total send rate in events/s; 0 sends as fast as possible.</summary>
    public int Rate { get; init; }

    /// <summary>Partitions of the hub (DevHost's <c>--DevHost:Partitions</c>).</summary>
    public int Partitions { get; init; } = 4;

    /// <summary>How often the Signals table is polled.</summary>
    public int PollMilliseconds { get; init; } = 200;

    /// <summary>How long to wait for the rows after the last send before giving up.</summary>
    public int DrainTimeoutSeconds { get; init; } = 600;

    public long Seed { get; init; } = 42;

    /// <summary>
    /// Events sent (the first ones of the stream) and drained before the measured window opens, so the processes' JIT
    /// has reached its optimised code and CPU per event shows the steady state; 0 measures from a cold start.
    /// </summary>
    public int Warmup { get; init; }

    /// <summary>Run the function app's ingestion in this process against Azurite, without the emulator and DevHost (see InProcess/InProcessIngestion).</summary>
    public bool InProcess { get; init; }

    /// <summary>In-process only: events per trigger batch (the host's maxEventBatchSize).</summary>
    public int TriggerBatch { get; init; } = 1000;

    /// <summary>In-process only: Azurite with --inMemoryPersistence instead of a data folder.</summary>
    public bool AzuriteInMemory { get; init; }

    /// <summary>The artifacts root holding bin/SafetySurveillance.DevHost/{config} and bin/SafetySurveillance.Functions/{config}.</summary>
    public string? Artifacts { get; init; }

    /// <summary>The build configuration of DevHost and the function app to run (default: this program's own).</summary>
    public string? Configuration { get; init; }

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                throw new ArgumentException(Usage);
            }

            if (name is "--in-process")
            {
                options = options with { InProcess = true };
                continue;
            }

            if (name is "--azurite-in-memory")
            {
                options = options with { AzuriteInMemory = true };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value.\n{Usage}");
            }

            var value = args[++i];
            options = name switch
            {
                "--events" => options with { Events = Int(name, value, 1) },
                "--trusts" => options with { Trusts = Int(name, value, 1) },
                "--senders" => options with { Senders = Int(name, value, 1) },
                "--send-batch" => options with { SendBatch = Int(name, value, 1) },
                "--rate" => options with { Rate = Int(name, value, 0) },
                "--partitions" => options with { Partitions = Int(name, value, 1) },
                "--poll-ms" => options with { PollMilliseconds = Int(name, value, 10) },
                "--drain-timeout" => options with { DrainTimeoutSeconds = Int(name, value, 1) },
                "--seed" => options with { Seed = long.Parse(value, CultureInfo.InvariantCulture) },
                "--warmup" => options with { Warmup = Int(name, value, 0) },
                "--trigger-batch" => options with { TriggerBatch = Int(name, value, 1) },
                "--artifacts" => options with { Artifacts = value },
                "--configuration" => options with { Configuration = value },
                _ => throw new ArgumentException($"Unknown option {name}.\n{Usage}"),
            };
        }

        if (options.Warmup >= options.Events)
        {
            throw new ArgumentException($"--warmup ({options.Warmup}) must be below --events ({options.Events}).");
        }

        return options;
    }

    public const string Usage =
        "usage: SafetySurveillance.Benchmarks.Pipeline [--events 60000] [--trusts 20] [--senders 4] [--send-batch 200] [--rate 0 (events/s, 0 = unpaced)]\n" +
        "       [--partitions 4] [--poll-ms 200] [--drain-timeout 600] [--seed 42] [--warmup 0 (events)] [--artifacts <artifacts root>] [--configuration Release]\n" +
        "       [--in-process [--trigger-batch 1000] [--azurite-in-memory]]: the function app's ingestion in this process against Azurite (no emulator, no DevHost)";

    private static int Int(string name, string value, int minimum)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) || parsed < minimum)
        {
            throw new ArgumentException($"{name} must be an integer ≥ {minimum}, not '{value}'.");
        }

        return parsed;
    }
}
