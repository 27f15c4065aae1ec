using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafetySurveillance.CustomHandler.Bindings;

/// <summary>
/// An HTTP trigger's request as the host puts it in <c>Data.{bindingName}</c> when request forwarding is off:
/// <c>{Url, Method, Query, Headers, Params, Body, Identities}</c>. <c>Body</c> is a string.
/// </summary>
public sealed record HttpRequestData
{
    /// <summary>The full request URL.</summary>
    [JsonPropertyName("Url")]
    public string Url { get; init; } = "";

    /// <summary>The HTTP method.</summary>
    [JsonPropertyName("Method")]
    public string Method { get; init; } = "GET";

    /// <summary>Query-string values.</summary>
    [JsonPropertyName("Query")]
    public Dictionary<string, string> Query { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Request headers (each may repeat).</summary>
    [JsonPropertyName("Headers")]
    public Dictionary<string, string[]> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Route parameters from the function's <c>route</c> template.</summary>
    [JsonPropertyName("Params")]
    public Dictionary<string, string> Params { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The request body as text (null when there is none).</summary>
    [JsonPropertyName("Body")]
    public string? Body { get; init; }

    /// <summary>Identities the host authenticated (App Service authentication), if any.</summary>
    [JsonPropertyName("Identities")]
    public JsonElement? Identities { get; init; }

    /// <summary>The first value of a header, or null.</summary>
    public string? Header(string name) =>
        Headers.TryGetValue(name, out var values) && values.Length > 0 ? values[0] : null;

    /// <summary>Reads the request from an invocation's <c>Data</c>.</summary>
    public static HttpRequestData? From(Invocation.InvocationRequest request, string bindingName = "req")
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.TryGetData(bindingName, out var value) || value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return value.Deserialize(CustomHandlerJson.Options.GetTypeInfo<HttpRequestData>());
    }
}
