using System.Globalization;
using SafetySurveillance.Simulator.Generation;

namespace SafetySurveillance.Simulator.Cli;

/// <summary>The command line, parsed. Errors are data: <see cref="Problems"/> lists every one.</summary>
internal sealed record SimulatorArguments
{
    public const string Usage = """
        Usage: dotnet run --project src/SafetySurveillance.Simulator -- [options]

        Generation (same options + same --now = the same bytes):
          --seed <n>              random seed (default 42)
          --trusts <n>            number of trusts (default 20)
          --events <n>            messages in one pass, malformed and resends included (default 10000)
          --months <n>            months of history before now (default 30)
          --malformed <fraction>  malformed events per valid event (default 0.01)
          --duplicates <fraction> share of messages that resend a valid event (default 0)
          --injected-trust <n>    1-based trust with excess serious device-related events (default 7; 0 = none)
          --odds-ratio <x>        that trust's odds ratio (default 4)
          --now <RFC 3339>        pin the clock (default: the system clock)

        Sending (one of; neither = generate only):
          --connection <string>   Event Hubs connection string (UseDevelopmentEmulator=true for the emulator);
                                  '{ods}' in it gives each trust its own connection (per-trust send keys)
          --hub <name>            event hub (default: the string's EntityPath, else safety-events)
          --batch <n>             most events per Event Hubs batch (default 500)
          --gateway <url>         HTTPS gateway base URL: POST {url}/api/trusts/{ods}/events
          --trust-key <key>       x-trust-key; '{ods}' in it is replaced by the trust's code
          --gateway-batch <n>     events per gateway request (at most 500); >1 sends application/cloudevents-batch+json (default 1)
          --rate <events/s>       target rate; 0 = as fast as possible (default 0)
          --resend                send the whole stream a second time (de-duplication must absorb it)

        Output:
          --register-trusts <conn> register the simulated trusts (name, governance address, webhook) in the
                                  Trusts table of this storage connection string, before sending
          --settings <path>       local.settings.json whose Pseudonymisation__Key/KeyId hash the trusts' keys
                                  (default: local.settings.json, else local.settings.sample.json, in the current folder)
          --webhook <url>         the trusts' alert webhook when registering (default: none)
          --ground-truth <path>   write the expected aggregates and rejections as JSON
          --dump <path>           write every message as JSON lines (trust, kind, base64 body)
        """;

    /// <summary>The gateway accepts at most this many events per request.</summary>
    public const int MaxGatewayBatch = 500;

    public SimulationOptions Simulation { get; init; } = new();

    public DateTimeOffset? Now { get; init; }

    public string? Connection { get; init; }

    /// <summary>The hub named with --hub; null = the connection string's EntityPath, else <see cref="DefaultHub"/>.</summary>
    public string? Hub { get; init; }

    public const string DefaultHub = "safety-events";

    public int BatchSize { get; init; } = 500;

    public Uri? Gateway { get; init; }

    public string TrustKey { get; init; } = "{ods}";

    public int GatewayBatch { get; init; } = 1;

    public double? Rate { get; init; }

    public bool Resend { get; init; }

    public string? GroundTruthPath { get; init; }

    /// <summary>Storage connection string whose Trusts table gets the simulated trusts (--register-trusts).</summary>
    public string? RegisterTrusts { get; init; }

    /// <summary>The local settings file with the pseudonymisation key (--settings).</summary>
    public string? SettingsPath { get; init; }

    /// <summary>The trusts' webhook when registering (--webhook).</summary>
    public Uri? Webhook { get; init; }

    public string? DumpPath { get; init; }

    public bool Help { get; init; }

    public IReadOnlyList<string> Problems { get; init; } = [];

    public static SimulatorArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var problems = new List<string>();
        var result = new SimulatorArguments();
        var simulation = new SimulationOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count)
                {
                    problems.Add($"{name} needs a value.");
                    return string.Empty;
                }

                return args[++i];
            }

            int Int(int min) => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min
                ? v
                : Fail<int>($"{name} must be an integer ≥ {min}.");
            double Double() => double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v >= 0
                ? v
                : Fail<double>($"{name} must be a non-negative number.");
            T Fail<T>(string problem)
            {
                problems.Add(problem);
                return default!;
            }

            switch (name)
            {
                case "--help" or "-h" or "-?":
                    result = result with { Help = true };
                    break;
                case "--seed":
                    simulation = simulation with { Seed = long.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : Fail<long>("--seed must be an integer.") };
                    break;
                case "--trusts":
                    simulation = simulation with { TrustCount = Int(1) };
                    break;
                case "--events":
                    simulation = simulation with { EventCount = Int(1) };
                    break;
                case "--months":
                    simulation = simulation with { HistoryMonths = Int(1) };
                    break;
                case "--malformed":
                    simulation = simulation with { MalformedFraction = Double() };
                    break;
                case "--duplicates":
                    simulation = simulation with { DuplicateFraction = Double() };
                    break;
                case "--injected-trust":
                    var injected = Int(0);
                    simulation = simulation with { InjectedTrustIndex = injected == 0 ? null : injected - 1 };
                    break;
                case "--odds-ratio":
                    simulation = simulation with { InjectedOddsRatio = Double() };
                    break;
                case "--now":
                    result = result with
                    {
                        Now = DateTimeOffset.TryParse(Value(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var now)
                            ? now.ToUniversalTime()
                            : Fail<DateTimeOffset?>("--now must be an RFC 3339 timestamp such as 2026-11-01T00:00:00Z."),
                    };
                    break;
                case "--connection":
                    result = result with { Connection = Value() };
                    break;
                case "--hub":
                    result = result with { Hub = Value() };
                    break;
                case "--batch":
                    result = result with { BatchSize = Int(1) };
                    break;
                case "--gateway":
                    result = result with
                    {
                        Gateway = Uri.TryCreate(Value(), UriKind.Absolute, out var gateway) && gateway.Scheme is "http" or "https"
                            ? gateway
                            : Fail<Uri?>("--gateway must be an http(s) URL."),
                    };
                    break;
                case "--trust-key":
                    result = result with { TrustKey = Value() };
                    break;
                case "--gateway-batch":
                    result = result with { GatewayBatch = Int(1) };
                    break;
                case "--rate":
                    var rate = Double();
                    result = result with { Rate = rate > 0 ? rate : null };
                    break;
                case "--resend":
                    result = result with { Resend = true };
                    break;
                case "--register-trusts":
                    result = result with { RegisterTrusts = Value() };
                    break;
                case "--settings":
                    result = result with { SettingsPath = Value() };
                    break;
                case "--webhook":
                    result = result with
                    {
                        Webhook = Uri.TryCreate(Value(), UriKind.Absolute, out var hook) && (hook.Scheme == Uri.UriSchemeHttps || hook.Scheme == Uri.UriSchemeHttp)
                            ? hook
                            : Fail<Uri?>("--webhook must be an http(s) URL."),
                    };
                    break;
                case "--ground-truth":
                    result = result with { GroundTruthPath = Value() };
                    break;
                case "--dump":
                    result = result with { DumpPath = Value() };
                    break;
                default:
                    problems.Add($"Unknown option '{name}'.");
                    break;
            }
        }

        problems.AddRange(simulation.Problems());
        if (result.GatewayBatch > MaxGatewayBatch)
        {
            problems.Add($"--gateway-batch is at most {MaxGatewayBatch} (the gateway's limit per request).");
        }

        if (result.Connection is not null && result.Gateway is not null)
        {
            problems.Add("Give --connection or --gateway, not both.");
        }

        return result with { Simulation = simulation, Problems = problems };
    }
}
