using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using SafetySurveillance.EventHubs.Producer;
using SafetySurveillance.EventHubs.Processor;
using SafetySurveillance.EventHubs.Tests.Support;
using SafetySurveillance.TestInfrastructure;
using SafetySurveillance.TestInfrastructure.Azurite;

namespace SafetySurveillance.EventHubs.Tests.Processor;

public sealed class ProcessorEmulatorTests(EmulatorFixture emulator, AzuriteFixture azurite) : IClassFixture<EmulatorFixture>
{
    private readonly CancellationToken cancellationToken = TestContext.Current.CancellationToken;

    private static EventProcessorClientOptions FastOptions(string identifier) => new()
    {
        Identifier = identifier,
        LoadBalancingUpdateInterval = TimeSpan.FromMilliseconds(250),
        PartitionOwnershipExpirationInterval = TimeSpan.FromSeconds(15),
        RetryOptions = { Delay = TimeSpan.FromMilliseconds(100), MaximumDelay = TimeSpan.FromSeconds(1) },
    };

    private async Task<BlobContainerClient> NewContainerAsync()
    {
        var container = azurite.CreateBlobServiceClient().GetBlobContainerClient(UniqueName.Container("processor"));
        await container.CreateAsync(cancellationToken: cancellationToken);
        return container;
    }

    [Fact]
    public async Task Two_processors_split_the_partitions_the_newcomer_steals_by_epoch_and_every_event_is_processed()
    {
        var container = await NewContainerAsync();
        await using var producer = new EventHubProducerClient(emulator.ConnectionString("processor"));
        var processed = new ConcurrentDictionary<string, ConcurrentBag<string>>();
        var closedOnA = new ConcurrentBag<(string Partition, ProcessingStoppedReason Reason)>();
        var errors = new ConcurrentBag<ProcessErrorEventArgs>();
        EventProcessorClient Create(string name)
        {
            var processor = new EventProcessorClient(container, "cg1", emulator.ConnectionString("processor"), FastOptions(name));
            processor.ProcessEventAsync += async args =>
            {
                // Checkpoint first: an event counts as processed only once its checkpoint is stored.
                await args.UpdateCheckpointAsync(args.CancellationToken);
                processed.GetOrAdd(name, _ => []).Add(args.Data!.EventBody.ToString());
            };
            processor.ProcessErrorAsync += args =>
            {
                errors.Add(args);
                return Task.CompletedTask;
            };
            return processor;
        }

        await using var a = Create("a");
        a.PartitionClosingAsync += args =>
        {
            closedOnA.Add((args.PartitionId, args.Reason));
            return Task.CompletedTask;
        };
        await a.StartProcessingAsync(cancellationToken);
        await Eventually.TrueAsync(() => a.OwnedPartitionIds.Count == 4, cancellationToken, describe: () => $"a owns [{string.Join(",", a.OwnedPartitionIds)}]; processed {string.Join(";", processed.Select(kv => kv.Key + "=" + string.Join(",", kv.Value)))}; errors: {string.Join(" | ", errors.Select(e => e.Operation + ": " + e.Exception.Message))}");
        for (var p = 0; p < 4; p++)
        {
            await producer.SendAsync([new EventData($"before-{p}")], new SendEventOptions { PartitionId = $"{p}" }, cancellationToken);
        }

        await Eventually.TrueAsync(() => processed.GetValueOrDefault("a")?.Count >= 4, cancellationToken, describe: () => $"a owns [{string.Join(",", a.OwnedPartitionIds)}]; processed {string.Join(";", processed.Select(kv => kv.Key + "=" + string.Join(",", kv.Value)))}; errors: {string.Join(" | ", errors.Select(e => e.Operation + ": " + e.Exception.Message))}");

        await using var b = Create("b");
        await b.StartProcessingAsync(cancellationToken);
        await Eventually.TrueAsync(
            () => a.OwnedPartitionIds.Count == 2 && b.OwnedPartitionIds.Count == 2,
            cancellationToken,
            describe: () => $"a owns [{string.Join(",", a.OwnedPartitionIds)}], b owns [{string.Join(",", b.OwnedPartitionIds)}]; errors: {string.Join(" | ", errors.Select(e => e.Operation + ": " + e.Exception.Message))}");
        for (var p = 0; p < 4; p++)
        {
            await producer.SendAsync(Enumerable.Range(0, 5).Select(i => new EventData($"after-{p}-{i}")), new SendEventOptions { PartitionId = $"{p}" }, cancellationToken);
        }

        await Eventually.TrueAsync(() => processed.Values.SelectMany(v => v).Where(e => e.StartsWith("after", StringComparison.Ordinal)).Distinct().Count() == 20, cancellationToken, describe: () => $"a owns [{string.Join(",", a.OwnedPartitionIds)}]; processed {string.Join(";", processed.Select(kv => kv.Key + "=" + string.Join(",", kv.Value)))}; errors: {string.Join(" | ", errors.Select(e => e.Operation + ": " + e.Exception.Message))}");

        Assert.Empty(a.OwnedPartitionIds.Intersect(b.OwnedPartitionIds));
        Assert.Equal(2, closedOnA.Count(c => c.Reason == ProcessingStoppedReason.OwnershipLost));
        Assert.All(closedOnA, c => Assert.DoesNotContain(c.Partition, a.OwnedPartitionIds));
        var afterOnB = processed.GetValueOrDefault("b")?.Where(e => e.StartsWith("after", StringComparison.Ordinal)).ToList() ?? [];
        Assert.Equal(10, afterOnB.Distinct().Count());
        Assert.All(afterOnB, e => Assert.Contains(e.Split('-')[1], b.OwnedPartitionIds));
        Assert.DoesNotContain(processed.GetValueOrDefault("b") ?? [], e => e.StartsWith("before", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Exception is EventHubsException { Reason: not EventHubsException.FailureReason.ConsumerDisconnected });

        // Stopping gives partitions up at once: the other instance takes everything without waiting for expiry.
        await a.StopProcessingAsync(cancellationToken);
        await Eventually.TrueAsync(() => b.OwnedPartitionIds.Count == 4, cancellationToken, TimeSpan.FromSeconds(10), () => $"b owns [{string.Join(",", b.OwnedPartitionIds)}]");
    }

    [Fact]
    public async Task A_new_processor_resumes_after_the_last_checkpoint()
    {
        var container = await NewContainerAsync();
        await using var producer = new EventHubProducerClient(emulator.ConnectionString("resume"));
        await producer.SendAsync(Enumerable.Range(0, 10).Select(i => new EventData($"old-{i}")), new SendEventOptions { PartitionId = "0" }, cancellationToken);

        var first = new ConcurrentQueue<string>();
        await using (var processor = new EventProcessorClient(container, "cg1", emulator.ConnectionString("resume"), FastOptions("first")))
        {
            processor.ProcessEventBatchAsync += async args =>
            {
                await args.UpdateCheckpointAsync(args.CancellationToken);
                foreach (var e in args.Events)
                {
                    first.Enqueue(e.EventBody.ToString());
                }
            };
            processor.ProcessErrorAsync += _ => Task.CompletedTask;
            await processor.StartProcessingAsync(cancellationToken);
            await Eventually.TrueAsync(() => first.Count == 10, cancellationToken);
            await processor.StopProcessingAsync(cancellationToken);
        }

        await producer.SendAsync(Enumerable.Range(0, 5).Select(i => new EventData($"new-{i}")), new SendEventOptions { PartitionId = "0" }, cancellationToken);
        var second = new ConcurrentQueue<string>();
        await using var next = new EventProcessorClient(container, "cg1", emulator.ConnectionString("resume"), FastOptions("second"));
        next.ProcessEventAsync += args =>
        {
            second.Enqueue(args.Data!.EventBody.ToString());
            return Task.CompletedTask;
        };
        next.ProcessErrorAsync += _ => Task.CompletedTask;
        await next.StartProcessingAsync(cancellationToken);
        await Eventually.TrueAsync(() => second.Count >= 5, cancellationToken);
        await Task.Delay(500, cancellationToken);

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"old-{i}"), first);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"new-{i}"), second);
        var checkpoint = await container.GetBlobClient("localhost/resume/cg1/checkpoint/0").GetPropertiesAsync(cancellationToken: cancellationToken);
        Assert.Equal("9", checkpoint.Value.Metadata["sequencenumber"]);
    }
}
