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

        // Read member by member: some host versions write Query/Headers/Params as JSON-encoded strings, and the
        // dictionaries must keep their case-insensitive comparers (deserialising would replace them).
        var data = new HttpRequestData
        {
            Url = Text(value, "Url") ?? "",
            Method = Text(value, "Method") ?? "GET",
            Body = Text(value, "Body"),
            Identities = Member(value, "Identities"),
        };
        foreach (var (name, item) in Entries(value, "Query"))
        {
            data.Query[name] = AsText(item);
        }

        foreach (var (name, item) in Entries(value, "Params"))
        {
            data.Params[name] = AsText(item);
        }

        foreach (var (name, item) in Entries(value, "Headers"))
        {
            data.Headers[name] = item.ValueKind == JsonValueKind.Array
                ? [.. item.EnumerateArray().Select(AsText)]
                : [AsText(item)];
        }

        return data;
    }

    private static JsonElement? Member(JsonElement value, string name) =>
        value.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } found
            ? found.Value
            : null;

    private static string? Text(JsonElement value, string name) => Member(value, name) is { } v ? AsText(v) : null;

    private static string AsText(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText();

    private static IEnumerable<(string Name, JsonElement Value)> Entries(JsonElement value, string name)
    {
        if (Member(value, name) is not { } member)
        {
            return [];
        }

        var unwrapped = Invocation.HostJsonValue.Unwrap(member);
        return unwrapped.ValueKind == JsonValueKind.Object
            ? unwrapped.EnumerateObject().Select(p => (p.Name, p.Value)).ToList()
            : [];
    }
}
