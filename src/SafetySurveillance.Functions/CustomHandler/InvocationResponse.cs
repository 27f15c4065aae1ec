using System.Text.Json.Serialization;

namespace SafetySurveillance.Functions.CustomHandler;

/// <summary>
/// What a custom handler answers to the Functions host for one invocation: output binding values by binding
/// name, log lines (written by the host under the function's logger), and the <c>$return</c> value.
/// </summary>
public sealed record InvocationResponse(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue)
{
    /// <summary>An answer for an HTTP-triggered function whose <c>http</c> output binding is named <c>res</c>.</summary>
    public static InvocationResponse Http(HttpOutput response, params IReadOnlyList<string> logs) =>
        new(new Dictionary<string, object?>(StringComparer.Ordinal) { [HttpOutput.BindingName] = response }, logs, null);
}

/// <summary>
/// The value of an <c>http</c> output binding: the host turns it into the HTTP response to the caller.
/// The body is a string (the host would decode a top-level string output that happens to be base64, but not
/// this nested field).
/// </summary>
public sealed record HttpOutput(
    [property: JsonPropertyName("statusCode")] string StatusCode,
    [property: JsonPropertyName("body")] string Body,
    [property: JsonPropertyName("headers")] IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The name of the <c>http</c> output binding in every function.json of this app.</summary>
    public const string BindingName = "res";

    /// <summary>A JSON response with the given status code.</summary>
    public static HttpOutput Json(int statusCode, string json) =>
        new(statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), json,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["Content-Type"] = "application/json; charset=utf-8" });
}
