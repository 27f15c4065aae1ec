using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Invocation;

namespace SafetySurveillance.Functions.SubmitEvents;

/// <summary>
/// <c>POST /api/trusts/{ods}/events</c>: the HTTPS gateway for trusts. The host calls <c>POST /SubmitEvents</c> with the
/// request in <c>Data.req</c>; the answer goes back in <c>Outputs.res</c>. The invocation itself always succeeds
/// (HTTP 200 to the host) unless the request envelope is unreadable, so the trust always gets our answer.
/// </summary>
public static class SubmitEventsFunction
{
    /// <summary>The function (folder) name.</summary>
    public const string Name = "SubmitEvents";

    /// <summary>Handles one invocation.</summary>
    public static async Task<IResult> InvokeAsync(HttpContext context, TrustEventGateway gateway)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(gateway);
        var cancellationToken = context.RequestAborted;
        InvocationRequest? invocation;
        try
        {
            invocation = await JsonSerializer.DeserializeAsync(context.Request.Body, CustomHandlerJson.Options.GetTypeInfo<InvocationRequest>(), cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            invocation = null;
        }

        var request = invocation is null ? null : ReadRequest(invocation);
        if (request is null)
        {
            // Not what the Functions host sends: fail the invocation rather than guess.
            return Results.Json(new InvocationResponse { Logs = ["SubmitEvents: the invocation has no readable Data.req"] }, CustomHandlerJson.Options, statusCode: StatusCodes.Status400BadRequest);
        }

        var answer = await gateway.SubmitAsync(request, cancellationToken).ConfigureAwait(false);
        var output = HttpResponseOutput.Json(answer.StatusCode, answer.Body);
        foreach (var (name, value) in answer.Headers)
        {
            output.Headers[name] = value;
        }

        return Results.Json(InvocationResponse.ForHttp(output, logs: answer.Logs), CustomHandlerJson.Options);
    }

    private static HttpRequestData? ReadRequest(InvocationRequest invocation)
    {
        try
        {
            return HttpRequestData.From(WithQueryAsObject(invocation));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Some Functions host versions write <c>Query</c> JSON-encoded as a string (<c>GetQueryCollectionAsString</c>),
    /// which <see cref="HttpRequestData"/> cannot bind; turn it back into an object. The gateway does not read the
    /// query; this only keeps such a request from failing.
    /// </summary>
    private static InvocationRequest WithQueryAsObject(InvocationRequest invocation)
    {
        if (!invocation.Data.TryGetValue("req", out var req) || req.ValueKind != JsonValueKind.Object
            || !req.TryGetProperty("Query", out var query) || query.ValueKind != JsonValueKind.String)
        {
            return invocation;
        }

        var node = System.Text.Json.Nodes.JsonNode.Parse(req.GetRawText())!.AsObject();
        System.Text.Json.Nodes.JsonNode? parsed;
        try
        {
            parsed = System.Text.Json.Nodes.JsonNode.Parse(query.GetString() ?? "{}");
        }
        catch (JsonException)
        {
            parsed = null;
        }

        node["Query"] = parsed is System.Text.Json.Nodes.JsonObject ? parsed : new System.Text.Json.Nodes.JsonObject();
        var data = new Dictionary<string, JsonElement>(invocation.Data, StringComparer.Ordinal) { ["req"] = JsonSerializer.SerializeToElement(node) };
        return invocation with { Data = data };
    }
}
