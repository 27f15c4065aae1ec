using System.Text.Json;
using Azure.Storage.Blobs;
using SafetySurveillance.EventHubs.Processor;
using SafetySurveillance.EventHubs.Tests.CrossClient;
using SafetySurveillance.TestInfrastructure;
using SafetySurveillance.TestInfrastructure.Azurite;

namespace SafetySurveillance.EventHubs.Tests.Processor;

public sealed class BlobCheckpointStoreTests(AzuriteFixture azurite)
{
    private readonly CancellationToken cancellationToken = TestContext.Current.CancellationToken;

    private async Task<BlobContainerClient> NewContainerAsync()
    {
        var container = azurite.CreateBlobServiceClient().GetBlobContainerClient(UniqueName.Container("checkpoints"));
        await container.CreateAsync(cancellationToken: cancellationToken);
        return container;
    }

    private static EventProcessorPartitionOwnership Ownership(string partitionId, string owner, string? version = null) => new()
    {
        FullyQualifiedNamespace = "LocalHost",
        EventHubName = "Safety-Events",
        ConsumerGroup = "$Default",
        PartitionId = partitionId,
        OwnerIdentifier = owner,
        Version = version,
    };

    [Fact]
    public async Task Records_are_empty_blobs_with_metadata_under_lower_cased_names()
    {
        var container = await NewContainerAsync();
        var store = new BlobCheckpointStore(container);

        await store.ClaimOwnershipAsync([Ownership("0", "owner-a")], cancellationToken);
        await store.UpdateCheckpointAsync(
            new EventProcessorCheckpoint { FullyQualifiedNamespace = "LocalHost", EventHubName = "Safety-Events", ConsumerGroup = "$Default", PartitionId = "0", Offset = "4096", SequenceNumber = 17 },
            cancellationToken);

        var blobs = new Dictionary<string, IDictionary<string, string>>();
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.Metadata, Azure.Storage.Blobs.Models.BlobStates.None, null, cancellationToken))
        {
            Assert.Equal(0, blob.Properties.ContentLength);
            blobs[blob.Name] = blob.Metadata;
        }

        Assert.Equal(["localhost/safety-events/$default/checkpoint/0", "localhost/safety-events/$default/ownership/0"], blobs.Keys.Order());
        Assert.Equal("owner-a", blobs["localhost/safety-events/$default/ownership/0"]["ownerid"]);
        Assert.Equal("4096", blobs["localhost/safety-events/$default/checkpoint/0"]["offset"]);
        Assert.Equal("17", blobs["localhost/safety-events/$default/checkpoint/0"]["sequencenumber"]);
    }

    [Fact]
    public async Task A_claim_with_a_stale_etag_is_lost_and_a_fresh_one_wins()
    {
        var store = new BlobCheckpointStore(await NewContainerAsync());
        var first = Assert.Single(await store.ClaimOwnershipAsync([Ownership("1", "a")], cancellationToken));
        var renewed = Assert.Single(await store.ClaimOwnershipAsync([Ownership("1", "a", first.Version)], cancellationToken));

        var stale = await store.ClaimOwnershipAsync([Ownership("1", "b", first.Version)], cancellationToken);
        var blind = await store.ClaimOwnershipAsync([Ownership("1", "b")], cancellationToken);
        var fresh = await store.ClaimOwnershipAsync([Ownership("1", "b", renewed.Version)], cancellationToken);

        Assert.Empty(stale);
        Assert.Empty(blind);
        Assert.Single(fresh);
        var listed = Assert.Single(await store.ListOwnershipAsync("localhost", "safety-events", "$default", cancellationToken));
        Assert.Equal("b", listed.OwnerIdentifier);
        Assert.Equal(fresh[0].Version, listed.Version);
        Assert.True(listed.LastModifiedTime > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task A_missing_checkpoint_reads_as_none()
    {
        var store = new BlobCheckpointStore(await NewContainerAsync());

        Assert.Null(await store.GetCheckpointAsync("localhost", "eh1", "$Default", "0", cancellationToken));
    }

    [Fact]
    public async Task A_checkpoint_written_by_the_official_js_store_is_read_here()
    {
        var container = await NewContainerAsync();
        await Node.RunAsync("checkpoint-store.js", [azurite.ConnectionString, container.Name, "write-checkpoint", "localhost", "eh1", "$Default", "3", "8192", "41"], cancellationToken);

        var checkpoint = await new BlobCheckpointStore(container).GetCheckpointAsync("localhost", "eh1", "$Default", "3", cancellationToken);

        Assert.NotNull(checkpoint);
        Assert.Equal("8192", checkpoint.Offset);
        Assert.Equal(41, checkpoint.SequenceNumber);
    }

    [Fact]
    public async Task A_checkpoint_and_an_ownership_written_here_are_read_by_the_official_js_store()
    {
        var container = await NewContainerAsync();
        var store = new BlobCheckpointStore(container);
        await store.UpdateCheckpointAsync(
            new EventProcessorCheckpoint { FullyQualifiedNamespace = "localhost", EventHubName = "eh1", ConsumerGroup = "$Default", PartitionId = "2", Offset = "512", SequenceNumber = 9 },
            cancellationToken);
        var claimed = Assert.Single(await store.ClaimOwnershipAsync([Ownership("2", "dotnet-owner")], cancellationToken));

        using var checkpoints = JsonDocument.Parse(await Node.RunAsync("checkpoint-store.js", [azurite.ConnectionString, container.Name, "list-checkpoints", "localhost", "eh1", "$Default"], cancellationToken));
        using var owners = JsonDocument.Parse(await Node.RunAsync("checkpoint-store.js", [azurite.ConnectionString, container.Name, "list-ownership", "localhost", "safety-events", "$Default"], cancellationToken));

        var checkpoint = Assert.Single(checkpoints.RootElement.EnumerateArray());
        Assert.Equal("2", checkpoint.GetProperty("partitionId").GetString());
        Assert.Equal("512", checkpoint.GetProperty("offset").GetString());
        Assert.Equal(9, checkpoint.GetProperty("sequenceNumber").GetInt64());
        var owner = Assert.Single(owners.RootElement.EnumerateArray());
        Assert.Equal("dotnet-owner", owner.GetProperty("ownerId").GetString());
        Assert.Equal(claimed.Version, owner.GetProperty("etag").GetString());
    }

    [Fact]
    public async Task An_ownership_claimed_by_the_official_js_store_blocks_a_blind_claim_here()
    {
        var container = await NewContainerAsync();
        await Node.RunAsync("checkpoint-store.js", [azurite.ConnectionString, container.Name, "claim", "localhost", "eh1", "$Default", "0", "js-owner"], cancellationToken);
        var store = new BlobCheckpointStore(container);

        var listed = Assert.Single(await store.ListOwnershipAsync("localhost", "eh1", "$Default", cancellationToken));
        var blind = await store.ClaimOwnershipAsync([listed.With("dotnet", version: null)], cancellationToken);
        var conditional = await store.ClaimOwnershipAsync([listed.With("dotnet", listed.Version)], cancellationToken);

        Assert.Equal("js-owner", listed.OwnerIdentifier);
        Assert.Empty(blind);
        Assert.Single(conditional);
    }
}

internal static class OwnershipExtensions
{
    public static EventProcessorPartitionOwnership With(this EventProcessorPartitionOwnership record, string owner, string? version) => new()
    {
        FullyQualifiedNamespace = record.FullyQualifiedNamespace,
        EventHubName = record.EventHubName,
        ConsumerGroup = record.ConsumerGroup,
        PartitionId = record.PartitionId,
        OwnerIdentifier = owner,
        Version = version,
    };
}
