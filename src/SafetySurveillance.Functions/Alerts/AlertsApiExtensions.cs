using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using SafetySurveillance.Functions.AcknowledgeAlert;
using SafetySurveillance.Functions.GetAlerts;
using SafetySurveillance.Functions.Hosting;
using SafetySurveillance.Functions.ResolveAlert;
using SafetySurveillance.Storage.Alerts;

namespace SafetySurveillance.Functions.Alerts;

/// <summary>Registers and maps the alerts API: <c>GetAlerts</c>, <c>AcknowledgeAlert</c>, <c>ResolveAlert</c>.</summary>
public static class AlertsApiExtensions
{
    /// <summary>
    /// Adds <see cref="DashboardOptions"/> (section <c>Dashboard</c>, validated at start) and the alert store (shared with
    /// <c>AddSignalEvaluation</c>, which also creates the table at start). The caller authenticator comes from the access registration; without one every
    /// request is refused with 401.
    /// </summary>
    public static IHostApplicationBuilder AddAlertsApi(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddStorageClients();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(sp => new AlertStore(sp.GetRequiredService<TableServiceClient>().GetTableClient(AlertStore.TableName)));
        builder.Services.AddOptions<DashboardOptions>()
            .BindConfiguration(DashboardOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }

    /// <summary>Maps <c>POST /GetAlerts</c>, <c>/AcknowledgeAlert</c> and <c>/ResolveAlert</c>.</summary>
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/" + GetAlertsFunction.Name, GetAlertsFunction.InvokeAsync);
        endpoints.MapPost("/" + AcknowledgeAlertFunction.Name, AcknowledgeAlertFunction.InvokeAsync);
        endpoints.MapPost("/" + ResolveAlertFunction.Name, ResolveAlertFunction.InvokeAsync);
        return endpoints;
    }
}
