using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Functions.EvaluateAllSignals;
using SafetySurveillance.Functions.Hosting;
using SafetySurveillance.Functions.IngestSafetyEvents;
using SafetySurveillance.Storage.Alerts;
using SafetySurveillance.Storage.Signals;

namespace SafetySurveillance.Functions.EvaluateSignals;

/// <summary>
/// Registers signal evaluation: the rules file (setting <c>SignalRules__Path</c>; the dashboard reads the same rule set),
/// the base64 queues, the Alerts and CusumCharts stores, the alert outbox, the evaluation service, and the ingestion's <c>signals-touched</c> hook.
/// </summary>
public static class EvaluateSignalsExtensions
{
    /// <summary>Adds the services of <c>EvaluateSignals</c>, <c>EvaluateAllSignals</c> and the alerts API's stores.</summary>
    public static IHostApplicationBuilder AddSignalEvaluation(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.AddStorageClients();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<SignalRulesOptions>()
            .BindConfiguration(SignalRulesOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The app's one rule set (the dashboard, registered after this, reads the same); resolved at start-up.
        services.TryAddSingleton<SignalRuleSet>(sp => SignalRulesSource.Load(sp.GetRequiredService<IOptions<SignalRulesOptions>>()));
        services.TryAddSingleton<StorageQueues>();
        services.TryAddSingleton<SignalsTouchedNotifier>();
        services.TryAddSingleton(sp => new SignalTableStore(
            sp.GetRequiredService<TableServiceClient>().GetTableClient(SignalTableStore.TableName),
            new SignalTableStoreOptions { TimeProvider = sp.GetRequiredService<TimeProvider>() }));
        services.TryAddSingleton(sp => new SignalPartitions(sp.GetRequiredService<TableServiceClient>().GetTableClient(SignalTableStore.TableName)));
        services.TryAddSingleton(sp => new AlertStore(sp.GetRequiredService<TableServiceClient>().GetTableClient(AlertStore.TableName)));
        services.TryAddSingleton(sp => new CusumChartStore(sp.GetRequiredService<TableServiceClient>().GetTableClient(CusumChartStore.TableName)));
        services.TryAddSingleton(sp => new AlertOutbox(sp.GetRequiredService<AlertStore>(), sp.GetRequiredService<StorageQueues>().Get(AlertOutbox.QueueName)));
        services.TryAddSingleton<SignalEvaluation>();
        services.AddHostedService<EvaluationStartup>();
        return builder;
    }

    /// <summary>Maps <c>POST /EvaluateSignals</c> and <c>POST /EvaluateAllSignals</c>.</summary>
    public static IEndpointRouteBuilder MapSignalEvaluation(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/" + EvaluateSignalsFunction.Name, EvaluateSignalsFunction.InvokeAsync);
        endpoints.MapPost("/" + EvaluateAllSignalsFunction.Name, EvaluateAllSignalsFunction.InvokeAsync);
        return endpoints;
    }
}
