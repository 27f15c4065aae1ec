using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Storage.Blobs;
using SafetySurveillance.EventHubs.Processor;
using SafetySurveillance.EventHubs.Producer;
using SafetySurveillance.EventHubs.Tests.CrossClient;
using SafetySurveillance.EventHubs.Tests.Support;
using SafetySurveillance.TestInfrastructure;
using SafetySurveillance.TestInfrastructure.Azurite;

namespace SafetySurveillance.EventHubs.Tests.Processor;

/// <summary>The official JS processor (<c>subscribe</c> with <c>@azure/eventhubs-checkpointstore-blob</c>) and ours hand a consumer group over to each other through the same container.</summary>
public sealed class ProcessorInteropTests(EmulatorFixture emulator, AzuriteFixture azurite) : IClassFixture<EmulatorFixture>
{
    private readonly CancellationToken cancellationToken = TestContext.Current.CancellationToken;

    private async Task<BlobContainerClient> NewContainerAsync()
    {
        var container = azurite.CreateBlobServiceClient().GetBlobContainerClient(UniqueName.Container("interop"));
        await container.CreateAsync(cancellationToken: cancellationToken);
        return container;
    }

    private async Task SendOnePerPartitionAsync(EventHubProducerClient producer, int partitions, string prefix)
    {
        for (var p = 0; p < partitions; p++)
        {
            await producer.SendAsync([new EventData($"{prefix}-{p}")], new SendEventOptions { PartitionId = $"{p}" }, cancellationToken);
        }
    }

    private async Task<List<string>> RunOurProcessorAsync(BlobContainerClient container, string hub, int expected)
    {
        var bodies = new ConcurrentQueue<string>();
        await using var processor = new EventProcessorClient(container, "cg1", emulator.ConnectionString(hub), new EventProcessorClientOptions
        {
            LoadBalancingUpdateInterval = TimeSpan.FromMilliseconds(250),
            PartitionOwnershipExpirationInterval = TimeSpan.FromSeconds(5),
        });
        processor.ProcessEventBatchAsync += async args =>
        {
            await args.UpdateCheckpointAsync(args.CancellationToken);
            foreach (var e in args.Events)
            {
                bodies.Enqueue(e.EventBody.ToString());
            }
        };
        processor.ProcessErrorAsync += _ => Task.CompletedTask;
        await processor.StartProcessingAsync(cancellationToken);
        await Eventually.TrueAsync(() => bodies.Count >= expected, cancellationToken);
        await Task.Delay(500, cancellationToken);
        await processor.StopProcessingAsync(cancellationToken);
        return [.. bodies];
    }

    private async Task<List<string>> RunJsProcessorAsync(BlobContainerClient container, string hub, int count)
    {
        var output = await Node.RunAsync("eventhubs.js", ["process", emulator.ConnectionString(hub), hub, "cg1", azurite.ConnectionString, container.Name, $"{count}"], cancellationToken);
        return JsonSerializer.Deserialize<List<string>>(output)!;
    }

    [Fact]
    public async Task Our_processor_resumes_after_the_checkpoints_of_the_official_js_processor()
    {
        var container = await NewContainerAsync();
        await using var producer = new EventHubProducerClient(emulator.ConnectionString("processor"));
        await SendOnePerPartitionAsync(producer, 4, "old");

        var js = await RunJsProcessorAsync(container, "processor", 4);
        await SendOnePerPartitionAsync(producer, 4, "new");
        var ours = await RunOurProcessorAsync(container, "processor", 4);

        Assert.Equal(["old-0", "old-1", "old-2", "old-3"], js.Order());
        Assert.Equal(["new-0", "new-1", "new-2", "new-3"], ours.Order());
    }

    [Fact]
    public async Task The_official_js_processor_resumes_after_our_checkpoints()
    {
        var container = await NewContainerAsync();
        await using var producer = new EventHubProducerClient(emulator.ConnectionString("resume"));
        await SendOnePerPartitionAsync(producer, 2, "old");

        var ours = await RunOurProcessorAsync(container, "resume", 2);
        await SendOnePerPartitionAsync(producer, 2, "new");
        var js = await RunJsProcessorAsync(container, "resume", 2);

        Assert.Equal(["old-0", "old-1"], ours.Order());
        Assert.Equal(["new-0", "new-1"], js.Order());
    }
}
