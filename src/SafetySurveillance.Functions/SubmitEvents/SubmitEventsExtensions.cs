using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetySurveillance.Domain.Ingestion;
using SafetySurveillance.EventHubs.Producer;
using SafetySurveillance.Functions.Configuration;
using SafetySurveillance.Functions.Hosting;
using SafetySurveillance.Storage.DeadLetters;
using SafetySurveillance.Storage.Trusts;
using DomainPseudonymisationOptions = SafetySurveillance.Domain.Pseudonymisation.PseudonymisationOptions;

namespace SafetySurveillance.Functions.SubmitEvents;

/// <summary>Registers and maps the <c>SubmitEvents</c> gateway.</summary>
public static class SubmitEventsExtensions
{
    /// <summary>
    /// Registers the gateway and what it needs, each once for the app: the Event Hubs producer (from
    /// <c>EventHubConnection</c> and <c>EventHubName</c>: a connection string locally, the namespace with a managed
    /// identity in Azure), the table and blob service clients (from <c>Storage</c>), the trust directory with its key
    /// hasher (secret derived from the pseudonymisation key), and the dead-letter store. Shared clients are added with
    /// TryAdd so other functions' registrations of the same types are kept.
    /// </summary>
    public static IHostApplicationBuilder AddSubmitEvents(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton(sp =>
        {
            var connection = sp.GetRequiredService<IOptions<EventHubConnectionOptions>>().Value;
            var hub = sp.GetRequiredService<IOptions<EventHubOptions>>().Value.HubName;
            // A trust waits on the answer (and the Functions front end gives up after 230 s), so tries are short and few:
            // at worst about 3 x 10 s plus back-off, then 503 and the trust retries.
            var options = new EventHubProducerClientOptions
            {
                Identifier = "SubmitEvents",
                RetryOptions = new EventHubs.EventHubsRetryOptions { MaximumRetries = 2, TryTimeout = TimeSpan.FromSeconds(10), MaximumDelay = TimeSpan.FromSeconds(5) },
            };
            return string.IsNullOrWhiteSpace(connection.ConnectionString)
                ? new EventHubProducerClient(connection.FullyQualifiedNamespace!, hub, StorageClientsExtensions.Credential(connection.Credential, connection.ClientId), options)
                : new EventHubProducerClient(connection.ConnectionString, hub, options);
        });

        builder.AddStorageClients();

        services.TryAddSingleton(sp =>
        {
            var key = sp.GetRequiredService<IOptions<PseudonymisationOptions>>().Value;
            return TrustKeyHasher.FromPseudonymisationKey(key.Key, key.KeyId);
        });

        services.TryAddSingleton(sp => new TrustDirectory(
            sp.GetRequiredService<TableServiceClient>().GetTableClient(TrustDirectory.TableName),
            sp.GetRequiredService<TrustKeyHasher>(),
            sp.GetRequiredService<TimeProvider>()));

        services.TryAddSingleton(sp => new GatewayDeadLetters(
            sp.GetRequiredService<DeadLetterStore>(),
            sp.GetRequiredService<TableServiceClient>().GetTableClient(DeadLetterStore.TableName),
            sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(DeadLetterStore.ContainerName)));

        services.TryAddSingleton(sp => new HubForwarder(sp.GetRequiredService<EventHubProducerClient>()));
        services.TryAddSingleton(sp => new TrustEventGateway(
            sp.GetRequiredService<TrustDirectory>(),
            sp.GetRequiredService<HubForwarder>(),
            sp.GetRequiredService<GatewayDeadLetters>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<TrustEventGateway>>()));
        return builder;
    }

    /// <summary>Maps <c>POST /SubmitEvents</c>, the route the Functions host calls.</summary>
    public static IEndpointRouteBuilder MapSubmitEvents(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/" + SubmitEventsFunction.Name, SubmitEventsFunction.InvokeAsync);
        return endpoints;
    }

}
