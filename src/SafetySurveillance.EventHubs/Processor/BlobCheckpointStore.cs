using System.Globalization;
using System.Net;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace SafetySurveillance.EventHubs.Processor;

/// <summary>
/// The official processors' blob layout: empty blobs <c>{namespace}/{hub}/{consumer group}/ownership/{partition}</c>
/// (metadata <c>ownerid</c>; time = Last-Modified, version = ETag) and <c>…/checkpoint/{partition}</c> (metadata
/// <c>offset</c>, <c>sequencenumber</c>), namespace, hub and consumer group lower-cased. Readable and writable by
/// <c>@azure/eventhubs-checkpointstore-blob</c> and <c>Azure.Messaging.EventHubs.Processor</c>.
/// </summary>
public sealed class BlobCheckpointStore : CheckpointStore
{
    internal const string OwnerIdentifierKey = "ownerid";
    internal const string OffsetKey = "offset";
    internal const string SequenceNumberKey = "sequencenumber";

    private readonly BlobContainerClient container;

    /// <summary>Creates a store over an existing container.</summary>
    public BlobCheckpointStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        this.container = container;
    }

    /// <summary>The blob name prefix of a consumer group's records of one kind (<c>ownership</c> or <c>checkpoint</c>).</summary>
    public static string BlobPrefix(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string kind)
        => $"{fullyQualifiedNamespace.ToLowerInvariant()}/{eventHubName.ToLowerInvariant()}/{consumerGroup.ToLowerInvariant()}/{kind}/";

    // Listings return ETags bare and write responses return them quoted; versions are kept bare, as the JS store reports them.
    private static string Unquoted(ETag etag) => etag.ToString().Trim('"');

    /// <inheritdoc />
    public override async Task<IReadOnlyList<EventProcessorPartitionOwnership>> ListOwnershipAsync(
        string fullyQualifiedNamespace, string eventHubName, string consumerGroup, CancellationToken cancellationToken = default)
    {
        var prefix = BlobPrefix(fullyQualifiedNamespace, eventHubName, consumerGroup, "ownership");
        var result = new List<EventProcessorPartitionOwnership>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix, cancellationToken).ConfigureAwait(false))
        {
            result.Add(new EventProcessorPartitionOwnership
            {
                FullyQualifiedNamespace = fullyQualifiedNamespace,
                EventHubName = eventHubName,
                ConsumerGroup = consumerGroup,
                PartitionId = blob.Name[prefix.Length..],
                OwnerIdentifier = blob.Metadata.TryGetValue(OwnerIdentifierKey, out var owner) ? owner : string.Empty,
                LastModifiedTime = blob.Properties.LastModified ?? DateTimeOffset.MinValue,
                Version = blob.Properties.ETag is { } listed ? Unquoted(listed) : null,
            });
        }

        return result;
    }

    /// <inheritdoc />
    public override async Task<IReadOnlyList<EventProcessorPartitionOwnership>> ClaimOwnershipAsync(
        IEnumerable<EventProcessorPartitionOwnership> desiredOwnership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(desiredOwnership);
        var claimed = new List<EventProcessorPartitionOwnership>();
        foreach (var desired in desiredOwnership)
        {
            var name = BlobPrefix(desired.FullyQualifiedNamespace, desired.EventHubName, desired.ConsumerGroup, "ownership") + desired.PartitionId;
            var blob = container.GetBlockBlobClient(name);
            var metadata = new Dictionary<string, string> { [OwnerIdentifierKey] = desired.OwnerIdentifier };
            try
            {
                ETag etag;
                DateTimeOffset lastModified;
                if (desired.Version is { } version)
                {
                    var response = await blob.SetMetadataAsync(metadata, new BlobRequestConditions { IfMatch = new ETag(version) }, cancellationToken).ConfigureAwait(false);
                    (etag, lastModified) = (response.Value.ETag, response.Value.LastModified);
                }
                else
                {
                    using var empty = new MemoryStream([]);
                    var response = await blob.UploadAsync(
                        empty,
                        new BlobUploadOptions { Metadata = metadata, Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                        cancellationToken).ConfigureAwait(false);
                    (etag, lastModified) = (response.Value.ETag, response.Value.LastModified);
                }

                claimed.Add(new EventProcessorPartitionOwnership
                {
                    FullyQualifiedNamespace = desired.FullyQualifiedNamespace,
                    EventHubName = desired.EventHubName,
                    ConsumerGroup = desired.ConsumerGroup,
                    PartitionId = desired.PartitionId,
                    OwnerIdentifier = desired.OwnerIdentifier,
                    LastModifiedTime = lastModified,
                    Version = Unquoted(etag),
                });
            }
            catch (RequestFailedException failure) when (failure.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict or (int)HttpStatusCode.NotFound)
            {
                // Another processor changed or created the record first: this claim is lost, which is not an error.
            }
        }

        return claimed;
    }

    /// <inheritdoc />
    public override async Task<EventProcessorCheckpoint?> GetCheckpointAsync(
        string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId, CancellationToken cancellationToken = default)
    {
        var blob = container.GetBlobClient(BlobPrefix(fullyQualifiedNamespace, eventHubName, consumerGroup, "checkpoint") + partitionId);
        try
        {
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var metadata = properties.Value.Metadata;
            metadata.TryGetValue(OffsetKey, out var offset);
            long? sequenceNumber = metadata.TryGetValue(SequenceNumberKey, out var text)
                && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            if (string.IsNullOrEmpty(offset) && sequenceNumber is null)
            {
                return null;
            }

            return new EventProcessorCheckpoint
            {
                FullyQualifiedNamespace = fullyQualifiedNamespace,
                EventHubName = eventHubName,
                ConsumerGroup = consumerGroup,
                PartitionId = partitionId,
                Offset = string.IsNullOrEmpty(offset) ? null : offset,
                SequenceNumber = sequenceNumber,
            };
        }
        catch (RequestFailedException failure) when (failure.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public override async Task UpdateCheckpointAsync(EventProcessorCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var blob = container.GetBlockBlobClient(BlobPrefix(checkpoint.FullyQualifiedNamespace, checkpoint.EventHubName, checkpoint.ConsumerGroup, "checkpoint") + checkpoint.PartitionId);
        var metadata = new Dictionary<string, string>
        {
            [SequenceNumberKey] = (checkpoint.SequenceNumber ?? -1).ToString(CultureInfo.InvariantCulture),
            [OffsetKey] = checkpoint.Offset ?? string.Empty,
        };
        try
        {
            await blob.SetMetadataAsync(metadata, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException failure) when (failure.ErrorCode == BlobErrorCode.BlobNotFound)
        {
            using var empty = new MemoryStream([]);
            await blob.UploadAsync(empty, new BlobUploadOptions { Metadata = metadata }, cancellationToken).ConfigureAwait(false);
        }
    }
}
