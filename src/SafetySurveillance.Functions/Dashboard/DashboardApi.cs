using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Invocation;
using SafetySurveillance.Functions.Access;

namespace SafetySurveillance.Functions.Dashboard;

/// <summary>
/// What the dashboard's data APIs (<c>GetFunnel</c>, <c>GetTrends</c>, <c>GetCompleteness</c>) share: reading the
/// HTTP-trigger invocation, authenticating the caller, and answering in <c>Outputs.res</c> with JSON that is never
/// cached (the figures depend on who asks).
/// </summary>
public static class DashboardApi
{
    /// <summary>JSON of every data API body: camel case, nulls written, enums as strings.</summary>
    public static JsonSerializerOptions BodyJson { get; } = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>Reads <c>Data.req</c> of the invocation; null when the host sent something else.</summary>
    public static async Task<HttpRequestData?> ReadRequestAsync(HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
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

    /// <summary>
    /// The opening every signed-in HTTP function shares: reads <c>Data.req</c>, checks the method, authenticates.
    /// Either <see cref="SignedInRequest.Refusal"/> is the answer to return as is, or the request and its caller are set.
    /// </summary>
    /// <param name="context">The invocation.</param>
    /// <param name="services">Where the <see cref="ICallerAuthenticator"/> is registered.</param>
    /// <param name="function">The function's name, for log lines.</param>
    /// <param name="method">The one HTTP method the function answers (<c>GET</c> or <c>POST</c>).</param>
    /// <param name="cancellationToken">Cancels the read and the authentication.</param>
    public static async Task<SignedInRequest> BeginAsync(HttpContext context, IServiceProvider services, string function, string method, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        HttpRequestData? request = await ReadRequestAsync(context, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return new SignedInRequest(null, null, Unreadable(function));
        }

        if (!string.Equals(request.Method, method, StringComparison.OrdinalIgnoreCase))
        {
            return new SignedInRequest(request, null, MethodNotAllowed(function, request.Method, method.ToUpperInvariant()));
        }

        Authentication authentication = await AuthenticateAsync(services, request, cancellationToken).ConfigureAwait(false);
        return authentication.Caller is { } caller
            ? new SignedInRequest(request, caller, null)
            : new SignedInRequest(request, null, Denied(function, authentication));
    }

    /// <summary>
    /// Authenticates the request with the registered <see cref="ICallerAuthenticator"/>. Fails closed: with no
    /// authenticator registered every request is refused with 401.
    /// </summary>
    public static async ValueTask<Authentication> AuthenticateAsync(IServiceProvider services, HttpRequestData request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(request);
        ICallerAuthenticator? authenticator = services.GetService<ICallerAuthenticator>();
        if (authenticator is null)
        {
            return Authentication.Deny(StatusCodes.Status401Unauthorized, "Sign-in is not configured for this app.");
        }

        Authentication answer = await authenticator.AuthenticateAsync(request, cancellationToken).ConfigureAwait(false);
        return answer.Caller is null && answer.DeniedStatus is not (StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
            ? answer with { DeniedStatus = StatusCodes.Status403Forbidden }
            : answer;
    }

    /// <summary>The invocation failed before a request could be read (not what the Functions host sends).</summary>
    public static IResult Unreadable(string function) =>
        Results.Json(new InvocationResponse { Logs = [$"{function}: the invocation has no readable Data.req"] }, CustomHandlerJson.Options, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>An answer with a JSON body, <c>Cache-Control: no-store</c> and one log line.</summary>
    public static IResult Answer<T>(int status, T body, string log)
    {
        var output = HttpResponseOutput.Json(status, JsonSerializer.Serialize(body, BodyJson));
        output.Headers["Cache-Control"] = "no-store";
        output.Headers["X-Content-Type-Options"] = "nosniff";
        if (status == StatusCodes.Status401Unauthorized)
        {
            output.Headers["WWW-Authenticate"] = "Bearer";
        }

        return Results.Json(InvocationResponse.ForHttp(output, logs: [log]), CustomHandlerJson.Options);
    }

    /// <summary>A 401/403 answer for a refused authentication.</summary>
    public static IResult Denied(string function, Authentication denial)
    {
        ArgumentNullException.ThrowIfNull(denial);
        return Answer(denial.DeniedStatus, new ApiError("access_denied", denial.DeniedReason ?? "Access denied."), $"{function}: access denied ({denial.DeniedStatus})");
    }

    /// <summary>405 for anything but <paramref name="allowed"/>.</summary>
    public static IResult MethodNotAllowed(string function, string method, string allowed = "GET") =>
        Answer(StatusCodes.Status405MethodNotAllowed, new ApiError("method_not_allowed", $"Use {allowed}."), $"{function}: method {method} refused");

    /// <summary>400 listing every bad parameter.</summary>
    public static IResult InvalidQuery(string function, IReadOnlyList<ParameterProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return Answer(StatusCodes.Status400BadRequest, new { error = "invalid_query", problems }, $"{function}: {problems.Count} invalid query parameter(s)");
    }

    /// <summary>503 when storage failed.</summary>
    public static IResult StorageUnavailable(string function, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Answer(StatusCodes.Status503ServiceUnavailable, new ApiError("storage_unavailable", "Signals could not be read; try again later."), $"{function}: storage failed ({exception.GetType().Name})");
    }
}

/// <summary>An error body: a code and a sentence.</summary>
/// <param name="Error">Machine-readable code.</param>
/// <param name="Message">For people.</param>
public sealed record ApiError(string Error, string Message);

/// <summary>One problem with a query parameter.</summary>
/// <param name="Parameter">The parameter.</param>
/// <param name="Message">What is wrong and what is expected.</param>
public sealed record ParameterProblem(string Parameter, string Message);

/// <summary>Who is looking, as the dashboard shows it and decides which buttons to offer.</summary>
/// <param name="DisplayName">Name from the token.</param>
/// <param name="Role"><c>reviewer</c> or <c>governance-lead</c>.</param>
/// <param name="TrustOds">The lead's trust; null for reviewers.</param>
public sealed record Viewer(string DisplayName, string Role, string? TrustOds)
{
    /// <summary>The viewer of <paramref name="caller"/>.</summary>
    public static Viewer Of(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new Viewer(caller.DisplayName, caller.Role == CallerRole.Reviewer ? "reviewer" : "governance-lead", caller.TrustOds);
    }
}

/// <summary>The outcome of <see cref="DashboardApi.BeginAsync"/>: a refusal to return, or the request and its caller.</summary>
/// <param name="Request">The HTTP request; null when the invocation could not be read.</param>
/// <param name="Caller">The signed-in caller; null when refused.</param>
/// <param name="Refusal">400 (unreadable), 405, 401 or 403 to return as is; null when the caller may go on.</param>
public sealed record SignedInRequest(HttpRequestData? Request, Caller? Caller, IResult? Refusal);
