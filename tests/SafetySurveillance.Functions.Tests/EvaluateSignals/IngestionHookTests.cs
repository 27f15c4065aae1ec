using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.Functions.EvaluateSignals;
using SafetySurveillance.Functions.Tests.SubmitEvents;
using Xunit;

namespace SafetySurveillance.Functions.Tests.EvaluateSignals;

/// <summary>IngestSafetyEvents, invoked as the host invokes it, announces what it wrote on signals-touched; EvaluateSignals takes it from there.</summary>
public sealed class IngestionHookTests(AlertsAppFixture app) : IClassFixture<AlertsAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static EventHubsTriggerEvent Event(long sequence, string ods, JsonNode cloudEvent) => new(
        Encoding.UTF8.GetBytes(cloudEvent.ToJsonString()),
        sequence,
        (sequence * 100).ToString(System.Globalization.CultureInfo.InvariantCulture),
        new DateTimeOffset(2026, 3, 20, 8, 0, 0, TimeSpan.Zero),
        null,
        new Dictionary<string, JsonElement>(),
        new Dictionary<string, JsonElement> { [EventHubsTriggerBatch.PublisherAnnotation] = JsonSerializer.SerializeToElement(ods) });

    [Fact]
    public async Task An_ingested_batch_sends_one_message_listing_the_partitions_it_touched()
    {
        await app.ClearQueuesAsync(Ct);
        var procedure = Samples.Procedure("RX1", "hook-proc-1");
        procedure["data"]!["procedureCode"] = "Z94.8";
        var second = Samples.Procedure("RX1", "hook-proc-2");
        second["data"]!["procedureCode"] = "Z94.8";
        second["data"]!["nhsNumber"] = "4010232137";
        var batch = new EventHubsTriggerBatch(
            new EventHubsPartitionContext("localhost", "safety-events", "functions-ingest", "3"),
            [Event(10, "RX1", procedure), Event(11, "RX1", second)]);
        var invocation = batch.ToInvocationRequest(EventBodyEncoding.Binary);

        using var response = await app.Handler.PostAsJsonAsync("/IngestSafetyEvents", JsonSerializer.SerializeToNode(invocation, CustomHandlerJson.Options), Ct);
        string log = await response.Content.ReadAsStringAsync(Ct);

        Assert.True(response.IsSuccessStatusCode, log);
        Assert.Contains("2 accepted", log, StringComparison.Ordinal);
        var messages = (await app.SignalsTouched.ReceiveMessagesAsync(32, cancellationToken: Ct)).Value;
        var message = Assert.Single(messages);
        Assert.Equal(
            [new TouchedPartition("Z94.8", "2026-01"), new TouchedPartition("Z94.8", "2026-Q1"), new TouchedPartition("Z94.8", "all")],
            SignalsTouchedMessage.TryParse(message.Body.ToString())!.Partitions);

        var (status, envelope) = await app.InvokeQueueAsync("EvaluateSignals", message.Body.ToString(), Ct);
        Assert.Equal(200, status);
        Assert.Equal(3, (int)envelope!["ReturnValue"]!["Partitions"]!);
    }
}
