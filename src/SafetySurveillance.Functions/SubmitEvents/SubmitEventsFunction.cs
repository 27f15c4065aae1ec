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
            return HttpRequestData.From(invocation);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
