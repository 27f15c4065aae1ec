using Azure.Data.Tables;
using SafetySurveillance.Domain.Pseudonymisation;
using SafetySurveillance.LocalServices.Processes;
using SafetySurveillance.Simulator.Generation;
using SafetySurveillance.Simulator.GroundTruth;
using SafetySurveillance.Simulator.Sending;
using SafetySurveillance.TestInfrastructure.Stack;
using Xunit;

namespace SafetySurveillance.EndToEnd.Tests;

/// <summary>
/// The pipeline on the real local stack: simulated trusts send over AMQP to the emulator through their publisher
/// endpoints; DevHost drives the function app's Event Hubs trigger; the Signals table must equal the simulator's
/// ground truth row by row, and every malformed event must be in DeadLetters with a reason — also after crashes
/// and resends.
/// </summary>
public sealed class PipelineEndToEndTests
{
    private const string Hub = "safety-events";
    private static readonly TimeSpan Settle = TimeSpan.FromMinutes(4);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SimulationRun Generate(int events, long seed, double duplicates = 0.02) =>
        new SafetyEventGenerator(TimeProvider.System).Generate(new SimulationOptions
        {
            Seed = seed,
            TrustCount = 20,
            EventCount = events,
            MalformedFraction = 0.01,
            DuplicateFraction = duplicates,
        });

    private static Pseudonymiser GroundTruthPseudonymiser() =>
        new(new PseudonymisationOptions { KeyId = "truth", Key = Convert.ToBase64String(new byte[32]) });

    private static async Task SendAsync(string connection, IEnumerable<SimulatedEvent> events)
    {
        await using var transport = EventHubsTransport.Create(connection, Hub, maxEventsPerBatch: 200);
        foreach (var trust in events.GroupBy(e => e.TrustOds))
        {
            await transport.SendAsync(trust.Key, trust.ToList(), Ct);
        }
    }

    private static async Task<IReadOnlyList<string>> DifferencesAsync(LocalStack stack, IReadOnlyList<ExpectedSignalRow> expected, int expectedRejections)
    {
        var signals = stack.Table("Signals");
        var rows = new List<(string, string, IDictionary<string, object>)>();
        try
        {
            await foreach (var entity in signals.QueryAsync<TableEntity>(cancellationToken: Ct))
            {
                rows.Add((entity.PartitionKey, entity.RowKey, entity));
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return ["the Signals table does not exist yet"];
        }

        var differences = SignalTruth.Compare(expected, rows).ToList();
        var deadLetters = 0;
        try
        {
            await foreach (var _ in stack.Table("DeadLetters").QueryAsync<TableEntity>(select: ["PartitionKey"], cancellationToken: Ct))
            {
                deadLetters++;
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
        }

        if (deadLetters != expectedRejections)
        {
            differences.Add($"DeadLetters holds {deadLetters} rows; expected {expectedRejections}");
        }

        return differences;
    }

    private static async Task AssertSettlesAsync(LocalStack stack, SimulationRun run, int deliveries = 1)
    {
        // Every delivery of a malformed event is kept: a trust that resends everything leaves each one twice.
        var (expected, rejectedOnce) = SignalTruth.Build(run, GroundTruthPseudonymiser());
        var rejected = rejectedOnce * deliveries;
        var deadline = DateTime.UtcNow + Settle;
        IReadOnlyList<string> differences;
        do
        {
            await Task.Delay(TimeSpan.FromSeconds(2), Ct);
            differences = await DifferencesAsync(stack, expected, rejected);
        }
        while (differences.Count > 0 && DateTime.UtcNow < deadline);

        Assert.True(differences.Count == 0,
            $"{differences.Count} differences from ground truth, e.g.:\n{string.Join("\n", differences.Take(15))}\n--- DevHost output ---\n{stack.RecentOutput}");
    }

    [Fact]
    public async Task Simulated_trusts_end_up_exactly_in_the_signals_table_and_every_malformed_event_in_dead_letters()
    {
        await using var stack = await LocalStack.StartAsync(Ct);
        var run = Generate(events: 1500, seed: 7);

        await SendAsync(stack.Endpoints.EventHubs, run.Events);

        await AssertSettlesAsync(stack, run);
        var reasons = await stack.Table("DeadLetters").QueryAsync<TableEntity>(cancellationToken: Ct).Select(e => e.GetString("Reason")).ToListAsync(Ct);
        Assert.All(reasons, r => Assert.False(string.IsNullOrWhiteSpace(r)));
        Assert.Equal(run.MalformedCount, reasons.Count);
        Assert.All(await stack.Table("DeadLetters").QueryAsync<TableEntity>(cancellationToken: Ct).ToListAsync(Ct),
            row => Assert.DoesNotMatch(@"\d{10}", row.GetString("PayloadPreview") ?? ""));
    }

    [Fact]
    public async Task Killing_the_function_app_mid_run_and_resending_everything_counts_each_event_once()
    {
        await using var stack = await LocalStack.StartAsync(Ct);
        var run = Generate(events: 1500, seed: 11);
        var half = run.Events.Count / 2;

        await SendAsync(stack.Endpoints.EventHubs, run.Events.Take(half));
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        var functionApp = stack.FunctionAppProcessId;
        Assert.NotEqual(0, functionApp);
        PosixSignal.Send(functionApp, PosixSignal.Kill);
        await SendAsync(stack.Endpoints.EventHubs, run.Events.Skip(half));
        await SendAsync(stack.Endpoints.EventHubs, run.Events); // the trusts resend everything

        await AssertSettlesAsync(stack, run, deliveries: 2);
    }

    [Fact]
    public async Task Killing_DevHost_mid_run_and_starting_it_again_loses_and_doubles_nothing()
    {
        await using var stack = await LocalStack.StartAsync(Ct);
        var run = Generate(events: 1500, seed: 13);
        var half = run.Events.Count / 2;

        await SendAsync(stack.Endpoints.EventHubs, run.Events.Take(half));
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        await stack.KillDevHostAsync();
        await stack.StartDevHostAsync(Ct);
        await SendAsync(stack.Endpoints.EventHubs, run.Events.Skip(half));

        await AssertSettlesAsync(stack, run);
    }
}
