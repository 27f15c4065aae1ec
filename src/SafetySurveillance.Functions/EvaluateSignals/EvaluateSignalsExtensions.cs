using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using SafetySurveillance.Functions.Hosting;
using SafetySurveillance.Functions.IngestSafetyEvents;

namespace SafetySurveillance.Functions.EvaluateSignals;

/// <summary>Registers signal evaluation: the app's base64 queues and the ingestion's <c>signals-touched</c> hook.</summary>
public static class EvaluateSignalsExtensions
{
    /// <summary>Adds the services of <c>EvaluateSignals</c> and <c>EvaluateAllSignals</c>.</summary>
    public static IHostApplicationBuilder AddSignalEvaluation(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.AddStorageClients();
        services.TryAddSingleton<StorageQueues>();
        services.TryAddSingleton<SignalsTouchedNotifier>();
        return builder;
    }
}
