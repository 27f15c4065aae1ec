using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafetySurveillance.Functions.Alerts;
using SafetySurveillance.Functions.Dashboard;
using SafetySurveillance.Functions.DispatchGovernanceAlerts;
using SafetySurveillance.Functions.EvaluateSignals;
using SafetySurveillance.Functions.GetPublicSummary;
using SafetySurveillance.Functions.GetSignals;
using SafetySurveillance.Functions.Health;
using SafetySurveillance.Functions.IngestSafetyEvents;
using SafetySurveillance.Functions.SubmitEvents;

namespace SafetySurveillance.Functions.Hosting;

/// <summary>Maps the routes the Functions host calls: <c>GET /</c> (readiness) and <c>POST /{FunctionName}</c>.</summary>
public static class CustomHandlerEndpoints
{
    /// <summary>Maps the readiness probe and one POST route per function folder.</summary>
    public static IEndpointRouteBuilder MapCustomHandler(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // The host polls GET / until any HTTP answer arrives; answer it explicitly rather than with a 404.
        endpoints.MapGet("/", () => Results.Text("SafetySurveillance.Functions custom handler is running."));

        endpoints.MapPost("/" + HealthFunction.Name, HealthFunction.Invoke);
        endpoints.MapSubmitEvents();
        endpoints.MapGetSignals();
        endpoints.MapGetPublicSummary();
        endpoints.MapDashboard();
        endpoints.MapIngestSafetyEvents();
        endpoints.MapDispatchGovernanceAlerts();
        endpoints.MapSignalEvaluation();
        endpoints.MapAlertsApi();
        return endpoints;
    }
}
