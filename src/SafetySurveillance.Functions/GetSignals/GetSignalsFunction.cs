using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Invocation;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Storage.Signals;

namespace SafetySurveillance.Functions.GetSignals;

/// <summary>
/// <c>GET /api/signals?procedure=&amp;period=&amp;scope=</c>: the reviewer API. The host calls <c>POST /GetSignals</c>
/// with the request in <c>Data.req</c>; the answer goes back in <c>Outputs.res</c>: 200 with a
/// <see cref="SignalReport"/>, 400 listing every bad parameter, 401/403 from the access policy, 503 when storage
/// fails. Rows hold aggregates only, so nothing patient-level can be returned.
/// </summary>
public static partial class GetSignalsFunction
{
    /// <summary>The function (folder) name.</summary>
    public const string Name = "GetSignals";

    private static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    /// <summary>Handles one invocation.</summary>
    public static async Task<IResult> InvokeAsync(HttpContext context, SignalTableStore store, ISignalsAccessPolicy access, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggers);
        CancellationToken cancellationToken = context.RequestAborted;
        HttpRequestData? request = await ReadRequestAsync(context, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            // Not what the Functions host sends: fail the invocation rather than guess.
            return Results.Json(new InvocationResponse { Logs = [$"{Name}: the invocation has no readable Data.req"] }, CustomHandlerJson.Options, statusCode: StatusCodes.Status400BadRequest);
        }

        if (!HttpMethods.IsGet(request.Method))
        {
            return Answer(StatusCodes.Status405MethodNotAllowed, new { error = "method_not_allowed", message = "Use GET." }, $"{Name}: method {request.Method} refused");
        }

        if (!SignalQuery.TryParse(request.Query, out SignalQuery? query, out IReadOnlyList<QueryProblem> problems))
        {
            return Answer(StatusCodes.Status400BadRequest, new { error = "invalid_query", problems }, $"{Name}: {problems.Count} invalid query parameter(s)");
        }

        SignalsAccess decision = await access.CheckAsync(request, query!, cancellationToken).ConfigureAwait(false);
        if (decision.Query is not { } allowed)
        {
            int status = decision.DeniedStatus is >= 400 and < 500 ? decision.DeniedStatus : StatusCodes.Status403Forbidden;
            return Answer(status, new { error = "access_denied", message = decision.DeniedReason }, $"{Name}: access denied ({status})");
        }

        IReadOnlyList<(SignalKey Key, SignalRow Row)> rows;
        try
        {
            rows = await store.QueryAsync(allowed.Procedure, allowed.Period, allowed.Scope, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RequestFailedException or SignalRowFormatException)
        {
            LogStorageFailure(loggers.CreateLogger(typeof(GetSignalsFunction)), ex, allowed.Procedure, allowed.Period.ToString());
            return Answer(StatusCodes.Status503ServiceUnavailable, new { error = "storage_unavailable", message = "Signals could not be read; try again later." }, $"{Name}: storage failed ({ex.GetType().Name})");
        }

        var report = SignalReport.Create(allowed, rows, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        return Answer(StatusCodes.Status200OK, report, $"{Name}: {rows.Count} row(s) for {allowed.Procedure} {allowed.Period} {allowed.Scope}");
    }

    private static IResult Answer<T>(int status, T body, string log)
    {
        var output = HttpResponseOutput.Json(status, JsonSerializer.Serialize(body, BodyJson));
        output.Headers["Cache-Control"] = "no-store";
        return Results.Json(InvocationResponse.ForHttp(output, logs: [log]), CustomHandlerJson.Options);
    }

    private static async Task<HttpRequestData?> ReadRequestAsync(HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            InvocationRequest? invocation = await JsonSerializer.DeserializeAsync(context.Request.Body, CustomHandlerJson.Options.GetTypeInfo<InvocationRequest>(), cancellationToken).ConfigureAwait(false);
            return invocation is null ? null : HttpRequestData.From(invocation);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "GetSignals could not read signal rows for {Procedure} {Period}")]
    private static partial void LogStorageFailure(ILogger logger, Exception exception, string procedure, string period);
}
