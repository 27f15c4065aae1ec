using System.ComponentModel.DataAnnotations;

namespace SafetySurveillance.Functions.Configuration;

/// <summary>
/// The storage account that holds the app's own tables, queues and blobs (setting prefix <c>Storage</c>).
/// Either a connection string (locally: <c>UseDevelopmentStorage=true</c> or explicit Azurite endpoints) or
/// the three service URIs with a managed identity (in Azure).
/// </summary>
[ServiceConnection]
public sealed class StorageOptions : IValidatableObject
{
    /// <summary>The configuration prefix: <c>Storage</c> (value) and <c>Storage__*</c> (children).</summary>
    public const string SectionName = "Storage";

    /// <summary>A storage connection string; read from the value of the <c>Storage</c> setting itself.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Table service endpoint, e.g. <c>https://account.table.core.windows.net</c>.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Queue service endpoint, e.g. <c>https://account.queue.core.windows.net</c>.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>Blob service endpoint, e.g. <c>https://account.blob.core.windows.net</c>.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary><c>managedidentity</c> when the endpoints are used with a managed identity.</summary>
    public string? Credential { get; set; }

    /// <summary>Client id of the user-assigned managed identity.</summary>
    public string? ClientId { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield break;
        }

        if (TableServiceUri is null || QueueServiceUri is null || BlobServiceUri is null)
        {
            yield return new ValidationResult(
                "Set either 'Storage' to a connection string, or 'Storage__tableServiceUri', 'Storage__queueServiceUri' and 'Storage__blobServiceUri'.",
                [nameof(ConnectionString), nameof(TableServiceUri), nameof(QueueServiceUri), nameof(BlobServiceUri)]);
        }
    }
}
