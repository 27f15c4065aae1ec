using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Invocation;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Storage.Signals;

namespace SafetySurveillance.Functions.GetPublicSummary;

/// <summary>
/// <c>GET /api/public/summary?procedure=&amp;period=</c>: anonymous, no sign-in. National and per-trust counts for
/// one procedure and one ended quarter with small-number suppression. 200 with a <see cref="PublicSummary"/>, 400
/// listing every bad parameter, 503 when storage fails. The national figures are the sums of the trust rows read
/// in the same query, so the published totals are exactly the sums the suppression protects against.
/// </summary>
public static partial class GetPublicSummaryFunction
{
    /// <summary>The function (folder) name.</summary>
    public const string Name = "GetPublicSummary";

    // "<8" written as is, not as "\u003C8": the body is JSON for people and programs, never embedded in HTML.
    private static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Handles one invocation.</summary>
    public static async Task<IResult> InvokeAsync(HttpContext context, SignalTableStore store, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggers);
        CancellationToken cancellationToken = context.RequestAborted;
        HttpRequestData? request = await ReadRequestAsync(context, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return Results.Json(new InvocationResponse { Logs = [$"{Name}: the invocation has no readable Data.req"] }, CustomHandlerJson.Options, statusCode: StatusCodes.Status400BadRequest);
        }

        if (!HttpMethods.IsGet(request.Method))
        {
            return Answer(StatusCodes.Status405MethodNotAllowed, new { error = "method_not_allowed", message = "Use GET." }, $"{Name}: method {request.Method} refused", cacheable: false);
        }

        DateOnly today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (!PublicSummaryQuery.TryParse(request.Query, today, out PublicSummaryQuery? query, out var problems))
        {
            return Answer(StatusCodes.Status400BadRequest, new { error = "invalid_query", problems }, $"{Name}: {problems.Count} invalid query parameter(s)", cacheable: false);
        }

        IReadOnlyList<(SignalKey Key, SignalRow Row)> rows;
        try
        {
            rows = await store.QueryAsync(query!.Procedure, query.Period, SignalScopeFilter.AllOf(SignalScopeKind.Trust), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RequestFailedException or SignalRowFormatException)
        {
            LogStorageFailure(loggers.CreateLogger(typeof(GetPublicSummaryFunction)), ex, query!.Procedure, query.Period.ToString());
            return Answer(StatusCodes.Status503ServiceUnavailable, new { error = "storage_unavailable", message = "Figures could not be read; try again later." }, $"{Name}: storage failed ({ex.GetType().Name})", cacheable: false);
        }

        var summary = PublicSummary.Create(query, rows.Select(r => (r.Key.Scope.Value!, r.Row.Totals)), today);
        return Answer(StatusCodes.Status200OK, summary, $"{Name}: {rows.Count} trust row(s) for {query.Procedure} {query.Period}", cacheable: true);
    }

    /// <summary>Maps <c>POST /GetPublicSummary</c>, the route the Functions host calls.</summary>
    public static IEndpointRouteBuilder MapGetPublicSummary(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/" + Name, InvokeAsync);
        return endpoints;
    }

    private static IResult Answer<T>(int status, T body, string log, bool cacheable)
    {
        var output = HttpResponseOutput.Json(status, JsonSerializer.Serialize(body, BodyJson));
        output.Headers["Cache-Control"] = cacheable ? "public, max-age=300" : "no-store";
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

    [LoggerMessage(EventId = 4301, Level = LogLevel.Error, Message = "GetPublicSummary could not read signal rows for {Procedure} {Period}")]
    private static partial void LogStorageFailure(ILogger logger, Exception exception, string procedure, string period);
}
