using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SafetySurveillance.CustomHandler;

/// <summary>Serializer settings for the custom handler contract (property names as the host writes them).</summary>
public static class CustomHandlerJson
{
    /// <summary>Options for reading and writing invocation envelopes.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Typed metadata for <typeparamref name="T"/> from <see cref="Options"/>.</summary>
    public static JsonTypeInfo<T> GetTypeInfo<T>(this JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            PropertyNameCaseInsensitive = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        };
        options.MakeReadOnly();
        return options;
    }
}
