using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SafetySurveillance.Domain.Ingestion;
using SafetySurveillance.Functions.Configuration;
using SafetySurveillance.Storage.DeadLetters;
using DomainPseudonymisationOptions = SafetySurveillance.Domain.Pseudonymisation.PseudonymisationOptions;

namespace SafetySurveillance.Functions.Hosting;

/// <summary>
/// The clients every function shares, registered once: table and blob service clients for the app's storage
/// (<c>Storage</c>: a connection string locally; service URIs with the managed identity in Azure), the dead-letter
/// payload protector (key derived from the pseudonymisation key) and the dead-letter store.
/// </summary>
public static class StorageClientsExtensions
{
    /// <summary>Registers the shared storage clients (idempotent).</summary>
    public static IHostApplicationBuilder AddStorageClients(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return string.IsNullOrWhiteSpace(storage.ConnectionString)
                ? new TableServiceClient(storage.TableServiceUri!, Credential(storage.Credential, storage.ClientId))
                : new TableServiceClient(storage.ConnectionString);
        });
        services.TryAddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return string.IsNullOrWhiteSpace(storage.ConnectionString)
                ? new BlobServiceClient(storage.BlobServiceUri!, Credential(storage.Credential, storage.ClientId))
                : new BlobServiceClient(storage.ConnectionString);
        });
        services.TryAddSingleton(sp =>
        {
            var key = sp.GetRequiredService<IOptions<PseudonymisationOptions>>().Value;
            return new PayloadProtector(new DomainPseudonymisationOptions { Key = key.Key, KeyId = key.KeyId });
        });
        services.TryAddSingleton(sp => new DeadLetterStore(
            sp.GetRequiredService<TableServiceClient>().GetTableClient(DeadLetterStore.TableName),
            sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(DeadLetterStore.ContainerName),
            sp.GetRequiredService<PayloadProtector>()));
        return builder;
    }

    /// <summary>The Functions convention for identity-based connections: <c>credential=managedidentity</c>
    /// (+ <c>clientId</c> for a user-assigned identity); otherwise the default credential chain.</summary>
    public static TokenCredential Credential(string? credential, string? clientId) =>
        string.Equals(credential, "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(string.IsNullOrWhiteSpace(clientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
}
