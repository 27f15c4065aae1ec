using System.Text.Json.Nodes;
using SafetySurveillance.EventHubs.Emulator.Configuration;
using SafetySurveillance.EventHubs.Emulator.Tests.Support;
using SafetySurveillance.TestInfrastructure.Azurite;
using Xunit;

namespace SafetySurveillance.EventHubs.Emulator.Tests.Conformance;

public sealed class ProcessorFixture : EmulatorFixture
{
    protected override EmulatorConfiguration Configuration => EmulatorConfiguration.ForHubs([("balance", 4)]);
}

/// <summary>
/// The official JS processor (<c>EventHubConsumerClient</c> + <c>@azure/eventhubs-checkpointstore-blob</c> on
/// Azurite): two instances balance four partitions, the newcomer's epoch receivers steal from the first, and
/// processing resumes from the blob checkpoints.
/// </summary>
public sealed class CheckpointStoreTests(ProcessorFixture emulator, AzuriteFixture azurite) : IClassFixture<ProcessorFixture>, IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Two_processors_balance_partitions_steal_by_epoch_and_resume_from_blob_checkpoints()
    {
        const int perPartition = 10;
        var container = "checkpoints-" + Guid.NewGuid().ToString("N")[..8];
        var result = await NodeScript.RunAsync("balance", new
        {
            connectionString = emulator.ConnectionString,
            hub = "balance",
            storageConnectionString = azurite.ConnectionString,
            container,
            perPartition,
        }, TestContext.Current.CancellationToken, script: "processor.mjs");

        Assert.True(result["firstDone"]!.GetValue<bool>(), "the first processor did not read every event");
        Assert.True(result["balanced"]!.GetValue<bool>(), "the two processors did not settle on two partitions each");
        Assert.True(result["secondDone"]!.GetValue<bool>(), "the second round was not fully processed");

        var log = result["log"]!.AsArray().Select(l => l!).ToList();
        var owners = result["owners"]!.AsArray().Select(o => (Partition: o!["partitionId"]!.GetValue<string>(), Owner: o["ownerId"]!.GetValue<string>())).ToList();
        Assert.Equal(2, owners.Count(o => o.Owner == "A"));
        Assert.Equal(2, owners.Count(o => o.Owner == "B"));

        // B took its partitions from A by opening receivers with the same owner level: the emulator detached
        // A's receivers with amqp:link:stolen, which the SDK reports as ReceiverDisconnectedError.
        var bPartitions = owners.Where(o => o.Owner == "B").Select(o => o.Partition).ToHashSet();
        Assert.All(bPartitions, p => Assert.Contains(log, l => Str(l, "consumer") == "A" && Str(l, "partitionId") == p
            && Str(l, "kind") == "error" && Str(l, "code") == "ReceiverDisconnectedError"));
        Assert.All(bPartitions, p => Assert.Contains(log, l => Str(l, "consumer") == "A" && Str(l, "partitionId") == p
            && Str(l, "kind") == "close" && Str(l, "reason") == "OwnershipLost"));

        // B started from A's checkpoints, so it never saw the first round again.
        Assert.DoesNotContain(log, l => Str(l, "consumer") == "B" && Str(l, "kind") == "event" && Str(l, "body").StartsWith("first", StringComparison.Ordinal));
        Assert.All(log.Where(l => Str(l, "consumer") == "B" && Str(l, "kind") == "event"), l => Assert.True(l["sequenceNumber"]!.GetValue<long>() >= perPartition));

        // Checkpoints are in the blob layout the official processors share: empty blobs, state in metadata.
        var checkpoints = result["checkpoints"]!.AsArray();
        Assert.Equal(4, checkpoints.Count);
        Assert.All(checkpoints, c => Assert.Equal((2 * perPartition) - 1, c!["sequenceNumber"]!.GetValue<long>()));
        var blobs = azurite.CreateBlobServiceClient().GetBlobContainerClient(container);
        var names = new List<string>();
        await foreach (var blob in blobs.GetBlobsAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            names.Add(blob.Name);
        }

        Assert.Contains("localhost/balance/$default/checkpoint/0", names);
        Assert.Contains("localhost/balance/$default/ownership/3", names);
    }

    private static string Str(JsonNode node, string name) => node[name]?.GetValue<string>() ?? string.Empty;
}
