using System.Text.Json.Serialization;

namespace SafetySurveillance.CustomHandler.Bindings;

/// <summary>An HTTP output binding value: <c>{"statusCode": 200, "body": ..., "headers": {...}}</c>.</summary>
public sealed record HttpResponseOutput
{
    /// <summary>The HTTP status code.</summary>
    [JsonPropertyName("statusCode")]
    public int StatusCode { get; init; } = 200;

    /// <summary>The body. A string is sent as is (set a content type); JSON callers serialise first.</summary>
    [JsonPropertyName("body")]
    public string? Body { get; init; }

    /// <summary>Response headers.</summary>
    [JsonPropertyName("headers")]
    public Dictionary<string, string> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A JSON response.</summary>
    public static HttpResponseOutput Json(int statusCode, string json) => new()
    {
        StatusCode = statusCode,
        Body = json,
        Headers = { ["Content-Type"] = "application/json; charset=utf-8" },
    };
}
