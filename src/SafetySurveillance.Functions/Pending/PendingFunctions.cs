using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Invocation;

namespace SafetySurveillance.Functions.Pending;

/// <summary>
/// Functions whose function.json exists but whose implementation has not landed yet. They answer honestly
/// rather than pretending to work:
/// HTTP functions return HTTP 501 to the caller (a 200 invocation answer whose <c>res</c> output is a 501);
/// <c>IngestSafetyEvents</c> answers the host with 501, which the host treats as a failed invocation
/// (retried per function.json, then the checkpoint advances: events are NOT processed while this stands).
/// </summary>
public static class PendingFunctions
{
    /// <summary>The Event Hubs-triggered ingest function.</summary>
    public const string IngestSafetyEvents = nameof(IngestSafetyEvents);

    /// <summary>Maps the not-yet-implemented functions.</summary>
    public static IEndpointRouteBuilder MapPendingFunctions(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var failed = new InvocationResponse { Logs = [$"{IngestSafetyEvents}: not implemented yet; events were not processed"] };
        endpoints.MapPost("/" + IngestSafetyEvents, () => Results.Json(failed, CustomHandlerJson.Options, statusCode: StatusCodes.Status501NotImplemented));
        return endpoints;
    }
}
