using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafetySurveillance.CustomHandler.Invocation;

/// <summary>
/// The body the Functions host POSTs to <c>/{FunctionName}</c>: <c>{"Data": {...}, "Metadata": {...}}</c>.
/// <c>Data</c> holds one entry per input/trigger binding name; <c>Metadata</c> holds the trigger's binding data
/// (and <c>RetryContext</c> when a retry policy re-invokes).
/// </summary>
public sealed record InvocationRequest
{
    /// <summary>Inputs keyed by binding name.</summary>
    [JsonPropertyName("Data")]
    public Dictionary<string, JsonElement> Data { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Trigger metadata keyed by binding-data name.</summary>
    [JsonPropertyName("Metadata")]
    public Dictionary<string, JsonElement> Metadata { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The retry context, when the host re-invokes under a retry policy.</summary>
    [JsonIgnore]
    public RetryContext? RetryContext =>
        TryGetMetadata("RetryContext", out var value) && value.ValueKind == JsonValueKind.Object
            ? value.Deserialize(CustomHandlerJson.Options.GetTypeInfo<RetryContext>())
            : null;

    /// <summary>
    /// Writes the request as <c>{"Data": {…}, "Metadata": {…}}</c>, each value copied as the JSON text it already is
    /// (serialising through <see cref="JsonSerializer"/> would unescape and escape every string again — for an Event
    /// Hubs batch, a megabyte of JSON-encoded array). The result reads back as the same request.
    /// </summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        WriteSection(writer, "Data", Data);
        WriteSection(writer, "Metadata", Metadata);
        writer.WriteEndObject();
    }

    /// <summary>Gets a metadata value, unwrapping the host's habit of sending arrays and strings JSON-encoded as strings.</summary>
    public bool TryGetMetadata(string name, out JsonElement value) => TryGet(Metadata, name, out value);

    /// <summary>Gets a data value, unwrapping JSON-encoded strings that hold an object or array.</summary>
    public bool TryGetData(string name, out JsonElement value) => TryGet(Data, name, out value);

    private static void WriteSection(Utf8JsonWriter writer, string name, Dictionary<string, JsonElement> values)
    {
        writer.WritePropertyName(name);
        writer.WriteStartObject();
        foreach (var (key, value) in values)
        {
            writer.WritePropertyName(key);
            if (value.ValueKind == JsonValueKind.Undefined)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteRawValue(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value), skipInputValidation: true);
            }
        }

        writer.WriteEndObject();
    }

    private static bool TryGet(Dictionary<string, JsonElement> source, string name, out JsonElement value)
    {
        if (!source.TryGetValue(name, out var raw))
        {
            value = default;
            return false;
        }

        value = HostJsonValue.Unwrap(raw);
        return true;
    }
}

/// <summary>What the host adds to <c>Metadata</c> when a function-level retry policy re-invokes a function.</summary>
public sealed record RetryContext(
    [property: JsonPropertyName("RetryCount")] int RetryCount,
    [property: JsonPropertyName("MaxRetryCount")] int MaxRetryCount,
    [property: JsonPropertyName("Exception")] JsonElement? Exception);
