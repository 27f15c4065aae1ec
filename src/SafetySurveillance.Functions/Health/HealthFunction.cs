using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Invocation;

namespace SafetySurveillance.Functions.Health;

/// <summary>
/// <c>GET /api/health</c>: answers that the handler is up. The host only starts forwarding invocations after
/// the handler answered its readiness probe and every options class validated, so reaching this code means the
/// app's configuration is complete.
/// </summary>
public static class HealthFunction
{
    /// <summary>The function (folder) name.</summary>
    public const string Name = "Health";

    private static readonly string Version =
        typeof(HealthFunction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Builds the invocation answer: HTTP 200 with a small JSON body.</summary>
    public static IResult Invoke(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var body = JsonSerializer.Serialize(new HealthReport("Healthy", Version, time.GetUtcNow()), HealthJson.Options);
        var response = InvocationResponse.ForHttp(HttpResponseOutput.Json(StatusCodes.Status200OK, body), logs: ["Health: healthy"]);
        return Results.Json(response, CustomHandlerJson.Options);
    }

    private sealed record HealthReport(string Status, string Version, DateTimeOffset CheckedAt);

    private static class HealthJson
    {
        public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
    }
}
