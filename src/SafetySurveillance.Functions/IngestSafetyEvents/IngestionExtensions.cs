using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SafetySurveillance.Domain.Ingestion;
using SafetySurveillance.Domain.Pseudonymisation;
using SafetySurveillance.Functions.Configuration;
using SafetySurveillance.Storage.Ledger;

namespace SafetySurveillance.Functions.IngestSafetyEvents;

/// <summary>Registers ingestion: the pseudonymiser (key from configuration), the trust state store and the ingestion service.</summary>
public static class IngestionExtensions
{
    /// <summary>Adds the services <see cref="IngestSafetyEventsFunction"/> needs (the signal and dead-letter stores come from
    /// <c>AddSignalStorage</c> and <c>AddSubmitEvents</c>).</summary>
    public static IHostApplicationBuilder AddSafetyEventIngestion(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<Configuration.PseudonymisationOptions>>().Value;
            return new Pseudonymiser(new Domain.Pseudonymisation.PseudonymisationOptions { Key = options.Key, KeyId = options.KeyId });
        });
        services.TryAddSingleton(sp => new TableEventLedger(sp.GetRequiredService<TableServiceClient>().GetTableClient(TableEventLedger.TableName)));
        services.TryAddSingleton(sp => new IngestionRules
        {
            RequirePublisher = builder.Configuration.GetValue("Ingestion:RequirePublisher", true),
        });
        services.TryAddSingleton<SafetyEventIngestion>();
        services.AddHostedService<StorageInitializer>();
        return builder;
    }

    /// <summary>Maps <c>POST /IngestSafetyEvents</c>.</summary>
    public static IEndpointRouteBuilder MapIngestSafetyEvents(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/" + IngestSafetyEventsFunction.Name, IngestSafetyEventsFunction.InvokeAsync);
        return endpoints;
    }
}
