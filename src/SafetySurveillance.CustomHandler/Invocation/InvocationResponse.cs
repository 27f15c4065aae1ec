using System.Text.Json;
using System.Text.Json.Serialization;
using SafetySurveillance.CustomHandler.Bindings;

namespace SafetySurveillance.CustomHandler.Invocation;

/// <summary>
/// What a custom handler answers: <c>{"Outputs": {...}, "Logs": [...], "ReturnValue": ...}</c>.
/// A non-2xx HTTP status makes the invocation fail in the host (and retried when a retry policy is set).
/// </summary>
public sealed record InvocationResponse
{
    /// <summary>Output binding values keyed by binding name (for example <c>res</c> for an HTTP output).</summary>
    [JsonPropertyName("Outputs")]
    public Dictionary<string, JsonElement> Outputs { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Lines the host logs under the function's logger. Never put patient-identifiable data here.</summary>
    [JsonPropertyName("Logs")]
    public List<string> Logs { get; init; } = [];

    /// <summary>The value for a <c>$return</c> output binding.</summary>
    [JsonPropertyName("ReturnValue")]
    public JsonElement? ReturnValue { get; init; }

    /// <summary>Creates a response carrying an HTTP output under <paramref name="bindingName"/>.</summary>
    public static InvocationResponse ForHttp(HttpResponseOutput response, string bindingName = "res", IEnumerable<string>? logs = null) => new()
    {
        Outputs = { [bindingName] = JsonSerializer.SerializeToElement(response, CustomHandlerJson.Options.GetTypeInfo<HttpResponseOutput>()) },
        Logs = logs?.ToList() ?? [],
    };
}
