using System.Globalization;
using System.Text.Json;
using SafetySurveillance.EventHubs;
using SafetySurveillance.Simulator.Cli;
using SafetySurveillance.Simulator.Generation;
using SafetySurveillance.Simulator.GroundTruth;
using SafetySurveillance.Simulator.Registration;
using SafetySurveillance.Simulator.Sending;

namespace SafetySurveillance.Simulator;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var arguments = SimulatorArguments.Parse(args);
        if (arguments.Help)
        {
            Console.WriteLine(SimulatorArguments.Usage);
            return 0;
        }

        if (arguments.Problems.Count > 0)
        {
            foreach (var problem in arguments.Problems)
            {
                await Console.Error.WriteLineAsync(problem).ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync("Run with --help for the options.").ConfigureAwait(false);
            return 2;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        try
        {
            await RunAsync(arguments, cancellation.Token).ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (FormatException exception)
        {
            await Console.Error.WriteLineAsync("A connection string or setting is not usable: " + exception.Message).ConfigureAwait(false);
            return 2;
        }
    }

    private static async Task RunAsync(SimulatorArguments arguments, CancellationToken cancellationToken)
    {
        TimeProvider clock = arguments.Now is { } pinned ? new PinnedTimeProvider(pinned) : TimeProvider.System;
        var run = new SafetyEventGenerator(clock).Generate(arguments.Simulation);
        var injected = run.Trusts.FirstOrDefault(t => t.HasInjectedExcess);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"generated {run.Events.Count:N0} messages for {run.Trusts.Count} trusts as of {run.Now:yyyy-MM-ddTHH:mm:ssZ}: {run.ValidCount:N0} valid, {run.MalformedCount:N0} malformed, {run.DuplicateCount:N0} resends; injected excess at {injected?.OdsCode ?? "none"}; digest {run.Digest()[..16]}"));

        if (arguments.RegisterTrusts is { } storage)
        {
            var settings = arguments.SettingsPath
                ?? new[] { "local.settings.json", "local.settings.sample.json" }.FirstOrDefault(File.Exists)
                ?? throw new FormatException("--register-trusts needs --settings (no local.settings.json here).");
            var added = await TrustRegistrar.RegisterAsync(run.Trusts, storage, TrustRegistrar.HasherFromSettings(settings), arguments.Webhook, cancellationToken).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trusts registered: {added} new, {run.Trusts.Count - added} updated"));
        }

        if (arguments.GroundTruthPath is { } truthPath)
        {
            var truth = GroundTruthBuilder.Build(run);
            await truth.WriteAsync(truthPath, cancellationToken).ConfigureAwait(false);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"ground truth: {truth.DistinctValidEvents:N0} distinct valid events, {truth.Rejections.Count:N0} expected rejections -> {truthPath}"));
        }

        if (arguments.DumpPath is { } dumpPath)
        {
            await DumpAsync(run, dumpPath, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"messages -> {dumpPath}");
        }

        ISafetyEventTransport? transport = null;
        using var http = arguments.Gateway is null ? null : new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        if (arguments.Connection is { } connection)
        {
            var entityPath = EventHubsConnectionStringProperties.Parse(connection.Replace(EventHubsTransport.TrustPlaceholder, "RTH", StringComparison.Ordinal)).EventHubName;
            transport = EventHubsTransport.Create(connection, arguments.Hub ?? entityPath ?? SimulatorArguments.DefaultHub, arguments.BatchSize);
        }
        else if (arguments.Gateway is { } gateway)
        {
            var template = arguments.TrustKey;
            transport = new GatewayTransport(http!, gateway, ods => template.Replace("{ods}", ods, StringComparison.Ordinal), arguments.GatewayBatch, TimeProvider.System);
        }

        if (transport is null)
        {
            Console.WriteLine("no --connection or --gateway: nothing sent");
            return;
        }

        await using (transport.ConfigureAwait(false))
        {
            var options = new SendOptions { EventsPerSecond = arguments.Rate, Passes = arguments.Resend ? 2 : 1 };
            var lastPrinted = DateTimeOffset.MinValue;
            var progress = new SynchronousProgress(p =>
            {
                var nowPrinted = TimeProvider.System.GetUtcNow();
                if (nowPrinted - lastPrinted >= TimeSpan.FromSeconds(1) || p.Sent == p.Total)
                {
                    lastPrinted = nowPrinted;
                    Console.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"pass {p.Pass}: sent {p.Sent:N0}/{p.Total:N0} via {transport.Name} ({p.EventsPerSecond:N0} ev/s){(p.Refused > 0 ? $", refused by gateway {p.Refused:N0}" : "")}"));
                }
            });
            var final = await new StreamSender(transport, TimeProvider.System).SendAsync(run.Events, options, progress, cancellationToken).ConfigureAwait(false);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"done: {final.Sent:N0} messages in {final.Elapsed.TotalSeconds:N1} s ({final.EventsPerSecond:N0} ev/s), {final.Refused:N0} refused by the gateway"));
        }
    }

    private static async Task DumpAsync(SimulationRun run, string path, CancellationToken cancellationToken)
    {
        var stream = File.Create(path);
        await using (stream.ConfigureAwait(false))
        {
            foreach (var e in run.Events)
            {
                var line = JsonSerializer.SerializeToUtf8Bytes(new DumpLine(e.Sequence, e.TrustOds, e.Kind.ToString(), e.EventId, e.Type, e.Malformation is { } m ? Malformations.Name(m) : null, Convert.ToBase64String(e.Body.Span)));
                await stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
                stream.WriteByte((byte)'\n');
            }
        }
    }

    private sealed record DumpLine(int Sequence, string Trust, string Kind, string? Id, string Type, string? Malformation, string Body);

    /// <summary>Reports on the sender's thread, so lines print in order.</summary>
    private sealed class SynchronousProgress(Action<SendProgress> report) : IProgress<SendProgress>
    {
        public void Report(SendProgress value) => report(value);
    }

    /// <summary>A clock that always reads the given instant, for --now (generation only; sending uses the system clock).</summary>
    private sealed class PinnedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
